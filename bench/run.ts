import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateUvLockOfSize } from './generate-uv-lock.js';
import { generateIndex } from './generate-index.js';
import { startIndexServer } from '../test/support/index-server.js';
import { trackerRows } from './tracker-bench.js';
import { scanRows } from './scan-bench.js';
import type { Row } from './row.js';

// `npm run bench`: every budget from the issues, measured side by side in one
// run and printed as one table. Timings never go in the test suite.

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'bin', 'main.js');
const probe = join(root, 'dist', 'bench', 'rss-probe.js');
const cache = join(root, 'bench', '.cache');
const corpus = resolve(root, '..', 'shared', 'corpus', 'lockfiles');

function timeRuns(args: string[], runs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (r.status !== 0 && r.status !== 1) throw new Error(`ftready ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return times.sort((a, b) => a - b);
}

function peakMemoryMB(args: string[]): number {
  mkdirSync(cache, { recursive: true });
  const file = join(cache, 'rss.txt');
  let peak = 0;
  for (let i = 0; i < 3; i++) {
    spawnSync(process.execPath, ['--import', probe, cli, ...args], { stdio: 'ignore', env: { ...process.env, FTREADY_BENCH_RSS_FILE: file } });
    peak = Math.max(peak, Number(readFileSync(file, 'utf8')) / 1024);
  }
  return peak;
}

function checkBench(name: string, path: string, budgetMs: number, budgetMB: number, extra: string[] = []): Row {
  const args = ['check', path, ...extra];
  timeRuns(args, 2);
  const times = timeRuns(args, 10);
  const median = (times[4]! + times[5]!) / 2;
  const mem = peakMemoryMB(args);
  const ok = median <= budgetMs && mem <= budgetMB;
  return {
    name,
    median: `${median.toFixed(0)} ms`,
    spread: `${times[0]!.toFixed(0)}–${times[9]!.toFixed(0)} ms`,
    memory: `${mem.toFixed(0)} MB`,
    budget: `≤ ${budgetMs} ms, ≤ ${budgetMB} MB`,
    verdict: ok ? 'ok' : 'OVER',
  };
}

function medianOf(runs: number, command: string[], env: NodeJS.ProcessEnv): string {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    spawnSync(command[0]!, command.slice(1), { env });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return `${((times[4]! + times[5]!) / 2).toFixed(0)} ms`;
}

function baselines(): Row[] {
  const row = (name: string, env: NodeJS.ProcessEnv): Row => ({ name, median: medianOf(10, [process.execPath, '-e', '0'], env), spread: '', memory: '', budget: '', verdict: '' });
  const rows = [row('node -e 0 (start-up floor)', process.env)];
  // Node 20 parses every certificate named by NODE_EXTRA_CA_CERTS at start-up, before any of ftready runs.
  if (process.env.NODE_EXTRA_CA_CERTS) {
    const { NODE_EXTRA_CA_CERTS: _, ...without } = process.env;
    rows.push(row('node -e 0 without NODE_EXTRA_CA_CERTS', without));
  }
  return rows;
}

const rows: Row[] = baselines();

if (existsSync(corpus)) {
  const largest = readdirSync(corpus)
    .filter((f) => /(uv\.lock|poetry\.lock|pylock\.toml)$/.test(f))
    .map((f) => join(corpus, f))
    .sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
  rows.push(checkBench(`check: largest corpus lockfile (${(statSync(largest).size / 1024).toFixed(0)} KB)`, largest, 250, 150));
} else {
  console.warn('note: ../shared/corpus is absent; skipping the corpus lockfile benchmark');
}

mkdirSync(cache, { recursive: true });
const generated = generateUvLockOfSize(700 * 1024);
const generatedPath = join(cache, 'uv.lock');
writeFileSync(generatedPath, generated.text);
const generatedName = `generated uv.lock (${(generated.text.length / 1024).toFixed(0)} KB, ${generated.wheels} wheels)`;
rows.push(checkBench(`check: ${generatedName}`, generatedPath, 250, 150));
rows.push(checkBench(`check --format json: ${generatedName}`, generatedPath, 250, 150, ['--format', 'json']));

// Issue 3: a 300-requirement project whose closure is about 600 projects,
// resolved against the local test index, with a cold and a warm cache.
function runAsync(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; rssMB: number; code: number | null; stdout: string }> {
  return new Promise((resolveRun) => {
    const rssFile = join(cache, `rss-${process.hrtime.bigint()}.txt`);
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', probe, cli, ...args], { env: { ...env, FTREADY_BENCH_RSS_FILE: rssFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      let rssMB = 0;
      try {
        rssMB = Number(readFileSync(rssFile, 'utf8')) / 1024;
      } catch {
        // The probe writes at exit; a crashed run has no figure.
      }
      rmSync(rssFile, { force: true });
      resolveRun({ ms, rssMB, code, stdout });
    });
  });
}

const generatedIndex = generateIndex(600, 300);
// PyPI sends Cache-Control: max-age=600 with its simple pages; the warm figure uses that,
// and a second server without it shows the cost when every page is revalidated.
const indexServer = await startIndexServer({ projects: generatedIndex.projects, cacheControl: 'max-age=600, public' });
const revalidatingServer = await startIndexServer({ projects: generatedIndex.projects });
const requirementsPath = join(cache, 'requirements.txt');
writeFileSync(requirementsPath, generatedIndex.requirements);
const walkCache = join(cache, `walk-cache-${Date.now()}`);
const walkEnv = { ...process.env, FTREADY_INDEX_URL: indexServer.simpleUrl, FTREADY_NIGHTLY_INDEX_URL: 'none', FTREADY_CACHE_DIR: walkCache };
const walkArgs = ['check', requirementsPath, '--format', 'json', '--fail-on', 'never', '--quiet'];
const cold = await runAsync(walkArgs, walkEnv);
const closure = cold.code === 0 ? (JSON.parse(cold.stdout) as { packages: unknown[] }).packages.length : 0;
const warmRuns: Array<{ ms: number; rssMB: number }> = [];
for (let i = 0; i < 5; i++) warmRuns.push(await runAsync(walkArgs, walkEnv));
await indexServer.close();
const revalidateEnv = { ...walkEnv, FTREADY_INDEX_URL: revalidatingServer.simpleUrl, FTREADY_CACHE_DIR: `${walkCache}-revalidate` };
await runAsync(walkArgs, revalidateEnv);
const revalidated = await runAsync(walkArgs, revalidateEnv);
await revalidatingServer.close();
for (const dir of [walkCache, `${walkCache}-revalidate`]) rmSync(dir, { recursive: true, force: true });
warmRuns.sort((a, b) => a.ms - b.ms);
const warm = warmRuns[2]!;
const walkName = `check via index: 300 requirements, closure ${closure}`;
rows.push({ name: `${walkName}, cold cache`, median: `${cold.ms.toFixed(0)} ms`, spread: '1 run', memory: `${cold.rssMB.toFixed(0)} MB`, budget: '≤ 5000 ms, ≤ 300 MB', verdict: cold.code === 0 && cold.ms <= 5000 && cold.rssMB <= 300 ? 'ok' : 'OVER' });
rows.push({ name: `${walkName}, warm cache`, median: `${warm.ms.toFixed(0)} ms`, spread: `${warmRuns[0]!.ms.toFixed(0)}–${warmRuns[4]!.ms.toFixed(0)} ms`, memory: `${Math.max(...warmRuns.map((w) => w.rssMB)).toFixed(0)} MB`, budget: '≤ 1000 ms, ≤ 300 MB', verdict: warm.ms <= 1000 ? 'ok' : 'OVER' });
rows.push({ name: `${walkName}, warm, every page revalidated (304)`, median: `${revalidated.ms.toFixed(0)} ms`, spread: '1 run', memory: `${revalidated.rssMB.toFixed(0)} MB`, budget: '', verdict: '' });

// Issue 4: the tracker.
rows.push(...(await trackerRows(cli)));

// Issue 5: the scanner.
rows.push(...scanRows(cli, resolve(root, '..', 'shared', 'corpus', 'sources'), cache));

const headers: Row = { name: 'benchmark', median: 'median', spread: 'min–max', memory: 'peak RSS', budget: 'budget', verdict: '' };
const keys = Object.keys(headers) as (keyof Row)[];
const widths = keys.map((k) => Math.max(...[headers, ...rows].map((r) => r[k].length)));
const line = (r: Row) => `| ${keys.map((k, i) => r[k].padEnd(widths[i]!)).join(' | ')} |`;
console.log(line(headers));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
