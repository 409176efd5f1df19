import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { StatusReport } from '../../src/project/project-status.js';
import { ftreadyAsync } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait-for.js';
import { historyFixtures, project, release } from '../support/fixtures.js';
import { startIndexServer, type IndexServer } from '../support/index-server.js';

// `ftready status` against the test index: real HTTP on 127.0.0.1.

const TARGETS = ['--python', '3.13t,3.14t', '--platform', 'linux-x86_64,windows-amd64'];

function entries(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

describe('ftready status', () => {
  let server: IndexServer;
  const run = (args: string[], env: Record<string, string> = {}) =>
    ftreadyAsync(['status', ...args, ...TARGETS, '--retries', '1'], { FTREADY_INDEX_URL: server.simpleUrl, ...env });
  const json = async (args: string[], env: Record<string, string> = {}) => {
    const r = await run([...args, '--format', 'json'], env);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout) as StatusReport;
  };

  before(async () => {
    server = await startIndexServer({ projects: historyFixtures() });
  });
  after(() => server.close());

  test('first ready release per interpreter and platform', async () => {
    const report = await json(['late-ft']);
    assert.equal(report.history['3.13t']!.platforms['linux-x86_64']!.firstReady, '1.2');
    assert.equal(report.history['3.14t']!.platforms['linux-x86_64']!.firstReady, '1.3');
    assert.equal(report.history['3.14t']!.firstReady, '1.3');
    assert.equal(report.latest, '1.3');
    assert.deepEqual(report.classifier, { level: 2, label: '2 - Beta', version: '1.3' });
    assert.deepEqual(report.releases.map((r) => r.version), ['1.3', '1.2', '1.1', '1.0']);
  });

  test('dropped support is an event with the last ready release', async () => {
    const report = await json(['dropped-ft']);
    assert.deepEqual(report.history['3.13t']!.platforms['windows-amd64']!.events, [
      { kind: 'first-ready', version: '1.1', previous: '1.0' },
      { kind: 'dropped', version: '1.3', previous: '1.2' },
    ]);
    const text = await run(['dropped-ft']);
    assert.match(text.stdout, /ready since 1\.1, dropped in 1\.3 \(ready in 1\.2\)/);
  });

  test('yanked releases are shown but never count as support', async () => {
    const report = await json(['yanked-ready']);
    const yanked = report.releases.find((r) => r.version === '1.1')!;
    assert.equal(yanked.yanked, 'segfaults on free-threaded builds');
    assert.equal(yanked.readiness['3.14t'], 'ready');
    assert.equal(report.history['3.14t']!.firstReady, null);
    assert.equal(report.latest, '1.0');
  });

  test('pre-releases are marked and are not the latest', async () => {
    const report = await json(['prerelease-ft']);
    assert.equal(report.latest, '1.9.0');
    const rc = report.releases.find((r) => r.version === '2.0.0rc1')!;
    assert.equal(rc.prerelease, true);
    assert.equal(rc.readiness['3.14t'], 'ready');
    assert.equal(report.history['3.14t']!.firstReady, null);
  });

  test('names are normalised; NAME==VERSION narrows the releases', async () => {
    const report = await json(['ZOPE_interface==7.0']);
    assert.equal(report.project, 'zope-interface');
    assert.deepEqual(report.releases.map((r) => r.version), ['7.0']);
    assert.equal(report.releases[0]!.readiness['3.13t'], 'ready');
    const missing = await run(['pure==9.9']);
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /no release 9\.9/);
  });

  test('a project that is not on the index', async () => {
    const r = await run(['no-such-project']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /no-such-project: not found on http:\/\/127\.0\.0\.1:\d+\/simple\//);
  });

  test('an HTML-only index gives the same answer as JSON', async () => {
    const html = await startIndexServer({ projects: historyFixtures(), formats: ['html'] });
    try {
      const a = await json(['dropped-ft']);
      const b = await json(['dropped-ft'], { FTREADY_INDEX_URL: html.simpleUrl });
      // HTML pages carry no upload times (PEP 700 is JSON-only); everything else is the same.
      const comparable = (r: StatusReport) => ({ ...r, indexes: [], metadata: null, releases: r.releases.map((x) => ({ ...x, uploadTime: null })) });
      assert.deepEqual(comparable(b), comparable(a));
      assert.ok(html.requests.some((q) => q.path === '/simple/dropped-ft/' && q.status === 200));
    } finally {
      await html.close();
    }
  });

  test('without metadata files, PyPI\'s JSON API gives the classifier', async () => {
    const bare = await startIndexServer({ projects: historyFixtures(), metadataFiles: false });
    try {
      const report = await json(['late-ft'], { FTREADY_INDEX_URL: bare.simpleUrl });
      assert.equal(report.classifier?.level, 2);
      assert.match((report.metadata as { source: string }).source, /\/pypi\/late-ft\/1\.3\/json$/);
    } finally {
      await bare.close();
    }
  });

  test('hostile metadata stays text', async () => {
    const r = await run(['hostile', '--format', 'markdown']);
    assert.doesNotMatch(r.stdout, /<script>|<a href/);
    assert.match(r.stdout, /yanked: .*&lt;script&gt;alert/);
  });

  test('nightly wheels are found on a nightly index', async () => {
    const nightly = await startIndexServer({
      projects: [project('late-ft', release('late-ft', '1.4.dev20261120', ['cp314-cp314t-manylinux_2_17_x86_64', 'cp314-cp314t-win_amd64']))],
    });
    try {
      const report = await json(['late-ft'], { FTREADY_NIGHTLY_INDEX_URL: nightly.simpleUrl });
      assert.equal(report.nightly.length, 1);
      assert.equal(report.nightly[0]!.version, '1.4.dev20261120');
      assert.equal(report.nightly[0]!.readiness['3.14t'], 'ready');
      assert.equal(report.nightly[0]!.readiness['3.13t'], 'blocked');
    } finally {
      await nightly.close();
    }
  });
});

describe('ftready status: network faults', () => {
  let server: IndexServer;
  const run = (args: string[], env: Record<string, string> = {}) =>
    ftreadyAsync(['status', 'pure', '--python', '3.14t', ...args], { FTREADY_INDEX_URL: server.simpleUrl, ...env });

  before(async () => {
    server = await startIndexServer({ projects: historyFixtures() });
  });
  after(() => server.close());

  const recovers: Array<[string, Parameters<IndexServer['addFault']>[0]['fault']]> = [
    ['429 with Retry-After', { kind: 'status', status: 429, retryAfter: '0' }],
    ['500', { kind: 'status', status: 500 }],
    ['a truncated body', { kind: 'truncate' }],
    ['a reset connection', { kind: 'reset' }],
  ];
  for (const [name, fault] of recovers) {
    test(`retries after ${name}`, async () => {
      server.clearFaults();
      server.addFault({ match: '/simple/pure/', fault, times: 2 });
      const before = server.requests.length;
      const r = await run(['--retries', '3']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^pure · /);
      const tries = server.requests.slice(before).filter((q) => q.path === '/simple/pure/');
      assert.equal(tries.length, 3);
    });
  }

  test('Retry-After is honoured', async () => {
    server.clearFaults();
    server.addFault({ match: '/simple/pure/', fault: { kind: 'status', status: 503, retryAfter: '1' }, times: 1 });
    const start = Date.now();
    const r = await run(['--retries', '2']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Date.now() - start >= 1000, 'waited for Retry-After');
  });

  test('an index that keeps failing: exit 3 and one line naming the URL', async () => {
    server.clearFaults();
    server.addFault({ match: '/simple/pure/', fault: { kind: 'status', status: 503, retryAfter: '0' } });
    const r = await run(['--retries', '2']);
    assert.equal(r.code, 3);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /cannot reach the package index: http:\/\/127\.0\.0\.1:\d+\/simple\/pure\/: HTTP 503 after 3 attempts/);
  });

  test('an unreachable index: exit 3', async () => {
    const r = await run(['--retries', '0'], { FTREADY_INDEX_URL: 'http://127.0.0.1:9/simple/' });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /http:\/\/127\.0\.0\.1:9\/simple\/pure\/: .*ECONNREFUSED/);
  });

  test('a slow index times out', async () => {
    server.clearFaults();
    server.addFault({ match: '/simple/pure/', fault: { kind: 'slow', delayMs: 5000 } });
    const start = Date.now();
    const r = await run(['--timeout', '0.3', '--retries', '0']);
    assert.equal(r.code, 3, r.stderr);
    assert.ok(Date.now() - start < 4000);
  });

  const malformed: Array<[string, Parameters<IndexServer['addFault']>[0]['fault'], RegExp]> = [
    ['a wrong content type', { kind: 'wrong-content-type' }, /unexpected content type "image\/png"/],
    ['invalid JSON', { kind: 'invalid-json' }, /invalid JSON/],
    ['a huge response', { kind: 'huge', bytes: 80 * 1024 * 1024 }, /larger than the 64 MB limit/],
    ['invalid HTML', { kind: 'invalid-html' }, /NUL bytes|lists no files/],
  ];
  for (const [name, fault, message] of malformed) {
    test(`${name} makes the project unknown, with the reason`, async () => {
      server.clearFaults();
      server.addFault({ match: '/simple/pure/', fault });
      const r = await run(['--retries', '0']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /pure: unknown: /);
      assert.match(r.stdout, message);
    });
  }
});

describe('ftready status: the cache', () => {
  let server: IndexServer;
  let cache: string;
  const run = (args: string[] = []) =>
    ftreadyAsync(['status', 'late-ft', '--python', '3.14t', '--format', 'json', ...args], { FTREADY_INDEX_URL: server.simpleUrl, FTREADY_CACHE_DIR: cache });

  before(async () => {
    server = await startIndexServer({ projects: historyFixtures() });
    cache = mkdtempSync(join(tmpdir(), 'ftready-cache-test-'));
  });
  after(() => server.close());

  test('a second run only revalidates; --offline makes no request', async () => {
    const first = await run();
    assert.equal(first.code, 0, first.stderr);
    const n = server.requests.length;
    const second = await run();
    assert.equal(second.stdout, first.stdout);
    const revalidations = server.requests.slice(n);
    assert.ok(revalidations.length > 0);
    assert.ok(revalidations.every((q) => q.status === 304 || q.path.endsWith('.metadata') === false), JSON.stringify(revalidations));
    assert.ok(revalidations.some((q) => q.status === 304 && q.ifNoneMatch));
    assert.ok(!revalidations.some((q) => q.path.endsWith('.metadata')), 'metadata files are immutable and not asked again');
    const m = server.requests.length;
    const offline = await run(['--offline']);
    assert.equal(offline.stdout, first.stdout);
    assert.equal(server.requests.length, m);
  });

  test('--offline without a cached answer is unknown, not a crash', async () => {
    const r = await ftreadyAsync(['status', 'pure', '--offline'], { FTREADY_INDEX_URL: server.simpleUrl });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /not in the cache, and --offline forbids the network/);
  });

  test('a corrupt cache entry is discarded and fetched again', async () => {
    for (const f of entries(cache)) writeFileSync(f, '{"format":1,"url":"x"}\ngarbage');
    const n = server.requests.length;
    const r = await run();
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as StatusReport).latest, '1.3');
    assert.ok(server.requests.slice(n).some((q) => q.status === 200 && q.path === '/simple/late-ft/'));
  });

  test('a run killed with kill -9 leaves a cache the next run can use', async () => {
    server.clearFaults();
    server.addFault({ match: /\.metadata$/, fault: { kind: 'slow', delayMs: 3000 }, times: 1 });
    const killDir = mkdtempSync(join(tmpdir(), 'ftready-kill-'));
    // The kill comes half a second into the 3 s the metadata request is held: after the page was cached.
    const seen = server.received.length;
    const metadataAsked = () => server.received.slice(seen).some((q) => q.path.endsWith('.metadata'));
    const killed = await ftreadyAsync(['status', 'dropped-ft', '--python', '3.14t'], { FTREADY_INDEX_URL: server.simpleUrl, FTREADY_CACHE_DIR: killDir }, (child) => {
      void waitFor(metadataAsked, 'the metadata request')
        .then(() => new Promise((r) => setTimeout(r, 500)))
        .finally(() => child.kill('SIGKILL'));
    });
    assert.ok(server.requests.some((q) => q.path === '/simple/dropped-ft/' && q.status === 200), 'the page was fetched before the kill');
    assert.notEqual(killed.code, 0);
    assert.ok(entries(killDir).every((f) => f.endsWith('.entry')), 'no half-written files');
    const again = await ftreadyAsync(['status', 'dropped-ft', '--python', '3.14t'], { FTREADY_INDEX_URL: server.simpleUrl, FTREADY_CACHE_DIR: killDir });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /dropped-ft · /);
  });

  test('Ctrl-C stops within a second', async () => {
    server.clearFaults();
    server.addFault({ match: '/simple/sdistonly/', fault: { kind: 'slow', delayMs: 10_000 } });
    let sentAt = Number.POSITIVE_INFINITY;
    // Interrupted while it waits on the index, as a person would press Ctrl-C.
    const seen = server.received.length;
    const r = await ftreadyAsync(['status', 'sdistonly'], { FTREADY_INDEX_URL: server.simpleUrl }, (child) => {
      void waitFor(() => server.received.slice(seen).some((q) => q.path === '/simple/sdistonly/'), 'the project page request').finally(() => {
        sentAt = Date.now();
        child.kill('SIGINT');
      });
    });
    assert.ok(Date.now() - sentAt < 1000, `took ${Date.now() - sentAt} ms`);
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /interrupted/);
    server.clearFaults();
  });
});

describe('ftready status: credentials', () => {
  test('from the URL and from ~/.netrc, never shown', async () => {
    const seen: Array<string | undefined> = [];
    const http = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const port = (http.address() as AddressInfo).port;
    try {
      const r = await ftreadyAsync(['status', 'x', '--index-url', `http://alice:p%40ss@127.0.0.1:${port}/simple/`]);
      assert.equal(seen[0], `Basic ${Buffer.from('alice:p@ss').toString('base64')}`);
      assert.doesNotMatch(r.stdout + r.stderr, /p%40ss|p@ss/);
      const netrc = join(mkdtempSync(join(tmpdir(), 'ftready-netrc-')), 'netrc');
      writeFileSync(netrc, 'machine 127.0.0.1 login bob password hunter2\n');
      await ftreadyAsync(['status', 'x', '--index-url', `http://127.0.0.1:${port}/simple/`], { NETRC: netrc });
      assert.equal(seen[1], `Basic ${Buffer.from('bob:hunter2').toString('base64')}`);
    } finally {
      http.close();
    }
  });
});

describe('ftready status: JSON schema', () => {
  test('every history fixture validates against docs/schemas/status-report.v1.json', async () => {
    const { default: Ajv2020 } = await import('ajv/dist/2020.js');
    const { readFileSync } = await import('node:fs');
    const { repoRoot } = await import('../helpers/paths.js');
    const validate = new Ajv2020.default({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(repoRoot, 'docs', 'schemas', 'status-report.v1.json'), 'utf8')));
    const server = await startIndexServer({ projects: historyFixtures() });
    try {
      for (const name of ['late-ft', 'dropped-ft', 'yanked-ready', 'prerelease-ft', 'hostile', 'no-such-project', 'pure==1.0']) {
        const r = await ftreadyAsync(['status', name, '--format', 'json', '--python', '3.13t,3.14t,3.15t'], { FTREADY_INDEX_URL: server.simpleUrl });
        const report = JSON.parse(r.stdout) as unknown;
        assert.ok(validate(report), `${name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
      }
    } finally {
      await server.close();
    }
  });
});

describe('ftready status: proxies', () => {
  test('HTTP_PROXY is used, and NO_PROXY bypasses it', async () => {
    const index = await startIndexServer({ projects: historyFixtures() });
    const seen: string[] = [];
    // A minimal proxy that tunnels CONNECT requests (undici tunnels through its proxy even for http:// targets).
    const proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      seen.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const through = await ftreadyAsync(['status', 'pure', '--python', '3.14t', '--no-cache'], { FTREADY_INDEX_URL: index.simpleUrl, HTTP_PROXY: proxyUrl });
      assert.equal(through.code, 0, through.stderr);
      assert.ok(seen.includes(new URL(index.url).host), `proxy saw: ${seen.join(', ')}`);
      const count = seen.length;
      const bypass = await ftreadyAsync(['status', 'pure', '--python', '3.14t', '--no-cache'], { FTREADY_INDEX_URL: index.simpleUrl, HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' });
      assert.equal(bypass.code, 0, bypass.stderr);
      assert.equal(seen.length, count, 'NO_PROXY bypasses the proxy');
    } finally {
      proxy.close();
      await index.close();
    }
  });
});

describe('ftready status: HTTPS with a private CA', () => {
  test('NODE_EXTRA_CA_CERTS makes a self-signed index trusted; without it, exit 3', async () => {
    const { createServer: createHttpsServer } = await import('node:https');
    const { repoRoot } = await import('../helpers/paths.js');
    const { readFileSync } = await import('node:fs');
    const tls = join(repoRoot, 'test', 'fixtures', 'tls');
    const index = await startIndexServer({ projects: historyFixtures() });
    // An HTTPS front for the test index, with the self-signed certificate.
    const front = createHttpsServer({ key: readFileSync(join(tls, 'localhost-key.pem')), cert: readFileSync(join(tls, 'localhost-cert.pem')) }, (req, res) => {
      fetch(`${index.url}${req.url}`, { headers: { accept: req.headers.accept ?? '*/*' } })
        .then(async (up) => {
          res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/octet-stream' });
          res.end(Buffer.from(await up.arrayBuffer()));
        })
        .catch(() => res.writeHead(502).end());
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(front.address() as AddressInfo).port}/simple/`;
    try {
      const trusted = await ftreadyAsync(['status', 'pure', '--python', '3.14t', '--retries', '0'], { FTREADY_INDEX_URL: url, NODE_EXTRA_CA_CERTS: join(tls, 'localhost-cert.pem') });
      assert.equal(trusted.code, 0, trusted.stderr);
      assert.match(trusted.stdout, /^pure · https:\/\/127\.0\.0\.1/);
      const untrusted = await ftreadyAsync(['status', 'pure', '--python', '3.14t', '--retries', '0'], { FTREADY_INDEX_URL: url });
      assert.equal(untrusted.code, 3, untrusted.stdout);
      assert.match(untrusted.stderr, /self.signed certificate|DEPTH_ZERO_SELF_SIGNED_CERT/i);
    } finally {
      front.close();
      await index.close();
    }
  });
});
