import { readFileSync } from 'node:fs';
import { redactUrl } from '../../index-client/errors.js';
import { HttpFetcher, type FetcherOptions } from '../../index-client/http-fetcher.js';
import { normalizeProjectName } from '../../standards/project-name.js';
import { FREE_THREADED_INTERPRETERS } from '../../standards/interpreters.js';
import { DEFAULT_PLATFORMS } from '../../standards/platform-families.js';
import type { TrackerSettings } from '../../store/read-models.js';
import type { TrackerStore } from '../../store/tracker-store.js';
import { DEFAULT_QUEUE_SETTINGS, enqueueSync } from '../../tracker/job-queue.js';
import { openSyncContext } from '../../tracker/sync-context.js';
import { listIndex, ListingError, packageItems, runSync, type SyncItem, type SyncSummary } from '../../tracker/sync-run.js';
import { parseTopList, TopListError } from '../../tracker/top-list.js';
import { EXIT } from '../exit-codes.js';
import { progressLine } from '../index-options.js';
import { UsageError, type CliIO } from '../io.js';
import { interpretersFrom, oneOf, parseCommandLine, platformsFrom } from '../options.js';
import { databaseUrl, openStore, STORE_HELP } from '../store-options.js';
import { interruptSignal, TRACKER_INDEX_HELP, TRACKER_COMMON_OPTIONS, trackerIndexSetup, wholeNumber } from '../tracker-options.js';

const HELP = `Usage: ftready sync (--top N --top-list FILE|URL | --package NAME... | --all) [options]

Syncs projects from a package index into the tracker's database: every
release's status per interpreter and platform, first-ready and dropped-support
events, classifiers, nightly wheels and download ranks. Incremental: a project
whose serial or ETag has not changed costs one revalidation request or none.
Safe to stop at any point and run again.

What to sync:
  --top N              The top N projects of --top-list
  --top-list FILE|URL  A top-packages list: {"rows": [{"project": ..., "download_count": ...}]}
  --package NAME       A project, repeatable
  --all                Every project on the index (uses its _last-serial when given)

Options:
  --python VERSION     Free-threaded interpreter, repeatable (default: what the
                       last sync saved, else 3.13t, 3.14t, 3.15t)
  --platform FAMILY    Platform family, repeatable, or "all" (default: what the
                       last sync saved, else the five main ones)
  --force              Recompute every project, ignoring serials and ETags
  --concurrency N      Projects synced at once (default: 32)
  --enqueue            PostgreSQL only: put one job per project on the job
                       queue for "ftready worker" processes, and exit
                       (--force and --concurrency then do not apply)
  --job-timeout SECONDS
                       With --enqueue: how long a job may run before it counts
                       as abandoned and is retried (default: 300)
  --format FORMAT      Summary as text or json (default: text)
  -q, --quiet          No progress line
  -h, --help           Show this help

${TRACKER_INDEX_HELP}
${STORE_HELP}
Exit codes: 0 synced, 1 some projects failed or were not found, 2 usage
error, 3 index or database unreachable, 130 interrupted (rerun to resume).
`;

async function readTopList(source: string, fetcher: HttpFetcher) {
  let text: string;
  if (/^https?:\/\//i.test(source)) {
    const res = await fetcher.get(source, { accept: 'application/json' });
    if (res.status !== 200) throw new UsageError(`--top-list ${source}: HTTP ${res.status}`);
    text = res.body.toString('utf8');
  } else {
    try {
      text = readFileSync(source, 'utf8');
    } catch (err) {
      throw new UsageError(`--top-list ${source}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
  }
  try {
    return parseTopList(text, source);
  } catch (err) {
    if (err instanceof TopListError) throw new UsageError(`--top-list ${err.message}`);
    throw err;
  }
}

function renderSummary(s: SyncSummary, seconds: number): string {
  const lines = [
    `${s.total} projects: ${s.updated} updated, ${s.unchanged} unchanged (304), ${s.skipped} unchanged (serial), ${s.notFound.length} not found, ${s.failed.length} failed in ${seconds.toFixed(1)} s`,
  ];
  if (s.newlyReady.length > 0) lines.push(`Newly ready (${s.newlyReady.length}):`, ...s.newlyReady.map((c) => `  ✓ ${c.name} ${c.version ?? ''} on ${c.target}`));
  if (s.dropped.length > 0) lines.push(`Dropped support (${s.dropped.length}):`, ...s.dropped.map((c) => `  ✗ ${c.name} ${c.version ?? ''} on ${c.target}`));
  if (s.notFound.length > 0) lines.push(`Not on the index: ${s.notFound.slice(0, 20).join(', ')}${s.notFound.length > 20 ? ', …' : ''}`);
  for (const f of s.failed.slice(0, 20)) lines.push(`  failed: ${f.name}: ${f.reason}`);
  if (s.failed.length > 20) lines.push(`  … and ${s.failed.length - 20} more`);
  if (s.interrupted) lines.push('Interrupted: run the same command again to resume.');
  return `${lines.join('\n')}\n`;
}

async function settingsFor(store: TrackerStore, values: { python?: string[]; platform?: string[] }, indexUrl: string, topN: number | null): Promise<TrackerSettings> {
  const saved = await store.settings();
  return {
    targets: values.python ? interpretersFrom(values.python).map((i) => i.id) : (saved?.targets ?? [...FREE_THREADED_INTERPRETERS]),
    platforms: values.platform ? platformsFrom(values.platform).map((f) => f.id) : (saved?.platforms ?? [...DEFAULT_PLATFORMS]),
    topN: topN ?? saved?.topN ?? 360,
    indexUrl: redactUrl(indexUrl),
  };
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandLine('sync', args, {
    top: { type: 'string' },
    'top-list': { type: 'string' },
    package: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    python: { type: 'string', multiple: true },
    platform: { type: 'string', multiple: true },
    force: { type: 'boolean' },
    concurrency: { type: 'string' },
    enqueue: { type: 'boolean' },
    'job-timeout': { type: 'string' },
    format: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    ...TRACKER_COMMON_OPTIONS,
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const chosen = [values.top !== undefined, values.package !== undefined, values.all === true].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError('sync: give exactly one of --top N (with --top-list), --package NAME or --all');
  if (values.top !== undefined && values['top-list'] === undefined) throw new UsageError('sync: --top needs --top-list FILE|URL');
  const topN = values.top === undefined ? null : wholeNumber('--top', values.top, 0);
  const format = oneOf('--format', values.format, ['text', 'json'], 'text');
  const concurrency = wholeNumber('--concurrency', values.concurrency, 32);
  const jobTimeout = wholeNumber('--job-timeout', values['job-timeout'], DEFAULT_QUEUE_SETTINGS.jobTimeoutSeconds);
  const interrupt = interruptSignal();
  try {
    const { indexUrl, nightlyUrls, fetcher: fetcherOptions } = trackerIndexSetup(values, io, interrupt.signal);
    const store = await openStore(values, io);
    const fetcher = new HttpFetcher(fetcherOptions);
    try {
      if (values.enqueue && store.engine !== 'postgres') throw new UsageError('sync: --enqueue needs --database postgres://…: the job queue lives in PostgreSQL');
      const settings = await settingsFor(store, values, indexUrl, topN);
      const selection = await selectItems(values, store, fetcher, indexUrl, topN);
      await store.saveSettings(settings);
      if (values.enqueue) {
        const count = await enqueueSync(databaseUrl(values, io)!, selection.items, { ...DEFAULT_QUEUE_SETTINGS, jobTimeoutSeconds: jobTimeout });
        io.stdout(format === 'json' ? `${JSON.stringify({ enqueued: count })}\n` : `Enqueued ${count} projects; start "ftready worker" processes to sync them.\n`);
        return EXIT.ok;
      }
      return await syncNow({ io, store, settings, selection, indexUrl, nightlyUrls, fetcherOptions, force: values.force === true, concurrency, format, quiet: values.quiet === true, signal: interrupt.signal });
    } catch (err) {
      if (!(err instanceof ListingError)) throw err;
      io.stderr(`ftready: error: cannot list the index: ${err.message}\n`);
      return EXIT.network;
    } finally {
      await fetcher.close();
      await store.close();
    }
  } finally {
    interrupt.release();
  }
}

interface Selection {
  items: SyncItem[];
  /** Said before the summary, e.g. that the index is unchanged. */
  note?: string;
  /** Called after a run that visited every project without failures. */
  completed?(): Promise<void>;
}

async function selectItems(values: { package?: string[]; all?: boolean; 'top-list'?: string; force?: boolean }, store: TrackerStore, fetcher: HttpFetcher, indexUrl: string, topN: number | null): Promise<Selection> {
  if (values.package) return { items: packageItems(values.package) };
  if (values.all) {
    // The root page's ETag is trusted only once a run over its listing has finished: an interrupted run must resume.
    const key = `listing ${redactUrl(indexUrl)}`;
    const saved = JSON.parse((await store.setting(key)) ?? 'null') as { etag: string | null; complete: boolean } | null;
    const listed = await listIndex(fetcher, indexUrl, saved?.complete && !values.force ? saved.etag : null);
    if (listed === null) return { items: [], note: 'The index is unchanged since the last complete sync.' };
    await store.putSetting(key, JSON.stringify({ etag: listed.etag, complete: false }));
    const serials = new Map(listed.listing.projects.map((p) => [normalizeProjectName(p.name), p.serial]));
    return {
      items: packageItems(listed.listing.projects.map((p) => p.name)).map((item) => ({ ...item, serial: serials.get(item.name) ?? null })),
      completed: () => store.putSetting(key, JSON.stringify({ etag: listed.etag, complete: true })),
    };
  }
  const ranks = await readTopList(values['top-list']!, fetcher);
  await store.setRanks(ranks);
  return { items: ranks.slice(0, topN!).map((r) => ({ name: r.project, serial: null })) };
}

interface SyncNow {
  io: CliIO;
  store: TrackerStore;
  settings: TrackerSettings;
  selection: Selection;
  indexUrl: string;
  nightlyUrls: string[];
  fetcherOptions: FetcherOptions;
  force: boolean;
  concurrency: number;
  format: 'text' | 'json';
  quiet: boolean;
  signal: AbortSignal;
}

async function syncNow(o: SyncNow): Promise<number> {
  const started = Date.now();
  const open = await openSyncContext({ store: o.store, settings: o.settings, indexUrl: o.indexUrl, nightlyUrls: o.nightlyUrls, fetcher: o.fetcherOptions, force: o.force });
  for (const note of open.notes) o.io.stderr(`ftready: ${note}\n`);
  let summary: SyncSummary;
  try {
    summary = await runSync(open.ctx, o.selection.items, { concurrency: o.concurrency, signal: o.signal, onProgress: progressLine(o.io, o.quiet) });
  } finally {
    await open.close();
  }
  if (!summary.interrupted) await o.store.writeSnapshot(o.settings.topN);
  if (!summary.interrupted && summary.failed.length === 0) await o.selection.completed?.();
  if (o.selection.note && o.format === 'text') o.io.stdout(`${o.selection.note}\n`);
  o.io.stdout(o.format === 'json' ? `${JSON.stringify(summary, null, 2)}\n` : renderSummary(summary, (Date.now() - started) / 1000));
  if (summary.interrupted) return EXIT.interrupted;
  if (summary.total > 0 && summary.failed.length === summary.total) {
    o.io.stderr(`ftready: error: cannot reach the package index: ${summary.failed[0]!.reason}\n`);
    return EXIT.network;
  }
  return summary.failed.length > 0 || summary.notFound.length > 0 ? EXIT.failed : EXIT.ok;
}
