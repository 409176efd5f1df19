import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/run.js';
import { cliPath, repoRoot } from './paths.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment every test run of ftready starts from: the index URLs point
 * at a closed port on loopback, so a test that forgets to name its local
 * index fails at once instead of reaching the network, and the cache is a
 * fresh directory unless the test names one.
 */
export function testEnv(env: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: mkdtempSync(join(tmpdir(), 'ftready-home-')),
    FTREADY_INDEX_URL: 'http://127.0.0.1:9/simple/',
    FTREADY_NIGHTLY_INDEX_URL: 'none',
    FTREADY_CACHE_DIR: mkdtempSync(join(tmpdir(), 'ftready-cache-')),
    ...env,
  };
}

/** Runs the real `ftready` bin in a child process. */
export function ftready(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: testEnv(env),
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs the real bin without blocking this process, for tests whose index
 * server lives in this process (spawnSync would stall its event loop).
 */
export function ftreadyAsync(args: string[], env: Record<string, string> = {}, onSpawn?: (child: ChildProcess) => void): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: repoRoot, env: testEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 + 9 : -1), stdout, stderr });
    });
    onSpawn?.(child);
  });
}

/** Runs the same entry point in this process: for tests that call it thousands of times. */
export async function ftreadyInProcess(args: string[], io: { env?: Record<string, string>; stderrIsTTY?: boolean } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdoutIsTTY: false,
    stderrIsTTY: io.stderrIsTTY ?? false,
    env: testEnv(io.env),
  });
  return { code, stdout, stderr };
}

/** Writes content to a fresh temporary directory under the given file name. */
export function tempFile(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'ftready-test-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
