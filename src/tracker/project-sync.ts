import { IndexUnreachableError, redactUrl, ResponseTooLargeError } from '../index-client/errors.js';
import type { HttpFetcher } from '../index-client/http-fetcher.js';
import { parsePage, type PackageIndex } from '../index-client/package-index.js';
import { MalformedPageError, type ProjectPage } from '../index-client/project-page.js';
import { classifierOf, nightlyOf } from '../project/project-status.js';
import type { Interpreter } from '../standards/interpreters.js';
import type { PlatformFamily } from '../standards/platform-families.js';
import { groupByVersion, latestVersion, releaseHistory } from '../status/release-history.js';
import type { Readiness } from '../status/vocabulary.js';
import type { NightlyRecord, ProjectRecord } from '../store/project-record.js';
import type { TrackerStore, Validators } from '../store/tracker-store.js';

// Syncing one project: ask the index whether its page changed (by serial or
// a conditional request), and only when it did, work out every release's
// status and replace the project's rows in one transaction.

const ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01';

export interface NightlySource {
  index: PackageIndex;
  /** The projects the nightly index holds, from its root page; null when it could not be listed. */
  projects: ReadonlySet<string> | null;
}

export interface SyncContext {
  fetcher: HttpFetcher;
  /** The same index, for core metadata (not memoised: a sync may cover a whole index). */
  index: PackageIndex;
  /** With a trailing slash. */
  indexUrl: string;
  nightly: NightlySource[];
  interpreters: readonly Interpreter[];
  families: readonly PlatformFamily[];
  store: TrackerStore;
  /** Ignore serials and validators: recompute every project. */
  force: boolean;
}

export type SyncOutcome =
  /** The index's serial matched: no request was made. */
  | { name: string; kind: 'skipped' }
  /** The index answered 304 Not Modified. */
  | { name: string; kind: 'unchanged' }
  | { name: string; kind: 'updated'; before: Record<string, Readiness> | null; after: Record<string, Readiness>; latest: string | null }
  | { name: string; kind: 'not-found' }
  /** Nothing was written; the project's stored rows (if any) stay as they were. */
  | { name: string; kind: 'failed'; reason: string };

interface Fetched {
  page: ProjectPage | null;
  etag: string | null;
  lastModified: string | null;
  problem: string | null;
}

async function fetchPage(ctx: SyncContext, name: string, known: Validators | undefined): Promise<SyncOutcome | Fetched> {
  const url = `${ctx.indexUrl}${name}/`;
  const headers: Record<string, string> = { accept: ACCEPT };
  if (known && !ctx.force) {
    if (known.etag) headers['if-none-match'] = known.etag;
    if (known.lastModified) headers['if-modified-since'] = known.lastModified;
  }
  const res = await ctx.fetcher.get(url, headers);
  if (res.status === 304) return { name, kind: 'unchanged' };
  if (res.status === 404 || res.status === 410) return { name, kind: 'not-found' };
  if (res.status !== 200) return { name, kind: 'failed', reason: `${redactUrl(url)}: HTTP ${res.status}` };
  const validators = { etag: res.headers.etag ?? null, lastModified: res.headers['last-modified'] ?? null };
  try {
    const page = await parsePage({ body: res.body, contentType: res.headers['content-type'] ?? null, serial: res.headers['x-pypi-last-serial'] ?? null }, url);
    return { page, ...validators, problem: null };
  } catch (err) {
    if (!(err instanceof MalformedPageError)) throw err;
    return { page: null, ...validators, problem: `${redactUrl(url)}: ${err.message}` };
  }
}

async function nightlyRecords(ctx: SyncContext, name: string): Promise<NightlyRecord[]> {
  const holding = ctx.nightly.filter((n) => n.projects === null || n.projects.has(name));
  const found = await Promise.all(holding.map((n) => nightlyOf(n.index, name, ctx)));
  return found
    .filter((n) => n.version !== null || n.problem !== undefined)
    .map((n) => ({ indexUrl: n.index, version: n.version, readiness: n.readiness, problem: n.problem ?? null }));
}

async function recordOf(ctx: SyncContext, name: string, fetched: Fetched): Promise<ProjectRecord> {
  const page = fetched.page;
  const files = page ? groupByVersion(name, page.files, page.versions) : new Map();
  const history = releaseHistory(name, files, ctx.interpreters, ctx.families);
  const latest = latestVersion(history.releases);
  const record: ProjectRecord = {
    name,
    displayName: name,
    indexUrl: redactUrl(ctx.indexUrl),
    etag: fetched.etag,
    lastModified: fetched.lastModified,
    lastSerial: page?.lastSerial ?? null,
    summary: null,
    homePage: null,
    projectUrls: [],
    classifiers: [],
    classifier: null,
    latestVersion: latest,
    metadataSource: null,
    problem: fetched.problem ?? (page && page.files.length === 0 ? 'the index lists no files for this project' : null),
    files,
    history,
    nightly: await nightlyRecords(ctx, name),
    syncedAt: new Date().toISOString(),
  };
  const metadataVersion = latest ?? history.releases[0]?.version;
  if (metadataVersion !== undefined) {
    const meta = await ctx.index.metadata(name, metadataVersion, files.get(metadataVersion) ?? []);
    if (meta.kind === 'found') {
      const m = meta.metadata;
      record.displayName = m.name ?? name;
      record.summary = m.summary;
      record.homePage = m.homePage;
      record.projectUrls = m.projectUrls;
      record.classifiers = m.classifiers;
      const c = classifierOf(m.classifiers, metadataVersion);
      record.classifier = c && { level: c.level, label: c.label };
      record.metadataSource = meta.source;
    }
  }
  return record;
}

/** Syncs one project. `listedSerial` comes from the index's root page, when it gives serials. */
export async function syncProject(ctx: SyncContext, name: string, listedSerial: number | null, known: Validators | undefined): Promise<SyncOutcome> {
  if (!ctx.force && known && listedSerial !== null && known.lastSerial === listedSerial) return { name, kind: 'skipped' };
  try {
    const fetched = await fetchPage(ctx, name, known);
    if ('kind' in fetched) return fetched;
    // A page that cannot be read does not replace good data from an earlier sync.
    if (fetched.page === null && known) return { name, kind: 'failed', reason: fetched.problem! };
    const record = await recordOf(ctx, name, fetched);
    const before = await ctx.store.writeProject(record);
    const latest = record.history.releases.find((r) => r.version === record.latestVersion);
    const after = Object.fromEntries(ctx.interpreters.map((i) => [i.id, latest?.readiness[i.id] ?? ('unknown' as Readiness)]));
    return { name, kind: 'updated', before, after, latest: record.latestVersion };
  } catch (err) {
    if (err instanceof IndexUnreachableError || err instanceof ResponseTooLargeError) return { name, kind: 'failed', reason: err.message };
    throw err;
  }
}
