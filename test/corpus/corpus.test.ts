import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { CheckReport } from '../../src/project/check-report.js';
import { ftready } from '../helpers/cli.js';
import { lockfilesDir, needsCorpus } from '../helpers/paths.js';
import { EXPECTATIONS } from './expected-statuses.js';

// The acceptance check: real lockfiles, statuses a careful reader wrote down by
// hand (expected-statuses.ts), and ftready's JSON output compared to them.

const lockfiles = [...new Set(EXPECTATIONS.map((e) => e.lockfile))];

describe('real lockfiles from ../shared/corpus', { skip: needsCorpus }, () => {
  test('the hand-written expectations cover what the acceptance list asks for', () => {
    const packages = new Set(EXPECTATIONS.map((e) => `${e.lockfile} ${e.package} ${e.version}`));
    assert.ok(packages.size >= 25, `${packages.size} packages`);
    assert.equal(lockfiles.length, 3);
    for (const status of ['abi3-only', 'compatible-wheel', 'free-threaded-wheel', 'no-compatible-wheel', 'not-installed']) {
      assert.ok(EXPECTATIONS.some((e) => e.status === status), status);
    }
    const ftLinuxNotWindows = EXPECTATIONS.some((e) =>
      e.platform === 'linux-x86_64' && e.status === 'free-threaded-wheel' &&
      EXPECTATIONS.some((w) => w.lockfile === e.lockfile && w.package === e.package && w.python === e.python && w.platform === 'windows-amd64' && w.status === 'no-compatible-wheel'));
    assert.ok(ftLinuxNotWindows, 'a package with free-threaded wheels for Linux but not Windows');
  });

  for (const lockfile of lockfiles) {
    test(`${lockfile}: every hand-written status matches`, () => {
      const r = ftready(['check', join(lockfilesDir, lockfile), '--python', '3.13t', '--python', '3.14t',
        '--platform', 'linux-x86_64', '--platform', 'windows-amd64', '--format', 'json', '--fail-on', 'never']);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as CheckReport;
      const mismatches: string[] = [];
      for (const e of EXPECTATIONS.filter((x) => x.lockfile === lockfile)) {
        const pkg = report.packages.find((p) => p.name === e.package && p.version === e.version);
        const got = pkg?.results[e.python]?.[e.platform];
        if (!got) {
          mismatches.push(`${e.package} ${e.version}: missing from the report`);
        } else if (got.status !== e.status || got.readiness !== e.readiness) {
          mismatches.push(`${e.package} ${e.version} ${e.python} ${e.platform}: expected ${e.status}/${e.readiness} (${e.note}), got ${got.status}/${got.readiness}: ${got.reason}`);
        }
      }
      assert.deepEqual(mismatches, []);
    });
  }
});
