import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ftreadyAsync, testEnv } from '../helpers/cli.js';
import { cliPath, repoRoot } from '../helpers/paths.js';

// `ftready serve` as a user runs it: it says where it listens, answers, and
// stops cleanly on SIGTERM; mistakes are one line and exit code 2.

test('serve listens on 127.0.0.1, answers, and stops on SIGTERM with exit 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ftready-serve-cli-'));
  const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', '--data-dir', dir], { cwd: repoRoot, env: testEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(stderr);
      if (m) resolve(m[1]!);
    });
    child.on('close', () => reject(new Error(stderr)));
  });
  const res = await fetch(`${url}/`);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /0 packages tracked|No packages/i);
  const code = await new Promise<number | null>((resolve) => {
    child.on('close', resolve);
    child.kill('SIGTERM');
  });
  assert.equal(code, 0, stderr);
});

test('a data directory that cannot be made is one line and exit code 3, at once', async () => {
  // Node's recursive mkdir never returns under /proc; ftready must fail instead of hanging.
  const r = await ftreadyAsync(['serve', '--data-dir', '/proc/ftready-cannot-exist', '--port', '0']);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /^ftready: error: cannot use the database: .*ftready-cannot-exist.*ENOENT/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('a port in use, a bad port or a bad database is one line and exit code 2', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as { port: number }).port;
  try {
    const dir = mkdtempSync(join(tmpdir(), 'ftready-serve-cli-'));
    for (const [args, message] of [
      [['--port', String(port)], /cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/],
      [['--port', '70000'], /--port must be at most 65535/],
      [['--port', 'eighty'], /--port must be a whole number/],
      [['--database', 'sqlite:///x'], /not a postgres:\/\/ URL/],
      [['--public-url', 'javascript:alert(1)'], /--public-url .* must be an http or https URL/],
    ] as const) {
      const r = await ftreadyAsync(['serve', '--data-dir', dir, ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  } finally {
    blocker.close();
  }
});
