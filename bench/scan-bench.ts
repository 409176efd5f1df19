import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Row } from './row.js';

// Issue 5's budget: `ftready scan` over a large C/Cython/Rust tree, in MB/s
// and lines/s, beside plain `grep -c` for the same API names as a floor.
// The tree is the shared corpus's extension sources copied many times, so
// its mix of code is real.

const COPIES = 150;
const API_NAMES = 'PyList_GetItem|PyList_GET_ITEM|PyDict_GetItem|PyDict_GetItemWithError|PyDict_GetItemString|PyDict_SetDefault|PyWeakref_GetObject|PyImport_AddModule|PyCell_GET|PyDict_Next|PySequence_Fast_ITEMS|PyMutex_Lock|pymodule|freethreading_compatible';

function buildTree(corpusSources: string, dir: string): { bytes: number; lines: number } {
  rmSync(dir, { recursive: true, force: true });
  let bytes = 0;
  let lines = 0;
  for (let i = 0; i < COPIES; i++) {
    const target = join(dir, `project-${i}`);
    mkdirSync(target, { recursive: true });
    cpSync(corpusSources, target, { recursive: true });
  }
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(c|pyx|rs)$/.test(e)) {
        const text = readFileSync(p, 'utf8');
        bytes += Buffer.byteLength(text);
        lines += text.split('\n').length - 1;
      }
    }
  };
  walk(dir);
  return { bytes, lines };
}

function timed(command: string, args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function scanRows(cli: string, corpusSources: string, cache: string): Row[] {
  if (!existsSync(corpusSources)) {
    console.warn('note: ../shared/corpus/sources is absent; skipping the scan benchmark');
    return [];
  }
  const dir = join(cache, 'scan-tree');
  const { bytes, lines } = buildTree(corpusSources, dir);
  writeFileSync(join(cache, 'scan-tree.txt'), `${bytes} bytes, ${lines} lines\n`);
  const mb = bytes / 1048576;
  const scanArgs = [cli, 'scan', dir, '--format', 'json', '--quiet'];
  // A scan that read less than the tree (an exclude, an ignore file) would make any rate meaningless.
  const first = spawnSync(process.execPath, scanArgs, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const scanned = (JSON.parse(first.stdout) as { bytes: number }).bytes;
  if (scanned !== bytes) throw new Error(`ftready scan read ${scanned} bytes of the ${bytes}-byte benchmark tree`);
  const runs = [0, 1, 2].map(() => timed(process.execPath, scanArgs)).sort((a, b) => a - b);
  const grepRuns = [0, 1, 2].map(() => timed('grep', ['-c', '-r', '-E', API_NAMES, dir])).sort((a, b) => a - b);
  const ms = runs[1]!;
  const rate = mb / (ms / 1000);
  return [
    {
      name: `scan: ${COPIES} copies of the corpus sources (${mb.toFixed(1)} MB, ${lines} lines of C, Cython, Rust)`,
      median: `${rate.toFixed(1)} MB/s`,
      spread: `${(lines / (ms / 1000) / 1000).toFixed(0)}k lines/s, ${(ms / 1000).toFixed(2)} s`,
      memory: '',
      budget: '≥ 5 MB/s',
      verdict: rate >= 5 ? 'ok' : 'OVER',
    },
    {
      name: 'grep -c -r for the same API names (floor)',
      median: `${(mb / (grepRuns[1]! / 1000)).toFixed(0)} MB/s`,
      spread: `${(grepRuns[1]! / 1000).toFixed(2)} s`,
      memory: '',
      budget: '',
      verdict: '',
    },
  ];
}
