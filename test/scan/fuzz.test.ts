import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { NO_BUILD_FACTS, type SourceFile } from '../../src/scan/analyzer.js';
import { readBuildFacts } from '../../src/scan/build-facts.js';
import { languageOf } from '../../src/scan/source-files.js';
import { ANALYZERS } from '../../src/scan/analyzers/index.js';
import { corpusDir, needsCorpus, repoRoot } from '../helpers/paths.js';

// Garbled and truncated copies of real sources: every analyzer must return
// (findings or notes) and never throw. The analyzers are called directly,
// without the engine's safety net, so a throw fails the test.

function rng(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const JUNK = ['{', '}', '(', ')', '"', "'", '/*', '*/', '#if X', '#endif', '#else', '\\\n', '\u0000', '\uFFFD', '\u202E', 'Py_BEGIN_CRITICAL_SECTION(', 'Py_END_CRITICAL_SECTION();', 'with gil:', '    ', '\t', '"""', 'r"', '#[pymodule', 'unsafe impl', 'global x', 'if x is None:'];

function mutations(text: string, seed: number): string[] {
  const rand = rng(seed);
  const at = () => Math.floor(rand() * text.length);
  const out: string[] = [text.slice(0, at()), text.slice(at())];
  for (let i = 0; i < 6; i++) {
    const chars = text.split('');
    for (let k = 0; k < 40; k++) chars[Math.floor(rand() * chars.length)] = JUNK[Math.floor(rand() * JUNK.length)]!;
    out.push(chars.join(''));
  }
  const lines = text.split('\n');
  out.push(lines.filter(() => rand() > 0.3).join('\n'));
  out.push(lines.map((l) => (rand() > 0.9 ? l.repeat(3) : l)).join('\n'));
  out.push(`${'('.repeat(3000)}${text.slice(0, 2000)}${'{'.repeat(3000)}`);
  return out;
}

/** Generated tables, which the C, Python and Rust analyzers leave out of the parse (literal-tables.ts, top-level-text.ts). */
function tables(): Array<{ name: string; text: string }> {
  const numbers = Array.from({ length: 1500 }, (_, i) => `${i % 256}`).join(', ');
  const pairs = Array.from({ length: 300 }, (_, i) => `(${i}, 'k${i}', "v]${i}", b'\\x0${i % 10}')`).join(',\n    ');
  return [
    { name: 'tables.py', text: `CACHE = {}\nTABLE = [${numbers}]\nPAIRS = {\n    ${pairs},\n}\ndef f(k):\n    CACHE[k] = TABLE[k]\n` },
    { name: 'tables.rs', text: `static TABLE: [u8; 1500] = [${numbers}];\nstatic PAIRS: [(u32, &str); 300] = [${Array.from({ length: 300 }, (_, i) => `(${i}, r#"v"]${i}"#)`).join(', ')}];\n#[pymodule]\nfn m(m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }\n` },
    { name: 'tables.c', text: `#include <Python.h>\nstatic const unsigned char table[] = {${numbers}};\nstatic PyObject *cache;\nstatic PyObject *f(PyObject *k) { return PyDict_GetItem(cache, k); }\n` },
  ];
}

function samples(): Array<{ name: string; text: string }> {
  const rules = join(repoRoot, 'docs', 'rules');
  const fromPages = readdirSync(rules)
    .filter((f) => f.endsWith('.md'))
    .flatMap((f) => [...readFileSync(join(rules, f), 'utf8').matchAll(/^```(\w+) (?:bad|good)(?: file=([\w./-]+))?\n([\s\S]*?)^```/gm)].map((m) => ({ name: m[2] ?? { c: 'x.c', cpp: 'x.cpp', cython: 'x.pyx', rust: 'lib.rs', python: 'x.py' }[m[1]!] ?? 'x.txt', text: m[3]! })));
  if (needsCorpus) return [...fromPages, ...tables()];
  const sources = join(corpusDir, 'sources');
  return [
    ...fromPages,
    ...tables(),
    { name: 'netifaces.c', text: readFileSync(join(sources, 'netifaces', 'netifaces.c'), 'utf8') },
    { name: 'parser.pyx', text: readFileSync(join(sources, 'httptools', 'parser.pyx'), 'utf8') },
    { name: 'lib.rs', text: readFileSync(join(sources, 'rtoml', 'lib.rs'), 'utf8') },
    { name: 'Cargo.toml', text: readFileSync(join(sources, 'rtoml', 'Cargo.toml'), 'utf8') },
  ];
}

describe('scanner fuzzing', () => {
  test('garbled and truncated sources never make an analyzer throw', async () => {
    let runs = 0;
    for (const [i, sample] of samples().entries()) {
      const language = languageOf(sample.name);
      for (const text of mutations(sample.text, i + 1)) {
        if (language === null) {
          readBuildFacts([{ path: sample.name, text }]);
          continue;
        }
        const file: SourceFile = { path: sample.name, language, text };
        const analyze = await ANALYZERS[language as Exclude<typeof language, 'build'>]();
        const result = await analyze(file, { build: NO_BUILD_FACTS });
        assert.ok(Array.isArray(result.findings) && Array.isArray(result.notes), sample.name);
        for (const f of result.findings) assert.ok(f.line >= 1 && f.column >= 1, `${sample.name}: ${JSON.stringify(f)}`);
        runs++;
      }
    }
    assert.ok(runs > 200, `${runs} runs`);
  });
});
