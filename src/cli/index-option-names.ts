import { DEFAULT_INDEX_URL } from '../index-client/index-defaults.js';

// The index options' names, help and defaults, without the network code:
// a command can declare them without loading undici (see index-options.ts).

export const DEFAULT_NIGHTLY_INDEX_URL = 'https://pypi.anaconda.org/scientific-python-nightly-wheels/simple';

export const INDEX_OPTIONS = {
  'index-url': { type: 'string' },
  'extra-index-url': { type: 'string', multiple: true },
  'nightly-index-url': { type: 'string', multiple: true },
  'no-nightly': { type: 'boolean' },
  'cache-dir': { type: 'string' },
  'no-cache': { type: 'boolean' },
  offline: { type: 'boolean' },
  timeout: { type: 'string' },
  retries: { type: 'string' },
} as const;

export const INDEX_HELP = `Index options:
  --index-url URL          Package index (default: ${DEFAULT_INDEX_URL}; env FTREADY_INDEX_URL)
  --extra-index-url URL    Another index whose files are merged in, repeatable
  --nightly-index-url URL  Index of nightly wheels, repeatable (default:
                           ${DEFAULT_NIGHTLY_INDEX_URL};
                           env FTREADY_NIGHTLY_INDEX_URL, "none" for none)
  --no-nightly             Do not look for nightly wheels
  --cache-dir DIR          HTTP cache (default: the user cache directory; env FTREADY_CACHE_DIR)
  --no-cache               Neither read nor write the cache
  --offline                Answer from the cache alone
  --timeout SECONDS        Per-request timeout (default: 30)
  --retries N              Retries on connection errors, 429 and 5xx (default: 4)
Credentials come from the URL (https://user:pass@host/) or ~/.netrc ($NETRC);
HTTPS_PROXY and NO_PROXY are honoured.
`;

export interface IndexValues {
  'index-url'?: string;
  'extra-index-url'?: string[];
  'nightly-index-url'?: string[];
  'no-nightly'?: boolean;
  'cache-dir'?: string;
  'no-cache'?: boolean;
  offline?: boolean;
  timeout?: string;
  retries?: string;
}
