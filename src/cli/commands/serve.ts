import { join } from 'node:path';
import { CachedHttp } from '../../index-client/cached-http.js';
import { HttpCache } from '../../index-client/http-cache.js';
import { HttpFetcher } from '../../index-client/http-fetcher.js';
import { PackageIndex } from '../../index-client/package-index.js';
import { parseInterpreter, type Interpreter } from '../../standards/interpreters.js';
import { DEFAULT_PLATFORMS, platformFamily, type PlatformFamily } from '../../standards/platform-families.js';
import { startServer } from '../../web/server.js';
import { EXIT } from '../exit-codes.js';
import { checkedUrl } from '../index-options.js';
import { UsageError, type CliIO } from '../io.js';
import { interpretersFrom, parseCommandLine } from '../options.js';
import { openStore, STORE_HELP } from '../store-options.js';
import { interruptSignal, TRACKER_INDEX_HELP, TRACKER_COMMON_OPTIONS, trackerIndexSetup, wholeNumber } from '../tracker-options.js';

const HELP = `Usage: ftready serve [options]

Serves the tracker: the overview with its charts, the searchable package
table, a page per package, "check your project", the JSON API under /api/v1
(described at /api/v1/openapi.json), badges at /badge/NAME.svg and an Atom
feed of newly ready packages. Data comes from "ftready sync".

Options:
  --host HOST          Address to listen on (default: 127.0.0.1; use 0.0.0.0
                       only to serve other machines)
  --port PORT          Port (default: 8000; 0 picks a free one)
  --check-max-kb N     Largest file "check your project" accepts (default: 1024)
  --check-per-minute N Checks per client per minute (default: 10)
  --public-url URL     The site's address as users reach it, e.g. behind a
                       proxy (default: the listening address); used in the
                       Atom feed and badge snippets
  -h, --help           Show this help

The check page resolves requirements and pyproject files through the index:
${TRACKER_INDEX_HELP}
${STORE_HELP}
Stops cleanly on Ctrl-C or SIGTERM. Exit codes: 0 stopped, 2 usage error
or the address cannot be listened on, 3 database unreachable.
`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine('serve', args, {
    host: { type: 'string' },
    port: { type: 'string' },
    'check-max-kb': { type: 'string' },
    'check-per-minute': { type: 'string' },
    'public-url': { type: 'string' },
    ...TRACKER_COMMON_OPTIONS,
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`serve: unexpected argument "${positionals[0]}"`);
  const host = values.host ?? '127.0.0.1';
  const port = wholeNumber('--port', values.port, 8000, 0);
  if (port > 65535) throw new UsageError(`--port must be at most 65535; got "${values.port}"`);
  const checkMaxBytes = wholeNumber('--check-max-kb', values['check-max-kb'], 1024) * 1024;
  const checkPerMinute = wholeNumber('--check-per-minute', values['check-per-minute'], 10);
  const publicUrl = values['public-url'] === undefined ? undefined : checkedUrl('--public-url', values['public-url']);

  const interrupt = interruptSignal();
  try {
    const store = await openStore(values, io);
    const settings = await store.settings();
    const setup = trackerIndexSetup(values, io, interrupt.signal, settings?.indexUrl || undefined);
    const fetcher = new HttpFetcher(setup.fetcher);
    const cacheDir = join(values['data-dir'] ?? io.env.FTREADY_DATA_DIR ?? 'ftready-data', 'http-cache');
    const http = new CachedHttp(fetcher, new HttpCache(cacheDir), 'use');
    const interpreters: Interpreter[] = settings ? settings.targets.map(parseInterpreter).filter((i): i is Interpreter => i !== null) : interpretersFrom(undefined);
    const families = (settings?.platforms ?? DEFAULT_PLATFORMS).map(platformFamily).filter((f): f is PlatformFamily => f !== undefined);
    try {
      const running = await startServer({
        store,
        host,
        port,
        checkMaxBytes,
        checkPerMinute,
        ...(publicUrl !== undefined && { publicUrl }),
        check: { interpreters, families, index: new PackageIndex(http, [setup.indexUrl]), nightly: setup.nightlyUrls.map((u) => new PackageIndex(http, [u])) },
      }).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE' || err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL') throw new UsageError(`serve: cannot listen on ${host}:${port} (${err.code})`);
        throw err;
      });
      io.stderr(`ftready serve: ${running.url}/ (data: ${store.location}); Ctrl-C stops\n`);
      await new Promise<void>((resolve) => interrupt.signal.addEventListener('abort', () => resolve(), { once: true }));
      await running.close();
      return EXIT.ok;
    } finally {
      await http.flush();
      await fetcher.close();
      await store.close();
    }
  } finally {
    interrupt.release();
  }
}
