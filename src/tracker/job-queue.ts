import type PgBoss from 'pg-boss';
import type { SyncItem } from './sync-run.js';

// The PostgreSQL job queue for syncing at scale, on pg-boss: `sync --enqueue`
// puts one job per project on it, and any number of `ftready worker`
// processes, on any machines sharing the database, take jobs from it.
//
// - The queue's "stately" policy with the project name as singleton key
//   allows at most one active job per project, so no project is ever synced
//   by two workers at once, even when it was enqueued twice.
// - A worker that dies mid-job leaves the job active; when its time limit
//   passes, pg-boss's maintenance marks it failed and it is retried.

export const SYNC_QUEUE = 'ftready-sync';

export interface QueueSettings {
  /** Seconds a job may run before it counts as abandoned and is retried. */
  jobTimeoutSeconds: number;
  retryLimit: number;
}

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = { jobTimeoutSeconds: 300, retryLimit: 5 };

export interface SyncJobData {
  name: string;
  serial: number | null;
}

async function startBoss(url: string, settings: QueueSettings): Promise<PgBoss> {
  const { default: Boss } = await import('pg-boss');
  const boss = new Boss({
    connectionString: url,
    // Abandoned jobs are found by maintenance: run it often enough that a
    // killed worker's job comes back within about one job timeout.
    maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.floor(settings.jobTimeoutSeconds / 2))),
  });
  boss.on('error', () => {
    // Errors of pg-boss's background loops are transient (a lost connection); they are retried on the next tick.
  });
  await boss.start();
  await boss.createQueue(SYNC_QUEUE, {
    name: SYNC_QUEUE,
    policy: 'stately',
    retryLimit: settings.retryLimit,
    retryDelay: 1,
    retryBackoff: true,
    expireInSeconds: settings.jobTimeoutSeconds,
  });
  return boss;
}

export async function enqueueSync(url: string, items: readonly SyncItem[], settings: QueueSettings): Promise<number> {
  const boss = await startBoss(url, settings);
  try {
    // The time limit goes on each job: a queue keeps the options it was first created with.
    const jobs = items.map((item) => ({ name: SYNC_QUEUE, data: { name: item.name, serial: item.serial } satisfies SyncJobData, singletonKey: item.name, expireInSeconds: settings.jobTimeoutSeconds }));
    for (let i = 0; i < jobs.length; i += 1000) await boss.insert(jobs.slice(i, i + 1000));
    return jobs.length;
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

export interface WorkerHandle {
  /** Resolves when the worker has stopped. */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  settings: QueueSettings;
  /** Jobs fetched and run together. */
  batchSize: number;
  /** Stop once no job is waiting, retrying or running. */
  untilEmpty: boolean;
  handle(job: SyncJobData): Promise<void>;
  /** Called whenever the queue is seen empty (e.g. to write the day's snapshot). */
  onDrained(): Promise<void>;
}

export async function startWorker(url: string, options: WorkerOptions): Promise<WorkerHandle> {
  const boss = await startBoss(url, options.settings);
  let stopping: Promise<void> | null = null;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  const stop = () => {
    stopping ??= boss.stop({ graceful: true, wait: true, timeout: 30_000 }).then(resolveStopped);
    return stopping;
  };
  let workerId: string | null = null;
  workerId = await boss.work<SyncJobData>(SYNC_QUEUE, { batchSize: options.batchSize, pollingIntervalSeconds: 0.5 }, async (jobs) => {
    try {
      // A failed project throws, so pg-boss fails the batch and retries its jobs; syncing is idempotent.
      await Promise.all(jobs.map((job) => options.handle(job.data)));
    } finally {
      // pg-boss sleeps a polling interval after every batch; while jobs keep coming, fetch the next batch at once.
      if (workerId) boss.notifyWorker(workerId);
    }
  });
  let wasEmpty = false;
  const poll = setInterval(() => {
    void (async () => {
      if (stopping) return;
      const open = await boss.getQueueSize(SYNC_QUEUE, { before: 'completed' });
      const empty = open === 0;
      if (empty && !wasEmpty) await options.onDrained();
      wasEmpty = empty;
      if (empty && options.untilEmpty) await stop();
    })().catch(() => {
      // The next tick asks again.
    });
  }, 1000);
  void stopped.then(() => clearInterval(poll));
  return { stopped, stop };
}
