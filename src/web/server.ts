import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { InputError } from '../project/input-error.js';
import { normalizeProjectName } from '../standards/project-name.js';
import { DEFAULT_INTERPRETERS } from '../standards/interpreters.js';
import { DEFAULT_PLATFORMS } from '../standards/platform-families.js';
import type { TrackerSettings } from '../store/read-models.js';
import { badge, listPackages, packageDetail, recentEvents, summary, wheelSegments } from '../store/read-queries.js';
import type { TrackerStore } from '../store/tracker-store.js';
import { APP_CSS, APP_JS } from './assets.js';
import { FAVICON_SVG } from './favicon.js';
import { badgeSvg, shieldsEndpoint } from './badge.js';
import { CheckInputError, checkFormatOf, checkUpload, type CheckService } from './check-service.js';
import { atomFeed } from './feed.js';
import { OPENAPI } from './openapi.js';
import { packageFilterFrom, QueryError } from './package-query.js';
import { checkFormPage, checkResultPage } from './pages/check.js';
import { errorPage } from './pages/error.js';
import { guideArticle, guideIndex, guideSearchPage } from './pages/guide.js';
import { GuideBook } from './guide/guide-book.js';
import { GUIDE_CSS } from './guide/guide-css.js';
import { searchGuide } from './guide/guide-search.js';
import { packageRoot } from './package-root.js';
import { overviewPage } from './pages/overview.js';
import { packagePage } from './pages/package.js';
import { packagesPage } from './pages/packages.js';
import { RateLimiter } from './rate-limiter.js';
import { BodyTooLargeError, readBody } from './request-body.js';
import { etagOf, ResponseCache } from './response-cache.js';

// `ftready serve`: the tracker's website, JSON API, badges and feed, from the
// store. Read routes are cached until the store changes; the check routes do
// real work per request, so they are size- and rate-limited.

export interface ServeOptions {
  store: TrackerStore;
  host: string;
  port: number;
  check: CheckService;
  /** Largest upload the check accepts. */
  checkMaxBytes: number;
  /** Checks per client per minute. */
  checkPerMinute: number;
  /** The site's address as users reach it (behind a proxy, say), for the feed and badge snippets; default the listening address. */
  publicUrl?: string;
  /** The guide; default the one that ships with ftready. */
  guide?: GuideBook;
}

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  contentType: string;
  body: string | Buffer;
  cacheControl?: string;
  headers?: Record<string, string>;
}

interface RequestContext {
  url: URL;
  params: string[];
  req: IncomingMessage;
  settings: TrackerSettings;
}

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  /** Cached until the store changes (GET routes whose answer depends on the store alone). */
  cached: boolean;
  handle(ctx: RequestContext): Promise<Reply>;
}

const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const PAGE_CACHE = 'public, max-age=60';
const BADGE_CACHE = 'public, max-age=300';
const COMPRESSIBLE = /^(text\/|application\/(json|atom\+xml)|image\/svg\+xml)/;

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'interest-cohort=()',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const html = (body: string, status = 200): Reply => ({ status, contentType: HTML, body, cacheControl: PAGE_CACHE });
const json = (value: unknown, status = 200): Reply => ({ status, contentType: JSON_TYPE, body: `${JSON.stringify(value)}\n`, cacheControl: PAGE_CACHE });

function defaultSettings(): TrackerSettings {
  return { targets: [...DEFAULT_INTERPRETERS], platforms: [...DEFAULT_PLATFORMS], topN: 360, indexUrl: '' };
}

function clientOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/** The project name in a path, normalised; a 404 for anything that cannot be one. */
function projectParam(raw: string): string {
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    throw new HttpError(404, 'No such package');
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/.test(name)) throw new HttpError(404, 'No such package');
  return name;
}

function targetParam(url: URL, settings: TrackerSettings): string {
  const target = url.searchParams.get('python') ?? settings.targets[0] ?? DEFAULT_INTERPRETERS[0]!;
  if (!settings.targets.includes(target)) throw new HttpError(400, `python must be one of ${settings.targets.join(', ')}`);
  return target;
}

function redirectToNormalized(raw: string, suffix: string, url: URL): Reply | null {
  const name = projectParam(raw);
  const normalized = normalizeProjectName(name);
  if (normalized === name) return null;
  return { status: 301, contentType: 'text/plain; charset=utf-8', body: 'Moved\n', headers: { location: `${suffix.replace('NAME', encodeURIComponent(normalized))}${url.search}` } };
}

export function createRoutes(options: ServeOptions, publicUrl: () => string): Route[] {
  const { store, check } = options;
  const root = packageRoot();
  const guide = options.guide ?? GuideBook.load(root ?? process.cwd());
  // Files the guide links to: its example scripts and the JSON schemas, by their address under /guide/.
  const files = new Map<string, { body: string; type: string }>();
  for (const [dir, prefix, type] of [['guide/examples', 'examples', 'text/plain; charset=utf-8'], ['docs/schemas', 'schemas', 'application/schema+json; charset=utf-8']] as const) {
    const full = join(root ?? process.cwd(), dir);
    if (existsSync(full)) for (const f of readdirSync(full)) files.set(`${prefix}/${f}`, { body: readFileSync(join(full, f), 'utf8'), type });
  }
  const db = store.db;
  const limiter = new RateLimiter(options.checkPerMinute, Math.max(1, Math.ceil(options.checkPerMinute / 2)));

  const limited = (req: IncomingMessage) => {
    const wait = limiter.take(clientOf(req));
    if (wait > 0) throw new HttpError(429, `Too many checks: try again in ${wait} s`, { 'retry-after': String(wait) });
  };

  const runCheck = async (filename: string, body: Buffer) => {
    const { textOf } = await import('../project/read-input.js');
    try {
      return await checkUpload(check, filename, textOf(body, filename));
    } catch (err) {
      if (err instanceof InputError || err instanceof CheckInputError) throw new HttpError(400, err.message);
      throw err;
    }
  };

  return [
    {
      method: 'GET',
      pattern: /^\/$/,
      cached: true,
      handle: async ({ settings }) => {
        const s = await summary(db, settings);
        const wheels = Object.fromEntries(await Promise.all(settings.targets.map(async (t) => [t, await wheelSegments(db, t, settings.topN)] as const)));
        return html(overviewPage(s, wheels));
      },
    },
    {
      method: 'GET',
      pattern: /^\/packages$/,
      cached: true,
      handle: async ({ url, settings }) => {
        const filter = packageFilterFrom(url.searchParams, settings);
        return html(packagesPage(await listPackages(db, filter, settings), filter, settings));
      },
    },
    {
      method: 'GET',
      pattern: /^\/packages\/([^/]+)$/,
      cached: true,
      handle: async ({ url, params, settings }) => {
        const moved = redirectToNormalized(params[0]!, '/packages/NAME', url);
        if (moved) return moved;
        const detail = await packageDetail(db, projectParam(params[0]!));
        if (!detail) throw new HttpError(404, 'This package is not tracked');
        return html(packagePage(detail, settings, { baseUrl: publicUrl() }));
      },
    },
    {
      method: 'GET',
      pattern: /^\/check$/,
      cached: true,
      handle: async ({ settings }) => html(checkFormPage({ maxBytes: options.checkMaxBytes, targets: settings.targets })),
    },
    {
      method: 'POST',
      pattern: /^\/check$/,
      cached: false,
      handle: async ({ req, settings }) => {
        limited(req);
        const body = await readBody(req, options.checkMaxBytes + 64 * 1024);
        const form = await new Response(new Uint8Array(body), { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData().catch(() => {
          throw new HttpError(400, 'The form could not be read');
        });
        const file = form.get('file');
        const pasted = form.get('text');
        const format = String(form.get('format') ?? '');
        let name: string;
        let content: Buffer;
        if (file instanceof Blob && file.size > 0) {
          name = checkFormatOf((file as File).name) ?? checkFormatOf(format) ?? '';
          content = Buffer.from(await file.arrayBuffer());
        } else if (typeof pasted === 'string' && pasted.trim() !== '') {
          name = checkFormatOf(format) ?? '';
          content = Buffer.from(pasted, 'utf8');
        } else {
          return { ...html(checkFormPage({ maxBytes: options.checkMaxBytes, targets: settings.targets, error: 'Choose a file or paste its content.' }), 400), cacheControl: 'no-store' };
        }
        if (content.length > options.checkMaxBytes) throw new BodyTooLargeError(options.checkMaxBytes);
        // What the user pasted comes back with an error, so they can fix it instead of starting over.
        const kept = { format, ...(typeof pasted === 'string' && !(file instanceof Blob && file.size > 0) && { text: pasted }) };
        if (name === '') {
          return { ...html(checkFormPage({ maxBytes: options.checkMaxBytes, targets: settings.targets, error: 'Choose which kind of file this is.', ...kept }), 400), cacheControl: 'no-store' };
        }
        try {
          const report = await runCheck(name, content);
          return { ...html(checkResultPage(report, { inputName: name })), cacheControl: 'no-store' };
        } catch (err) {
          if (!(err instanceof HttpError) || err.status !== 400) throw err;
          return { ...html(checkFormPage({ maxBytes: options.checkMaxBytes, targets: settings.targets, error: err.message, ...kept }), 400), cacheControl: 'no-store' };
        }
      },
    },
    {
      method: 'GET',
      pattern: /^\/feed\.atom$/,
      cached: true,
      handle: async () => {
        const events = await recentEvents(db, 50);
        const body = atomFeed(events, { baseUrl: publicUrl(), updated: events[0]?.at ?? new Date(0).toISOString() });
        return { status: 200, contentType: 'application/atom+xml; charset=utf-8', body, cacheControl: PAGE_CACHE };
      },
    },
    {
      method: 'GET',
      pattern: /^\/badge\/([^/]+)\.(svg|json)$/,
      cached: true,
      handle: async ({ url, params, settings }) => {
        const moved = redirectToNormalized(params[0]!, `/badge/NAME.${params[1]}`, url);
        if (moved) return moved;
        const data = await badge(db, projectParam(params[0]!), targetParam(url, settings));
        if (params[1] === 'json') return { ...json(shieldsEndpoint(data)), cacheControl: BADGE_CACHE };
        return { status: 200, contentType: 'image/svg+xml; charset=utf-8', body: badgeSvg(data), cacheControl: BADGE_CACHE };
      },
    },
    { method: 'GET', pattern: /^\/guide$/, cached: true, handle: async () => html(guideIndex(guide)) },
    { method: 'GET', pattern: /^\/guide\/search$/, cached: true, handle: async ({ url }) => html(guideSearchPage(url.searchParams.get('q') ?? '', searchGuide(guide, url.searchParams.get('q') ?? ''))) },
    {
      method: 'GET',
      pattern: /^\/guide\/((?:examples|schemas)\/[\w.-]+)$/,
      cached: true,
      handle: async ({ params }) => {
        const file = files.get(params[0]!);
        if (file === undefined) throw new HttpError(404, 'There is no such file');
        return { status: 200, contentType: file.type, body: file.body, cacheControl: PAGE_CACHE };
      },
    },
    {
      method: 'GET',
      pattern: /^\/guide\/((?:rules\/)?[\w-]+)$/,
      cached: true,
      handle: async ({ params }) => {
        const p = guide.bySlug.get(params[0]!);
        if (!p) throw new HttpError(404, 'There is no such page in the guide');
        return html(guideArticle(guide, p));
      },
    },
    { method: 'GET', pattern: /^\/api\/v1\/openapi\.json$/, cached: true, handle: async () => json(OPENAPI) },
    { method: 'GET', pattern: /^\/api\/v1\/summary$/, cached: true, handle: async ({ settings }) => json(await summary(db, settings)) },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/packages$/,
      cached: true,
      handle: async ({ url, settings }) => json(await listPackages(db, packageFilterFrom(url.searchParams, settings), settings)),
    },
    {
      method: 'GET',
      pattern: /^\/api\/v1\/packages\/([^/]+)$/,
      cached: true,
      handle: async ({ url, params }) => {
        const moved = redirectToNormalized(params[0]!, '/api/v1/packages/NAME', url);
        if (moved) return moved;
        const detail = await packageDetail(db, projectParam(params[0]!));
        if (!detail) throw new HttpError(404, 'This package is not tracked');
        return json(detail);
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/v1\/check$/,
      cached: false,
      handle: async ({ url, req }) => {
        limited(req);
        const given = url.searchParams.get('filename') ?? '';
        const name = checkFormatOf(given);
        if (name === null) throw new HttpError(400, `filename must name a requirements.txt, pyproject.toml, uv.lock, poetry.lock, pylock.toml, Pipfile or Pipfile.lock; got "${given.slice(0, 100)}"`);
        const body = await readBody(req, options.checkMaxBytes);
        return { ...json(await runCheck(name, body)), cacheControl: 'no-store' };
      },
    },
    { method: 'GET', pattern: /^\/favicon\.ico$/, cached: true, handle: async () => ({ status: 200, contentType: 'image/svg+xml', body: FAVICON_SVG, cacheControl: 'public, max-age=86400' }) },
    { method: 'GET', pattern: /^\/static\/app\.css$/, cached: true, handle: async () => ({ status: 200, contentType: 'text/css; charset=utf-8', body: `${APP_CSS}\n${GUIDE_CSS}`, cacheControl: 'public, max-age=3600' }) },
    { method: 'GET', pattern: /^\/static\/app\.js$/, cached: true, handle: async () => ({ status: 200, contentType: 'text/javascript; charset=utf-8', body: APP_JS, cacheControl: 'public, max-age=3600' }) },
  ];
}

function errorReply(status: number, message: string, api: boolean, headers: Record<string, string> = {}): Reply {
  return api
    ? { status, contentType: JSON_TYPE, body: `${JSON.stringify({ error: message })}\n`, cacheControl: 'no-store', headers }
    : { status, contentType: HTML, body: errorPage(status, message), cacheControl: 'no-store', headers };
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  let base = options.publicUrl?.replace(/\/+$/, '') ?? '';
  const routes = createRoutes(options, () => base);
  const cache = new ResponseCache(() => options.store.generation());
  // Compressed bodies by ETag: a page is compressed once, not per request.
  const compressed = new Map<string, Buffer>();
  const gzipped = (body: Buffer, etag: string | undefined): Buffer => {
    if (etag === undefined) return gzipSync(body);
    let out = compressed.get(etag);
    if (!out) {
      out = gzipSync(body);
      if (compressed.size >= 2000) compressed.delete(compressed.keys().next().value!);
      compressed.set(etag, out);
    }
    return out;
  };

  const send = (req: IncomingMessage, res: ServerResponse, reply: Reply, etag?: string) => {
    const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
    const tag = etag ?? (reply.status === 200 ? etagOf(body) : undefined);
    const headers: Record<string, string> = { ...SECURITY_HEADERS, 'content-type': reply.contentType, ...(reply.cacheControl && { 'cache-control': reply.cacheControl }), ...reply.headers };
    if (tag) headers.etag = tag;
    const inm = req.headers['if-none-match'];
    // The gzipped variant's ETag carries a suffix (a different body needs a different strong ETag); either revalidates.
    if (tag && inm !== undefined && inm.split(',').some((t) => t.trim().replace(/^W\//, '').replace(/-gz"$/, '"') === tag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    let payload = body;
    if (COMPRESSIBLE.test(reply.contentType) && body.length > 1024) {
      headers.vary = 'Accept-Encoding';
      if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
        payload = gzipped(body, tag);
        headers['content-encoding'] = 'gzip';
        if (tag) headers.etag = tag.replace(/"$/, '-gz"');
      }
    }
    headers['content-length'] = String(payload.length);
    res.writeHead(reply.status, headers);
    res.end(req.method === 'HEAD' ? undefined : payload);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // JSON clients (the API, the shields.io endpoint) get JSON errors; browsers get pages.
    const api = (req.url ?? '').startsWith('/api/') || /^\/badge\/[^?]*\.json(\?|$)/.test(req.url ?? '');
    try {
      if ((req.url ?? '').length > 2048) throw new HttpError(414, 'The URL is too long');
      let url: URL;
      try {
        url = new URL(req.url ?? '/', `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`);
      } catch {
        throw new HttpError(400, 'The URL cannot be read');
      }
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      const matching = routes.filter((r) => r.pattern.test(url.pathname));
      if (matching.length === 0) throw new HttpError(404, 'There is no page here');
      const route = matching.find((r) => r.method === method);
      if (!route) throw new HttpError(405, 'Method not allowed', { allow: [...new Set(matching.map((r) => r.method))].join(', ') });
      await cache.refresh();
      const key = `${url.pathname}${url.search}`;
      if (route.cached) {
        const hit = cache.get(key);
        if (hit) return send(req, res, { status: hit.status, contentType: hit.contentType, body: hit.body, cacheControl: hit.cacheControl }, hit.etag);
      }
      const settings = (await options.store.settings()) ?? defaultSettings();
      const reply = await route.handle({ url, params: route.pattern.exec(url.pathname)!.slice(1), req, settings });
      if (route.cached && reply.status === 200) {
        const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
        const entry = cache.put(key, { status: 200, contentType: reply.contentType, body, cacheControl: reply.cacheControl ?? PAGE_CACHE });
        return send(req, res, { ...reply, body }, entry.etag);
      }
      send(req, res, reply);
    } catch (err) {
      if (err instanceof HttpError) return send(req, res, errorReply(err.status, err.message, api, err.headers));
      if (err instanceof QueryError) return send(req, res, errorReply(400, err.message, api));
      if (err instanceof BodyTooLargeError) return send(req, res, errorReply(413, `The file is larger than the ${Math.round(err.limit / 1024)} KB limit`, api, { connection: 'close' }));
      // A bug or a database failure: the client gets a plain 500, the operator the details.
      process.stderr.write(`ftready serve: ${req.method} ${req.url}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      if (!res.headersSent) send(req, res, errorReply(500, 'Something went wrong on our side', api));
      else res.destroy();
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  if (base === '') base = `http://${host}:${port}`;
  return {
    url: `http://${host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
