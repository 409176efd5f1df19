import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '../test/helpers/postgres.js';
import { generateEcosystem } from '../test/support/ecosystem.js';
import { startIndexServer } from '../test/support/index-server.js';
import type { Row } from './row.js';

// Issue 4's budgets: sync throughput against the local index (SQLite and
// PostgreSQL), and the server's package pages and badges under load from a
// separate autocannon process on 127.0.0.1.

const PROJECTS = 2000;

function run(cli: string, args: string[]): Promise<{ ms: number; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, FTREADY_NIGHTLY_INDEX_URL: 'none' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, code, stderr }));
  });
}

function startServe(cli: string, args: string[]): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(stderr);
      if (m) resolve({ url: m[1]!, child });
    });
    child.on('close', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
}

interface Load {
  requestsPerSecond: number;
  p99: number;
  errors: number;
}

function autocannon(url: string, seconds: number): Promise<Load> {
  const bin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, '--json', '-c', '32', '-d', String(seconds), url], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', () => {
      try {
        const r = JSON.parse(out) as { requests: { average: number }; latency: { p99: number }; errors: number; non2xx: number };
        resolve({ requestsPerSecond: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx });
      } catch (err) {
        reject(err);
      }
    });
  });
}

export async function trackerRows(cli: string): Promise<Row[]> {
  const { projects, topList } = generateEcosystem(PROJECTS);
  const index = await startIndexServer({ projects });
  const dir = mkdtempSync(join(tmpdir(), 'ftready-bench-tracker-'));
  const top = join(dir, 'top.json');
  writeFileSync(top, JSON.stringify(topList));
  const syncArgs = ['sync', '--top', String(PROJECTS), '--top-list', top, '--index-url', index.simpleUrl, '--no-nightly', '--quiet', '--python', '3.13t,3.14t,3.15t'];
  const rows: Row[] = [];
  const throughput = (name: string, ms: number, code: number | null, budget: number | null): Row => {
    const rate = (PROJECTS / ms) * 1000;
    return {
      name,
      median: `${rate.toFixed(0)} projects/s`,
      spread: `1 run, ${(ms / 1000).toFixed(1)} s`,
      memory: '',
      budget: budget === null ? '' : `≥ ${budget} projects/s`,
      verdict: code !== 0 ? `FAILED (exit ${code})` : budget === null ? '' : rate >= budget ? 'ok' : 'OVER',
    };
  };
  try {
    const dataDir = join(dir, 'sqlite');
    const sqlite = await run(cli, [...syncArgs, '--data-dir', dataDir]);
    rows.push(throughput(`sync ${PROJECTS} projects, SQLite, first run`, sqlite.ms, sqlite.code, 200));
    const resync = await run(cli, [...syncArgs, '--data-dir', dataDir]);
    rows.push(throughput(`sync ${PROJECTS} projects, SQLite, unchanged index (304s)`, resync.ms, resync.code, null));

    const database = await freshDatabase();
    try {
      const pg = await run(cli, [...syncArgs, '--database', database.url]);
      rows.push(throughput(`sync ${PROJECTS} projects, PostgreSQL, first run`, pg.ms, pg.code, null));
    } finally {
      await database.drop();
    }

    const served = await startServe(cli, ['--data-dir', dataDir, '--index-url', index.simpleUrl, '--no-nightly']);
    try {
      const name = normalized(topList.rows[0]!.project);
      await fetch(`${served.url}/packages/${name}`);
      const page = await autocannon(`${served.url}/packages/${name}`, 10);
      rows.push({
        name: 'serve: package page under load (autocannon, 32 connections, 10 s)',
        median: `${page.requestsPerSecond.toFixed(0)} req/s`,
        spread: `p99 ${page.p99} ms`,
        memory: '',
        budget: '≥ 1500 req/s, p99 ≤ 50 ms',
        verdict: page.errors > 0 ? `${page.errors} errors` : page.requestsPerSecond >= 1500 && page.p99 <= 50 ? 'ok' : 'OVER',
      });
      const badge = await autocannon(`${served.url}/badge/${name}.svg?python=3.14t`, 10);
      rows.push({
        name: 'serve: badge under load (autocannon, 32 connections, 10 s)',
        median: `${badge.requestsPerSecond.toFixed(0)} req/s`,
        spread: `p99 ${badge.p99} ms`,
        memory: '',
        budget: '≥ 3000 req/s',
        verdict: badge.errors > 0 ? `${badge.errors} errors` : badge.requestsPerSecond >= 3000 ? 'ok' : 'OVER',
      });
    } finally {
      served.child.kill('SIGTERM');
    }
  } finally {
    await index.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

function normalized(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}
