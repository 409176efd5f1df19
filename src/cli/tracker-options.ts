import { DEFAULT_FETCHER_OPTIONS, type FetcherOptions } from '../index-client/http-fetcher.js';
import { DEFAULT_INDEX_URL } from '../index-client/index-defaults.js';
import { normalizeIndexUrl } from '../index-client/package-index.js';
import { DEFAULT_NIGHTLY_INDEX_URL } from './index-option-names.js';
import { checkedUrl, readNetrc } from './index-options.js';
import { STORE_OPTIONS } from './store-options.js';
import { UsageError, type CliIO } from './io.js';

// Index options of the tracker's sync and worker commands. Unlike `check`,
// they read one index (no extra indexes) and keep no HTTP cache: the
// database holds each project's validators.

export const TRACKER_INDEX_OPTIONS = {
  'index-url': { type: 'string' },
  'nightly-index-url': { type: 'string', multiple: true },
  'no-nightly': { type: 'boolean' },
  timeout: { type: 'string' },
  retries: { type: 'string' },
} as const;

/** Options every tracker command (sync, worker, serve) takes besides its own. */
export const TRACKER_COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  ...STORE_OPTIONS,
  ...TRACKER_INDEX_OPTIONS,
} as const;

export const TRACKER_INDEX_HELP = `Index options:
  --index-url URL      Package index (default: ${DEFAULT_INDEX_URL}; env FTREADY_INDEX_URL)
  --nightly-index-url URL
                       Index of nightly wheels, repeatable (default:
                       ${DEFAULT_NIGHTLY_INDEX_URL};
                       env FTREADY_NIGHTLY_INDEX_URL, "none" for none)
  --no-nightly         Do not look for nightly wheels
  --timeout SECONDS    Per-request timeout (default: 30)
  --retries N          Retries on connection errors, 429 and 5xx (default: 4)
`;

export interface TrackerIndexValues {
  'index-url'?: string;
  'nightly-index-url'?: string[];
  'no-nightly'?: boolean;
  timeout?: string;
  retries?: string;
}

export function wholeNumber(option: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`${option} must be a whole number of at least ${min}; got "${value}"`);
  return Number(value);
}

export interface TrackerIndexSetup {
  indexUrl: string;
  nightlyUrls: string[];
  fetcher: FetcherOptions;
}

export function trackerIndexSetup(values: TrackerIndexValues, io: CliIO, signal: AbortSignal, fallbackIndexUrl?: string): TrackerIndexSetup {
  const indexUrl = normalizeIndexUrl(checkedUrl('--index-url', values['index-url'] ?? io.env.FTREADY_INDEX_URL ?? fallbackIndexUrl ?? DEFAULT_INDEX_URL));
  const nightlyUrls = values['no-nightly']
    ? []
    : (values['nightly-index-url'] ?? (io.env.FTREADY_NIGHTLY_INDEX_URL ?? DEFAULT_NIGHTLY_INDEX_URL).split(/\s+/))
        .filter((u) => u !== '' && u !== 'none')
        .map((u) => checkedUrl('--nightly-index-url', u));
  return {
    indexUrl,
    nightlyUrls,
    fetcher: {
      ...DEFAULT_FETCHER_OPTIONS,
      timeoutMs: wholeNumber('--timeout', values.timeout, 30) * 1000,
      retries: wholeNumber('--retries', values.retries, DEFAULT_FETCHER_OPTIONS.retries, 0),
      netrc: readNetrc(io.env),
      signal,
    },
  };
}

/** Ctrl-C and SIGTERM abort the signal; the listeners are removed by the returned function. */
export function interruptSignal(): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', abort);
      process.off('SIGTERM', abort);
    },
  };
}
