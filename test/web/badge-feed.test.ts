import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseFeed } from 'htmlparser2';
import { badgeSvg, shieldsEndpoint, textWidth } from '../../src/web/badge.js';
import { atomFeed } from '../../src/web/feed.js';
import type { BadgeData } from '../../src/store/read-models.js';
import * as make from './factories.js';
import { elements, text } from './inspect.js';

const data = (overrides: Partial<BadgeData> = {}): BadgeData => ({ project: 'numpy', target: '3.14t', readiness: 'ready', latestVersion: '2.3.0', ...overrides });

/** Every tag closes in order and only XML's predefined entities and character references appear. */
function assertWellFormedXml(xml: string): void {
  const stack: string[] = [];
  const tags = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|<\?xml[^?]*\?>|<!--[\s\S]*?-->/g;
  let last = 0;
  for (const m of xml.matchAll(tags)) {
    assert.ok(!/[<>]/.test(xml.slice(last, m.index)), `stray markup in text near ${xml.slice(last, m.index).slice(0, 40)}`);
    last = m.index! + m[0].length;
    if (!m[2]) continue;
    if (m[1]) assert.equal(stack.pop(), m[2], `</${m[2]}> closes the wrong element`);
    else if (!m[4]) stack.push(m[2]);
  }
  assert.deepEqual(stack, [], 'unclosed elements');
  assert.ok(!/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(xml), 'an undefined entity or a bare &');
  assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(xml), 'a control character XML forbids');
}

describe('badge', () => {
  test('the two parts say what and how', () => {
    const cases: [BadgeData['readiness'], string][] = [['ready', 'ready ✓'], ['needs-build', 'needs build'], ['blocked', 'blocked'], ['unknown', 'unknown'], [null, 'not found']];
    for (const [readiness, message] of cases) {
      const texts = elements(badgeSvg(data({ readiness }))).filter((e) => e.name === 'text').map(text);
      assert.deepEqual(texts, ['free-threaded 3.14t', message]);
    }
  });
  test('is labelled for assistive technology', () => {
    const svg = badgeSvg(data({ readiness: 'needs-build' }));
    const root = elements(svg)[0]!;
    assert.equal(root.attribs.role, 'img');
    assert.equal(root.attribs['aria-label'], 'numpy 2.3.0 on free-threaded Python 3.14t: needs build');
    assert.match(svg, /<title>numpy 2\.3\.0 on free-threaded Python 3\.14t: needs build<\/title>/);
    assertWellFormedXml(svg);
  });
  test('widths follow the text', () => {
    const width = (d: BadgeData) => Number(elements(badgeSvg(d))[0]!.attribs.width);
    assert.ok(width(data({ readiness: 'needs-build' })) > width(data({ readiness: 'blocked' })));
    assert.ok(width(data({ target: '3.14t' })) < width(data({ target: '3.14t-with-a-long-name' })));
    assert.ok(textWidth('mmmm') > textWidth('iiii'));
    assert.ok(textWidth('free-threaded 3.14t') > 90 && textWidth('free-threaded 3.14t') < 130, 'close to shields.io’s 11px Verdana');
    const rects = elements(badgeSvg(data())).filter((e) => e.name === 'rect' && e.attribs.fill);
    assert.equal(Number(rects[0]!.attribs.width) + Number(rects[1]!.attribs.width), width(data()), 'the parts fill the badge');
  });
  test('escapes hostile project names and targets', () => {
    const svg = badgeSvg(data({ project: make.HOSTILE_NAME, target: '<b>&', latestVersion: make.HOSTILE_TEXT }));
    assert.ok(!svg.includes('<script>'));
    assert.ok(svg.includes('free-threaded &lt;b&gt;&amp;'));
    assertWellFormedXml(svg);
  });
  test('shields.io endpoint JSON', () => {
    assert.deepEqual(shieldsEndpoint(data()), { schemaVersion: 1, label: 'free-threaded 3.14t', message: 'ready ✓', color: 'brightgreen' });
    assert.deepEqual(shieldsEndpoint(data({ readiness: 'blocked' })), { schemaVersion: 1, label: 'free-threaded 3.14t', message: 'blocked', color: 'red' });
    assert.equal(shieldsEndpoint(data({ readiness: null })).message, 'not found');
    assert.equal(shieldsEndpoint(data({ target: '3.14t\u202E' })).label, 'free-threaded 3.14t\\u{202e}');
  });
});

describe('Atom feed', () => {
  const events = [
    make.readyEvent(),
    make.readyEvent({ project: 'evil', displayName: make.HOSTILE_NAME, version: `${make.HOSTILE_TEXT}\u0001`, kind: 'restored', at: null }),
    make.readyEvent({ project: 'scipy', displayName: 'SciPy', target: '3.15t', version: '1.16.0', at: '2025-05-30T10:00:00' }),
  ];
  const xml = atomFeed(events, { baseUrl: 'https://ft.example/', updated: '2025-06-01T12:00:00Z' });
  test('is well-formed XML with escaped text', () => {
    assert.match(xml, /^<\?xml version="1\.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom">/);
    assertWellFormedXml(xml);
    assert.ok(!xml.includes('<script>'));
    assert.ok(xml.includes('\\u{1}'), 'control characters are shown, not emitted');
  });
  test('one entry per event with a title, a permanent id, a link and an RFC 3339 date', () => {
    const feed = parseFeed(xml, { xmlMode: true })!;
    assert.equal(feed.type, 'atom');
    assert.equal(feed.id, 'https://ft.example/feed.atom');
    assert.equal(feed.items.length, 3);
    assert.equal(feed.items[0]!.title, 'numpy 2.3.0 is ready on 3.14t');
    assert.equal(feed.items[0]!.id, 'https://ft.example/packages/numpy#first-ready/3.14t/2.3.0');
    assert.equal(feed.items[0]!.link, 'https://ft.example/packages/numpy');
    assert.match(feed.items[1]!.title!, /^evil<script>alert\(3\)<\/script>\\u\{202e\}pkg .* is ready on 3\.14t again$/, 'the parsed title is the text, markup inert');
    const updated = [...xml.matchAll(/<updated>([^<]*)<\/updated>/g)].map((m) => m[1]);
    assert.deepEqual(updated, ['2025-06-01T12:00:00.000Z', '2025-06-01T12:00:00.000Z', '2025-06-01T12:00:00.000Z', '2025-05-30T10:00:00.000Z'], 'the feed, then each entry; no time means the feed’s; no zone means UTC');
  });
  test('ids stay under the base URL', () => {
    for (const m of xml.matchAll(/<id>([^<]*)<\/id>/g)) assert.ok(m[1]!.startsWith('https://ft.example/'), m[1]);
  });
  test('an empty feed is still valid', () => {
    const empty = atomFeed([], { baseUrl: 'http://localhost:8080', updated: '1970-01-01T00:00:00.000Z' });
    assertWellFormedXml(empty);
    assert.equal(parseFeed(empty, { xmlMode: true })!.items.length, 0);
  });
  test('refuses a base URL that is not absolute http(s)', () => {
    assert.throws(() => atomFeed([], { baseUrl: '/relative', updated: '2025-01-01T00:00:00Z' }));
  });
});
