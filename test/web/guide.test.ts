import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Parser } from 'htmlparser2';
import { RULES } from '../../src/scan/rules.js';
import { readinessGuide, statusGuide } from '../../src/status/guide-links.js';
import { READINESS, STATUSES } from '../../src/status/vocabulary.js';
import { GuideBook, guideHref } from '../../src/web/guide/guide-book.js';
import { searchGuide } from '../../src/web/guide/guide-search.js';
import { guidePath } from '../../src/web/urls.js';
import { repoRoot } from '../helpers/paths.js';

// The guide: every page has real content and sources, every link inside it
// lands on a page and an anchor that exist, every status and rule links to
// its explanation, and its Python runs.

const book = GuideBook.load(repoRoot);

function idsOf(html: string): Set<string> {
  const ids = new Set<string>();
  const parser = new Parser({ onopentag: (_, attrs) => void (attrs.id && ids.add(attrs.id)) });
  parser.write(html);
  parser.end();
  return ids;
}

function hrefsOf(html: string): string[] {
  const hrefs: string[] = [];
  const parser = new Parser({ onopentag: (name, attrs) => void (name === 'a' && attrs.href && hrefs.push(attrs.href)) });
  parser.write(html);
  parser.end();
  return hrefs;
}

/** Whether a site address inside the guide (/guide/slug#anchor) exists. */
function resolves(href: string): boolean {
  const m = /^\/guide\/([^#?]+)(?:#(.*))?$/.exec(href);
  if (!m) return false;
  if (/^examples\/[\w.-]+$/.test(m[1]!)) return existsSync(join(repoRoot, 'guide', m[1]!));
  if (/^schemas\/[\w.-]+$/.test(m[1]!)) return existsSync(join(repoRoot, 'docs', m[1]!));
  const page = book.bySlug.get(m[1]!);
  return page !== undefined && (m[2] === undefined || idsOf(page.html).has(decodeURIComponent(m[2])));
}

describe('the guide', () => {
  test('all pages exist, with real content and a list of sources', () => {
    const guides = book.pages.filter((p) => p.kind === 'guide').map((p) => p.slug);
    for (const slug of ['start-here', 'installing', 'porting-python', 'porting-c', 'cython', 'pyo3', 'testing', 'ci-and-wheels', 'performance', 'dependency-not-ready', 'faq', 'status-vocabulary', 'wheel-tags', 'scanner-rules']) {
      assert.ok(guides.includes(slug), `guide page ${slug}`);
      const page = book.bySlug.get(slug)!;
      assert.ok(page.headings.some((h) => h.text === 'Sources'), `${slug} lists its sources`);
      assert.ok(page.sections.reduce((n, s) => n + s.text.length, 0) > 1500, `${slug} has real content`);
    }
  });

  test('every internal link lands on an existing page and anchor', () => {
    const broken: string[] = [];
    for (const page of book.pages) {
      for (const href of hrefsOf(page.html)) {
        if (/^(https?:|mailto:)/.test(href)) continue;
        const target = href.startsWith('#') ? `/guide/${page.slug}${href}` : href;
        if (target.startsWith('/guide/') ? !resolves(target) : !/^\/(packages|check|badge|api|feed\.atom|$)/.test(target)) broken.push(`${page.file}: ${href}`);
      }
    }
    assert.deepEqual(broken, []);
  });

  test('every status, readiness and rule links to an explanation that exists', () => {
    const missing: string[] = [];
    for (const s of STATUSES) if (!resolves(guidePath(statusGuide(s.id)))) missing.push(statusGuide(s.id));
    for (const r of READINESS) if (!resolves(guidePath(readinessGuide(r.id)))) missing.push(readinessGuide(r.id));
    for (const rule of RULES) {
      if (!resolves(guideHref('guide/x.md', rule.guide))) missing.push(`${rule.id}: ${rule.guide}`);
      if (!resolves(`/guide/rules/${rule.id}`)) missing.push(`${rule.id}: its rule page`);
      if (!resolves(`/guide/scanner-rules#${rule.id.toLowerCase()}`)) missing.push(`${rule.id}: the rule index`);
    }
    assert.deepEqual(missing, []);
  });

  test('search finds the sections about an API, best first', () => {
    const results = searchGuide(book, 'PyDict_GetItem');
    assert.ok(results.length > 0);
    assert.match(results[0]!.heading, /PyDict_GetItem/);
    assert.ok(resolves(results[0]!.href), results[0]!.href);
    assert.deepEqual(searchGuide(book, '   '), []);
    assert.deepEqual(searchGuide(book, 'zzqxnotaword'), []);
  });

  test('no page carries inline styles or scripts, which the site\'s CSP would refuse', () => {
    for (const page of book.pages) assert.doesNotMatch(page.html, /\sstyle=|<script|\son\w+=/i, page.file);
  });

  test('code is highlighted on the server, and every page has a date', () => {
    assert.match(book.bySlug.get('porting-c')!.html, /<pre class="code"><code class="hljs language-c"><span class="hljs-/);
    for (const page of book.pages) assert.match(page.updated ?? '', /^\d{4}-\d{2}-\d{2}/, page.file);
  });
});

const python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : null;
const noPython = python ? false : 'SKIPPED: python3 is not on this machine';
if (noPython) console.warn(noPython);

describe('the guide\'s Python', { skip: noPython }, () => {
  test('every Python code block compiles', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftready-guide-py-'));
    const files: string[] = [];
    for (const page of book.pages) {
      const markdown = readFileSync(join(repoRoot, page.file), 'utf8');
      [...markdown.matchAll(/^```python(?: [^\n]*)?\n([\s\S]*?)^```/gm)].forEach((m, i) => {
        const file = join(dir, `${page.slug.replace('/', '_')}_${i}.py`);
        writeFileSync(file, m[1]!);
        files.push(file);
      });
    }
    assert.ok(files.length > 20, `${files.length} blocks`);
    const r = spawnSync(python!, ['-m', 'py_compile', ...files], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  test('the performance page\'s benchmark script runs and prints a result', () => {
    const script = join(repoRoot, 'guide', 'examples', 'scaling_benchmark.py');
    assert.ok(readFileSync(join(repoRoot, 'guide', '09-performance.md'), 'utf8').includes(readFileSync(script, 'utf8').trim()), 'the page shows the script as it is');
    const r = spawnSync(python!, [script, '--workers', '1,2', '--work', '200000'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /workers \| +threads s +speed-up \| +processes s +speed-up/);
    assert.match(r.stdout, /^ +2 \| +[\d.]+ +[\d.]+x \| +[\d.]+ +[\d.]+x$/m);
  });
});
