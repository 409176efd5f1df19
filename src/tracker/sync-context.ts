import { CachedHttp } from '../index-client/cached-http.js';
import { redactUrl } from '../index-client/errors.js';
import { HttpFetcher, type FetcherOptions } from '../index-client/http-fetcher.js';
import { normalizeIndexUrl, PackageIndex } from '../index-client/package-index.js';
import { parseInterpreter, type Interpreter } from '../standards/interpreters.js';
import { platformFamily, type PlatformFamily } from '../standards/platform-families.js';
import type { TrackerSettings } from '../store/read-models.js';
import type { TrackerStore } from '../store/tracker-store.js';
import { normalizeProjectName } from '../standards/project-name.js';
import type { NightlySource, SyncContext } from './project-sync.js';
import { listIndex } from './sync-run.js';

// Everything a sync or a worker needs to visit projects: the HTTP client
// (without the CLI's disk cache: the store keeps the validators), the
// index, and the nightly indexes with the list of projects each one holds,
// so projects without nightly wheels cost no request there.

export interface ContextOptions {
  store: TrackerStore;
  settings: TrackerSettings;
  indexUrl: string;
  nightlyUrls: readonly string[];
  fetcher: FetcherOptions;
  force: boolean;
}

export interface OpenContext {
  ctx: SyncContext;
  /** Things the user should know, e.g. a nightly index that could not be listed. */
  notes: string[];
  close(): Promise<void>;
}

export async function openSyncContext(options: ContextOptions): Promise<OpenContext> {
  const fetcher = new HttpFetcher(options.fetcher);
  const http = new CachedHttp(fetcher, null, 'off');
  const notes: string[] = [];
  const nightly: NightlySource[] = [];
  for (const url of options.nightlyUrls) {
    const indexUrl = normalizeIndexUrl(url);
    try {
      const { listing } = (await listIndex(fetcher, indexUrl))!;
      nightly.push({ index: new PackageIndex(http, [indexUrl]), projects: new Set(listing.projects.map((p) => normalizeProjectName(p.name))) });
    } catch (err) {
      notes.push(`nightly index ${redactUrl(indexUrl)} skipped: ${(err as Error).message}`);
    }
  }
  const indexUrl = normalizeIndexUrl(options.indexUrl);
  return {
    ctx: {
      fetcher,
      index: new PackageIndex(http, [indexUrl], { memoize: false }),
      indexUrl,
      nightly,
      // Settings were checked when they were saved; ids this version does not know are left out.
      interpreters: options.settings.targets.map(parseInterpreter).filter((i): i is Interpreter => i !== null),
      families: options.settings.platforms.map(platformFamily).filter((f): f is PlatformFamily => f !== undefined),
      store: options.store,
      force: options.force,
    },
    notes,
    close: () => fetcher.close(),
  };
}
