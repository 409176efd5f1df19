import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { ftreadyAsync, type CliResult } from '../helpers/cli.js';
import { freshDatabase, type TestDatabase } from '../helpers/postgres.js';
import { waitFor } from '../helpers/wait-for.js';
import { generateEcosystem } from '../support/ecosystem.js';
import { startIndexServer, type IndexServer } from '../support/index-server.js';

// Scale-out on the machine's PostgreSQL: `sync --enqueue` fills the job
// queue, three workers drain it, and one of them is killed mid-run.
//
// The worker to be killed reads from its own copy of the index, whose project
// pages never answer in time: it is killed while it certainly holds jobs, so
// the test sees those jobs abandoned and retried whatever the timing.

const PROJECTS = 120;
const PROJECT_PAGE = /^\/simple\/[^/]+\/$/;

describe('ftready worker on PostgreSQL', () => {
  let server: IndexServer;
  let stalled: IndexServer;
  let database: TestDatabase;
  before(async () => {
    const { projects } = generateEcosystem(PROJECTS);
    server = await startIndexServer({ projects });
    // Slow project pages keep every worker busy, so the kill lands mid-run.
    server.addFault({ match: PROJECT_PAGE, fault: { kind: 'slow', delayMs: 60 } });
    stalled = await startIndexServer({ projects });
    stalled.addFault({ match: PROJECT_PAGE, fault: { kind: 'slow', delayMs: 120_000 } });
    database = await freshDatabase();
  });
  after(async () => {
    await server.close();
    await stalled.close();
    await database.drop();
  });

  test('three workers sync every project once; a killed worker loses nothing', async () => {
    const common = ['--database', database.url, '--no-nightly', '--retries', '0'];
    const enqueued = await ftreadyAsync(['sync', '--all', '--enqueue', '--job-timeout', '2', '--python', '3.14t', '--index-url', server.simpleUrl, ...common]);
    assert.equal(enqueued.code, 0, enqueued.stderr);
    assert.match(enqueued.stdout, new RegExp(`Enqueued ${PROJECTS} projects`));

    const workerArgs = (index: IndexServer) => ['worker', '--until-empty', '--batch-size', '4', '--job-timeout', '2', '--quiet', '--index-url', index.simpleUrl, ...common];
    let victim: ChildProcess | undefined;
    const runs: Promise<CliResult>[] = [
      ftreadyAsync(workerArgs(stalled), {}, (child) => (victim = child)),
      ftreadyAsync(workerArgs(server)),
      ftreadyAsync(workerArgs(server)),
    ];
    // Kill the first worker once the queue is well under way and it is waiting on a project page.
    const underWay = () => server.requests.filter((r) => PROJECT_PAGE.test(r.path) && r.status === 200).length >= PROJECTS / 4;
    const victimMidJob = () => stalled.received.some((r) => PROJECT_PAGE.test(r.path));
    try {
      await waitFor(() => underWay() && victimMidJob(), 'the workers to get under way');
    } finally {
      victim!.kill('SIGKILL');
    }
    const [killed, ...survivors] = await Promise.all(runs);
    assert.equal(killed!.code, 137);
    for (const s of survivors) assert.equal(s.code, 0, s.stderr);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const projects = await client.query<{ n: string }>('select count(*) as n from projects');
      assert.equal(Number(projects.rows[0]!.n), PROJECTS, 'every project was synced');
      const jobs = await client.query<{ key: string; state: string; retries: number }>(
        "select singleton_key as key, state, retry_count as retries from pgboss.job where name = 'ftready-sync'",
      );
      assert.equal(jobs.rows.length, PROJECTS, 'one job per project');
      assert.deepEqual([...new Set(jobs.rows.map((j) => j.state))], ['completed']);
      assert.ok(jobs.rows.some((j) => j.retries > 0), "the killed worker's jobs were retried");
      const statuses = await client.query<{ n: string }>("select count(*) as n from targets where platform = '*'");
      assert.equal(Number(statuses.rows[0]!.n), PROJECTS, 'each project has exactly one roll-up per target');
    } finally {
      await client.end();
    }

    // No project page was being fetched by two workers at the same time. (The
    // killed worker's stalled fetches died with it, before its jobs expired.)
    const byPath = new Map<string, Array<{ startedAt: number; endedAt: number }>>();
    for (const r of server.requests) if (PROJECT_PAGE.test(r.path)) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);
    for (const [path, spans] of byPath) {
      spans.sort((a, b) => a.startedAt - b.startedAt);
      for (let i = 1; i < spans.length; i++) assert.ok(spans[i]!.startedAt >= spans[i - 1]!.endedAt, `${path} was fetched by two workers at once`);
    }
  });
});
