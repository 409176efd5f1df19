import { redactUrl } from '../index-client/errors.js';
import type { HttpFetcher } from '../index-client/http-fetcher.js';
import { parseJsonListing, type IndexListing } from '../index-client/index-listing.js';
import { MalformedPageError } from '../index-client/project-page.js';
import { normalizeProjectName } from '../standards/project-name.js';
import type { Readiness } from '../status/vocabulary.js';
import { syncProject, type SyncContext, type SyncOutcome } from './project-sync.js';

// A sync run: which projects to visit, visiting them with bounded
// concurrency, and the summary a person reads at the end. Each project is
// written in its own transaction, so a run killed at any point can simply be
// run again: finished projects revalidate (304) and the rest are synced.

const JSON_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01';

export interface SyncItem {
  name: string;
  serial: number | null;
}

export interface ReadinessChange {
  name: string;
  target: string;
  version: string | null;
}

export interface SyncSummary {
  total: number;
  updated: number;
  unchanged: number;
  skipped: number;
  notFound: string[];
  failed: Array<{ name: string; reason: string }>;
  newlyReady: ReadinessChange[];
  dropped: ReadinessChange[];
  /** True when Ctrl-C stopped the run before every project was visited. */
  interrupted: boolean;
}

export function emptySummary(total: number): SyncSummary {
  return { total, updated: 0, unchanged: 0, skipped: 0, notFound: [], failed: [], newlyReady: [], dropped: [], interrupted: false };
}

export class ListingError extends Error {
  override name = 'ListingError';
}

/**
 * The index's root page: every project on it, with serials when the JSON form
 * gives them. With the ETag of an earlier listing, null means the index has
 * not changed since (a 304).
 */
export async function listIndex(fetcher: HttpFetcher, indexUrl: string, etag: string | null = null): Promise<{ listing: IndexListing; etag: string | null } | null> {
  const res = await fetcher.get(indexUrl, { accept: JSON_ACCEPT, ...(etag !== null && { 'if-none-match': etag }) });
  if (res.status === 304 && etag !== null) return null;
  if (res.status !== 200) throw new ListingError(`${redactUrl(indexUrl)}: HTTP ${res.status}`);
  const type = (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const text = res.body.toString('utf8');
  try {
    if (type === 'application/vnd.pypi.simple.v1+json') return { listing: parseJsonListing(text), etag: res.headers.etag ?? null };
    const { parseHtmlListing } = await import('../index-client/simple-html.js');
    return { listing: parseHtmlListing(text), etag: res.headers.etag ?? null };
  } catch (err) {
    if (err instanceof MalformedPageError) throw new ListingError(`${redactUrl(indexUrl)}: ${err.message}`);
    throw err;
  }
}

/** Folds one project's outcome into the summary. */
export function record(summary: SyncSummary, outcome: SyncOutcome): void {
  switch (outcome.kind) {
    case 'skipped':
      summary.skipped++;
      return;
    case 'unchanged':
      summary.unchanged++;
      return;
    case 'not-found':
      summary.notFound.push(outcome.name);
      return;
    case 'failed':
      summary.failed.push({ name: outcome.name, reason: outcome.reason });
      return;
    case 'updated': {
      summary.updated++;
      // A project seen for the first time is news to the store, not to the ecosystem.
      if (outcome.before === null) return;
      for (const [target, now] of Object.entries(outcome.after)) {
        const was: Readiness | undefined = outcome.before[target];
        if (was === undefined || was === now) continue;
        const change = { name: outcome.name, target, version: outcome.latest };
        if (now === 'ready') summary.newlyReady.push(change);
        else if (was === 'ready') summary.dropped.push(change);
      }
    }
  }
}

export interface RunOptions {
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, current: string) => void;
}

export async function runSync(ctx: SyncContext, items: readonly SyncItem[], options: RunOptions): Promise<SyncSummary> {
  const summary = emptySummary(items.length);
  const known = await ctx.store.validators(items.map((i) => i.name));
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < items.length && !options.signal?.aborted) {
      const item = items[next++]!;
      let outcome: SyncOutcome;
      try {
        outcome = await syncProject(ctx, item.name, item.serial, known.get(item.name));
      } catch (err) {
        // Ctrl-C cancels requests in flight; what finished is kept, and the summary says so.
        if (options.signal?.aborted) return;
        throw err;
      }
      record(summary, outcome);
      options.onProgress?.(++done, items.length, item.name);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, items.length)) }, lane));
  summary.interrupted = options.signal?.aborted === true && done < items.length;
  return summary;
}

/** Names given on the command line, normalised and without repeats. */
export function packageItems(names: readonly string[]): SyncItem[] {
  return [...new Set(names.map(normalizeProjectName))].map((name) => ({ name, serial: null }));
}
