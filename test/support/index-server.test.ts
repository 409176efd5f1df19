import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { after, afterEach, before, describe, test } from 'node:test';
import {
  coreMetadata,
  historyFixtures,
  hostileSummary,
  hostileYankReason,
  normalizeName,
  project,
  release,
  versionFromFilename,
  type FixtureProject,
} from './fixtures.js';
import { startIndexServer, type IndexServer, type IndexServerOptions } from './index-server.js';

const JSON_V1 = 'application/vnd.pypi.simple.v1+json';
const HTML_V1 = 'application/vnd.pypi.simple.v1+html';

// ---------------------------------------------------------------- helpers

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The media type of a Content-Type header, without parameters. */
function mediaType(res: Response): string | undefined {
  return res.headers.get('content-type')?.split(';')[0]?.trim();
}

function get(server: IndexServer, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(server.url + path, { headers, redirect: 'manual' });
}

interface Meta {
  'api-version': string;
  '_last-serial': number;
}
interface SimpleIndex {
  meta: Meta;
  projects: Array<{ name: string; '_last-serial': number }>;
}
interface SimpleFile {
  filename: string;
  url: string;
  hashes: { sha256: string };
  'requires-python': string | null;
  'core-metadata': { sha256: string } | false;
  'dist-info-metadata': { sha256: string } | false;
  yanked: boolean | string;
  size: number;
  'upload-time': string;
}
interface SimpleProject {
  meta: Meta;
  name: string;
  versions: string[];
  files: SimpleFile[];
}
interface JsonApiRelease {
  info: {
    name: string;
    version: string;
    summary: string;
    requires_dist: string[] | null;
    requires_python: string | null;
    classifiers: string[];
    provides_extra: string[] | null;
    yanked: boolean;
    yanked_reason: string | null;
    project_urls: Record<string, string> | null;
  };
  urls: Array<{
    filename: string;
    url: string;
    digests: { sha256: string };
    requires_python: string | null;
    yanked: boolean;
    yanked_reason: string | null;
    size: number;
    upload_time_iso_8601: string;
  }>;
}

async function readJson<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

async function getJson<T = SimpleProject>(server: IndexServer, path: string, accept = JSON_V1): Promise<T> {
  const res = await get(server, path, { accept });
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  return readJson<T>(res);
}

/** The first element, asserting there is one. */
function only<T>(items: T[], what: string): T {
  const item = items[0];
  assert.ok(item !== undefined, what);
  return item;
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  complete: boolean;
}

/** A GET through node:http, which (unlike fetch) sends no Accept header unless told to. */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('error', () => {});
      res.on('close', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts), complete: res.complete }),
      );
    });
    req.on('error', reject);
  });
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function unescapeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return entities[e.toLowerCase()] ?? whole;
  });
}

interface Anchor {
  attrs: Record<string, string>;
  text: string;
}

/** A small parser for the server's anchors: <a k="v" ...>text</a>. */
function anchors(html: string): Anchor[] {
  const out: Anchor[] = [];
  for (const m of html.matchAll(/<a\s([^>]*)>([^<]*)<\/a>/g)) {
    const attrs: Record<string, string> = {};
    for (const a of (m[1] ?? '').matchAll(/([a-z-]+)="([^"]*)"/g)) attrs[a[1] ?? ''] = unescapeHtml(a[2] ?? '');
    out.push({ attrs, text: unescapeHtml(m[2] ?? '') });
  }
  return out;
}

function byName(name: string): FixtureProject {
  const p = historyFixtures().find((x) => normalizeName(x.name) === name);
  assert.ok(p, name);
  return p;
}

const ftWheel = /-cp3\d+-cp3\d+t-/;

/** Starts a server for one test and closes it when the test ends. */
async function scopedServer(t: { after: (fn: () => Promise<void>) => void }, options: IndexServerOptions): Promise<IndexServer> {
  const server = await startIndexServer(options);
  t.after(() => server.close());
  return server;
}

// ---------------------------------------------------------------- fixtures

describe('fixtures', () => {
  test('normalizeName follows PEP 503', () => {
    assert.equal(normalizeName('Zope.Interface'), 'zope-interface');
    assert.equal(normalizeName('A__b-._C'), 'a-b-c');
    assert.equal(normalizeName('numpy'), 'numpy');
  });

  test('versionFromFilename reads wheels and sdists', () => {
    assert.equal(versionFromFilename('numpy-2.3.1-cp314-cp314t-manylinux_2_17_x86_64.whl'), '2.3.1');
    assert.equal(versionFromFilename('pkg-1.0-1build-py3-none-any.whl'), '1.0');
    assert.equal(versionFromFilename('numpy-2.3.1.tar.gz'), '2.3.1');
    assert.equal(versionFromFilename('foo-bar-1.0.zip', 'foo_bar'), '1.0');
    assert.equal(versionFromFilename('README.txt'), undefined);
    assert.equal(versionFromFilename('bad-name.whl'), undefined);
  });

  test('coreMetadata renders one header per line, repeating list headers', () => {
    assert.equal(
      coreMetadata({
        name: 'demo',
        version: '1.0',
        summary: 'A demo',
        classifiers: ['A :: B', 'C :: D'],
        requiresPython: '>=3.9',
        requiresDist: ['x>=1', 'y; extra == "z"'],
        providesExtra: ['z'],
      }),
      [
        'Metadata-Version: 2.4',
        'Name: demo',
        'Version: 1.0',
        'Summary: A demo',
        'Classifier: A :: B',
        'Classifier: C :: D',
        'Requires-Python: >=3.9',
        'Requires-Dist: x>=1',
        'Requires-Dist: y; extra == "z"',
        'Provides-Extra: z',
        '',
      ].join('\n'),
    );
    assert.equal(coreMetadata({ name: 'a', version: '1' }), 'Metadata-Version: 2.4\nName: a\nVersion: 1\n');
  });

  test('release expands specs into PEP 427 file names with shared metadata on wheels', () => {
    const files = release('Zope.Interface', '7.0', ['cp313-cp313t-win_amd64', 'py3-none-any', 'sdist'], {
      requiresPython: '>=3.9',
      yanked: 'bad',
      uploadTime: '2024-01-01T00:00:00Z',
    });
    assert.deepEqual(
      files.map((f) => f.filename),
      ['Zope_Interface-7.0-cp313-cp313t-win_amd64.whl', 'Zope_Interface-7.0-py3-none-any.whl', 'Zope_Interface-7.0.tar.gz'],
    );
    assert.ok(files.every((f) => f.requiresPython === '>=3.9' && f.yanked === 'bad' && f.uploadTime === '2024-01-01T00:00:00Z'));
    assert.equal(typeof files[0]?.metadata, 'string');
    assert.equal(files[0]?.metadata, files[1]?.metadata);
    assert.match(String(files[0]?.metadata), /^Name: Zope\.Interface$/m);
    assert.match(String(files[0]?.metadata), /^Requires-Python: >=3\.9$/m);
    assert.equal(files[2]?.metadata, undefined);
    assert.ok(release('x', '1', ['py3-none-any'], { metadata: false }).every((f) => f.metadata === undefined));
    assert.throws(() => release('x', '1', ['manylinux']), /bad wheel tag/);
  });

  test('project concatenates releases', () => {
    const p = project('x', release('x', '1', ['sdist']), release('x', '2', ['sdist']));
    assert.deepEqual(p, { name: 'x', files: [{ filename: 'x-1.tar.gz' }, { filename: 'x-2.tar.gz' }] });
  });

  test('historyFixtures is deterministic and every file name has a version', () => {
    assert.deepEqual(historyFixtures(), historyFixtures());
    for (const p of historyFixtures()) {
      for (const f of p.files) assert.ok(versionFromFilename(f.filename, p.name), f.filename);
    }
  });

  /** Versions with at least one free-threaded wheel, in fixture order. */
  const ftVersions = (p: FixtureProject): string[] => [
    ...new Set(p.files.filter((f) => ftWheel.test(f.filename)).map((f) => versionFromFilename(f.filename, p.name) ?? '')),
  ];
  const allVersions = (p: FixtureProject): string[] => [
    ...new Set(p.files.map((f) => versionFromFilename(f.filename, p.name) ?? '')),
  ];

  test('late-ft: cp313t wheels first appear in a later release', () => {
    const p = byName('late-ft');
    const first = ftVersions(p)[0];
    assert.ok(first !== undefined && first !== allVersions(p)[0]);
    assert.ok(p.files.some((f) => f.filename.includes(`-${first}-cp313-cp313t-`)));
  });

  test('dropped-ft: free-threaded wheels in 1.1 and 1.2, only abi3 wheels in 1.3', () => {
    const p = byName('dropped-ft');
    assert.deepEqual(ftVersions(p), ['1.1', '1.2']);
    for (const v of ['1.1', '1.2']) {
      for (const abi of ['cp313t', 'cp314t']) assert.ok(p.files.some((f) => f.filename.includes(`-${v}-`) && f.filename.includes(`-${abi}-`)));
    }
    const wheels13 = p.files.filter((f) => f.filename.startsWith('dropped_ft-1.3-') && f.filename.endsWith('.whl'));
    assert.ok(wheels13.length > 0 && wheels13.every((f) => f.filename.includes('-abi3-')));
  });

  test('pure, abi3only and sdistonly have the expected kinds of files', () => {
    const pureWheels = byName('pure').files.filter((f) => f.filename.endsWith('.whl'));
    assert.ok(pureWheels.length > 0 && pureWheels.every((f) => f.filename.endsWith('-py3-none-any.whl')));
    const abi3 = byName('abi3only').files.filter((f) => f.filename.endsWith('.whl'));
    assert.ok(abi3.every((f) => f.filename.includes('-cp39-abi3-')));
    for (const platform of ['manylinux', 'macosx', 'win']) assert.ok(abi3.some((f) => f.filename.includes(platform)), platform);
    const sdists = byName('sdistonly').files;
    assert.ok(sdists.length > 1 && sdists.every((f) => f.filename.endsWith('.tar.gz')));
  });

  test('yanked-ready: the only free-threaded release is yanked', () => {
    const p = byName('yanked-ready');
    assert.equal(ftVersions(p).length, 1);
    const ft = p.files.filter((f) => ftWheel.test(f.filename));
    assert.ok(ft.every((f) => typeof f.yanked === 'string' && f.yanked.length > 0));
    assert.ok(p.files.some((f) => !f.yanked));
  });

  test('prerelease-ft: only a pre-release has cp314t wheels', () => {
    const p = byName('prerelease-ft');
    const with314t = [...new Set(p.files.filter((f) => f.filename.includes('-cp314t-')).map((f) => versionFromFilename(f.filename)))];
    assert.deepEqual(with314t, ['2.0.0rc1']);
  });

  test('a project name needs normalisation and the hostile project is hostile', () => {
    assert.ok(historyFixtures().some((p) => normalizeName(p.name) !== p.name));
    const hostile = byName('hostile');
    const md = hostile.files.find((f) => typeof f.metadata === 'string')?.metadata;
    assert.ok(typeof md === 'string' && md.includes('<script>alert(1)</script>') && md.includes('javascript:'));
    assert.ok(hostileSummary.includes('<script>alert(1)</script>'));
  });
});

// ---------------------------------------------------------------- server

describe('index server', () => {
  let server: IndexServer;
  before(async () => {
    server = await startIndexServer({ projects: historyFixtures(), lastSerial: 7 });
  });
  after(() => server.close());
  afterEach(() => server.clearFaults());

  describe('routes and negotiation', () => {
    test('the project list in JSON and HTML', async () => {
      const json = await getJson<SimpleIndex>(server, '/simple/');
      assert.deepEqual(json.meta, { 'api-version': '1.1', '_last-serial': 7 });
      assert.deepEqual(
        json.projects.map((p) => p.name),
        historyFixtures().map((p) => p.name),
      );
      const res = await get(server, '/simple/', { accept: 'text/html' });
      assert.equal(mediaType(res), 'text/html');
      const html = await res.text();
      assert.match(html, /<meta name="pypi:repository-version" content="1\.1">/);
      const links = anchors(html);
      assert.ok(links.some((a) => a.attrs.href === '/simple/zope-interface/' && a.text === 'Zope.Interface'));
      assert.equal(links.length, historyFixtures().length);
    });

    const cases: Array<[accept: string, expected: string]> = [
      [JSON_V1, JSON_V1],
      ['application/vnd.pypi.simple.latest+json', JSON_V1],
      [HTML_V1, HTML_V1],
      ['text/html', 'text/html'],
      ['*/*', 'text/html'],
      [`${JSON_V1};q=0.2, text/html;q=0.8`, 'text/html'],
      [`${JSON_V1};q=0.8, text/html;q=0.2`, JSON_V1],
      [`${JSON_V1}, ${HTML_V1};q=0.1, text/html;q=0.01`, JSON_V1],
      [`text/html;q=0.5, ${HTML_V1};q=0.9`, HTML_V1],
      [`*/*;q=0.1, ${JSON_V1}`, JSON_V1],
      // Equal q and specificity: the range listed first wins.
      [`${JSON_V1}, text/html`, JSON_V1],
      [`text/html, ${JSON_V1}`, 'text/html'],
      [`*/*, ${JSON_V1}`, JSON_V1],
      [`*/*, text/html;q=0`, HTML_V1],
      [`application/*;q=0.3, text/*;q=0.2`, HTML_V1],
    ];
    for (const [accept, expected] of cases) {
      test(`Accept: ${accept} gives ${expected}`, async () => {
        const res = await get(server, '/simple/pure/', { accept });
        assert.equal(res.status, 200);
        assert.equal(mediaType(res), expected);
        assert.equal(res.headers.get('vary'), 'Accept');
        const body = await res.text();
        if (expected === JSON_V1) assert.equal((JSON.parse(body) as SimpleProject).name, 'pure');
        else assert.match(body, /^<!DOCTYPE html>/);
      });
    }

    test('no Accept header gives HTML', async () => {
      const res = await rawGet(`${server.url}/simple/pure/`);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type']?.split(';')[0], 'text/html');
      assert.equal(server.requests.at(-1)?.accept, undefined);
    });

    test('nothing acceptable gives 406', async () => {
      for (const accept of ['image/png', `${JSON_V1};q=0, text/html;q=0, ${HTML_V1};q=0`]) {
        const res = await get(server, '/simple/pure/', { accept });
        assert.equal(res.status, 406, accept);
        assert.equal(res.headers.get('vary'), 'Accept');
      }
    });

    test('an HTML-only index refuses JSON-only clients and serves the rest', async (t) => {
      const old = await scopedServer(t, { projects: historyFixtures(), formats: ['html'] });
      assert.equal((await get(old, '/simple/pure/', { accept: JSON_V1 })).status, 406);
      assert.equal((await get(old, '/simple/', { accept: JSON_V1 })).status, 406);
      const res = await get(old, '/simple/pure/', { accept: `${JSON_V1}, ${HTML_V1};q=0.1` });
      assert.equal(res.status, 200);
      assert.equal(mediaType(res), HTML_V1);
      assert.equal(mediaType(await get(old, '/simple/pure/', { accept: '*/*' })), 'text/html');
    });

    test('a JSON-only index refuses HTML-only clients and serves JSON to */*', async (t) => {
      const json = await scopedServer(t, { projects: historyFixtures(), formats: ['json'] });
      assert.equal((await get(json, '/simple/pure/', { accept: 'text/html' })).status, 406);
      assert.equal(mediaType(await get(json, '/simple/pure/', { accept: '*/*' })), JSON_V1);
      const raw = await rawGet(`${json.url}/simple/pure/`);
      assert.equal(raw.headers['content-type'], JSON_V1);
    });

    test('unnormalised names redirect with 301 to the normalised URL', async () => {
      for (const path of ['/simple/Zope.Interface/', '/simple/ZOPE__interface/', '/simple/zope-interface', '/simple/Zope.Interface']) {
        const res = await get(server, path, { accept: JSON_V1 });
        assert.equal(res.status, 301, path);
        assert.equal(res.headers.get('location'), `${server.url}/simple/zope-interface/`);
      }
      const followed = await fetch(`${server.url}/simple/Zope.Interface/`, { headers: { accept: JSON_V1 } });
      assert.equal(followed.status, 200);
      assert.equal(followed.url, `${server.url}/simple/zope-interface/`);
      assert.equal((await readJson<SimpleProject>(followed)).name, 'zope-interface');
      assert.equal((await get(server, '/simple')).status, 301);
    });

    test('unknown projects and paths give 404', async () => {
      assert.equal((await get(server, '/simple/no-such-project/', { accept: JSON_V1 })).status, 404);
      assert.equal((await get(server, '/simple/No.Such/', { accept: JSON_V1 })).status, 301);
      assert.equal((await get(server, '/files/nope.whl')).status, 404);
      assert.equal((await get(server, '/elsewhere')).status, 404);
    });

    test('every response carries X-PyPI-Last-Serial', async () => {
      for (const path of ['/simple/', '/simple/pure/', '/simple/Pure/', '/simple/nope/', '/files/pure-1.0.tar.gz', '/nope']) {
        assert.equal((await get(server, path)).headers.get('x-pypi-last-serial'), '7', path);
      }
    });
  });

  describe('project pages', () => {
    test('JSON v1.1 project page', async () => {
      const page = await getJson(server, '/simple/late-ft/');
      assert.deepEqual(page.meta, { 'api-version': '1.1', '_last-serial': 7 });
      assert.equal(page.name, 'late-ft');
      assert.deepEqual(page.versions, ['1.0', '1.1', '1.2', '1.3']);
      assert.equal(page.files.length, byName('late-ft').files.length);
      for (const f of page.files) {
        assert.equal(f.url, `${server.url}/files/${f.filename}`);
        assert.match(f.hashes.sha256, /^[0-9a-f]{64}$/);
        assert.equal(typeof f.size, 'number');
        assert.match(f['upload-time'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
        assert.equal(f.yanked, false);
        assert.deepEqual(f['core-metadata'], f['dist-info-metadata']);
      }
      const times = page.files.map((f) => f['upload-time']);
      assert.deepEqual([...times].sort(), times, 'default upload times follow fixture order');
    });

    test('files download with the announced sha256 and size', async () => {
      const page = await getJson(server, '/simple/pure/');
      for (const f of page.files) {
        const res = await fetch(f.url);
        assert.equal(res.status, 200);
        const bytes = new Uint8Array(await res.arrayBuffer());
        assert.equal(sha256(bytes), f.hashes.sha256, f.filename);
        assert.equal(bytes.length, f.size);
      }
    });

    test('requires-python is announced in JSON and HTML', async () => {
      const page = await getJson(server, '/simple/late-ft/');
      const f10 = page.files.find((f) => f.filename === 'late_ft-1.0.tar.gz');
      assert.equal(f10?.['requires-python'], '>=3.9');
      const dropped = await getJson(server, '/simple/dropped-ft/');
      assert.ok(dropped.files.every((f) => f['requires-python'] === null));

      const html = await (await get(server, '/simple/late-ft/', { accept: 'text/html' })).text();
      const a = anchors(html).find((x) => x.text === 'late_ft-1.2.tar.gz');
      assert.equal(a?.attrs['data-requires-python'], '>=3.10');
      assert.match(html, /data-requires-python="&gt;=3\.10"/);
      const droppedHtml = await (await get(server, '/simple/dropped-ft/', { accept: 'text/html' })).text();
      assert.ok(!droppedHtml.includes('data-requires-python'));
    });

    test('yanked files are announced with their reason', async () => {
      const reason = 'segfaults on free-threaded builds';
      const page = await getJson(server, '/simple/yanked-ready/');
      for (const f of page.files) assert.equal(f.yanked, f.filename.includes('-1.1') ? reason : false, f.filename);

      const links = anchors(await (await get(server, '/simple/yanked-ready/', { accept: HTML_V1 })).text());
      assert.equal(links.length, page.files.length);
      for (const a of links) {
        if (a.text.includes('-1.1')) assert.equal(a.attrs['data-yanked'], reason, a.text);
        else assert.ok(!('data-yanked' in a.attrs), a.text);
      }
    });

    test('metadata is announced with the sha256 of the served .metadata file', async () => {
      const page = await getJson(server, '/simple/pure/');
      const html = anchors(await (await get(server, '/simple/pure/', { accept: 'text/html' })).text());
      for (const f of page.files) {
        const meta = await fetch(`${f.url}.metadata`);
        const a = html.find((x) => x.text === f.filename);
        assert.ok(a, f.filename);
        if (f.filename.endsWith('.whl')) {
          assert.equal(meta.status, 200);
          const text = await meta.text();
          assert.match(text, /^Metadata-Version: 2\.4\nName: pure\n/);
          assert.deepEqual(f['core-metadata'], { sha256: sha256(text) });
          assert.deepEqual(f['dist-info-metadata'], { sha256: sha256(text) });
          assert.equal(a.attrs['data-core-metadata'], `sha256=${sha256(text)}`);
          assert.equal(a.attrs['data-dist-info-metadata'], `sha256=${sha256(text)}`);
        } else {
          assert.equal(meta.status, 404);
          assert.equal(f['core-metadata'], false);
          assert.equal(f['dist-info-metadata'], false);
          assert.ok(!('data-core-metadata' in a.attrs) && !('data-dist-info-metadata' in a.attrs));
        }
      }
    });

    test('HTML anchors carry the URL with a #sha256 fragment', async () => {
      const page = await getJson(server, '/simple/abi3only/');
      const links = anchors(await (await get(server, '/simple/abi3only/', { accept: 'text/html' })).text());
      assert.deepEqual(
        links.map((a) => a.attrs.href),
        page.files.map((f) => `${f.url}#sha256=${f.hashes.sha256}`),
      );
    });

    test('metadataFiles: false announces and serves no metadata', async (t) => {
      const plain = await scopedServer(t, { projects: historyFixtures(), metadataFiles: false });
      const page = await getJson(plain, '/simple/pure/');
      assert.ok(page.files.every((f) => f['core-metadata'] === false && f['dist-info-metadata'] === false));
      const html = await (await get(plain, '/simple/pure/', { accept: 'text/html' })).text();
      assert.ok(!html.includes('data-core-metadata') && !html.includes('data-dist-info-metadata'));
      const wheel = only(page.files.filter((f) => f.filename.endsWith('.whl')), 'a wheel');
      assert.equal((await fetch(`${wheel.url}.metadata`)).status, 404);
      assert.equal((await fetch(wheel.url)).status, 200);
    });

    test('explicit file fields, yanked: true and explicit versions are served as given', async (t) => {
      const custom = await scopedServer(t, {
        projects: [
          {
            name: 'Custom_Pkg',
            versions: ['0.5', '1.0'],
            files: [
              {
                filename: 'custom_pkg-1.0-py3-none-any.whl',
                sha256: 'a'.repeat(64),
                size: 12345,
                uploadTime: '2023-06-01T12:00:00.000000Z',
                yanked: true,
                metadata: false,
              },
            ],
          },
        ],
      });
      const page = await getJson(custom, '/simple/custom-pkg/');
      assert.deepEqual(page.versions, ['0.5', '1.0']);
      const f = only(page.files, 'one file');
      assert.equal(f.hashes.sha256, 'a'.repeat(64));
      assert.equal(f.size, 12345);
      assert.equal(f['upload-time'], '2023-06-01T12:00:00.000000Z');
      assert.equal(f.yanked, true);
      assert.equal(f['core-metadata'], false);
      const [a] = anchors(await (await get(custom, '/simple/custom-pkg/', { accept: 'text/html' })).text());
      assert.equal(a?.attrs['data-yanked'], '');
    });
  });

  describe('HTML escaping', () => {
    test('hostile values are escaped in HTML and round-trip through a parser', async () => {
      const res = await get(server, '/simple/hostile/', { accept: 'text/html' });
      const html = await res.text();
      assert.ok(!/<script/i.test(html), 'no raw <script in the page');
      assert.ok(!html.includes('"><'), 'no attribute break-out');
      assert.match(html, /data-requires-python="&gt;=3\.9,&lt;4"/);
      const links = anchors(html);
      assert.equal(links.length, byName('hostile').files.length);
      const yanked = links.filter((a) => 'data-yanked' in a.attrs);
      assert.ok(yanked.length > 0);
      for (const a of yanked) assert.equal(a.attrs['data-yanked'], hostileYankReason);
      for (const a of links) assert.equal(a.attrs['data-requires-python'], '>=3.9,<4');
    });

    test('hostile metadata is served verbatim for clients to escape', async () => {
      const page = await getJson(server, '/simple/hostile/');
      const wheel = only(page.files.filter((f) => f.filename.endsWith('.whl')), 'a wheel');
      const text = await (await fetch(`${wheel.url}.metadata`)).text();
      assert.ok(text.includes(`Summary: ${hostileSummary}\n`));
      const api = await getJson<JsonApiRelease>(server, '/pypi/hostile/0.1/json', 'application/json');
      assert.equal(api.info.summary, hostileSummary);
      assert.equal(api.info.project_urls?.Homepage, 'javascript:alert(document.cookie)');
    });
  });

  describe('caching', () => {
    test('every 200 carries a strong ETag and Last-Modified', async () => {
      for (const [path, accept] of [
        ['/simple/', JSON_V1],
        ['/simple/', 'text/html'],
        ['/simple/pure/', JSON_V1],
        ['/simple/pure/', HTML_V1],
        ['/files/pure-1.0-py3-none-any.whl', '*/*'],
        ['/files/pure-1.0-py3-none-any.whl.metadata', '*/*'],
        ['/pypi/pure/1.0/json', '*/*'],
      ] as const) {
        const res = await get(server, path, { accept });
        assert.equal(res.status, 200, path);
        assert.match(res.headers.get('etag') ?? '', /^"[^"]+"$/, path);
        assert.ok(Number.isFinite(Date.parse(res.headers.get('last-modified') ?? '')), path);
      }
    });

    test('If-None-Match and If-Modified-Since give 304 with no body, and are logged', async () => {
      const first = await get(server, '/simple/pure/', { accept: JSON_V1 });
      const etag = first.headers.get('etag') ?? '';
      const lastModified = first.headers.get('last-modified') ?? '';
      await first.arrayBuffer();

      const revalidated = await get(server, '/simple/pure/', { accept: JSON_V1, 'if-none-match': etag });
      assert.equal(revalidated.status, 304);
      assert.equal(revalidated.headers.get('etag'), etag);
      assert.equal(revalidated.headers.get('x-pypi-last-serial'), '7');
      assert.equal((await revalidated.arrayBuffer()).byteLength, 0);
      const { startedAt, endedAt, ...logged } = server.requests.at(-1)!;
      assert.ok(startedAt <= endedAt);
      assert.deepEqual(logged, {
        method: 'GET',
        path: '/simple/pure/',
        accept: JSON_V1,
        ifNoneMatch: etag,
        ifModifiedSince: undefined,
        status: 304,
      });

      assert.equal((await get(server, '/simple/pure/', { accept: JSON_V1, 'if-none-match': `"x", W/${etag}` })).status, 304);
      assert.equal((await get(server, '/simple/pure/', { accept: JSON_V1, 'if-none-match': '"stale"' })).status, 200);
      // The HTML representation has its own ETag.
      assert.equal((await get(server, '/simple/pure/', { accept: 'text/html', 'if-none-match': etag })).status, 200);

      const ims = await get(server, '/simple/pure/', { accept: JSON_V1, 'if-modified-since': lastModified });
      assert.equal(ims.status, 304);
      assert.equal(server.requests.at(-1)?.ifModifiedSince, lastModified);
      const earlier = new Date(Date.parse(lastModified) - 3_600_000).toUTCString();
      assert.equal((await get(server, '/simple/pure/', { accept: JSON_V1, 'if-modified-since': earlier })).status, 200);
      // If-None-Match wins over If-Modified-Since.
      const both = await get(server, '/simple/pure/', { accept: JSON_V1, 'if-none-match': '"stale"', 'if-modified-since': lastModified });
      assert.equal(both.status, 200);
    });

    test('setProjects changes the ETag, Last-Modified and serial of changed pages', async (t) => {
      const pure = byName('pure');
      const live = await scopedServer(t, { projects: [pure] });
      const before = await get(live, '/simple/pure/', { accept: JSON_V1 });
      const etag = before.headers.get('etag') ?? '';
      const lastModified = before.headers.get('last-modified') ?? '';
      await before.arrayBuffer();
      assert.equal((await get(live, '/simple/pure/', { accept: JSON_V1, 'if-none-match': etag })).status, 304);

      live.setProjects([{ ...pure, files: [...pure.files, ...release('pure', '1.1', ['py3-none-any'])] }]);
      const changed = await get(live, '/simple/pure/', { accept: JSON_V1, 'if-none-match': etag });
      assert.equal(changed.status, 200);
      assert.notEqual(changed.headers.get('etag'), etag);
      assert.equal(changed.headers.get('x-pypi-last-serial'), '2');
      const body = await readJson<SimpleProject>(changed);
      assert.deepEqual(body.versions, ['0.9', '1.0', '1.1']);
      assert.equal(body.meta['_last-serial'], 2);
      assert.ok(Date.parse(changed.headers.get('last-modified') ?? '') > Date.parse(lastModified));
      assert.equal((await get(live, '/simple/pure/', { accept: JSON_V1, 'if-modified-since': lastModified })).status, 200);

      live.setProjects([pure], 42);
      const serial = await get(live, '/simple/', { accept: JSON_V1 });
      assert.equal(serial.headers.get('x-pypi-last-serial'), '42');
      assert.equal((await readJson<SimpleIndex>(serial)).meta['_last-serial'], 42);
      assert.equal((await get(live, '/simple/pure/1.1/')).status, 404);
    });
  });

  describe('per-project serials', () => {
    /** late-ft with one more release, so that it counts as changed. */
    const changedLate = (): FixtureProject => {
      const late = byName('late-ft');
      return { ...late, files: [...late.files, ...release('late-ft', '1.4', ['py3-none-any'])] };
    };

    /** A server at serial 5 with pure and late-ft, then late-ft changed: serial 6. */
    async function bumpedServer(t: { after: (fn: () => Promise<void>) => void }): Promise<IndexServer> {
      const live = await scopedServer(t, { projects: [byName('pure'), byName('late-ft')], lastSerial: 5 });
      live.setProjects([byName('pure'), changedLate()]);
      return live;
    }

    test("a project's pages, JSON API and header carry its own serial; the rest carry the global one", async (t) => {
      const live = await bumpedServer(t);
      for (const [name, serial] of [['pure', 5], ['late-ft', 6]] as const) {
        const json = await get(live, `/simple/${name}/`, { accept: JSON_V1 });
        assert.equal(json.headers.get('x-pypi-last-serial'), String(serial), name);
        assert.equal((await readJson<SimpleProject>(json)).meta['_last-serial'], serial, name);
        const html = await get(live, `/simple/${name}/`, { accept: 'text/html' });
        assert.equal(html.headers.get('x-pypi-last-serial'), String(serial), name);
        await html.arrayBuffer();
        const api = await get(live, `/pypi/${name}/1.0/json`);
        assert.equal(api.headers.get('x-pypi-last-serial'), String(serial), name);
        assert.equal((await readJson<{ last_serial: number }>(api)).last_serial, serial, name);
      }
      for (const path of ['/simple/', '/files/pure-1.0.tar.gz', '/simple/nope/']) {
        assert.equal((await get(live, path)).headers.get('x-pypi-last-serial'), '6', path);
      }
    });

    test('the JSON root page lists every project with its serial; removed projects disappear', async (t) => {
      const live = await bumpedServer(t);
      const root = await getJson<SimpleIndex>(live, '/simple/');
      assert.equal(root.meta['_last-serial'], 6);
      assert.deepEqual(root.projects, [
        { name: 'pure', '_last-serial': 5 },
        { name: 'late-ft', '_last-serial': 6 },
      ]);

      live.setProjects([changedLate(), byName('abi3only')], 9);
      const after = await getJson<SimpleIndex>(live, '/simple/');
      assert.equal(after.meta['_last-serial'], 9);
      assert.deepEqual(after.projects, [
        { name: 'late-ft', '_last-serial': 6 },
        { name: 'abi3only', '_last-serial': 9 },
      ]);
      assert.equal((await get(live, '/simple/pure/', { accept: JSON_V1 })).status, 404);
      const html = await (await get(live, '/simple/', { accept: 'text/html' })).text();
      assert.deepEqual(
        anchors(html).map((a) => a.text),
        ['late-ft', 'abi3only'],
      );
    });

    test('setProjects keeps unchanged pages byte-identical (304) and re-renders changed ones with a higher serial', async (t) => {
      const pure = byName('pure');
      const live = await scopedServer(t, { projects: [pure, byName('late-ft')], lastSerial: 5 });
      const before = new Map<string, { etag: string; body: string }>();
      for (const path of ['/simple/pure/', '/simple/late-ft/', '/simple/']) {
        for (const accept of [JSON_V1, 'text/html']) {
          const res = await get(live, path, { accept });
          before.set(`${path} ${accept}`, { etag: res.headers.get('etag') ?? '', body: await res.text() });
        }
      }

      // Equal content in new objects, with keys in another order, is unchanged.
      live.setProjects([{ files: structuredClone(pure.files), name: pure.name }, changedLate()]);
      const revalidate = async (path: string, accept: string): Promise<Response> => {
        const old = before.get(`${path} ${accept}`);
        assert.ok(old);
        const res = await get(live, path, { accept, 'if-none-match': old.etag });
        await res.arrayBuffer();
        return res;
      };
      for (const accept of [JSON_V1, 'text/html']) {
        const unchanged = await revalidate('/simple/pure/', accept);
        assert.equal(unchanged.status, 304, accept);
        assert.equal(unchanged.headers.get('x-pypi-last-serial'), '5', accept);
        assert.equal(await (await get(live, '/simple/pure/', { accept })).text(), before.get(`/simple/pure/ ${accept}`)?.body, accept);

        const changed = await revalidate('/simple/late-ft/', accept);
        assert.equal(changed.status, 200, accept);
        assert.equal(changed.headers.get('x-pypi-last-serial'), '6', accept);
      }
      // The JSON root page names the global serial; the HTML one lists the same names as before.
      assert.equal((await revalidate('/simple/', JSON_V1)).status, 200);
      assert.equal((await revalidate('/simple/', 'text/html')).status, 304);
    });
  });

  describe('JSON API', () => {
    test('a version with metadata', async () => {
      const api = await getJson<JsonApiRelease>(server, '/pypi/pure/1.0/json', 'application/json');
      assert.deepEqual(api.info, {
        name: 'pure',
        version: '1.0',
        summary: '',
        requires_dist: ['typing-extensions>=4; python_version < "3.11"', 'rich; extra == "cli"'],
        requires_python: '>=3.9',
        classifiers: [],
        provides_extra: ['cli'],
        yanked: false,
        yanked_reason: null,
        project_urls: null,
      });
      const simple = await getJson(server, '/simple/pure/');
      const expected = simple.files.filter((f) => f.filename.includes('-1.0'));
      assert.equal(expected.length, 2);
      assert.deepEqual(
        api.urls.map((u) => [u.filename, u.url, u.digests, u.requires_python, u.yanked, u.yanked_reason, u.size, u.upload_time_iso_8601]),
        expected.map((f) => [f.filename, f.url, f.hashes, f['requires-python'], false, null, f.size, f['upload-time']]),
      );
    });

    test('classifiers, yanked releases, sdist-only versions and name normalisation', async () => {
      const late = await getJson<JsonApiRelease>(server, '/pypi/late-ft/1.3/json', 'application/json');
      assert.deepEqual(late.info.classifiers, ['Programming Language :: Python :: Free Threading :: 2 - Beta']);
      assert.equal(late.info.requires_dist, null);
      assert.equal(late.info.provides_extra, null);

      const yanked = await getJson<JsonApiRelease>(server, '/pypi/yanked-ready/1.1/json', 'application/json');
      assert.equal(yanked.info.yanked, true);
      assert.equal(yanked.info.yanked_reason, 'segfaults on free-threaded builds');
      assert.ok(yanked.urls.every((u) => u.yanked));

      const sdist = await getJson<JsonApiRelease>(server, '/pypi/sdistonly/1.0/json', 'application/json');
      assert.equal(sdist.info.name, 'sdistonly');
      assert.equal(sdist.info.requires_python, '>=3.8');
      assert.equal(sdist.info.requires_dist, null);
      assert.equal(sdist.urls.length, 1);

      const zope = await getJson<JsonApiRelease>(server, '/pypi/Zope.Interface/7.0/json', 'application/json');
      assert.equal(zope.info.name, 'Zope.Interface');
      assert.ok(zope.urls.some((u) => u.filename === 'Zope_Interface-7.0-cp313-cp313t-win_amd64.whl'));
    });

    test('unknown projects and versions give 404; jsonApi: false turns it off', async (t) => {
      assert.equal((await get(server, '/pypi/pure/9.9/json')).status, 404);
      assert.equal((await get(server, '/pypi/nope/1.0/json')).status, 404);
      const off = await scopedServer(t, { projects: historyFixtures(), jsonApi: false });
      assert.equal((await get(off, '/pypi/pure/1.0/json')).status, 404);
      assert.equal((await get(off, '/simple/pure/')).status, 200);
    });
  });

  describe('faults', () => {
    test('slow waits before sending headers', async () => {
      server.addFault({ match: '/simple/pure/', fault: { kind: 'slow', delayMs: 300 } });
      const start = performance.now();
      const res = await get(server, '/simple/pure/', { accept: JSON_V1 });
      assert.ok(performance.now() - start >= 280, 'delayed');
      assert.equal(res.status, 200);
      assert.equal((await readJson<SimpleProject>(res)).name, 'pure');
      await assert.rejects(fetch(`${server.url}/simple/pure/`, { signal: AbortSignal.timeout(50) }));
    });

    test('status with Retry-After, used up after `times`', async () => {
      server.addFault({ match: '/simple/pure/', fault: { kind: 'status', status: 429, retryAfter: '1' }, times: 2 });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await get(server, '/simple/pure/', { accept: JSON_V1 });
        statuses.push(res.status);
        if (res.status === 429) assert.equal(res.headers.get('retry-after'), '1');
        else assert.equal(res.headers.get('retry-after'), null);
        await res.arrayBuffer();
      }
      assert.deepEqual(statuses, [429, 429, 200]);
      assert.deepEqual(server.requests.slice(-3).map((r) => r.status), [429, 429, 200]);
    });

    test('rules apply in order, match strings exactly or by RegExp, and clearFaults removes them', async () => {
      server.addFault({ match: '/simple/pure/', fault: { kind: 'status', status: 500 }, times: 1 });
      server.addFault({ match: /^\/simple\/p/, fault: { kind: 'status', status: 503 } });
      server.addFault({ match: '/simple/', fault: { kind: 'status', status: 404 } });
      assert.equal((await get(server, '/simple/pure/')).status, 500);
      assert.equal((await get(server, '/simple/pure/')).status, 503);
      assert.equal((await get(server, '/simple/prerelease-ft/')).status, 503);
      assert.equal((await get(server, '/simple/')).status, 404);
      assert.equal((await get(server, '/simple/late-ft/')).status, 200);
      server.clearFaults();
      assert.equal((await get(server, '/simple/pure/')).status, 200);
      assert.equal((await get(server, '/simple/')).status, 200);
    });

    test('truncate sends about half of the announced body, then drops the connection', async () => {
      server.addFault({ match: '/simple/late-ft/', fault: { kind: 'truncate' }, times: 2 });
      const res = await get(server, '/simple/late-ft/', { accept: JSON_V1 });
      assert.equal(res.status, 200);
      await assert.rejects(res.arrayBuffer());

      const raw = await rawGet(`${server.url}/simple/late-ft/`, { accept: JSON_V1 });
      const announced = Number(raw.headers['content-length']);
      assert.equal(raw.complete, false);
      assert.ok(raw.body.length > 0 && raw.body.length < announced, `${raw.body.length} of ${announced}`);
      assert.ok(Math.abs(raw.body.length - announced / 2) <= 1);
      assert.equal((await get(server, '/simple/late-ft/')).status, 200);
    });

    test('reset drops the connection without a response', async () => {
      server.addFault({ match: '/simple/pure/', fault: { kind: 'reset' }, times: 1 });
      await assert.rejects(get(server, '/simple/pure/'));
      assert.equal(server.requests.at(-1)?.status, 0);
      assert.equal((await get(server, '/simple/pure/')).status, 200);
    });

    test('wrong-content-type keeps the body and lies about its type', async () => {
      server.addFault({ match: '/simple/pure/', fault: { kind: 'wrong-content-type' } });
      const res = await get(server, '/simple/pure/', { accept: JSON_V1 });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'image/png');
      assert.equal((await readJson<SimpleProject>(res)).name, 'pure');
    });

    test('invalid-json is a 200 JSON response that does not parse', async () => {
      server.addFault({ match: /\/json$|^\/simple\/pure\/$/, fault: { kind: 'invalid-json' } });
      const res = await get(server, '/simple/pure/', { accept: JSON_V1 });
      assert.equal(res.status, 200);
      assert.equal(mediaType(res), JSON_V1);
      const text = await res.text();
      assert.ok(text.startsWith('{"meta": {'));
      assert.throws(() => JSON.parse(text), SyntaxError);
      const api = await get(server, '/pypi/pure/1.0/json');
      assert.equal(mediaType(api), 'application/json');
      await assert.rejects(api.json(), SyntaxError);
    });

    test('invalid-html is a 200 HTML response without anchors', async () => {
      server.addFault({ match: '/simple/pure/', fault: { kind: 'invalid-html' } });
      const res = await get(server, '/simple/pure/', { accept: 'text/html' });
      assert.equal(res.status, 200);
      assert.equal(mediaType(res), 'text/html');
      const html = await res.text();
      assert.ok(html.length > 0);
      assert.ok(!/<a[\s>]/i.test(html) && !html.includes('href'));
      assert.ok(!html.includes('</html>'), 'unclosed');
    });

    test('huge streams exactly `bytes` bytes of a JSON prefix and padding, chunked', async () => {
      const bytes = 5 * 1024 * 1024 + 7;
      server.addFault({ match: '/simple/pure/', fault: { kind: 'huge', bytes }, times: 1 });
      const raw = await rawGet(`${server.url}/simple/pure/`, { accept: JSON_V1 });
      assert.equal(raw.status, 200);
      assert.equal(raw.headers['content-type'], JSON_V1);
      assert.equal(raw.headers['transfer-encoding'], 'chunked');
      assert.equal(raw.headers['content-length'], undefined);
      assert.equal(raw.complete, true);
      assert.equal(raw.body.length, bytes);
      assert.ok(raw.body.subarray(0, 10).toString() === '{"meta": {');
      assert.throws(() => JSON.parse(raw.body.toString()), SyntaxError);
    });

    test('huge with contentLength announces it, and survives a client giving up early', async () => {
      const bytes = 4 * 1024 * 1024;
      server.addFault({ match: '/pypi/pure/1.0/json', fault: { kind: 'huge', bytes, contentLength: true }, times: 2 });
      const res = await get(server, '/pypi/pure/1.0/json');
      assert.equal(res.headers.get('content-length'), String(bytes));
      assert.equal(mediaType(res), 'application/json');
      const reader = res.body?.getReader();
      assert.ok(reader);
      const first = await reader.read();
      assert.ok(first.value !== undefined && first.value.length < bytes, 'arrives in pieces');
      await reader.cancel();
      const controller = new AbortController();
      const second = await fetch(`${server.url}/pypi/pure/1.0/json`, { signal: controller.signal });
      controller.abort();
      await assert.rejects(second.arrayBuffer());
      assert.equal((await get(server, '/pypi/pure/1.0/json')).status, 200);
    });
  });

  describe('network', () => {
    function connects(host: string, port: number): Promise<boolean> {
      return new Promise((resolve) => {
        const socket = connect({ host, port, timeout: 1000 });
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('timeout', () => {
          socket.destroy();
          resolve(false);
        });
        socket.once('error', () => resolve(false));
      });
    }

    test('listens on 127.0.0.1 only', async () => {
      const url = new URL(server.url);
      assert.equal(url.hostname, '127.0.0.1');
      assert.equal(server.simpleUrl, `${server.url}/simple/`);
      const port = Number(url.port);
      assert.ok(port > 0);
      assert.equal(await connects('127.0.0.1', port), true);
      const others = ['::1'];
      if (process.platform === 'linux') others.push('127.0.0.2');
      for (const addresses of Object.values(networkInterfaces())) {
        for (const a of addresses ?? []) if (!a.internal) others.push(a.address.split('%')[0] ?? a.address);
      }
      for (const host of others) assert.equal(await connects(host, port), false, `reachable on ${host}`);
    });

    test('close() stops the server', async () => {
      const temp = await startIndexServer({ projects: [] });
      assert.equal((await get(temp, '/simple/', { accept: JSON_V1 })).status, 200);
      temp.addFault({ match: '/simple/', fault: { kind: 'slow', delayMs: 60_000 } });
      const pending = get(temp, '/simple/');
      await new Promise((r) => setTimeout(r, 50));
      await temp.close();
      await assert.rejects(pending);
      await assert.rejects(get(temp, '/simple/'));
      await temp.close();
    });
  });
});
