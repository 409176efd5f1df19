import { DEFAULT_QUEUE_SETTINGS, startWorker } from '../../tracker/job-queue.js';
import { syncProject } from '../../tracker/project-sync.js';
import { openSyncContext } from '../../tracker/sync-context.js';
import { EXIT } from '../exit-codes.js';
import { UsageError, type CliIO } from '../io.js';
import { parseCommandLine } from '../options.js';
import { databaseUrl, openStore, STORE_HELP } from '../store-options.js';
import { interruptSignal, TRACKER_INDEX_HELP, TRACKER_COMMON_OPTIONS, trackerIndexSetup, wholeNumber } from '../tracker-options.js';

const HELP = `Usage: ftready worker --database postgres://… [options]

Takes sync jobs that "ftready sync --enqueue" put on the PostgreSQL job
queue, and syncs those projects. Run any number of workers, on any machines
that share the database: no project is synced by two workers at once, and the
job of a worker that dies is retried after its job timeout. Interpreters,
platforms and the top-N size come from the settings the enqueuing sync saved.

Options:
  --batch-size N       Jobs taken and run together (default: 8)
  --until-empty        Exit once no job is waiting, retrying or running
  --job-timeout SECONDS
                       As given to sync --enqueue (default: 300); sets how
                       often abandoned jobs are looked for
  -q, --quiet          Print nothing but errors
  -h, --help           Show this help

${TRACKER_INDEX_HELP}
${STORE_HELP}
Exit codes: 0 stopped (SIGINT/SIGTERM or --until-empty), 2 usage error,
3 database unreachable.
`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine('worker', args, {
    'batch-size': { type: 'string' },
    'until-empty': { type: 'boolean' },
    'job-timeout': { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    ...TRACKER_COMMON_OPTIONS,
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`worker: unexpected argument "${positionals[0]}"`);
  const url = databaseUrl(values, io);
  if (url === undefined) throw new UsageError('worker: needs --database postgres://… (or FTREADY_DATABASE_URL): the job queue lives in PostgreSQL');
  const batchSize = wholeNumber('--batch-size', values['batch-size'], 8);
  const jobTimeout = wholeNumber('--job-timeout', values['job-timeout'], DEFAULT_QUEUE_SETTINGS.jobTimeoutSeconds);

  const interrupt = interruptSignal();
  try {
    const store = await openStore(values, io);
    try {
      const settings = await store.settings();
      if (!settings) throw new UsageError('worker: the database has no tracker settings yet; run "ftready sync --enqueue" first');
      // The index URL saved by sync has no credentials: give them to workers with --index-url or FTREADY_INDEX_URL.
      const setup = trackerIndexSetup(values, io, interrupt.signal, settings.indexUrl);
      const open = await openSyncContext({ store, settings, indexUrl: setup.indexUrl, nightlyUrls: setup.nightlyUrls, fetcher: setup.fetcher, force: false });
      for (const note of open.notes) io.stderr(`ftready: ${note}\n`);
      let synced = 0;
      try {
        const known = (name: string) => store.validators([name]).then((m) => m.get(name));
        const worker = await startWorker(url, {
          settings: { ...DEFAULT_QUEUE_SETTINGS, jobTimeoutSeconds: jobTimeout },
          batchSize,
          untilEmpty: values['until-empty'] === true,
          handle: async (job) => {
            const outcome = await syncProject(open.ctx, job.name, job.serial, await known(job.name));
            if (outcome.kind === 'failed') throw new Error(`${job.name}: ${outcome.reason}`);
            synced++;
          },
          onDrained: () => store.writeSnapshot(settings.topN),
        });
        if (!values.quiet) io.stderr(`ftready worker: taking jobs from ${store.location}\n`);
        interrupt.signal.addEventListener('abort', () => void worker.stop(), { once: true });
        await worker.stopped;
      } finally {
        await open.close();
      }
      if (!values.quiet) io.stderr(`ftready worker: stopped after ${synced} projects\n`);
      return EXIT.ok;
    } finally {
      await store.close();
    }
  } finally {
    interrupt.release();
  }
}
