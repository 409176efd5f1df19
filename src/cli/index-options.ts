import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import envPaths from 'env-paths';
import { CachedHttp, type CacheMode } from '../index-client/cached-http.js';
import { HttpCache } from '../index-client/http-cache.js';
import { DEFAULT_FETCHER_OPTIONS, HttpFetcher } from '../index-client/http-fetcher.js';
import { parseNetrc } from '../index-client/netrc.js';
import { DEFAULT_INDEX_URL } from '../index-client/index-defaults.js';
import { PackageIndex } from '../index-client/package-index.js';
import { DEFAULT_NIGHTLY_INDEX_URL, type IndexValues } from './index-option-names.js';
import { UsageError, type CliIO } from './io.js';

// The options every command that reads an index shares, with pip's names
// and meanings, and environment defaults in the style of PIP_INDEX_URL.

export interface IndexSetup {
  index: PackageIndex;
  nightly: PackageIndex[];
  close(): Promise<void>;
}

/** A URL option's value, checked: http or https only. */
export function checkedUrl(option: string, value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new UsageError(`${option} "${value}" is not a URL`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new UsageError(`${option} "${value}" must be an http or https URL`);
  return value;
}

function positiveNumber(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${option} must be a non-negative number; got "${value}"`);
  return n;
}

/** ~/.netrc ($NETRC), for index credentials; an unreadable file counts as none. */
export function readNetrc(env: CliIO['env']) {
  const path = env.NETRC ?? join(homedir(), '.netrc');
  try {
    return existsSync(path) ? parseNetrc(readFileSync(path, 'utf8')) : null;
  } catch {
    return null;
  }
}

export function setUpIndexes(values: IndexValues, io: CliIO, signal: AbortSignal): IndexSetup {
  const env = io.env;
  const indexUrl = checkedUrl('--index-url', values['index-url'] ?? env.FTREADY_INDEX_URL ?? DEFAULT_INDEX_URL);
  const extra = (values['extra-index-url'] ?? env.FTREADY_EXTRA_INDEX_URL?.split(/\s+/).filter(Boolean) ?? []).map((u) => checkedUrl('--extra-index-url', u));
  const nightlyUrls = values['no-nightly']
    ? []
    : (values['nightly-index-url'] ?? (env.FTREADY_NIGHTLY_INDEX_URL ?? DEFAULT_NIGHTLY_INDEX_URL).split(/\s+/))
        .filter((u) => u !== '' && u !== 'none')
        .map((u) => checkedUrl('--nightly-index-url', u));
  const mode: CacheMode = values['no-cache'] ? 'off' : values.offline ? 'offline' : 'use';
  if (values['no-cache'] && values.offline) throw new UsageError('--offline needs the cache; it cannot be combined with --no-cache');
  const fetcher = new HttpFetcher({
    ...DEFAULT_FETCHER_OPTIONS,
    timeoutMs: positiveNumber('--timeout', values.timeout, 30) * 1000,
    retries: Math.floor(positiveNumber('--retries', values.retries, DEFAULT_FETCHER_OPTIONS.retries)),
    netrc: readNetrc(env),
    signal,
  });
  const cacheDir = values['cache-dir'] ?? env.FTREADY_CACHE_DIR ?? envPaths('ftready', { suffix: '' }).cache;
  const http = new CachedHttp(fetcher, mode === 'off' ? null : new HttpCache(cacheDir), mode);
  return {
    index: new PackageIndex(http, [indexUrl, ...extra]),
    nightly: nightlyUrls.map((u) => new PackageIndex(http, [u])),
    close: async () => {
      await http.flush();
      await fetcher.close();
    },
  };
}

/**
 * Runs network work with the indexes set up, stops it on Ctrl-C (the cache
 * stays consistent: every entry is written atomically), and closes the
 * connections afterwards.
 */
export async function withIndexes<T>(values: IndexValues, io: CliIO, work: (setup: IndexSetup) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  const setup = setUpIndexes(values, io, controller.signal);
  try {
    return await work(setup);
  } finally {
    process.off('SIGINT', onInterrupt);
    await setup.close();
  }
}

/** "[12/40] numpy" on stderr while network work runs, on a terminal and without --quiet. */
export function progressLine(io: CliIO, quiet: boolean): ((done: number, total: number, current: string) => void) | undefined {
  if (quiet || !io.stderrIsTTY) return undefined;
  return (done, total, current) => io.stderr(`\r\u001b[2K[${done}/${total}] ${current.slice(0, 60)}${done === total ? '\r\u001b[2K' : ''}`);
}
