import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { escapeHtml, html, raw, safeUrl } from '../../src/web/html.js';
import { percent } from '../../src/web/format.js';
import { packagesHref } from '../../src/web/urls.js';

describe('html', () => {
  test('escapes every interpolated string', () => {
    assert.equal(html`<p title="${`"><script>`}">${`<b>&'`}</p>`.value, '<p title="&quot;&gt;&lt;script&gt;">&lt;b&gt;&amp;&#39;</p>');
  });
  test('keeps SafeHtml from html and raw, joins arrays, drops false, null and undefined', () => {
    const inner = html`<i>${'<x>'}</i>`;
    assert.equal(html`${inner}${raw('<br>')}${['a', html`<b>b</b>`, ['<c>']]}${false}${null}${undefined}${0}`.value, '<i>&lt;x&gt;</i><br>a<b>b</b>&lt;c&gt;0');
  });
  test('shows control and bidi-override characters instead of applying them', () => {
    assert.equal(escapeHtml('a\u202Eb\u0000c\u2066d\u001b[31m'), 'a\\u{202e}b\\u{0}c\\u{2066}d\\u{1b}[31m');
    assert.equal(escapeHtml('tab\tand\nnewline, e\u0301, 日本'), 'tab\tand\nnewline, e\u0301, 日本');
  });
});

describe('safeUrl', () => {
  const cases: [string, string | null][] = [
    ['https://example.org/a?b=c#d', 'https://example.org/a?b=c#d'],
    ['http://example.org', 'http://example.org/'],
    ['  https://example.org/x y', 'https://example.org/x%20y'],
    ['HTTPS://EXAMPLE.ORG/', 'https://example.org/'],
    ['javascript:alert(1)', null],
    ['JavaScript:alert(1)', null],
    [' javascript:alert(1)', null],
    ['java\nscript:alert(1)', null],
    ['data:text/html,<script>alert(1)</script>', null],
    ['vbscript:msgbox(1)', null],
    ['file:///etc/passwd', null],
    ['ftp://example.org/', null],
    ['/relative/path', null],
    ['//example.org/protocol-relative', null],
    ['example.org', null],
    ['https://user:pass@evil.example/', null],
    ['https://user@evil.example/', null],
    ['http://', null],
    ['https://[::1', null],
    ['', null],
    [`https://example.org/${'a'.repeat(3000)}`, null],
  ];
  for (const [input, expected] of cases) test(JSON.stringify(input).slice(0, 60), () => assert.equal(safeUrl(input), expected));
});

describe('packagesHref', () => {
  test('no filter is the bare path; defaults are left out', () => {
    assert.equal(packagesHref({}), '/packages');
    assert.equal(packagesHref({ sort: 'rank', page: 1 }), '/packages');
  });
  test('encodes values', () => {
    assert.equal(packagesHref({ query: 'a&b=c d#é' }, 2), '/packages?q=a%26b%3Dc+d%23%C3%A9&page=2');
  });
});

describe('percent', () => {
  test('never rounds a non-zero share to 0% or a partial share to 100%', () => {
    assert.deepEqual([0, 0.001, 0.5, 0.616, 0.999, 1].map(percent), ['0%', '<1%', '50%', '62%', '>99%', '100%']);
  });
});
