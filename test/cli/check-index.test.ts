import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CheckReport, PackageReport } from '../../src/project/check-report.js';
import { ftreadyAsync, ftreadyInProcess } from '../helpers/cli.js';
import { lockfilesDir, needsCorpus } from '../helpers/paths.js';
import { corpusFixtures, expectedStatuses, loadCorpusPinned, REQUIREMENTS_FILE } from '../support/corpus-fixtures.js';
import { historyFixtures, project, release } from '../support/fixtures.js';
import { startIndexServer, type IndexServer } from '../support/index-server.js';

// `ftready check` on manifests, resolved through the local test index.

const TARGETS = ['--python', '3.14t', '--platform', 'linux-x86_64,windows-amd64', '--format', 'json', '--fail-on', 'never'];

function requirementsFile(text: string, name = 'requirements.txt'): string {
  const dir = mkdtempSync(join(tmpdir(), 'ftready-proj-'));
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

function find(report: CheckReport, name: string): PackageReport {
  const pkg = report.packages.find((p) => p.name === name);
  assert.ok(pkg, `${name} in ${report.packages.map((p) => p.name).join(', ')}`);
  return pkg;
}

describe('check a hash-pinned requirements file from the corpus', { skip: needsCorpus }, () => {
  test('every package gets the status its fixture dictates, from hash-matched files only', async () => {
    const pinned = needsCorpus ? [] : loadCorpusPinned(lockfilesDir).requirements;
    const server = await startIndexServer({ projects: corpusFixtures(pinned) });
    try {
      const r = await ftreadyAsync(['check', join(lockfilesDir, REQUIREMENTS_FILE), ...TARGETS], { FTREADY_INDEX_URL: server.simpleUrl });
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as CheckReport;
      const mismatches: string[] = [];
      for (const e of expectedStatuses(pinned)) {
        const got = report.packages.find((p) => p.name === e.name && p.version === e.version)?.results['3.14t']?.[e.platform];
        if (!got || got.status !== e.status || got.readiness !== e.readiness) mismatches.push(`${e.name} ${e.version} ${e.platform}: expected ${e.status}/${e.readiness}, got ${got?.status}/${got?.readiness} (${got?.reason})`);
      }
      assert.deepEqual(mismatches, []);
      assert.equal(report.packages.length, pinned.length, 'no dependency walk for a complete lock');
      assert.ok(!server.requests.some((q) => q.path.endsWith('.metadata')), 'a complete lock needs no metadata');
    } finally {
      await server.close();
    }
  });
});

describe('check walks a project\'s dependencies through the index', () => {
  let server: IndexServer;
  let nightly: IndexServer;
  const LINUX = 'manylinux_2_17_x86_64';
  const run = (file: string, args: string[] = []) =>
    ftreadyAsync(['check', file, ...TARGETS, ...args], { FTREADY_INDEX_URL: server.simpleUrl, FTREADY_NIGHTLY_INDEX_URL: nightly.simpleUrl });

  before(async () => {
    server = await startIndexServer({
      projects: [
        ...historyFixtures(),
        project('toplevel', release('toplevel', '3.0', ['py3-none-any'], {
          requiresDist: ['mid>=1', 'winonly; sys_platform == "win32"', 'speedup; extra == "fast"', 'ghost-dependency', 'dropped-ft'],
          providesExtra: ['fast'],
        })),
        project('mid', release('mid', '0.5', ['py3-none-any']), release('mid', '1.2', ['py3-none-any'], { requiresDist: ['leaf<2'] })),
        project('leaf',
          release('leaf', '1.0', [`cp39-abi3-${LINUX}`, 'cp39-abi3-win_amd64', 'sdist']),
          release('leaf', '1.5', [`cp314-cp314-${LINUX}`, 'cp314-cp314-win_amd64', 'sdist']),
          release('leaf', '2.0', [`cp314-cp314t-${LINUX}`, 'cp314-cp314t-win_amd64', 'sdist'])),
        project('winonly', release('winonly', '1.0', ['cp314-cp314-win_amd64'])),
        project('speedup', release('speedup', '1.0', [`cp314-cp314t-${LINUX}`, 'cp314-cp314t-win_amd64'])),
      ],
    });
    nightly = await startIndexServer({ projects: [project('dropped-ft', release('dropped-ft', '1.4.dev1', [`cp314-cp314t-${LINUX}`, 'cp314-cp314t-win_amd64']))] });
  });
  after(async () => {
    await server.close();
    await nightly.close();
  });

  test('the full closure, with paths from the project', async () => {
    const r = await run(requirementsFile('toplevel\n'));
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as CheckReport;
    assert.deepEqual(report.packages.map((p) => p.name).sort(), ['dropped-ft', 'ghost-dependency', 'leaf', 'mid', 'toplevel', 'winonly']);
    const leaf = find(report, 'leaf');
    assert.equal(leaf.version, '1.5');
    assert.deepEqual(leaf.path, ['requirements.txt', 'toplevel', 'mid', 'leaf']);
    assert.equal(leaf.results['3.14t']!['linux-x86_64']!.status, 'no-compatible-wheel');
    assert.equal(leaf.readiness['3.14t'], 'needs-build');
  });

  test('markers are evaluated per platform', async () => {
    const report = JSON.parse((await run(requirementsFile('toplevel\n'))).stdout) as CheckReport;
    const winonly = find(report, 'winonly');
    assert.equal(winonly.results['3.14t']!['linux-x86_64']!.status, 'not-installed');
    assert.equal(winonly.results['3.14t']!['windows-amd64']!.readiness, 'blocked');
  });

  test('extras bring in their dependencies only when asked for', async () => {
    const without = JSON.parse((await run(requirementsFile('toplevel\n'))).stdout) as CheckReport;
    assert.ok(!without.packages.some((p) => p.name === 'speedup'));
    const withExtra = JSON.parse((await run(requirementsFile('toplevel[fast]\n'))).stdout) as CheckReport;
    assert.equal(find(withExtra, 'speedup').readiness['3.14t'], 'ready');
  });

  test('a dependency missing from the index is not-found, and nothing crashes', async () => {
    const report = JSON.parse((await run(requirementsFile('toplevel\n'))).stdout) as CheckReport;
    const ghost = find(report, 'ghost-dependency');
    assert.equal(ghost.results['3.14t']!['linux-x86_64']!.status, 'not-found');
    assert.equal(ghost.readiness['3.14t'], 'unknown');
  });

  test('advice: the version to move to, dropped support, nightly wheels', async () => {
    const report = JSON.parse((await run(requirementsFile('toplevel\n'))).stdout) as CheckReport;
    const leaf = find(report, 'leaf').advice!['3.14t']!;
    assert.equal(leaf.upgradeTo, '2.0');
    assert.match(leaf.summary, /upgrade to >= 2\.0 \(outside your requirement leaf<2\)/);
    const dropped = find(report, 'dropped-ft').advice!['3.14t']!;
    assert.equal(dropped.upgradeTo, null);
    assert.equal(dropped.droppedIn, '1.3');
    assert.equal(dropped.lastReady, '1.2');
    assert.deepEqual(dropped.nightly, { index: nightly.simpleUrl, version: '1.4.dev1' });
    assert.match(dropped.summary, /^1\.2 was the last ready release \(dropped in 1\.3\); nightly wheels: 1\.4\.dev1/);
  });

  test('constraints narrow versions; conflicts are reported, not solved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftready-constraints-'));
    writeFileSync(join(dir, 'constraints.txt'), 'mid<1\n');
    writeFileSync(join(dir, 'requirements.txt'), '-c constraints.txt\ntoplevel\n');
    const report = JSON.parse((await run(join(dir, 'requirements.txt'))).stdout) as CheckReport;
    assert.equal(find(report, 'mid').results['3.14t']!['linux-x86_64']!.status, 'unknown');
    const conflict = JSON.parse((await run(requirementsFile('leaf==2.0\nmid>=1\n'))).stdout) as CheckReport;
    assert.ok(conflict.notes.some((n) => /conflict: leaf 2\.0 .* does not satisfy "leaf<2"/.test(n)), conflict.notes.join('\n'));
  });

  test('the text output names each blocker with its path and advice', async () => {
    const r = await ftreadyAsync(['check', requirementsFile('toplevel\n'), '--python', '3.14t', '--platform', 'linux-x86_64'], { FTREADY_INDEX_URL: server.simpleUrl, FTREADY_NIGHTLY_INDEX_URL: 'none' });
    assert.match(r.stdout, /via requirements\.txt → toplevel → mid → leaf/);
    assert.match(r.stdout, /advice 3\.14t: upgrade to >= 2\.0/);
  });

  test('an unreachable index: exit 3; with --keep-going the packages are unknown', async () => {
    const file = requirementsFile('toplevel\n');
    const stop = await ftreadyAsync(['check', file, '--retries', '0'], { FTREADY_INDEX_URL: 'http://127.0.0.1:9/simple/' });
    assert.equal(stop.code, 3);
    assert.match(stop.stderr, /^ftready: error: cannot reach the package index: http:\/\/127\.0\.0\.1:9\/simple\/toplevel\//);
    const going = await ftreadyAsync(['check', file, '--retries', '0', '--keep-going', '--format', 'json'], { FTREADY_INDEX_URL: 'http://127.0.0.1:9/simple/' });
    assert.equal(going.code, 0, going.stderr);
    const report = JSON.parse(going.stdout) as CheckReport;
    assert.equal(find(report, 'toplevel').readiness['3.14t'], 'unknown');
    assert.match(find(report, 'toplevel').results['3.14t']!['linux-x86_64']!.reason, /index unreachable/);
  });
});

describe('check a Pipfile.lock from the corpus', { skip: needsCorpus }, () => {
  test('pinned and hashed: statuses as the fixtures dictate, markers per platform', async () => {
    const pinned = needsCorpus ? [] : loadCorpusPinned(lockfilesDir).pipfileLock;
    const server = await startIndexServer({ projects: corpusFixtures(pinned) });
    try {
      const r = await ftreadyAsync(['check', join(lockfilesDir, 'pypa__pipenv__Pipfile.lock'), ...TARGETS], { FTREADY_INDEX_URL: server.simpleUrl });
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as CheckReport;
      const mismatches: string[] = [];
      for (const e of expectedStatuses(pinned)) {
        const pkg = report.packages.find((p) => p.name === e.name && p.version === e.version);
        const got = pkg?.results['3.14t']?.[e.platform];
        // Markers in the lockfile decide installation first: a win32-only package is not installed on Linux.
        if (got?.status === 'not-installed') continue;
        if (!got || got.status !== e.status || got.readiness !== e.readiness) mismatches.push(`${e.name} ${e.version} ${e.platform}: expected ${e.status}/${e.readiness}, got ${got?.status}/${got?.readiness} (${got?.reason})`);
      }
      assert.deepEqual(mismatches, []);
      const atomicwrites = report.packages.find((p) => p.name === 'atomicwrites')!;
      assert.equal(atomicwrites.results['3.14t']!['linux-x86_64']!.status, 'not-installed');
      const stdeb = report.packages.find((p) => p.name === 'stdeb')!;
      assert.equal(stdeb.results['3.14t']!['windows-amd64']!.status, 'not-installed');
      assert.notEqual(stdeb.results['3.14t']!['linux-x86_64']!.status, 'not-installed');
    } finally {
      await server.close();
    }
  });
});

describe('check a pyproject.toml through the index', () => {
  test('dependencies, optional dependencies and build requirements are all checked', async () => {
    const server = await startIndexServer({ projects: historyFixtures() });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'ftready-pyproject-'));
      writeFileSync(join(dir, 'pyproject.toml'), '[build-system]\nrequires = ["sdistonly"]\n\n[project]\nname = "my-app"\nversion = "1"\ndependencies = ["pure", "late-ft>=1.1"]\n\n[project.optional-dependencies]\nextra = ["abi3only"]\n');
      const r = await ftreadyAsync(['check', dir, ...TARGETS], { FTREADY_INDEX_URL: server.simpleUrl });
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as CheckReport;
      assert.deepEqual(report.packages.map((p) => p.name).sort(), ['abi3only', 'late-ft', 'pure', 'sdistonly']);
      assert.deepEqual(find(report, 'late-ft').path, ['my-app', 'late-ft']);
      assert.equal(find(report, 'late-ft').readiness['3.14t'], 'ready');
      assert.equal(find(report, 'pure').readiness['3.14t'], 'ready');
      assert.equal(find(report, 'abi3only').readiness['3.14t'], 'needs-build');
      assert.equal(find(report, 'sdistonly').results['3.14t']!['linux-x86_64']!.status, 'source-only');
    } finally {
      await server.close();
    }
  });
});

describe('build requirements', () => {
  test('are marked, and a build tool too old for free-threaded builds is named', async () => {
    const server = await startIndexServer({
      projects: [
        project('cython', release('cython', '3.0.12', ['py3-none-any']), release('cython', '3.1.2', ['py3-none-any'])),
        project('appdep', release('appdep', '1.0', ['py3-none-any'])),
      ],
    });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'ftready-build-'));
      writeFileSync(join(dir, 'pyproject.toml'), '[build-system]\nrequires = ["cython<3.1"]\n\n[project]\nname = "ext"\nversion = "1"\ndependencies = ["appdep"]\n');
      const r = await ftreadyAsync(['check', dir, ...TARGETS], { FTREADY_INDEX_URL: server.simpleUrl });
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as CheckReport;
      assert.equal(find(report, 'cython').build, true);
      assert.equal(find(report, 'appdep').build, undefined);
      assert.ok(report.notes.some((n) => /build requirement cython 3\.0\.12 is older than 3\.1\.0/.test(n)), report.notes.join('\n'));
      const fine = mkdtempSync(join(tmpdir(), 'ftready-build-ok-'));
      writeFileSync(join(fine, 'pyproject.toml'), '[build-system]\nrequires = ["cython>=3.1"]\n\n[project]\nname = "ext"\nversion = "1"\n');
      const ok = JSON.parse((await ftreadyAsync(['check', fine, ...TARGETS], { FTREADY_INDEX_URL: server.simpleUrl })).stdout) as CheckReport;
      assert.ok(!ok.notes.some((n) => /build requirement/.test(n)));
    } finally {
      await server.close();
    }
  });
});

describe('progress', () => {
  test('a progress line on a terminal, none with --quiet or off a terminal', async () => {
    const server = await startIndexServer({ projects: historyFixtures() });
    try {
      const file = requirementsFile('pure\nlate-ft\n');
      const env = { FTREADY_INDEX_URL: server.simpleUrl };
      const tty = await ftreadyInProcess(['check', file, '--python', '3.14t'], { env, stderrIsTTY: true });
      assert.match(tty.stderr, /\[1\/\d+\] (pure|late-ft)/);
      assert.match(tty.stderr, /\[2\/2\]/);
      const quiet = await ftreadyInProcess(['check', file, '--python', '3.14t', '--quiet'], { env, stderrIsTTY: true });
      assert.equal(quiet.stderr, '');
      const pipe = await ftreadyInProcess(['check', file, '--python', '3.14t'], { env, stderrIsTTY: false });
      assert.equal(pipe.stderr, '');
    } finally {
      await server.close();
    }
  });
});

describe('advice per platform', () => {
  test('platforms with different answers are told apart', async () => {
    const server = await startIndexServer({ projects: historyFixtures() });
    try {
      const r = await ftreadyAsync(['check', requirementsFile('dropped-ft\n'), '--python', '3.14t', '--platform', 'linux-x86_64,linux-aarch64', '--format', 'json'], { FTREADY_INDEX_URL: server.simpleUrl });
      const report = JSON.parse(r.stdout) as CheckReport;
      const advice = find(report, 'dropped-ft').advice!['3.14t']!;
      assert.equal(advice.upgradeTo, null);
      assert.equal(advice.summary, '1.2 was the last ready release (dropped in 1.3) on linux-x86_64; no release is ready for 3.14t on linux-aarch64');
    } finally {
      await server.close();
    }
  });
});
