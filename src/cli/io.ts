/** Where a command's output goes: the process in real use, buffers in tests. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  stdoutIsTTY: boolean;
  /** Progress lines go to stderr only when it is a terminal. */
  stderrIsTTY?: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

/** A mistake in how ftready was called; shown as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
