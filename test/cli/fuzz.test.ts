import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { CheckReport } from '../../src/project/check-report.js';
import { ftreadyInProcess, tempFile } from '../helpers/cli.js';
import { lockfilesDir, needsCorpus } from '../helpers/paths.js';
import { prng } from '../helpers/prng.js';

// Truncated and garbled copies of real lockfiles: every run must end in a
// report (exit 0/1, possibly with unknown entries) or one clear line with
// exit 2, and never in an internal error.

type Mutation = (text: Buffer, rand: () => number) => Buffer;

const MUTATIONS: Record<string, Mutation> = {
  truncate: (b, r) => b.subarray(0, Math.floor(r() * b.length)),
  flipBytes: (b, r) => {
    const out = Buffer.from(b);
    for (let i = 0; i < 1 + Math.floor(r() * 20); i++) out[Math.floor(r() * out.length)] = Math.floor(r() * 256);
    return out;
  },
  dropLines: (b, r) => Buffer.from(b.toString('utf8').split('\n').filter(() => r() > 0.05).join('\n')),
  shuffleLines: (b, r) => {
    const lines = b.toString('utf8').split('\n');
    for (let i = 0; i < 10; i++) {
      const a = Math.floor(r() * lines.length);
      const c = Math.floor(r() * lines.length);
      [lines[a], lines[c]] = [lines[c]!, lines[a]!];
    }
    return Buffer.from(lines.join('\n'));
  },
  corruptValues: (b, r) => Buffer.from(b.toString('utf8').replace(/"[^"\n]*"/g, (m) => (r() < 0.03 ? ['1', '[]', '{}', '"x-1-"', '"🐍"', '""'][Math.floor(r() * 6)]! : m))),
};

const SEED = Number(process.env.FTREADY_FUZZ_SEED ?? 20261122);
const RUNS_PER_MUTATION = 10;

describe('fuzz: garbled real lockfiles never crash ftready check', { skip: needsCorpus }, () => {
  const files = needsCorpus ? [] : readdirSync(lockfilesDir).filter((f) => /(uv\.lock|poetry\.lock|pylock\.toml)$/.test(f));
  const outcomes = { report: 0, inputError: 0, unknownEntries: 0 };
  /** Exit 2 with one line naming the file, or a JSON report; never an internal error. */
  const judge = (r: { code: number; stdout: string; stderr: string }, path: string): CheckReport | null => {
    assert.notEqual(r.code, 4, `internal error on ${path}: ${r.stderr}`);
    if (r.code === 2) {
      outcomes.inputError++;
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.ok(r.stderr.startsWith(`ftready: error: ${path}`), r.stderr);
      return null;
    }
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    outcomes.report++;
    return JSON.parse(r.stdout) as CheckReport;
  };
  for (const file of files) {
    const original = readFileSync(join(lockfilesDir, file));
    for (const [name, mutate] of Object.entries(MUTATIONS)) {
      test(`${file}: ${name} (seed ${SEED})`, async () => {
        const rand = prng(SEED + name.length * 7919 + file.length);
        for (let i = 0; i < RUNS_PER_MUTATION; i++) {
          const path = tempFile(file, mutate(original, rand));
          const report = judge(await ftreadyInProcess(['check', path, '--format', 'json']), path);
          if (report?.packages.some((p) => Object.values(p.readiness).includes('unknown'))) outcomes.unknownEntries++;
        }
      });
    }
  }
  // Manifests go through the index; --offline with an empty cache keeps these runs off the network.
  const manifests = needsCorpus ? [] : ['sigstore__sigstore-python__install__requirements.txt', 'pypa__pipenv__Pipfile.lock'];
  for (const file of manifests) {
    const original = readFileSync(join(lockfilesDir, file));
    const name = file.endsWith('.txt') ? 'requirements.txt' : 'Pipfile.lock';
    for (const [mutation, mutate] of Object.entries(MUTATIONS)) {
      test(`${file}: ${mutation} (seed ${SEED})`, async () => {
        const rand = prng(SEED + mutation.length * 104729 + file.length);
        for (let i = 0; i < RUNS_PER_MUTATION; i++) {
          const path = tempFile(name, mutate(original, rand));
          judge(await ftreadyInProcess(['check', path, '--format', 'json', '--offline', '--python', '3.14t', '--platform', 'linux-x86_64']), path);
        }
      });
    }
  }

  test('the mutations reach both outcomes: whole-file errors and per-entry unknowns', () => {
    assert.ok(outcomes.inputError > 0, JSON.stringify(outcomes));
    assert.ok(outcomes.unknownEntries > 0, JSON.stringify(outcomes));
  });
});
