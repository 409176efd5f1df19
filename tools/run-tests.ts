import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Runs the test suite with every temporary file it makes in one directory,
// removed afterwards: the tests, and the CLI runs they start, make a few
// thousand temporary directories (homes, caches, projects, databases), and
// a machine that runs the suite often would otherwise fill its /tmp.

const root = mkdtempSync(join(tmpdir(), 'ftready-tests-'));
const child = spawn(process.execPath, ['--test', '--test-concurrency=2', 'dist/test/'], {
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: root },
});
const forward = (signal: NodeJS.Signals) => child.kill(signal);
process.on('SIGINT', forward).on('SIGTERM', forward);
child.on('close', (code, signal) => {
  rmSync(root, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});
