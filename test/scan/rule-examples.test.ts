import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { RULES } from '../../src/scan/rules.js';
import { runScan } from '../../src/scan/scan-run.js';
import { repoRoot } from '../helpers/paths.js';

// Every rule's page (docs/rules/FTnnn.md) carries a bad and a good example.
// They are the rule's tests: the bad one must be reported, the good one not.

const RULES_DIR = join(repoRoot, 'docs', 'rules');
const DEFAULT_NAMES: Record<string, string> = {
  c: 'example.c',
  cpp: 'example.cpp',
  cython: 'example.pyx',
  rust: 'src/lib.rs',
  python: 'example.py',
  cmake: 'CMakeLists.txt',
  meson: 'meson.build',
};

interface Example {
  files: Array<{ name: string; text: string }>;
}

function examplesOf(markdown: string, page: string): { bad: Example; good: Example } {
  const bad: Example = { files: [] };
  const good: Example = { files: [] };
  for (const m of markdown.matchAll(/^```(\w+) (bad|good)((?: [\w=./-]+)*)\n([\s\S]*?)^```/gm)) {
    const [, lang, side, attrs, text] = m;
    const file = /file=([\w./-]+)/.exec(attrs ?? '')?.[1] ?? DEFAULT_NAMES[lang!];
    assert.ok(file, `${page}: a ${lang} ${side} example needs file=NAME`);
    (side === 'bad' ? bad : good).files.push({ name: file!, text: text! });
  }
  return { bad, good };
}

async function findingsOf(example: Example, rule: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), `ftready-${rule}-`));
  for (const f of example.files) {
    mkdirSync(dirname(join(dir, f.name)), { recursive: true });
    writeFileSync(join(dir, f.name), f.text);
  }
  const result = await runScan({ paths: [dir], cwd: dir, excludes: [], select: null, ignore: [], threads: 1 });
  return result.findings.map((f) => `${f.rule} ${f.path}:${f.line} ${f.message}`);
}

describe('rule pages', () => {
  const pages = readdirSync(RULES_DIR).filter((f) => /^FT\d{3}\.md$/.test(f));

  test('every rule has a page, and every page a rule', () => {
    assert.deepEqual(pages.map((p) => p.slice(0, 5)).sort(), RULES.map((r) => r.id).sort());
  });

  for (const rule of RULES) {
    test(`${rule.id} ${rule.name}: the bad example is reported, the good one is not`, async () => {
      const page = `${rule.id}.md`;
      const markdown = readFileSync(join(RULES_DIR, page), 'utf8');
      assert.match(markdown.split('\n')[0]!, new RegExp(`^# ${rule.id}: ${rule.name}$`), `${page} must start with "# ${rule.id}: ${rule.name}"`);
      const { bad, good } = examplesOf(markdown, page);
      assert.ok(bad.files.length > 0 && good.files.length > 0, `${page} needs a bad and a good example`);
      const badFindings = await findingsOf(bad, rule.id);
      assert.ok(badFindings.some((f) => f.startsWith(`${rule.id} `)), `${page}: the bad example gives no ${rule.id}: ${JSON.stringify(badFindings)}`);
      const goodFindings = await findingsOf(good, rule.id);
      assert.deepEqual(goodFindings.filter((f) => f.startsWith(`${rule.id} `)), [], `${page}: the good example is reported`);
    });
  }
});
