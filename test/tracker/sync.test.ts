import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ALL_PLATFORMS } from '../../src/store/read-models.js';
import { listPackages, packageDetail } from '../../src/store/read-queries.js';
import { TrackerStore } from '../../src/store/tracker-store.js';
import { ftreadyAsync } from '../helpers/cli.js';
import { startIndexServer, type IndexServer } from '../support/index-server.js';
import { project, projectVersions, release, type FixtureProject } from '../support/fixtures.js';
import { generateEcosystem } from '../support/ecosystem.js';

// `ftready sync` against the local index, into real SQLite files.

const LINUX = 'manylinux_2_17_x86_64.manylinux2014_x86_64';
const ARM = 'manylinux_2_17_aarch64.manylinux2014_aarch64';
const MAC = 'macosx_11_0_arm64';
const MAC_INTEL = 'macosx_10_13_x86_64';
const WIN = 'win_amd64';
const ALL = [LINUX, ARM, MAC, MAC_INTEL, WIN];
const FT_CLASSIFIER = 'Programming Language :: Python :: Free Threading :: 2 - Beta';

function ecosystem(extra: FixtureProject[] = []): FixtureProject[] {
  return [
    project('Pure_Lib', release('Pure_Lib', '1.0', ['py3-none-any', 'sdist'], { summary: 'pure python' })),
    project(
      'fastcore',
      release('fastcore', '1.0', [...ALL.map((p) => `cp314-cp314-${p}`), 'sdist']),
      release('fastcore', '2.0', [...ALL.map((p) => `cp314-cp314t-${p}`), 'sdist'], {
        classifiers: [FT_CLASSIFIER],
        summary: 'a fast core',
        projectUrls: { Source: 'https://example.org/fastcore' },
      }),
    ),
    project('stableabi', release('stableabi', '3.1', [...ALL.map((p) => `cp39-abi3-${p}`)])),
    project('linuxonly', release('linuxonly', '0.5', [...[LINUX, ARM, MAC, MAC_INTEL].map((p) => `cp314-cp314t-${p}`), `cp314-cp314-${WIN}`, 'sdist'])),
    ...extra,
  ];
}

const NAMES = ['pure-lib', 'fastcore', 'stableabi', 'linuxonly'];

function syncArgs(server: IndexServer, dataDir: string, ...more: string[]): string[] {
  return ['sync', '--index-url', server.simpleUrl, '--data-dir', dataDir, '--python', '3.14t', '--no-nightly', '--retries', '0', '--quiet', ...more];
}

async function withStore<T>(dataDir: string, read: (store: TrackerStore) => Promise<T>): Promise<T> {
  const store = await TrackerStore.open({ dataDir });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

describe('ftready sync', () => {
  let server: IndexServer;
  before(async () => {
    server = await startIndexServer({ projects: ecosystem() });
  });
  after(() => server.close());

  test('stores every release status, first-ready events, classifiers and links', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftready-sync-'));
    const r = await ftreadyAsync(syncArgs(server, dir, ...NAMES.flatMap((n) => ['--package', n])));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /4 projects: 4 updated/);
    await withStore(dir, async (store) => {
      const fast = await packageDetail(store.db, 'fastcore');
      assert.ok(fast);
      assert.equal(fast.latestVersion, '2.0');
      assert.equal(fast.targets['3.14t']!.readiness, 'ready');
      assert.equal(fast.targets['3.14t']!.firstReady, '2.0');
      assert.equal(fast.matrix['3.14t']!['windows-amd64']!.status, 'free-threaded-wheel');
      assert.deepEqual(fast.matrix['3.14t']!['windows-amd64']!.files, [`fastcore-2.0-cp314-cp314t-${WIN}.whl`]);
      assert.deepEqual(fast.classifier, { level: 2, label: '2 - Beta' });
      assert.ok(fast.links.some((l) => l.url === 'https://example.org/fastcore'));
      assert.deepEqual(fast.releases.map((x) => [x.version, x.readiness['3.14t']]), [['2.0', 'ready'], ['1.0', 'needs-build']]);
      assert.deepEqual(fast.timeline.filter((e) => e.platform === ALL_PLATFORMS).map((e) => [e.kind, e.version]), [['first-ready', '2.0']]);

      const linuxOnly = await packageDetail(store.db, 'linuxonly');
      assert.equal(linuxOnly!.targets['3.14t']!.readiness, 'needs-build');
      assert.equal(linuxOnly!.matrix['3.14t']!['linux-x86_64']!.readiness, 'ready');
      assert.equal(linuxOnly!.matrix['3.14t']!['windows-amd64']!.status, 'no-compatible-wheel');

      const stable = await packageDetail(store.db, 'stableabi');
      assert.equal(stable!.matrix['3.14t']!['linux-x86_64']!.status, 'abi3-only');
      assert.equal(stable!.targets['3.14t']!.readiness, 'blocked');

      const onLinux = await listPackages(store.db, { platform: 'linux-x86_64', readiness: 'ready', sort: 'name' }, (await store.settings())!);
      assert.deepEqual(onLinux.rows.map((row) => row.project), ['fastcore', 'linuxonly', 'pure-lib']);
    });
  });

  test('a re-sync of an unchanged index makes only conditional requests, all answered 304', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftready-sync-'));
    const args = syncArgs(server, dir, ...NAMES.flatMap((n) => ['--package', n]));
    assert.equal((await ftreadyAsync(args)).code, 0);
    const from = server.requests.length;
    const again = await ftreadyAsync(args);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /0 updated, 4 unchanged \(304\)/);
    const requests = server.requests.slice(from);
    assert.equal(requests.length, 4);
    for (const req of requests) {
      assert.ok(req.ifNoneMatch, `${req.path} was not conditional`);
      assert.equal(req.status, 304);
    }
  });

  test('--all uses the index listing: unchanged projects cost no request, an unchanged index one 304', async () => {
    const local = await startIndexServer({ projects: ecosystem() });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'ftready-sync-'));
      const args = syncArgs(local, dir, '--all');
      const first = await ftreadyAsync(args);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /4 projects: 4 updated/);

      let from = local.requests.length;
      const unchanged = await ftreadyAsync(args);
      assert.equal(unchanged.code, 0, unchanged.stderr);
      assert.match(unchanged.stdout, /The index is unchanged/);
      assert.deepEqual(local.requests.slice(from).map((r) => [r.path, r.status, r.ifNoneMatch !== undefined]), [['/simple/', 304, true]]);

      local.setProjects(ecosystem().map((p) => (p.name === 'stableabi' ? { ...p, files: [...p.files, ...release('stableabi', '3.2', ['py3-none-any'])] } : p)));
      from = local.requests.length;
      const changed = await ftreadyAsync(args);
      assert.equal(changed.code, 0, changed.stderr);
      assert.match(changed.stdout, /4 projects: 1 updated, 0 unchanged \(304\), 3 unchanged \(serial\)/);
      assert.match(changed.stdout, /Newly ready \(1\):\n {2}✓ stableabi 3\.2/);
      assert.deepEqual(local.requests.slice(from).filter((r) => r.path.startsWith('/simple/')).map((r) => r.path), ['/simple/', '/simple/stableabi/']);
    } finally {
      await local.close();
    }
  });

  test('a sync killed at any point resumes: nothing lost, nothing duplicated', async () => {
    const { projects } = generateEcosystem(150, 11);
    const local = await startIndexServer({ projects });
    local.addFault({ match: /^\/simple\/[^/]+\/$/, fault: { kind: 'slow', delayMs: 15 } });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'ftready-sync-'));
      const args = syncArgs(local, dir, '--all', '--python', '3.13t', '--concurrency', '8');
      for (const after of [20, 60, 100]) {
        const killed = await ftreadyAsync(args, {}, (child) => {
          const timer = setInterval(() => {
            if (local.requests.filter((r) => r.path.startsWith('/simple/') && r.status === 200).length >= after) {
              clearInterval(timer);
              child.kill('SIGKILL');
            }
          }, 2);
        });
        assert.equal(killed.code, 137, killed.stdout);
      }
      const finished = await ftreadyAsync(args);
      assert.equal(finished.code, 0, finished.stderr);
      await withStore(dir, async (store) => {
        const { sql } = await import('kysely');
        const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(store.db);
        assert.deepEqual(integrity.rows, [{ integrity_check: 'ok' }]);
        const count = async (table: 'projects' | 'targets' | 'releases') => Number((await store.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
        assert.equal(await count('projects'), 150);
        // Two targets (3.13t, 3.14t) × (five platforms + the roll-up), once per project.
        assert.equal(await count('targets'), 150 * 2 * 6);
        const releases = projects.reduce((n, p) => n + projectVersions(p).length, 0);
        assert.equal(await count('releases'), releases);
      });
    } finally {
      await local.close();
    }
  });

  test('Ctrl-C stops a sync with a summary of what was done, exit code 130', async () => {
    const { projects } = generateEcosystem(60, 13);
    const local = await startIndexServer({ projects });
    local.addFault({ match: /^\/simple\/[^/]+\/$/, fault: { kind: 'slow', delayMs: 40 } });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'ftready-sync-'));
      const r = await ftreadyAsync(syncArgs(local, dir, '--all', '--concurrency', '4'), {}, (child) => {
        const timer = setInterval(() => {
          if (local.requests.filter((x) => x.path.startsWith('/simple/') && x.status === 200).length >= 10) {
            clearInterval(timer);
            child.kill('SIGINT');
          }
        }, 2);
      });
      assert.equal(r.code, 130, r.stderr);
      assert.match(r.stdout, /60 projects: \d+ updated/);
      assert.match(r.stdout, /Interrupted: run the same command again to resume\./);
    } finally {
      await local.close();
    }
  });

  test('reports packages that became ready and ones that dropped support', async () => {
    const local = await startIndexServer({ projects: ecosystem() });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'ftready-sync-'));
      const args = syncArgs(local, dir, ...NAMES.flatMap((n) => ['--package', n]));
      assert.equal((await ftreadyAsync(args)).code, 0);
      local.setProjects(
        ecosystem().map((p) => {
          if (p.name === 'stableabi') return project('stableabi', release('stableabi', '3.1', ALL.map((x) => `cp39-abi3-${x}`)), release('stableabi', '3.2', ALL.map((x) => `cp314-cp314t-${x}`)));
          if (p.name === 'fastcore') return { ...p, files: [...p.files, ...release('fastcore', '2.1', ALL.map((x) => `cp314-cp314-${x}`))] };
          return p;
        }),
      );
      const r = await ftreadyAsync(args);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Newly ready \(1\):\n {2}✓ stableabi 3\.2 on 3\.14t/);
      assert.match(r.stdout, /Dropped support \(1\):\n {2}✗ fastcore 2\.1 on 3\.14t/);
      await withStore(dir, async (store) => {
        const fast = await packageDetail(store.db, 'fastcore');
        assert.deepEqual(fast!.timeline.filter((e) => e.platform === ALL_PLATFORMS).map((e) => [e.kind, e.version, e.previous]), [['first-ready', '2.0', '1.0'], ['dropped', '2.1', '2.0']]);
        assert.equal(fast!.releases.length, 3);
      });
    } finally {
      await local.close();
    }
  });

  test('--top takes the top N of a top-packages list, stores ranks and a snapshot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftready-sync-'));
    const list = join(dir, 'top.json');
    writeFileSync(list, JSON.stringify({ rows: [{ project: 'stableabi', download_count: 50 }, { project: 'fastcore', download_count: 900 }, { project: 'Pure-Lib', download_count: 100 }] }));
    const r = await ftreadyAsync(syncArgs(server, dir, '--top', '2', '--top-list', list));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /2 projects: 2 updated/);
    await withStore(dir, async (store) => {
      const settings = (await store.settings())!;
      assert.equal(settings.topN, 2);
      const page = await listPackages(store.db, {}, settings);
      assert.deepEqual(page.rows.map((row) => [row.project, row.downloadRank]), [['fastcore', 1], ['pure-lib', 2]]);
      const snaps = await store.db.selectFrom('snapshots').selectAll().orderBy('readiness').execute();
      assert.deepEqual(snaps.map((s) => [s.target, s.readiness, s.count, s.total]), [['3.14t', 'ready', 2, 2]]);
    });
  });

  test('a project whose page keeps failing is reported and keeps its earlier data', async () => {
    const local = await startIndexServer({ projects: ecosystem() });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'ftready-sync-'));
      const args = syncArgs(local, dir, '--package', 'fastcore', '--package', 'pure-lib', '--force');
      assert.equal((await ftreadyAsync(args)).code, 0);
      local.addFault({ match: '/simple/fastcore/', fault: { kind: 'status', status: 503 } });
      const r = await ftreadyAsync(args);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /failed: fastcore: .*HTTP 503/);
      await withStore(dir, async (store) => assert.equal((await packageDetail(store.db, 'fastcore'))!.latestVersion, '2.0'));
    } finally {
      await local.close();
    }
  });

  test('a malformed page of a new project is stored as unknown with the reason', async () => {
    const local = await startIndexServer({ projects: ecosystem() });
    try {
      local.addFault({ match: '/simple/fastcore/', fault: { kind: 'invalid-json' } });
      const dir = mkdtempSync(join(tmpdir(), 'ftready-sync-'));
      const r = await ftreadyAsync(syncArgs(local, dir, '--package', 'fastcore'));
      assert.equal(r.code, 0, r.stderr);
      await withStore(dir, async (store) => {
        const detail = await packageDetail(store.db, 'fastcore');
        assert.match(detail!.problem ?? '', /invalid JSON/);
        assert.equal(detail!.targets['3.14t']!.readiness, 'unknown');
      });
    } finally {
      await local.close();
    }
  });

  test('names that are not on the index are listed, with exit code 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftready-sync-'));
    const r = await ftreadyAsync(syncArgs(server, dir, '--package', 'fastcore', '--package', 'no-such-thing'));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Not on the index: no-such-thing/);
  });

  test('bad input: one line and exit code 2, nothing half-written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftready-sync-'));
    const bad = join(dir, 'top.json');
    writeFileSync(bad, '{"rows": [{"project": "<script>"}]}');
    for (const [args, message] of [
      [syncArgs(server, dir, '--top', '5', '--top-list', bad), /--top-list .*rows\[0\] has no valid "project" name/],
      [syncArgs(server, dir, '--top', '5', '--top-list', join(dir, 'missing.json')), /no such file/],
      [syncArgs(server, dir, '--top', '5'), /--top needs --top-list/],
      [syncArgs(server, dir, '--all', '--package', 'x'), /exactly one of/],
      [syncArgs(server, dir, '--all', '--database', 'mysql://x'), /not a postgres:\/\/ URL/],
      [syncArgs(server, dir, '--package', 'x', '--enqueue'), /--enqueue needs --database/],
    ] as const) {
      const r = await ftreadyAsync([...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });

  test('worker mistakes are one line and exit code 2', async () => {
    for (const [args, message] of [
      [['worker'], /needs --database postgres:\/\//],
      [['worker', '--database', 'postgres://127.0.0.1:5432/test', '--batch-size', '0'], /--batch-size must be a whole number of at least 1/],
      [['worker', '--database', 'postgres://127.0.0.1:5432/test', 'extra'], /unexpected argument "extra"/],
    ] as const) {
      const r = await ftreadyAsync([...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });

  test('an unreachable index is exit code 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftready-sync-'));
    const r = await ftreadyAsync(['sync', '--index-url', 'http://127.0.0.1:9/simple/', '--data-dir', dir, '--no-nightly', '--retries', '0', '--package', 'a', '--quiet']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /cannot reach the package index/);
    const db = await ftreadyAsync(['sync', '--database', 'postgres://nobody:secret@127.0.0.1:9/none', '--no-nightly', '--package', 'a', '--quiet']);
    assert.equal(db.code, 3, db.stderr);
    assert.match(db.stderr, /cannot use the database: postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:9\/none/);
    assert.doesNotMatch(db.stderr, /secret/);
  });
});
