import { createHash } from 'node:crypto';
import { normalizeProjectName } from '../standards/project-name.js';
import type { CachedHttp } from './cached-http.js';
import { parseCoreMetadata, type CoreMetadata } from './core-metadata.js';
import { OfflineMissError, redactUrl, ResponseTooLargeError } from './errors.js';
import { MalformedPageError, parseJsonPage, type IndexFile, type ProjectPage } from './project-page.js';

// A PyPI-compatible index (or several, with pip's --extra-index-url meaning:
// every index is asked and their files are merged).


const ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01';

export type ProjectLookup =
  | { kind: 'found'; page: ProjectPage; indexes: string[] }
  | { kind: 'not-found'; indexes: string[] }
  | { kind: 'unknown'; reason: string };

export type MetadataLookup = { kind: 'found'; metadata: CoreMetadata; source: string } | { kind: 'unknown'; reason: string };

/** Index URLs end with a slash, as pip writes them, so project pages resolve under them. */
export function normalizeIndexUrl(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** A project page in whichever simple-API format the index answered with. */
export async function parsePage(status: { body: Buffer; contentType: string | null; serial: string | null }, url: string): Promise<ProjectPage> {
  const type = (status.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const text = status.body.toString('utf8');
  if (type === 'application/vnd.pypi.simple.v1+json') return parseJsonPage(text, url, status.serial);
  if (type === 'application/vnd.pypi.simple.v1+html' || type === 'text/html') {
    // The HTML parser is loaded only for indexes that answer in HTML.
    const { parseHtmlPage } = await import('./simple-html.js');
    return parseHtmlPage(text, url, status.serial);
  }
  throw new MalformedPageError(`unexpected content type "${type || 'none'}"`);
}

export class PackageIndex {
  readonly indexUrls: string[];
  // One answer per project and per release for the life of a command: a
  // dependency walk asks for the same project once per target.
  private readonly projects = new Map<string, Promise<ProjectLookup>>();
  private readonly metadataCache = new Map<string, Promise<MetadataLookup>>();

  /**
   * `memoize: false` for long runs over many projects (the tracker's sync),
   * which ask for each project once and must not keep every answer in memory.
   */
  constructor(
    private readonly http: CachedHttp,
    indexUrls: string[],
    private readonly options: { memoize: boolean } = { memoize: true },
  ) {
    this.indexUrls = indexUrls.map(normalizeIndexUrl);
  }

  /** The index URLs as they may be shown: without credentials. */
  get displayUrls(): string[] {
    return this.indexUrls.map(redactUrl);
  }

  private async fromIndex(indexUrl: string, project: string): Promise<{ page: ProjectPage } | { notFound: true } | { error: string }> {
    const url = `${indexUrl}${project}/`;
    try {
      const res = await this.http.get(url, ACCEPT);
      if (res.status === 404 || res.status === 410) return { notFound: true };
      if (res.status !== 200) return { error: `${redactUrl(url)}: HTTP ${res.status}` };
      return { page: await parsePage(res, url) };
    } catch (err) {
      if (err instanceof MalformedPageError) return { error: `${redactUrl(url)}: ${err.message}` };
      if (err instanceof ResponseTooLargeError || err instanceof OfflineMissError) return { error: err.message };
      throw err;
    }
  }

  /** The project's files on every configured index. Unreachable indexes throw IndexUnreachableError. */
  project(name: string): Promise<ProjectLookup> {
    const project = normalizeProjectName(name);
    if (!this.options.memoize) return this.fetchProject(project);
    let lookup = this.projects.get(project);
    if (!lookup) {
      lookup = this.fetchProject(project);
      this.projects.set(project, lookup);
    }
    return lookup;
  }

  private async fetchProject(project: string): Promise<ProjectLookup> {
    const answers = await Promise.all(this.indexUrls.map((u) => this.fromIndex(u, project)));
    const pages = answers.flatMap((a, i) => ('page' in a ? [{ page: a.page, index: this.indexUrls[i]! }] : []));
    const errors = answers.flatMap((a) => ('error' in a ? [a.error] : []));
    if (pages.length === 0) {
      return errors.length > 0 ? { kind: 'unknown', reason: errors[0]! } : { kind: 'not-found', indexes: this.displayUrls };
    }
    const files = new Map<string, IndexFile>();
    for (const { page } of pages) for (const f of page.files) if (!files.has(f.filename)) files.set(f.filename, f);
    const versions = pages.some((p) => p.page.versions) ? [...new Set(pages.flatMap((p) => p.page.versions ?? []))] : null;
    return {
      kind: 'found',
      page: { name: pages[0]!.page.name || project, files: [...files.values()], versions, lastSerial: pages[0]!.page.lastSerial },
      indexes: pages.map((p) => redactUrl(p.index)),
    };
  }

  /**
   * Core metadata of a release without downloading a wheel: the PEP 658/714
   * `.metadata` file when the index announces one, else PyPI's JSON API.
   */
  metadata(project: string, version: string, files: IndexFile[]): Promise<MetadataLookup> {
    if (!this.options.memoize) return this.fetchMetadata(project, version, files);
    const key = `${normalizeProjectName(project)}==${version}`;
    let lookup = this.metadataCache.get(key);
    if (!lookup) {
      lookup = this.fetchMetadata(project, version, files);
      this.metadataCache.set(key, lookup);
    }
    return lookup;
  }

  private async fetchMetadata(project: string, version: string, files: IndexFile[]): Promise<MetadataLookup> {
    const withMetadata = files.find((f) => f.coreMetadata !== false && f.filename.endsWith('.whl')) ?? files.find((f) => f.coreMetadata !== false);
    if (withMetadata) {
      const url = `${withMetadata.url}.metadata`;
      const expected = (withMetadata.coreMetadata as Record<string, string>).sha256;
      try {
        const res = await this.http.get(url, '*/*', expected !== undefined);
        if (res.status === 200) {
          if (expected && createHash('sha256').update(res.body).digest('hex') !== expected) {
            return { kind: 'unknown', reason: `${redactUrl(url)}: metadata does not match the hash the index announced` };
          }
          return { kind: 'found', metadata: parseCoreMetadata(res.body.toString('utf8')), source: redactUrl(url) };
        }
      } catch (err) {
        if (!(err instanceof ResponseTooLargeError || err instanceof OfflineMissError)) throw err;
      }
    }
    return this.jsonApiMetadata(project, version);
  }

  private async jsonApiMetadata(project: string, version: string): Promise<MetadataLookup> {
    const index = this.indexUrls.find((u) => /\/simple\/$/.test(u));
    if (!index) return { kind: 'unknown', reason: 'the index has no metadata files and no JSON API' };
    const url = `${index.replace(/\/simple\/$/, '/pypi/')}${normalizeProjectName(project)}/${encodeURIComponent(version)}/json`;
    try {
      const res = await this.http.get(url, 'application/json');
      if (res.status !== 200) return { kind: 'unknown', reason: `no metadata: ${redactUrl(url)} answered HTTP ${res.status}` };
      const doc = JSON.parse(res.body.toString('utf8')) as { info?: Record<string, unknown> };
      const info = doc.info ?? {};
      const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
      const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
      const urls = typeof info.project_urls === 'object' && info.project_urls !== null ? Object.entries(info.project_urls as Record<string, unknown>) : [];
      return {
        kind: 'found',
        source: redactUrl(url),
        metadata: {
          name: str(info.name),
          version: str(info.version),
          summary: str(info.summary),
          requiresDist: strings(info.requires_dist),
          requiresPython: str(info.requires_python),
          providesExtra: strings(info.provides_extra),
          classifiers: strings(info.classifiers),
          projectUrls: urls.flatMap(([label, u]) => (typeof u === 'string' ? [{ label, url: u }] : [])),
          homePage: str(info.home_page),
        },
      };
    } catch (err) {
      if (err instanceof SyntaxError) return { kind: 'unknown', reason: `${redactUrl(url)}: invalid JSON` };
      if (err instanceof ResponseTooLargeError || err instanceof OfflineMissError) return { kind: 'unknown', reason: err.message };
      throw err;
    }
  }
}
