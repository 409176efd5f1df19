// A PyPI-compatible package index for tests, with fault injection.
//
// Serves the simple repository API (PEP 503 HTML, PEP 691 JSON, with PEP 592
// yanking, PEP 658/714 metadata files and PEP 700 fields), PyPI's per-version
// JSON API, files and their .metadata, on 127.0.0.1 only. Every 200 carries a
// strong ETag and Last-Modified, and conditional requests get 304. Faults
// (slow, status, truncate, reset, wrong content type, invalid bodies, huge
// bodies) can be injected per path, optionally for the first N requests.
//
// Like PyPI, every project has its own last serial: setProjects() gives the
// new global serial only to projects that changed, so unchanged projects keep
// byte-identical pages and ETags. Rendered project and root pages are cached,
// because benchmarks serve thousands of projects at hundreds of requests/s.

import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  defaultUploadTime,
  isWheel,
  normalizeName,
  versionFromFilename,
  projectVersions,
  type FixtureFile,
  type FixtureProject,
} from './fixtures.js';

export type Fault =
  | { kind: 'slow'; delayMs: number }
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'truncate' }
  | { kind: 'reset' }
  | { kind: 'wrong-content-type' }
  | { kind: 'invalid-json' }
  | { kind: 'invalid-html' }
  /** contentLength: also send Content-Length (default: chunked, no length up front). */
  | { kind: 'huge'; bytes: number; contentLength?: boolean };

export interface FaultRule {
  /** A string must equal the request path (without query); a RegExp is tested against it. */
  match: string | RegExp;
  fault: Fault;
  /** Only the first N matching requests; default unlimited. */
  times?: number;
}

export interface RequestLogEntry {
  method: string;
  /** The request target as sent, query included. */
  path: string;
  accept: string | undefined;
  ifNoneMatch: string | undefined;
  ifModifiedSince: string | undefined;
  /** The status sent; 0 when the socket was reset without a response. */
  status: number;
  /** performance.now() when the request arrived and when its answer was sent: tests check that requests did not overlap. */
  startedAt: number;
  endedAt: number;
}

export interface IndexServerOptions {
  projects: FixtureProject[];
  /** Which simple-API formats it serves; default both. HTML-only emulates old indexes. */
  formats?: Array<'json' | 'html'>;
  /** Serve /pypi/<name>/<version>/json (PyPI's JSON API); default true. */
  jsonApi?: boolean;
  /** Serve .metadata files and announce them; default true. */
  metadataFiles?: boolean;
  /** The global serial and every project's initial serial (X-PyPI-Last-Serial / meta._last-serial); default 1. */
  lastSerial?: number;
  /** Cache-Control sent with cacheable answers, e.g. PyPI's 'max-age=600, public'; default none, so clients revalidate. */
  cacheControl?: string;
}

export interface IndexServer {
  /** 'http://127.0.0.1:PORT' */
  url: string;
  /** url + '/simple/' */
  simpleUrl: string;
  requests: RequestLogEntry[];
  /** Every request as it arrives, before any fault delays its answer: tests wait on these to act while a client is mid-request. */
  received: Array<{ method: string; path: string }>;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  /**
   * Replaces the index. The global serial becomes lastSerial (default: the
   * previous serial + 1), and so does the serial of every project added or
   * changed; unchanged projects keep their serial, pages and ETags.
   */
  setProjects(projects: FixtureProject[], lastSerial?: number): void;
  close(): Promise<void>;
}

export const JSON_V1 = 'application/vnd.pypi.simple.v1+json';
export const HTML_V1 = 'application/vnd.pypi.simple.v1+html';
export const TEXT_HTML = 'text/html; charset=utf-8';

interface ResolvedFile {
  filename: string;
  version: string | undefined;
  url: string;
  sha256: string;
  requiresPython: string | undefined;
  /** false, true (no reason) or a non-empty reason. */
  yanked: boolean | string;
  uploadTime: string;
  size: number;
  metadata: string | undefined;
  metadataSha256: string | undefined;
  content: Buffer;
}

/** A rendered page and its strong ETag. */
interface Page {
  body: Buffer;
  etag: string;
}

/** Rendered pages by content type, filled on first request. */
type PageCache = Map<string, Page>;

interface ResolvedProject {
  name: string;
  normalized: string;
  files: ResolvedFile[];
  versions: string[];
  /** sha256 of the fixture project's stable JSON: equal fingerprints mean an unchanged project. */
  fingerprint: string;
  serial: number;
  /** Lives as long as this object, which setProjects() reuses only while the project is unchanged. */
  pages: PageCache;
}

interface Index {
  projects: Map<string, ResolvedProject>;
  files: Map<string, ResolvedFile>;
  /** The root page; a new Index (every setProjects()) starts empty. */
  rootPages: PageCache;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Cache key for 200s (path + content type); undefined = no validators. */
  cacheKey?: string;
  /** The body's ETag when already known (cached pages); otherwise it is hashed. */
  etag?: string;
  /** X-PyPI-Last-Serial when not the global serial: a project's own. */
  serial?: number;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

// Every field of a fixture; the Record type makes a new field a compile error until it is listed here.
const fixtureFields: Record<keyof FixtureProject | keyof FixtureFile, true> = {
  name: true,
  versions: true,
  files: true,
  filename: true,
  sha256: true,
  requiresPython: true,
  yanked: true,
  uploadTime: true,
  size: true,
  metadata: true,
};
const fixtureKeys = Object.keys(fixtureFields);

/**
 * A digest of a fixture project that ignores its objects' key order: given
 * a key list, JSON.stringify writes keys in that list's order. This is the
 * costliest step of resolving thousands of projects, hence native code.
 */
function fingerprint(p: FixtureProject): string {
  return sha256(JSON.stringify(p, fixtureKeys));
}

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEntities[c] ?? c);
}

/**
 * Builds the index. A project whose fingerprint matches its entry in
 * `previous` is reused as it is (serial and rendered pages included); any
 * other project gets `serial`.
 */
function resolve(projects: FixtureProject[], baseUrl: string, serial: number, previous?: Index): Index {
  const index: Index = { projects: new Map(), files: new Map(), rootPages: new Map() };
  for (const p of projects) {
    const normalized = normalizeName(p.name);
    if (index.projects.has(normalized)) throw new Error(`index-server: duplicate project '${normalized}'`);
    const digest = fingerprint(p);
    const unchanged = previous?.projects.get(normalized);
    const resolved = unchanged?.fingerprint === digest ? unchanged : resolveProject(p, normalized, digest, serial, baseUrl);
    for (const f of resolved.files) {
      if (index.files.has(f.filename)) throw new Error(`index-server: duplicate file '${f.filename}'`);
      index.files.set(f.filename, f);
    }
    index.projects.set(normalized, resolved);
  }
  return index;
}

function resolveProject(p: FixtureProject, normalized: string, digest: string, serial: number, baseUrl: string): ResolvedProject {
  const order: string[] = [];
  const perVersion = new Map<string, number>();
  // The wheels of a release share one metadata text: hash it once.
  const metadataHashes = new Map<string, string>();
  const metadataSha256 = (text: string): string => {
    const known = metadataHashes.get(text);
    if (known !== undefined) return known;
    const hash = sha256(Buffer.from(text, 'utf8'));
    metadataHashes.set(text, hash);
    return hash;
  };
  const files = p.files.map((f): ResolvedFile => {
    const version = versionFromFilename(f.filename, p.name);
    const key = version ?? '';
    if (!order.includes(key)) order.push(key);
    const fileIndex = perVersion.get(key) ?? 0;
    perVersion.set(key, fileIndex + 1);
    const content = Buffer.from(f.filename, 'utf8');
    const metadata = typeof f.metadata === 'string' ? f.metadata : undefined;
    return {
      filename: f.filename,
      version,
      url: `${baseUrl}/files/${encodeURIComponent(f.filename)}`,
      sha256: f.sha256 ?? sha256(content),
      requiresPython: f.requiresPython,
      yanked: f.yanked === undefined || f.yanked === false ? false : f.yanked === '' ? true : f.yanked,
      uploadTime: f.uploadTime ?? defaultUploadTime(order.indexOf(key), fileIndex),
      size: f.size ?? content.length,
      metadata,
      metadataSha256: metadata === undefined ? undefined : metadataSha256(metadata),
      content,
    };
  });
  return { name: p.name, normalized, files, versions: projectVersions(p), fingerprint: digest, serial, pages: new Map() };
}

// ---------------------------------------------------------------- negotiation

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  index: number;
}

function parseAccept(header: string | undefined): MediaRange[] {
  if (header === undefined || header.trim() === '') return [{ type: '*', subtype: '*', q: 1, index: 0 }];
  const ranges: MediaRange[] = [];
  header.split(',').forEach((part, index) => {
    const [mediaType = '', ...params] = part.split(';');
    const [type, subtype] = mediaType.trim().toLowerCase().split('/');
    if (!type || !subtype) return;
    let q = 1;
    for (const param of params) {
      const eq = param.indexOf('=');
      if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== 'q') continue;
      const n = Number(param.slice(eq + 1).trim());
      q = Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
    }
    ranges.push({ type, subtype, q, index });
  });
  return ranges;
}

interface Offer {
  format: 'json' | 'html';
  type: string;
  contentType: string;
}

// Server preference, used only to break exact ties: HTML first, as PyPI does for */*.
const offers: Offer[] = [
  { format: 'html', type: 'text/html', contentType: TEXT_HTML },
  { format: 'html', type: HTML_V1, contentType: HTML_V1 },
  { format: 'html', type: 'application/vnd.pypi.simple.latest+html', contentType: HTML_V1 },
  { format: 'json', type: JSON_V1, contentType: JSON_V1 },
  { format: 'json', type: 'application/vnd.pypi.simple.latest+json', contentType: JSON_V1 },
];

/**
 * Picks a representation: highest q, then the most specific matching range
 * (exact beats type/* beats * / *), then the range listed first, then server
 * preference (HTML). undefined = nothing acceptable (406).
 */
function negotiate(accept: string | undefined, formats: ReadonlySet<'json' | 'html'>): Offer | undefined {
  const ranges = parseAccept(accept);
  let best: { offer: Offer; score: number[] } | undefined;
  offers.forEach((offer, pref) => {
    if (!formats.has(offer.format)) return;
    const [type, subtype] = offer.type.split('/');
    let match: { range: MediaRange; specificity: number } | undefined;
    for (const range of ranges) {
      const specificity =
        range.type === type && range.subtype === subtype
          ? 3
          : range.type === type && range.subtype === '*'
            ? 2
            : range.type === '*' && range.subtype === '*'
              ? 1
              : 0;
      if (specificity > (match?.specificity ?? 0)) match = { range, specificity };
    }
    if (match === undefined || match.range.q <= 0) return;
    const score = [match.range.q, match.specificity, -match.range.index, -pref];
    if (best === undefined || compareScores(score, best.score) > 0) best = { offer, score };
  });
  return best?.offer;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

// ---------------------------------------------------------------- rendering

function textReply(status: number, text: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body: Buffer.from(text, 'utf8') };
}

function htmlPage(title: string, lines: string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html>',
    '  <head>',
    '    <meta name="pypi:repository-version" content="1.1">',
    `    <title>${escapeHtml(title)}</title>`,
    '  </head>',
    '  <body>',
    `    <h1>${escapeHtml(title)}</h1>`,
    ...lines.map((l) => `    ${l}`),
    '  </body>',
    '</html>',
    '',
  ].join('\n');
}

function parseMetadata(text: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let last: { key: string; values: string[] } | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    if (/^[ \t]/.test(line) && last !== undefined) {
      const i = last.values.length - 1;
      last.values[i] = `${last.values[i] ?? ''}\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const values = headers.get(key) ?? [];
    values.push(line.slice(colon + 1).trim());
    headers.set(key, values);
    last = { key, values };
  }
  return headers;
}

// ---------------------------------------------------------------- server

export async function startIndexServer(options: IndexServerOptions): Promise<IndexServer> {
  const formats = new Set<'json' | 'html'>(options.formats ?? ['json', 'html']);
  const jsonApi = options.jsonApi ?? true;
  const metadataFiles = options.metadataFiles ?? true;
  let serial = options.lastSerial ?? 1;
  let index: Index = { projects: new Map(), files: new Map(), rootPages: new Map() };
  const rules: Array<{ rule: FaultRule; used: number }> = [];
  const requests: RequestLogEntry[] = [];
  const received: Array<{ method: string; path: string }> = [];
  const validators = new Map<string, { etag: string; lastModified: number }>();
  const pendingDelays = new Set<() => void>();
  let closed = false;
  let baseUrl = '';

  const simpleFile = (f: ResolvedFile) => {
    const announced = metadataFiles && f.metadataSha256 !== undefined ? { sha256: f.metadataSha256 } : false;
    return {
      filename: f.filename,
      url: f.url,
      hashes: { sha256: f.sha256 },
      'requires-python': f.requiresPython ?? null,
      'core-metadata': announced,
      'dist-info-metadata': announced,
      yanked: f.yanked,
      size: f.size,
      'upload-time': f.uploadTime,
    };
  };

  const renderIndex = (offer: Offer): string => {
    const projects = [...index.projects.values()];
    if (offer.format === 'json') {
      return JSON.stringify({
        meta: { 'api-version': '1.1', '_last-serial': serial },
        projects: projects.map((p) => ({ name: p.name, '_last-serial': p.serial })),
      });
    }
    return htmlPage(
      'Simple index',
      projects.map((p) => `<a href="/simple/${escapeHtml(encodeURIComponent(p.normalized))}/">${escapeHtml(p.name)}</a><br />`),
    );
  };

  const renderProject = (p: ResolvedProject, offer: Offer): string => {
    if (offer.format === 'json') {
      return JSON.stringify({
        meta: { 'api-version': '1.1', '_last-serial': p.serial },
        name: p.normalized,
        versions: p.versions,
        files: p.files.map(simpleFile),
      });
    }
    const anchors = p.files.map((f) => {
      let attrs = '';
      if (f.requiresPython !== undefined) attrs += ` data-requires-python="${escapeHtml(f.requiresPython)}"`;
      if (f.yanked !== false) attrs += ` data-yanked="${f.yanked === true ? '' : escapeHtml(f.yanked)}"`;
      if (metadataFiles && f.metadataSha256 !== undefined) {
        attrs += ` data-core-metadata="sha256=${f.metadataSha256}" data-dist-info-metadata="sha256=${f.metadataSha256}"`;
      }
      return `<a href="${escapeHtml(f.url)}#sha256=${escapeHtml(f.sha256)}"${attrs}>${escapeHtml(f.filename)}</a><br />`;
    });
    return htmlPage(`Links for ${p.normalized}`, anchors);
  };

  const renderJsonApi = (p: ResolvedProject, version: string): Reply | undefined => {
    const files = p.files.filter((f) => f.version === version);
    if (files.length === 0 && !p.versions.includes(version)) return undefined;
    const withMetadata = files.find((f) => f.metadata !== undefined);
    const md = parseMetadata(withMetadata?.metadata ?? '');
    const projectUrls: Record<string, string> = {};
    for (const entry of md.get('project-url') ?? []) {
      const comma = entry.indexOf(',');
      if (comma !== -1) projectUrls[entry.slice(0, comma).trim()] = entry.slice(comma + 1).trim();
    }
    const yanked = files.length > 0 && files.every((f) => f.yanked !== false);
    const reason = files.find((f) => typeof f.yanked === 'string')?.yanked;
    const body = {
      info: {
        name: md.get('name')?.[0] ?? p.name,
        version,
        summary: md.get('summary')?.[0] ?? '',
        requires_dist: md.get('requires-dist') ?? null,
        requires_python: md.get('requires-python')?.[0] ?? files.find((f) => f.requiresPython !== undefined)?.requiresPython ?? null,
        classifiers: md.get('classifier') ?? [],
        provides_extra: md.get('provides-extra') ?? null,
        yanked,
        yanked_reason: yanked && typeof reason === 'string' ? reason : null,
        project_urls: Object.keys(projectUrls).length > 0 ? projectUrls : null,
      },
      last_serial: p.serial,
      urls: files.map((f) => ({
        filename: f.filename,
        packagetype: isWheel(f.filename) ? 'bdist_wheel' : 'sdist',
        url: f.url,
        digests: { sha256: f.sha256 },
        requires_python: f.requiresPython ?? null,
        yanked: f.yanked !== false,
        yanked_reason: typeof f.yanked === 'string' ? f.yanked : null,
        size: f.size,
        upload_time: f.uploadTime.replace(/(\.\d+)?Z$/, ''),
        upload_time_iso_8601: f.uploadTime,
      })),
      vulnerabilities: [],
    };
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify(body), 'utf8'),
      serial: p.serial,
    };
  };

  /** A simple-API page in the negotiated format, rendered once per content type and then served from `pages`. */
  const negotiated = (
    req: IncomingMessage,
    pathname: string,
    pages: PageCache,
    render: (offer: Offer) => string,
    pageSerial?: number,
  ): Reply => {
    const offer = negotiate(req.headers.accept, formats);
    if (offer === undefined) {
      const available = offers.filter((o) => formats.has(o.format)).map((o) => o.type);
      return textReply(406, `Not Acceptable; available: ${available.join(', ')}\n`, { vary: 'Accept' });
    }
    let page = pages.get(offer.contentType);
    if (page === undefined) {
      const body = Buffer.from(render(offer), 'utf8');
      page = { body, etag: etagOf(body) };
      pages.set(offer.contentType, page);
    }
    return {
      status: 200,
      headers: { 'content-type': offer.contentType, vary: 'Accept' },
      body: page.body,
      cacheKey: `${pathname} ${offer.contentType}`,
      etag: page.etag,
      serial: pageSerial,
    };
  };

  /** The response without faults or validators. */
  const route = (req: IncomingMessage): Reply => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return textReply(405, 'Method Not Allowed\n', { allow: 'GET, HEAD' });
    const target = req.url ?? '/';
    const pathname = target.split('?')[0] ?? '/';
    const segments: string[] = [];
    try {
      for (const s of pathname.split('/').slice(1)) segments.push(decodeURIComponent(s));
    } catch {
      return textReply(400, 'Bad Request\n');
    }
    const [top, second, third, fourth, ...rest] = segments;

    if (top === 'simple') {
      if (second === undefined) return textReply(301, 'Moved\n', { location: `${baseUrl}/simple/` });
      if (second === '' && third === undefined) return negotiated(req, pathname, index.rootPages, renderIndex);
      if (second === '' || (third !== undefined && third !== '') || fourth !== undefined) return textReply(404, 'Not Found\n');
      const normalized = normalizeName(second);
      if (normalized !== second || third === undefined) {
        return textReply(301, 'Moved Permanently\n', { location: `${baseUrl}/simple/${encodeURIComponent(normalized)}/` });
      }
      const p = index.projects.get(normalized);
      if (p === undefined) return textReply(404, `Project '${normalized}' not found\n`);
      return negotiated(req, pathname, p.pages, (offer) => renderProject(p, offer), p.serial);
    }

    if (top === 'files' && second !== undefined && third === undefined) {
      const file = index.files.get(second);
      if (file !== undefined) {
        return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: file.content, cacheKey: pathname };
      }
      if (second.endsWith('.metadata') && metadataFiles) {
        const dist = index.files.get(second.slice(0, -'.metadata'.length));
        if (dist?.metadata !== undefined) {
          return {
            status: 200,
            headers: { 'content-type': 'text/plain; charset=utf-8' },
            body: Buffer.from(dist.metadata, 'utf8'),
            cacheKey: pathname,
          };
        }
      }
      return textReply(404, 'Not Found\n');
    }

    if (jsonApi && top === 'pypi' && second && third && fourth === 'json' && (rest.length === 0 || (rest.length === 1 && rest[0] === ''))) {
      const p = index.projects.get(normalizeName(second));
      const reply = p === undefined ? undefined : renderJsonApi(p, third);
      if (reply === undefined) return { ...textReply(404, '{"message": "Not Found"}\n'), headers: { 'content-type': 'application/json' } };
      return { ...reply, cacheKey: pathname };
    }

    return textReply(404, 'Not Found\n');
  };

  /** route() plus ETag / Last-Modified and conditional handling. */
  const respond = (req: IncomingMessage): Reply => {
    const reply = route(req);
    if (reply.status !== 200 || reply.cacheKey === undefined) return reply;
    const etag = reply.etag ?? etagOf(reply.body);
    let v = validators.get(reply.cacheKey);
    if (v === undefined || v.etag !== etag) {
      const now = Math.floor(Date.now() / 1000) * 1000;
      v = { etag, lastModified: v === undefined ? now : Math.max(now, v.lastModified + 1000) };
      validators.set(reply.cacheKey, v);
    }
    const headers: Record<string, string> = { ...reply.headers, etag, 'last-modified': new Date(v.lastModified).toUTCString() };
    if (options.cacheControl) headers['cache-control'] = options.cacheControl;
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    let notModified = false;
    if (inm !== undefined) {
      notModified = inm
        .split(',')
        .map((t) => t.trim().replace(/^W\//, ''))
        .some((t) => t === '*' || t === etag);
    } else if (ims !== undefined) {
      const since = Date.parse(ims);
      notModified = Number.isFinite(since) && v.lastModified <= since;
    }
    if (notModified) {
      delete headers['content-type'];
      return { status: 304, headers, body: Buffer.alloc(0), serial: reply.serial };
    }
    return { ...reply, headers };
  };

  const arrivals = new WeakMap<IncomingMessage, number>();
  const log = (req: IncomingMessage, status: number): void => {
    requests.push({
      startedAt: arrivals.get(req) ?? performance.now(),
      endedAt: performance.now(),
      method: req.method ?? '',
      path: req.url ?? '',
      accept: req.headers.accept,
      ifNoneMatch: req.headers['if-none-match'],
      ifModifiedSince: req.headers['if-modified-since'],
      status,
    });
  };

  const send = (req: IncomingMessage, res: ServerResponse, reply: Reply): void => {
    log(req, reply.status);
    const bodyless = req.method === 'HEAD' || reply.status === 304 || reply.status === 204;
    res.writeHead(reply.status, {
      ...reply.headers,
      'x-pypi-last-serial': String(reply.serial ?? serial),
      ...(reply.status !== 304 && reply.status !== 204 && { 'content-length': String(reply.body.length) }),
    });
    res.end(bodyless ? undefined : reply.body);
  };

  const delay = (ms: number): Promise<boolean> =>
    new Promise((resolveDelay) => {
      const cancel = () => {
        clearTimeout(timer);
        pendingDelays.delete(cancel);
        resolveDelay(false);
      };
      const timer = setTimeout(() => {
        pendingDelays.delete(cancel);
        resolveDelay(true);
      }, ms);
      pendingDelays.add(cancel);
    });

  const jsonTypeFor = (pathname: string) => (pathname.startsWith('/pypi/') ? 'application/json' : JSON_V1);

  const applyFault = async (fault: Fault, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    switch (fault.kind) {
      case 'slow': {
        if (!(await delay(fault.delayMs))) return;
        if (res.destroyed) {
          log(req, 0);
          return;
        }
        send(req, res, respond(req));
        return;
      }
      case 'status': {
        const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter };
        send(req, res, textReply(fault.status, `injected fault: HTTP ${fault.status}\n`, headers));
        return;
      }
      case 'truncate': {
        let reply = respond(req);
        if (reply.body.length < 2) reply = { status: 200, headers: { 'content-type': jsonTypeFor(pathname) }, body: Buffer.from(`{"padding": "${'x'.repeat(64)}"}`) };
        log(req, reply.status);
        res.writeHead(reply.status, {
          ...reply.headers,
          'x-pypi-last-serial': String(reply.serial ?? serial),
          'content-length': String(reply.body.length),
        });
        if (req.method === 'HEAD') {
          res.flushHeaders();
          req.socket.destroy();
          return;
        }
        res.write(reply.body.subarray(0, Math.floor(reply.body.length / 2)), () => req.socket.destroy());
        return;
      }
      case 'reset': {
        log(req, 0);
        req.socket.resetAndDestroy();
        return;
      }
      case 'wrong-content-type': {
        const reply = respond(req);
        send(req, res, { ...reply, headers: { ...reply.headers, 'content-type': 'image/png' } });
        return;
      }
      case 'invalid-json': {
        send(req, res, { status: 200, headers: { 'content-type': jsonTypeFor(pathname) }, body: Buffer.from('{"meta": {') });
        return;
      }
      case 'invalid-html': {
        const garbage =
          '<!DOCTYPE html>\n<html><head><title>Links for <b>nothing\n<body><h1>Not an index<div><p>garbage &amp &#x; <<< >>> ' +
          '<table><tr><td>\u0000\ufffd</td>\n<!-- an unterminated comment <p>';
        send(req, res, { status: 200, headers: { 'content-type': TEXT_HTML }, body: Buffer.from(garbage, 'utf8') });
        return;
      }
      case 'huge': {
        log(req, 200);
        res.writeHead(200, {
          'content-type': jsonTypeFor(pathname),
          'x-pypi-last-serial': String(serial),
          ...(fault.contentLength === true && { 'content-length': String(fault.bytes) }),
        });
        if (req.method === 'HEAD') {
          res.end();
          return;
        }
        const prefix = Buffer.from(`{"meta": {"api-version": "1.1", "_last-serial": ${serial}}, "name": "huge", "files": [`);
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let remaining = fault.bytes;
        const first = prefix.subarray(0, Math.min(prefix.length, remaining));
        remaining -= first.length;
        let ok = res.write(first);
        while (remaining > 0 && !res.destroyed && !closed) {
          if (!ok) {
            await new Promise<void>((go) => {
              const done = () => {
                res.off('drain', done);
                res.off('close', done);
                go();
              };
              res.on('drain', done);
              res.on('close', done);
            });
            if (res.destroyed || closed) return;
          }
          const n = Math.min(chunk.length, remaining);
          remaining -= n;
          ok = res.write(chunk.subarray(0, n));
        }
        if (!res.destroyed) res.end();
        return;
      }
    }
  };

  const server = createServer((req, res) => {
    arrivals.set(req, performance.now());
    received.push({ method: req.method ?? '', path: req.url ?? '' });
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    const active = rules.find(({ rule, used }) => {
      if (rule.times !== undefined && used >= rule.times) return false;
      if (typeof rule.match === 'string') return rule.match === pathname;
      rule.match.lastIndex = 0;
      return rule.match.test(pathname);
    });
    if (active === undefined) {
      send(req, res, respond(req));
      return;
    }
    active.used++;
    applyFault(active.rule.fault, req, res, pathname).catch((err: unknown) => {
      res.destroy(err instanceof Error ? err : new Error(String(err)));
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  try {
    index = resolve(options.projects, baseUrl, serial);
  } catch (err) {
    server.close();
    throw err;
  }

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    simpleUrl: `${baseUrl}/simple/`,
    requests,
    received,
    addFault(rule) {
      rules.push({ rule, used: 0 });
    },
    clearFaults() {
      rules.length = 0;
    },
    setProjects(projects, lastSerial) {
      const next = lastSerial ?? serial + 1;
      index = resolve(projects, baseUrl, next, index);
      serial = next;
    },
    close() {
      closing ??= new Promise<void>((resolveClose) => {
        closed = true;
        for (const cancel of [...pendingDelays]) cancel();
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
