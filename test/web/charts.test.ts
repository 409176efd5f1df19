import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { trendChart } from '../../src/web/charts/trend-chart.js';
import { wheelChart } from '../../src/web/charts/wheel-chart.js';
import * as make from './factories.js';
import { assertInert, elements, text } from './inspect.js';

const count = (markup: string, needle: string) => markup.split(needle).length - 1;

describe('wheel chart', () => {
  test('no segments: an empty ring and a message, no links', () => {
    const svg = wheelChart([], { target: '3.14t' });
    assert.equal(count(svg, '<a '), 0);
    assert.match(svg, /class="wheel-empty"/);
    assert.match(svg, />no packages yet</);
  });
  test('one segment: a closed ring linking to the package', () => {
    const svg = wheelChart([{ project: 'numpy', displayName: 'NumPy', downloadRank: 1, readiness: 'ready' }], { target: '3.14t' });
    assert.equal(count(svg, '<a '), 1);
    assert.match(svg, /<a href="\/packages\/numpy" tabindex="-1"><title>NumPy \(#1\): ✓ ready<\/title><path class="seg st-ready" d="M[^"]+A[^"]+A[^"]+"\/><\/a>/);
    assert.match(svg, />100%</);
  });
  test('2,000 segments: one link each, in rank order, and a reasonable size', () => {
    const segments = make.segments(2000);
    const svg = wheelChart(segments, { target: '3.14t' });
    assert.equal(count(svg, '<a '), 2000);
    const hrefs = [...svg.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(hrefs.slice(0, 3), ['/packages/pkg-0', '/packages/pkg-1', '/packages/pkg-2']);
    assert.ok(svg.length < 400_000, `${svg.length} bytes`);
    assert.ok(!/\d\.\d{3}/.test(svg), 'coordinates rounded to 2 decimals');
  });
  test('labelled by its title and counts, its links hidden from assistive technology, with the ready share in the centre', () => {
    const svg = wheelChart(make.segments(8), { target: '3.15t' });
    const all = elements(svg);
    const root = all[0]!;
    assert.equal(root.attribs.role, 'group');
    for (const a of all.filter((e) => e.name === 'a')) {
      assert.equal(a.attribs.tabindex, '-1');
      assert.ok(a.parent && a.parent !== root, 'inside a hidden group');
    }
    assert.equal(all.filter((e) => e.attribs['aria-hidden'] === 'true').length, 1);
    assert.equal(root.attribs['aria-labelledby'], 'wheel-3-15t-title wheel-3-15t-desc');
    assert.match(svg, /<title id="wheel-3-15t-title">25% of 8 top packages ready on 3\.15t<\/title><desc id="wheel-3-15t-desc">ready: 2, needs build: 2, blocked: 2, unknown: 2<\/desc>/);
    assert.match(svg, /<text class="wheel-share"[^>]*>25%<\/text><text class="wheel-caption"[^>]*>ready on 3\.15t<\/text>/);
    assert.ok(!svg.includes('style='));
  });
  test('hostile names are escaped in titles and URLs', () => {
    const svg = wheelChart([{ project: 'a"b/<c>', displayName: make.HOSTILE_NAME, downloadRank: null, readiness: 'blocked' }], { target: '3.14t' });
    assertInert(`<!DOCTYPE html>\n<html lang="en"><body>${svg}</body></html>`);
    assert.match(svg, /href="\/packages\/a%22b%2F%3Cc%3E"/);
  });
});

describe('trend chart', () => {
  test('no points: a clear message instead of an empty chart', () => {
    assert.match(trendChart([], make.TARGETS), /^<p class="chart-empty">No snapshots yet/);
    assert.match(trendChart([make.snapshot('2025-01-01', '3.14t', 0, 0)], make.TARGETS), /No snapshots yet/, 'a snapshot of nothing is no data');
  });
  test('one point: a marker, no line', () => {
    const html = trendChart([make.snapshot('2025-06-01', '3.14t', 50)], make.TARGETS);
    assert.equal(count(html, '<polyline'), 0);
    assert.equal(count(html, 'class="marker marker-0"'), 2, 'one in the chart, one in the legend');
    assert.match(html, /<desc id="trend-desc">3\.14t: 50% ready on 2025-06-01<\/desc>/);
  });
  test('many points: a line per target, axes and labels, a legend with line styles and text, and a data table', () => {
    const points = [
      ...Array.from({ length: 60 }, (_, i) => make.snapshot(new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10), '3.14t', 20 + i)),
      make.snapshot('2025-01-10', '3.15t', 5),
      make.snapshot('2025-02-20', '3.15t', 15),
    ];
    const html = trendChart(points, make.TARGETS);
    assert.equal(count(html, '<polyline'), 2);
    assert.match(html, /class="series series-0 dash-0"/);
    assert.match(html, /class="series series-1 dash-1"/);
    for (const label of ['0%', '50%', '100%', '2025-01-01', '2025-03-01', '% ready', 'snapshot day']) assert.ok(html.includes(`>${label}</text>`), label);
    const legend = elements(html).find((e) => e.name === 'ul' && e.attribs.class === 'legend')!;
    assert.deepEqual(text(legend).trim().split(/\s+/), ['3.14t', '3.15t']);
    assert.match(html, /<desc id="trend-desc">3\.14t: from 20% on 2025-01-01 to 79% on 2025-03-01; 3\.15t: from 5% on 2025-01-10 to 15% on 2025-02-20<\/desc>/);
    const rows = elements(html).filter((e) => e.name === 'tr');
    assert.equal(rows.length, 61, 'a header row and one row per day');
    assert.match(html, /<td class="num">79% <span class="muted">\(79 of 100\)<\/span><\/td><td class="num"><span class="muted">no snapshot<\/span><\/td>/);
    assert.ok(!html.includes('style='));
  });
  test('snapshots of untracked targets are ignored', () => {
    assert.match(trendChart([make.snapshot('2025-06-01', '3.13t', 50)], make.TARGETS), /No snapshots yet/);
  });
});
