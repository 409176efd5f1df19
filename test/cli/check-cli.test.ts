import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { CheckReport } from '../../src/project/check-report.js';
import { ftready, tempFile } from '../helpers/cli.js';

const EXAMPLE = 'examples/uv.lock';

describe('ftready check: output formats', () => {
  test('JSON schema version 1 has the documented shape', () => {
    const r = ftready(['check', EXAMPLE, '--format', 'json', '--python', '3.14t', '--platform', 'linux-x86_64']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as CheckReport;
    assert.equal(report.schemaVersion, 1);
    assert.deepEqual(report.targets, ['3.14t']);
    assert.deepEqual(report.platforms, ['linux-x86_64']);
    assert.deepEqual(report.inputs, [EXAMPLE]);
    const numpy = report.packages.find((p) => p.name === 'numpy')!;
    assert.equal(numpy.version, '2.3.3');
    assert.deepEqual(Object.keys(numpy.results), ['3.14t']);
    const res = numpy.results['3.14t']!['linux-x86_64']!;
    assert.equal(res.status, 'free-threaded-wheel');
    assert.deepEqual(res.files, ['numpy-2.3.3-cp314-cp314t-manylinux_2_17_x86_64.manylinux2014_x86_64.whl']);
    assert.match(res.reason, /cp314t/);
    assert.equal(numpy.readiness['3.14t'], 'ready');
    const counts = report.summary['3.14t']!;
    assert.equal(counts.ready + counts['needs-build'] + counts.blocked + counts.unknown + counts['not-installed'] + counts['not-checkable'], report.packages.length);
  });
  test('the default targets are 3.14t and 3.15t on the five default platforms', () => {
    const report = JSON.parse(ftready(['check', EXAMPLE, '--format', 'json']).stdout) as CheckReport;
    assert.deepEqual(report.targets, ['3.14t', '3.15t']);
    assert.deepEqual(report.platforms, ['linux-x86_64', 'linux-aarch64', 'macos-arm64', 'macos-x86_64', 'windows-amd64']);
  });
  test('--platform all and comma lists', () => {
    const all = JSON.parse(ftready(['check', EXAMPLE, '--format', 'json', '--platform', 'all']).stdout) as CheckReport;
    assert.ok(all.platforms.includes('musllinux-aarch64') && all.platforms.includes('ios-arm64') && all.platforms.includes('android-arm64_v8a'));
    const two = JSON.parse(ftready(['check', EXAMPLE, '--format', 'json', '--python', '3.13t,3.14t']).stdout) as CheckReport;
    assert.deepEqual(two.targets, ['3.13t', '3.14t']);
  });
  test('text: blockers first, a summary line per target, no colour when not a TTY', () => {
    const r = ftready(['check', EXAMPLE]);
    const lines = r.stdout.split('\n');
    const firstPackage = lines.findIndex((l) => /^. \S+ +\d/.test(l));
    assert.match(lines[firstPackage]!, /^✗ legacy-ext/);
    assert.ok(lines.some((l) => /^3\.14t: \d+ ready · \d+ needs build · 1 blocked/.test(l)));
    assert.doesNotMatch(r.stdout, /\u001b\[/);
  });
  test('colour with FORCE_COLOR or --color always, never with NO_COLOR', () => {
    assert.match(ftready(['check', EXAMPLE], { FORCE_COLOR: '1' }).stdout, /\u001b\[31m/);
    assert.match(ftready(['check', EXAMPLE, '--color', 'always']).stdout, /\u001b\[/);
    assert.doesNotMatch(ftready(['check', EXAMPLE], { NO_COLOR: '1' }).stdout, /\u001b\[/);
  });
  test('markdown: a table for the PR comment', () => {
    const r = ftready(['check', EXAMPLE, '--format', 'markdown']);
    assert.match(r.stdout, /^### ftready: \d+ packages need attention \(1 blocked\)/);
    assert.match(r.stdout, /\| legacy-ext \| 1\.4\.2 \| ✗ blocked \| ✗ blocked \|/);
    assert.match(r.stdout, /<details><summary>\d+ other packages<\/summary>/);
  });
});

describe('ftready check: exit codes and --fail-on', () => {
  test('0 when nothing fails, 1 when something does', () => {
    assert.equal(ftready(['check', EXAMPLE]).code, 1);
    assert.equal(ftready(['check', EXAMPLE, '--fail-on', 'never']).code, 0);
    const ready = tempFile('uv.lock', 'version = 1\nrevision = 3\n[[package]]\nname = "a"\nversion = "1"\nsource = { registry = "x" }\nsdist = { url = "https://x.invalid/a-1.tar.gz" }\nwheels = [{ url = "https://x.invalid/a-1-py3-none-any.whl" }]\n');
    assert.equal(ftready(['check', ready, '--fail-on', 'needs-build']).code, 0);
    const build = tempFile('uv.lock', 'version = 1\nrevision = 3\n[[package]]\nname = "a"\nversion = "1"\nsource = { registry = "x" }\nsdist = { url = "https://x.invalid/a-1.tar.gz" }\n');
    assert.equal(ftready(['check', build]).code, 0);
    assert.equal(ftready(['check', build, '--fail-on', 'needs-build']).code, 1);
  });
  test('usage errors exit 2 with one line', () => {
    for (const args of [
      ['check', EXAMPLE, '--format', 'yaml'],
      ['check', EXAMPLE, '--python', '3.14'],
      ['check', EXAMPLE, '--python', '2.7t'],
      ['check', EXAMPLE, '--platform', 'amiga'],
      ['check', EXAMPLE, '--fail-on', 'sometimes'],
      ['check', EXAMPLE, '--frobnicate'],
      ['explode'],
    ]) {
      const r = ftready(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^ftready: error: /);
    }
    assert.match(ftready(['check', EXAMPLE, '--python', '3.14']).stderr, /did you mean 3\.14t/);
  });
  test('--help and --version', () => {
    assert.match(ftready(['check', '--help']).stdout, /--fail-on LEVEL/);
    assert.match(ftready(['--version']).stdout, /^ftready \d+\.\d+\.\d+/);
    assert.equal(ftready(['--help']).code, 0);
  });
});

describe('ftready check: bad input gets one clear line and exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ftready-bad-'));
  const cases: Array<[string, () => string, RegExp]> = [
    ['missing file', () => join(dir, 'nope.lock'), /no such file or directory/],
    ['empty file', () => tempFile('uv.lock', ''), /file is empty/],
    ['truncated TOML', () => tempFile('uv.lock', 'version = 1\n[[package]]\nname = "a'), /uv\.lock:3:\d+: invalid TOML/],
    ['binary data', () => tempFile('uv.lock', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3])), /binary data/],
    ['invalid UTF-8', () => tempFile('uv.lock', Buffer.from('version = 1\n# \xff\xfe\n', 'latin1')), /uv\.lock:2: not valid UTF-8/],
    ['JSON in a uv.lock', () => tempFile('uv.lock', '{"version": 1}'), /invalid TOML/],
    ['a directory without a lockfile', () => mkdtempSync(join(tmpdir(), 'ftready-nolock-')), /no lockfile \(uv\.lock, pylock\.toml, poetry\.lock, Pipfile\.lock\) or manifest/],
    ['a 100 MB file', () => {
      const p = join(dir, 'huge-uv.lock');
      writeFileSync(p, '');
      truncateSync(p, 100 * 1024 * 1024);
      return p;
    }, /file is 100\.0 MB; the limit for input files is 50 MB/],
  ];
  for (const [name, make, message] of cases) {
    test(name, () => {
      const path = make();
      const r = ftready(['check', path]);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.ok(r.stderr.includes(path), `names the file: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
  }
});

describe('untrusted metadata is escaped', () => {
  const hostile = tempFile('pylock.toml', `lock-version = "1.0"
[[packages]]
name = "evil"
version = "1.0\\u001b[2J<img src=x onerror=alert(1)>|[x](javascript:alert(1))"
wheels = [{ name = "evil-1.0-cp39-abi3-win_amd64.whl" }]
`);
  test('no terminal escape reaches the screen', () => {
    const r = ftready(['check', hostile, '--fail-on', 'never']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /\u001b/);
    assert.match(r.stdout, /\\u\{1b\}\[2J/);
  });
  test('no HTML, link or table break in Markdown', () => {
    const r = ftready(['check', hostile, '--format', 'markdown', '--fail-on', 'never']);
    assert.doesNotMatch(r.stdout, /<img/);
    assert.doesNotMatch(r.stdout, /\]\(javascript:/);
    assert.match(r.stdout, /&lt;img src=x onerror=alert\\\(1\\\)&gt;\\\|/);
  });
});

describe('[tool.ftready] in pyproject.toml', () => {
  function project(config: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'ftready-config-'));
    writeFileSync(join(dir, 'uv.lock'), readFileSync(EXAMPLE));
    writeFileSync(join(dir, 'pyproject.toml'), `[project]\nname = "example-app"\nversion = "0.1.0"\n\n[tool.ftready]\n${config}`);
    return dir;
  }

  test('targets, platforms and fail-on come from the config; the command line overrides them', () => {
    const dir = project('python = ["3.13t"]\nplatforms = ["linux-x86_64"]\nfail-on = "never"\n');
    const r = ftready(['check', dir, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as CheckReport;
    assert.deepEqual(report.targets, ['3.13t']);
    assert.deepEqual(report.platforms, ['linux-x86_64']);
    assert.deepEqual((JSON.parse(ftready(['check', dir, '--format', 'json', '--python', '3.14t']).stdout) as CheckReport).targets, ['3.14t']);
    assert.equal(ftready(['check', dir, '--fail-on', 'blocked']).code, 1);
  });

  test('an ignored package never fails the run, and says why', () => {
    const dir = project('ignore = [{ name = "Legacy_Ext", reason = "only used by the Windows installer build" }]\n');
    const r = ftready(['check', dir]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /ignored by \[tool\.ftready\]: only used by the Windows installer build/);
    const json = JSON.parse(ftready(['check', dir, '--format', 'json']).stdout) as CheckReport;
    assert.equal(json.packages.find((p) => p.name === 'legacy-ext')!.ignored, 'only used by the Windows installer build');
  });

  test('an ignore entry without a reason, or an unknown key, is a usage error naming the file', () => {
    for (const bad of ['ignore = [{ name = "legacy-ext" }]\n', 'pythons = ["3.14t"]\n', 'python = 3\n']) {
      const dir = project(bad);
      const r = ftready(['check', dir]);
      assert.equal(r.code, 2, bad);
      assert.match(r.stderr, /pyproject\.toml: \[tool\.ftready\]/);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    }
  });
});
