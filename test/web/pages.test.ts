import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { packageFilterFrom } from '../../src/web/package-query.js';
import { checkFormPage, checkResultPage } from '../../src/web/pages/check.js';
import { errorPage } from '../../src/web/pages/error.js';
import { guideArticle, guideIndex, guideSearchPage } from '../../src/web/pages/guide.js';
import { GuideBook } from '../../src/web/guide/guide-book.js';
import { repoRoot } from '../helpers/paths.js';
import { overviewPage } from '../../src/web/pages/overview.js';
import { packagePage } from '../../src/web/pages/package.js';
import { packagesPage } from '../../src/web/pages/packages.js';
import type { PackageFilter } from '../../src/store/read-models.js';
import * as make from './factories.js';
import { assertAccessible, assertInert, assertPageShell, assertStatusesLabelled, elements, text } from './inspect.js';

/** The markup from `start` to the next `end`, for assertions about one part of a page. */
function between(html: string, start: string, end: string): string {
  const from = html.indexOf(start);
  assert.ok(from >= 0, `${start} not found`);
  return html.slice(from, html.indexOf(end, from));
}
const tableOf = (html: string, start: string) => between(html, start, '</table>');

const FILTER: PackageFilter = { query: 'a&b c/é', readiness: 'needs-build', target: '3.15t', platform: 'macos-arm64', nightly: false, classifierLevel: 0, sort: 'ready-date', page: 3 };

const PAGES: Record<string, () => string> = {
  overview: () => overviewPage(make.summary(), { '3.14t': make.segments(30), '3.15t': [] }),
  'overview, empty store': () => overviewPage(make.summary({ updatedAt: null, projectCount: 0, snapshots: [], recentlyReady: [], shares: make.TARGETS.map((target) => ({ target, total: 0, counts: make.counts(), readyShare: 0 })) }), {}),
  packages: () => packagesPage(make.packagePage(), FILTER, make.settings()),
  'packages, no match': () => packagesPage(make.packagePage({ total: 0, page: 1, rows: [] }), { query: '<script>' }, make.settings()),
  package: () => packagePage(make.packageDetail(), make.settings(), { baseUrl: 'https://ft.example/' }),
  'package, no releases': () => packagePage(make.packageDetail({ latestVersion: null, releases: [], timeline: [], nightly: [], links: [], matrix: {}, targets: {}, classifier: null, summary: null, problem: null }), make.settings()),
  'check form': () => checkFormPage({ maxBytes: 1_048_576, targets: make.TARGETS, error: make.HOSTILE_TEXT, text: `</textarea>${make.HOSTILE_TEXT}`, format: 'uv.lock' }),
  'check result': () => checkResultPage(make.checkReport(), { inputName: make.HOSTILE_NAME }),
  'guide index': () => guideIndex(GuideBook.load(repoRoot)),
  'guide article': () => { const book = GuideBook.load(repoRoot); return guideArticle(book, book.bySlug.get('porting-c')!); },
  'guide search': () => guideSearchPage(make.HOSTILE_TEXT, [{ title: 'T', heading: make.HOSTILE_TEXT, href: '/guide/x', snippet: make.HOSTILE_TEXT, score: 1 }]),
  error: () => errorPage(404, make.HOSTILE_TEXT),
};

describe('every page', () => {
  for (const [name, render] of Object.entries(PAGES)) {
    test(`${name}: hostile metadata stays inert`, () => assertInert(render()));
    test(`${name}: document shell`, () => assertPageShell(render()));
    test(`${name}: accessible markup`, () => assertAccessible(render()));
    test(`${name}: statuses have an icon and a label`, () => {
      const chips = assertStatusesLabelled(render());
      if (!['error', 'check form', 'packages, no match', 'guide index', 'guide article', 'guide search'].includes(name)) assert.ok(chips > 0, 'the page shows statuses');
    });
  }
  test('hostile text is shown, escaped, with bidi overrides made visible', () => {
    const html = PAGES.package!();
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &quot;quoted&quot; &#39;single&#39; &amp; \\u{202e}gnp.exe'));
  });
});

describe('layout', () => {
  test('marks the current navigation item', () => {
    const current = (html: string) => elements(html).filter((e) => e.name === 'a' && e.attribs['aria-current']).map((e) => `${text(e)}=${e.attribs['aria-current']}`);
    assert.deepEqual(current(PAGES.overview!()), ['Overview=page']);
    assert.deepEqual(current(PAGES['guide index']!()), ['Guide=page']);
    // A package page is inside the Packages section; pagination adds its own current page.
    assert.deepEqual(current(PAGES.package!()), ['Packages=true']);
    assert.deepEqual(current(PAGES.error!()), []);
  });
});

describe('overview', () => {
  const html = PAGES.overview!();
  test('shows each target’s ready share as a number and a label', () => {
    assert.match(html, /<strong>62%<\/strong> ready: 62 of 100 packages install a wheel on 3\.14t/);
    assert.match(html, /<strong>62%<\/strong> ready: 62 of 100 packages install a wheel on 3\.15t/);
  });
  test('has a wheel per target, the trend, and the feed', () => {
    const all = elements(html);
    assert.equal(all.filter((e) => e.name === 'svg' && e.attribs.class === 'wheel').length, 2);
    assert.equal(all.filter((e) => e.name === 'svg' && e.attribs.class === 'trend').length, 1);
    assert.ok(all.some((e) => e.name === 'link' && e.attribs.rel === 'alternate' && e.attribs.type === 'application/atom+xml' && e.attribs.href === '/feed.atom'));
    assert.ok(all.some((e) => e.name === 'a' && e.attribs.href === '/feed.atom'));
  });
  test('lists recently ready packages with a link, version, target and date', () => {
    assert.match(html, /first ready<\/span> on 3\.14t: <a href="\/packages\/numpy"><bdi>numpy<\/bdi><\/a> <bdi>2\.3\.0<\/bdi>, <time datetime="2025-06-01">2025-06-01<\/time>/);
  });
  test('an empty store says so', () => {
    const empty = PAGES['overview, empty store']!();
    assert.match(empty, /Nothing has been synced yet/);
    assert.match(empty, /No snapshots yet/);
  });
});

describe('packages', () => {
  const html = PAGES.packages!();
  test('the form keeps the current filter and submits with GET', () => {
    const all = elements(html);
    const form = all.find((e) => e.name === 'form')!;
    assert.equal(form.attribs.method, 'get');
    assert.equal(form.attribs.action, '/packages');
    assert.equal(all.find((e) => e.name === 'input' && e.attribs.name === 'q')!.attribs.value, 'a&b c/é');
    const selected = Object.fromEntries(all.filter((e) => e.name === 'select').map((select) => [select.attribs.name, all.find((o) => o.parent === select && o.attribs.selected !== undefined)?.attribs.value]));
    assert.deepEqual(selected, { status: 'needs-build', target: '3.15t', platform: 'macos-arm64', nightly: 'no', classifier: 'none', sort: 'ready-date' });
  });
  test('one row per package, with data attributes for the client-side filter', () => {
    const rows = elements(html).filter((e) => e.name === 'tr' && e.attribs['data-name'] !== undefined);
    assert.equal(rows.length, 2);
    assert.equal(rows[0]!.attribs['data-name'], 'numpy numpy');
    assert.equal(rows[0]!.attribs['data-summary'], 'fundamental package for array computing');
  });
  test('the caption gives the total', () => {
    assert.match(text(elements(html).find((e) => e.name === 'caption')!), /^250 packages match these filters, page 3 of 13\./);
  });
  test('pagination links keep every filter, URL-encoded, and parse back to it', () => {
    const links = elements(html).filter((e) => e.name === 'a' && e.attribs.href?.startsWith('/packages?'));
    const pages = links.map((a) => a.attribs.href!);
    assert.ok(pages.length >= 5);
    for (const href of pages) {
      assert.ok(!/[ &]c\/é|<|"/.test(href), `unencoded ${href}`);
      const params = new URL(href, 'http://x').searchParams;
      const parsed = packageFilterFrom(params, make.settings());
      assert.deepEqual({ ...parsed, page: undefined }, { ...FILTER, page: undefined }, href);
    }
    assert.ok(links.some((a) => a.attribs.rel === 'prev' && new URL(a.attribs.href!, 'http://x').searchParams.get('page') === '2'));
    assert.ok(links.some((a) => a.attribs.rel === 'next' && new URL(a.attribs.href!, 'http://x').searchParams.get('page') === '4'));
    assert.ok(links.some((a) => a.attribs['aria-current'] === 'page' && text(a) === 'Page 3'));
    assert.ok(links.some((a) => text(a) === 'Page 13'), 'the last page');
  });
  test('a page past the end offers the first page', () => {
    const html = packagesPage(make.packagePage({ page: 99, rows: [] }), { page: 99 }, make.settings());
    assert.match(html, /There is no page 99: these filters give 13 pages\. <a href="\/packages">/);
  });
  test('a single page has no pagination', () => {
    assert.ok(!PAGES['packages, no match']!().includes('class="pagination"'));
  });
});

describe('package', () => {
  const html = PAGES.package!();
  const all = elements(html);
  test('only http(s) links are links, and they are nofollow noopener noreferrer', () => {
    const external = all.filter((e) => e.name === 'a' && /^https?:/.test(e.attribs.href ?? ''));
    assert.deepEqual(external.map((a) => a.attribs.href), ['https://example.org/evil', 'https://pypi.anaconda.org/scientific-python-nightly-wheels/simple']);
    for (const a of external) assert.equal(a.attribs.rel, 'nofollow noopener noreferrer');
    assert.ok(html.includes('<code>javascript:alert(4)</code>, not linked'), 'an unsafe URL is visible as text');
  });
  test('the matrix has platforms as rows and targets as columns, with reasons and deciding files', () => {
    const rows = elements(tableOf(html, '<table class="matrix"')).filter((e) => e.name === 'th' && e.attribs.scope === 'row').map(text);
    assert.deepEqual(rows, ['linux-x86_64', 'macos-arm64', 'windows-amd64', 'linux-riscv64'], 'tracked platforms first, then others; never the "*" roll-up');
    assert.match(html, /✓<\/span> ready<\/span> <a class="status-name" href="\/guide\/status-vocabulary#status-free-threaded-wheel" title="What “free-threaded wheel” means">free-threaded wheel<\/a><details><summary>Why<span class="vh"> on linux-x86_64, 3\.14t<\/span><\/summary><p>a cp314t wheel for linux-x86_64<\/p><ul class="files"><li>evil-1\.2\.0-cp314-cp314t-manylinux_2_17_x86_64\.whl<\/li><\/ul>/);
    assert.match(html, /<li>… and 2 more<\/li>/);
  });
  test('the timeline names platforms only for platform events, and drops repeats of the all-platforms event', () => {
    const timeline = between(html, 'id="timeline"', 'id="nightly"');
    assert.equal((timeline.match(/first ready<\/span> in <bdi>1\.0\.0<\/bdi>/g) ?? []).length, 1);
    assert.match(timeline, /support dropped<\/span> in <bdi>.*<\/bdi> on <code>macos-arm64<\/code> <span class="muted">\(ready in <bdi>1\.1\.0<\/bdi>\)<\/span>/);
    assert.match(timeline, /No release has been ready on 3\.15t yet/);
  });
  test('releases show yanked releases and pre-releases', () => {
    assert.match(html, /<td>yes: &lt;script&gt;/);
    assert.match(html, /<td>yes<\/td>/);
    assert.match(html, /pre-release/);
  });
  test('offers a badge per target with an absolute Markdown snippet', () => {
    assert.ok(html.includes('[![evil on free-threaded Python 3.14t](https://ft.example/badge/evil.svg?python=3.14t)](https://ft.example/packages/evil)'));
    assert.ok(all.some((e) => e.name === 'img' && e.attribs.src === '/badge/evil.svg?python=3.15t' && e.attribs.alt));
  });
});

describe('check', () => {
  test('the form posts multipart to /check with a file, a textarea and a format select', () => {
    const all = elements(PAGES['check form']!());
    const form = all.find((e) => e.name === 'form')!;
    assert.deepEqual([form.attribs.method, form.attribs.action, form.attribs.enctype], ['post', '/check', 'multipart/form-data']);
    assert.ok(all.some((e) => e.name === 'input' && e.attribs.type === 'file' && e.attribs.name === 'file'));
    assert.ok(all.some((e) => e.name === 'textarea' && e.attribs.name === 'text'));
    const options = all.filter((e) => e.name === 'option').map((o) => o.attribs.value);
    assert.deepEqual(options, ['', 'requirements.txt', 'pyproject.toml', 'uv.lock', 'poetry.lock', 'pylock.toml', 'Pipfile', 'Pipfile.lock']);
    assert.ok(all.some((e) => e.name === 'option' && e.attribs.value === 'uv.lock' && e.attribs.selected !== undefined));
    assert.match(PAGES['check form']!(), /Up to 1 MB/);
    assert.ok(all.some((e) => e.attribs.role === 'alert'));
  });
  test('pasted text cannot close the textarea', () => {
    assert.ok(PAGES['check form']!().includes('&lt;/textarea&gt;'));
  });
  const html = PAGES['check result']!();
  test('the result puts blockers first, with paths, explanations and advice', () => {
    const rows = elements(tableOf(html, 'id="all-caption"')).filter((e) => e.name === 'th' && e.attribs.scope === 'row').map(text);
    assert.deepEqual(rows.map((r) => r.slice(0, 4)), ['evil', 'orjs', 'requ', 'toml']);
    assert.match(html, /Required via <bdi>my-app<\/bdi> → <bdi>middle<\/bdi> → <bdi>evil/);
    assert.match(html, /<strong>3\.14t<\/strong> on <code>linux-x86_64<\/code>, <code>macos-arm64<\/code>, <code>windows-amd64<\/code>: <span class="st st-blocked"/);
    assert.match(html, /<strong>Advice for 3\.14t:<\/strong> upgrade to 2\.0/);
    assert.match(html, /Ignored by <code>\[tool\.ftready\]<\/code>/);
    assert.match(html, /pure Python/);
  });
  test('the result gives per-target counts and the verdict', () => {
    assert.match(html, /Overall: <span class="st st-blocked"[^>]*>.*blocked<\/span>\. 2 packages need attention, of 4\. In CI, <code>ftready check<\/code> would fail: 1 package is blocked\./);
    const counts = tableOf(html, 'id="counts-caption"');
    assert.match(counts, /not installed<\/span><\/th><td class="num">1<\/td><td class="num">1<\/td>/);
    assert.ok(!counts.includes('not checkable'), 'a readiness nobody has is left out, as in the CLI');
  });
});

describe('error', () => {
  for (const status of [400, 404, 413, 429, 500]) {
    test(`${status} has a title and the status`, () => {
      const html = errorPage(status, 'message');
      assert.match(html, new RegExp(`HTTP status ${status}`));
      assert.equal(elements(html).filter((e) => e.name === 'h1').length, 1);
    });
  }
});

describe('the page checks themselves', () => {
  // Each guard must be able to fail, or the tests above prove nothing.
  const shell = (body: string) => `<!DOCTYPE html>\n<html lang="en"><body>${body}</body></html>`;
  test('assertInert rejects scripts, handlers, styles and javascript: URLs', () => {
    assert.throws(() => assertInert(shell('<script>alert(1)</script>')));
    assert.throws(() => assertInert(shell('<img src="/x.png" onerror="alert(1)">')));
    assert.throws(() => assertInert(shell('<p style="color:red">x</p>')));
    assert.throws(() => assertInert(shell('<a href=" javascript:alert(1)">x</a>')));
    assert.throws(() => assertInert(shell('<a href="data:text/html,x">x</a>')));
    assert.throws(() => assertInert(shell('<p>\u202Ex</p>')));
    assertInert(shell('<p>&lt;script&gt; onerror=alert(1)</p><a href="/packages">x</a>'));
  });
  test('assertAccessible rejects unlabelled controls, dangling references and unscoped headers', () => {
    assert.throws(() => assertAccessible(shell('<input name="q">')));
    assert.throws(() => assertAccessible(shell('<p aria-labelledby="nope">x</p>')));
    assert.throws(() => assertAccessible(shell('<table><caption>c</caption><tr><th>x</th></tr></table>')));
    assert.throws(() => assertAccessible(shell('<table><tr><th scope="col">x</th></tr></table>')));
    assert.throws(() => assertAccessible(shell('<p id="a"></p><p id="a"></p>')));
  });
  test('assertStatusesLabelled rejects an icon without a label', () => {
    assert.throws(() => assertStatusesLabelled(shell('<span class="st st-ready"><span class="st-icon" aria-hidden="true">✓</span></span>')));
    assert.throws(() => assertStatusesLabelled(shell('<span class="st st-ready">ready</span>')));
  });
});
