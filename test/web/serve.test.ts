import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Parser } from 'htmlparser2';
import { TrackerStore } from '../../src/store/tracker-store.js';
import { startServer, type RunningServer } from '../../src/web/server.js';
import { PackageIndex } from '../../src/index-client/package-index.js';
import { CachedHttp } from '../../src/index-client/cached-http.js';
import { DEFAULT_FETCHER_OPTIONS, HttpFetcher } from '../../src/index-client/http-fetcher.js';
import { parseInterpreter, type Interpreter } from '../../src/standards/interpreters.js';
import { DEFAULT_PLATFORMS, platformFamily, type PlatformFamily } from '../../src/standards/platform-families.js';
import { ftreadyAsync } from '../helpers/cli.js';
import { freshDatabase, type TestDatabase } from '../helpers/postgres.js';
import { generateEcosystem, hostileText } from '../support/ecosystem.js';
import { startIndexServer, type IndexServer } from '../support/index-server.js';

// The tracker end to end: 2,000 generated projects synced from the local
// index, then served; every page is fetched and every link followed.

const PROJECTS = 2000;
const TARGETS = '3.13t,3.14t,3.15t';

interface Served {
  store: TrackerStore;
  server: RunningServer;
  fetcher: HttpFetcher;
  close(): Promise<void>;
}

async function serve(storeOptions: { dataDir: string; url?: string }, index: IndexServer, limits: { checkMaxBytes?: number; checkPerMinute?: number } = {}): Promise<Served> {
  const store = await TrackerStore.open(storeOptions);
  const settings = (await store.settings())!;
  const fetcher = new HttpFetcher({ ...DEFAULT_FETCHER_OPTIONS, retries: 0 });
  const http = new CachedHttp(fetcher, null, 'off');
  const server = await startServer({
    store,
    host: '127.0.0.1',
    port: 0,
    checkMaxBytes: limits.checkMaxBytes ?? 256 * 1024,
    checkPerMinute: limits.checkPerMinute ?? 600,
    check: {
      interpreters: settings.targets.map(parseInterpreter).filter((i): i is Interpreter => i !== null),
      families: DEFAULT_PLATFORMS.map(platformFamily).filter((f): f is PlatformFamily => f !== undefined),
      index: new PackageIndex(http, [index.simpleUrl]),
      nightly: [],
    },
  });
  return {
    store,
    server,
    fetcher,
    close: async () => {
      await server.close();
      await fetcher.close();
      await store.close();
    },
  };
}

/** Same-origin links and resources of an HTML page. */
function linksOf(body: string): string[] {
  const links: string[] = [];
  const parser = new Parser({
    onopentag(name, attrs) {
      for (const attr of ['href', 'src', 'action']) {
        const v = attrs[attr];
        if (v && v.startsWith('/') && !v.startsWith('//') && !(name === 'form' && attr === 'action')) links.push(v);
      }
    },
  });
  parser.write(body);
  parser.end();
  return links;
}

describe('ftready serve on a synced ecosystem', () => {
  let index: IndexServer;
  let dir: string;
  let served: Served;
  const ecosystem = generateEcosystem(PROJECTS);

  before(async () => {
    index = await startIndexServer({ projects: ecosystem.projects });
    dir = mkdtempSync(join(tmpdir(), 'ftready-serve-'));
    const top = join(dir, 'top.json');
    writeFileSync(top, JSON.stringify(ecosystem.topList));
    const r = await ftreadyAsync(['sync', '--top', String(PROJECTS), '--top-list', top, '--index-url', index.simpleUrl, '--data-dir', join(dir, 'data'), '--python', TARGETS, '--no-nightly', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    served = await serve({ dataDir: join(dir, 'data') }, index);
  });
  after(async () => {
    await served?.close();
    await index.close();
  });

  test('every page renders, and every link on every page leads somewhere', async () => {
    const base = served.server.url;
    const seen = new Set<string>(['/']);
    const queue = ['/'];
    const failures: string[] = [];
    let pages = 0;
    while (queue.length > 0) {
      const batch = queue.splice(0, 16);
      await Promise.all(
        batch.map(async (path) => {
          const res = await fetch(base + path, { redirect: 'follow' });
          const body = await res.text();
          pages++;
          if (res.status !== 200) failures.push(`${path}: HTTP ${res.status}`);
          const type = res.headers.get('content-type') ?? '';
          if (!type.startsWith('text/html')) return;
          if (!/<main id="main"/.test(body)) failures.push(`${path}: no <main>`);
          for (const link of linksOf(body)) {
            const target = link.split('#')[0]!;
            if (target === '' || seen.has(target)) continue;
            seen.add(target);
            queue.push(target);
          }
        }),
      );
    }
    assert.deepEqual(failures, []);
    // Every tracked package has a page reachable from the site.
    const packagePages = [...seen].filter((p) => /^\/packages\/[^/?]+$/.test(p));
    assert.equal(packagePages.length, PROJECTS, `${pages} pages crawled`);
  });

  test('the overview shows the wheel and trend charts as SVG', async () => {
    const body = await (await fetch(`${served.server.url}/`)).text();
    assert.ok((body.match(/<svg/g) ?? []).length >= 4, 'three wheels and a trend chart');
    assert.ok((body.match(/<a [^>]*href="\/packages\//g) ?? []).length >= PROJECTS, 'each wheel segment links to its package');
  });

  test('package metadata with <script> and javascript: links renders inert', async () => {
    const hostile = ecosystem.projects.filter((p) => p.files.some((f) => typeof f.metadata === 'string' && (f.metadata.includes('<script>') || f.metadata.includes('javascript:'))));
    assert.ok(hostile.length >= 2);
    for (const p of hostile) {
      const name = p.name.replace(/[-_.]+/g, '-').toLowerCase();
      for (const path of [`/packages/${name}`, `/packages?q=${encodeURIComponent(name)}`, '/feed.atom', `/badge/${name}.svg`]) {
        const body = await (await fetch(served.server.url + path)).text();
        assert.doesNotMatch(body, /<script>alert/i, path);
        assert.doesNotMatch(body, /<img src=x/i, path);
        assert.doesNotMatch(body, /href="\s*javascript:/i, path);
        assert.doesNotMatch(body, /href="\s*data:/i, path);
      }
      const page = await (await fetch(`${served.server.url}/packages/${name}`)).text();
      if (p.files.some((f) => typeof f.metadata === 'string' && f.metadata.includes(hostileText.script))) assert.match(page, /&lt;script&gt;/);
    }
  });

  test('security and caching headers: CSP, ETag and 304', async () => {
    const res = await fetch(`${served.server.url}/packages`);
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.doesNotMatch(res.headers.get('content-security-policy') ?? '', /unsafe-inline/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const etag = res.headers.get('etag');
    assert.ok(etag);
    const again = await fetch(`${served.server.url}/packages`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    // Large pages are sent gzipped to clients that accept it, with their own ETag.
    const overview = await fetch(`${served.server.url}/`, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(overview.headers.get('content-encoding'), 'gzip');
    assert.equal(overview.headers.get('vary'), 'Accept-Encoding');
    assert.match(overview.headers.get('etag') ?? '', /-gz"$/);
    assert.match(await overview.text(), /<main id="main"/);
    const badge = await fetch(`${served.server.url}/badge/${ecosystem.topList.rows[0]!.project}.svg?python=3.14t`);
    assert.equal(badge.headers.get('content-type'), 'image/svg+xml; charset=utf-8');
    assert.match(badge.headers.get('cache-control') ?? '', /max-age=\d+/);
    assert.match(await badge.text(), /^<svg[^>]+role="img"/);
  });

  test('JSON API: summary, filters, detail, OpenAPI, and errors', async () => {
    const base = `${served.server.url}/api/v1`;
    const summary = (await (await fetch(`${base}/summary`)).json()) as { projectCount: number; shares: Array<{ target: string; total: number; counts: Record<string, number> }> };
    assert.equal(summary.projectCount, PROJECTS);
    assert.deepEqual(summary.shares.map((s) => s.target), ['3.13t', '3.14t', '3.15t']);
    const ready = (await (await fetch(`${base}/packages?status=ready&target=3.14t&per_page=5`)).json()) as { total: number; rows: Array<{ project: string; targets: Record<string, { readiness: string }> }> };
    assert.equal(ready.total, summary.shares[1]!.counts.ready);
    for (const row of ready.rows) assert.equal(row.targets['3.14t']!.readiness, 'ready');
    const searched = (await (await fetch(`${base}/packages?q=${encodeURIComponent(ecosystem.topList.rows[5]!.project)}`)).json()) as { rows: Array<{ project: string }> };
    assert.ok(searched.rows.some((r) => r.project === ecosystem.topList.rows[5]!.project));
    const detail = await fetch(`${base}/packages/${ecosystem.topList.rows[0]!.project}`);
    assert.equal(detail.status, 200);
    assert.ok(((await detail.json()) as { matrix: Record<string, unknown> }).matrix['3.14t']);
    const openapi = (await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    assert.equal(openapi.openapi, '3.1.0');
    assert.ok(openapi.paths['/packages/{name}']);
    for (const [path, status] of [
      ['/packages?status=maybe', 400],
      ['/packages?per_page=100000', 400],
      ['/packages/no-such-package', 404],
      ['/nothing', 404],
    ] as const) {
      const res = await fetch(base + path);
      assert.equal(res.status, status, path);
      assert.match(((await res.json()) as { error: string }).error, /\w/);
    }
    assert.equal((await fetch(`${base}/summary`, { method: 'DELETE' })).status, 405);
  });

  test('check endpoint: a lockfile upload gives the CLI report; includes and index URLs of uploads are not followed', async () => {
    const lock = [
      'version = 1',
      'requires-python = ">=3.13"',
      '[[package]]',
      'name = "abionly"',
      'version = "1.0"',
      'source = { registry = "https://pypi.org/simple" }',
      'wheels = [{ url = "https://files.example/abionly-1.0-cp39-abi3-manylinux_2_17_x86_64.whl", hash = "sha256:00" }]',
      '',
    ].join('\n');
    const res = await fetch(`${served.server.url}/api/v1/check?filename=uv.lock`, { method: 'POST', body: lock });
    assert.equal(res.status, 200, await res.clone().text());
    const report = (await res.json()) as { packages: Array<{ name: string; results: Record<string, Record<string, { status: string }>> }> };
    assert.equal(report.packages[0]!.results['3.14t']!['linux-x86_64']!.status, 'abi3-only');

    const before = index.requests.length;
    const requirements = '-r /etc/passwd\n--index-url http://169.254.169.254/simple/\nno-such-pkg==1.0\n';
    const req = await fetch(`${served.server.url}/api/v1/check?filename=requirements.txt`, { method: 'POST', body: requirements });
    assert.equal(req.status, 200);
    const notes = ((await req.json()) as { notes: string[] }).notes.join('\n');
    assert.match(notes, /-r \/etc\/passwd not followed/);
    assert.match(notes, /index URLs it names were ignored/);
    assert.ok(index.requests.slice(before).some((r) => r.path.startsWith('/simple/no-such-pkg/')), "the tracker's own index was asked");

    const tooBig = await fetch(`${served.server.url}/api/v1/check?filename=uv.lock`, { method: 'POST', body: 'x'.repeat(300 * 1024) });
    assert.equal(tooBig.status, 413);
    const garbled = await fetch(`${served.server.url}/api/v1/check?filename=uv.lock`, { method: 'POST', body: 'version = [' });
    assert.equal(garbled.status, 400);
    assert.match(((await garbled.json()) as { error: string }).error, /uv\.lock/);
    const unknownName = await fetch(`${served.server.url}/api/v1/check?filename=setup.py`, { method: 'POST', body: 'x' });
    assert.equal(unknownName.status, 400);
  });

  test('the check endpoint is rate-limited per client', async () => {
    const strict = await serve({ dataDir: join(dir, 'data') }, index, { checkPerMinute: 2 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${strict.server.url}/api/v1/check?filename=uv.lock`, { method: 'POST', body: 'version = 1\n' })).status);
      assert.ok(statuses.includes(429), statuses.join(','));
      const limited = await fetch(`${strict.server.url}/api/v1/check?filename=uv.lock`, { method: 'POST', body: 'version = 1\n' });
      assert.equal(limited.status, 429);
      assert.match(limited.headers.get('retry-after') ?? '', /^\d+$/);
    } finally {
      await strict.close();
    }
  });
});

describe('the same sync on SQLite and PostgreSQL', () => {
  let index: IndexServer;
  let database: TestDatabase;
  const ecosystem = generateEcosystem(150, 3);
  before(async () => {
    index = await startIndexServer({ projects: ecosystem.projects });
    database = await freshDatabase();
  });
  after(async () => {
    await index.close();
    await database.drop();
  });

  test('gives identical API output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftready-engines-'));
    const top = join(dir, 'top.json');
    writeFileSync(top, JSON.stringify(ecosystem.topList));
    const args = ['sync', '--top', '150', '--top-list', top, '--index-url', index.simpleUrl, '--python', TARGETS, '--no-nightly', '--quiet'];
    const [sqlite, pg] = await Promise.all([ftreadyAsync([...args, '--data-dir', join(dir, 'data')]), ftreadyAsync([...args, '--database', database.url])]);
    assert.equal(sqlite.code, 0, sqlite.stderr);
    assert.equal(pg.code, 0, pg.stderr);
    const a = await serve({ dataDir: join(dir, 'data') }, index);
    const b = await serve({ dataDir: join(dir, 'unused'), url: database.url }, index);
    try {
      // Sync times differ between the two runs; everything else must match.
      const strip = (text: string) => text.replace(/"(updatedAt|syncedAt)":"[^"]*"/g, '"$1":"…"');
      const paths = [
        '/api/v1/summary',
        '/api/v1/packages?per_page=200',
        '/api/v1/packages?sort=name&status=ready&target=3.14t',
        '/api/v1/packages?sort=ready-date&platform=windows-amd64&target=3.13t',
        '/api/v1/packages?q=eco&classifier=none',
        '/api/v1/packages?nightly=no&sort=name&page=2&per_page=20',
        ...ecosystem.topList.rows.map((r) => `/api/v1/packages/${r.project}`),
      ];
      for (const path of paths) {
        const [x, y] = await Promise.all([fetch(a.server.url + path).then((r) => r.text()), fetch(b.server.url + path).then((r) => r.text())]);
        assert.equal(strip(y), strip(x), path);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});
