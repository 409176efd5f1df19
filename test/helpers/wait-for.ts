/**
 * Resolves once `condition` holds, checking every 20 ms; fails with `what`
 * after `timeoutMs`, so a test that waits on another process never hangs.
 * Tests act on what a process has done, not on how long it has run.
 */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
