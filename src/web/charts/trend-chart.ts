import type { SnapshotPoint } from '../../store/read-models.js';
import { count, percent } from '../format.js';
import { scrollable } from '../blocks.js';
import { html, type SafeHtml } from '../html.js';

// The ready share per target over the daily snapshots. Series differ by
// colour, dash pattern and marker shape, and a data table carries the same
// numbers as text.

const WIDTH = 800;
const HEIGHT = 340;
const LEFT = 56;
const RIGHT = 24;
const TOP = 32;
const BOTTOM = 52;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;
const MAX_X_LABELS = 6;
/** Beyond this many days, markers only at the ends: the line says the rest. */
const MAX_MARKED_POINTS = 40;
/** Series styles (colour, dash, marker) repeat after this many targets. */
const STYLES = 4;

interface Value {
  day: string;
  ready: number;
  total: number;
  share: number;
}

const n = (x: number) => String(Math.round(x * 100) / 100);

function seriesOf(points: SnapshotPoint[], targets: string[]): Map<string, Value[]> {
  const series = new Map<string, Value[]>(targets.map((t) => [t, []]));
  for (const p of points) {
    if (p.total <= 0 || Number.isNaN(Date.parse(p.day))) continue;
    const ready = p.counts.ready ?? 0;
    series.get(p.target)?.push({ day: p.day, ready, total: p.total, share: ready / p.total });
  }
  for (const values of series.values()) values.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return series;
}

function marker(style: number, x: number, y: number): SafeHtml {
  const r = 4.5;
  const cls = `marker marker-${style}`;
  switch (style) {
    case 0: return html`<circle class="${cls}" cx="${n(x)}" cy="${n(y)}" r="${r}"/>`;
    case 1: return html`<rect class="${cls}" x="${n(x - r)}" y="${n(y - r)}" width="${2 * r}" height="${2 * r}"/>`;
    case 2: return html`<path class="${cls}" d="M${n(x)} ${n(y - r - 1)}L${n(x + r + 1)} ${n(y + r)}L${n(x - r - 1)} ${n(y + r)}Z"/>`;
    default: return html`<path class="${cls}" d="M${n(x)} ${n(y - r - 1)}L${n(x + r + 1)} ${n(y)}L${n(x)} ${n(y + r + 1)}L${n(x - r - 1)} ${n(y)}Z"/>`;
  }
}

/** Evenly spaced day labels, always including the first and the last. */
function labelledDays(days: string[]): string[] {
  if (days.length <= MAX_X_LABELS) return days;
  const picked = new Set<string>();
  for (let i = 0; i < MAX_X_LABELS; i++) picked.add(days[Math.round((i * (days.length - 1)) / (MAX_X_LABELS - 1))]!);
  return [...picked];
}

function describe(series: Map<string, Value[]>): string {
  return [...series]
    .filter(([, values]) => values.length > 0)
    .map(([target, values]) => {
      const first = values[0]!;
      const last = values[values.length - 1]!;
      return values.length === 1
        ? `${target}: ${percent(last.share)} ready on ${last.day}`
        : `${target}: from ${percent(first.share)} on ${first.day} to ${percent(last.share)} on ${last.day}`;
    })
    .join('; ');
}

function legend(targets: string[]): SafeHtml {
  const items = targets.map((target, i) => {
    const style = i % STYLES;
    return html`<li><svg viewBox="0 0 40 16" aria-hidden="true" focusable="false"><line class="series series-${style} dash-${style}" x1="0" y1="8" x2="40" y2="8"/>${marker(style, 20, 8)}</svg> ${target}</li>`;
  });
  return html`<ul class="legend" aria-label="Legend">${items}</ul>`;
}

function dataTable(series: Map<string, Value[]>, days: string[]): SafeHtml {
  const targets = [...series.keys()];
  const byDay = new Map(targets.map((t) => [t, new Map(series.get(t)!.map((v) => [v.day, v]))]));
  const rows = [...days].reverse().map((day) => {
    const cells = targets.map((t) => {
      const v = byDay.get(t)!.get(day);
      return v ? html`<td class="num">${percent(v.share)} <span class="muted">(${count(v.ready)} of ${count(v.total)})</span></td>` : html`<td class="num"><span class="muted">no snapshot</span></td>`;
    });
    return html`<tr><th scope="row"><time datetime="${day}">${day}</time></th>${cells}</tr>`;
  });
  const table = html`<table><caption id="trend-table-caption">Ready share per snapshot day, newest first</caption><thead><tr><th scope="col">Day</th>${targets.map((t) => html`<th scope="col" class="num">${t}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`;
  return html`<details><summary>The numbers as a table</summary>${scrollable('trend-table-caption', table)}</details>`;
}

export function trendChart(points: SnapshotPoint[], targets: string[]): string {
  const series = seriesOf(points, targets);
  const days = [...new Set([...series.values()].flatMap((values) => values.map((v) => v.day)))].sort();
  if (days.length === 0) {
    return html`<p class="chart-empty">No snapshots yet. The trend appears after the first daily snapshot of the top packages.</p>`.value;
  }

  const times = days.map((d) => Date.parse(d));
  const first = Math.min(...times);
  const span = Math.max(...times) - first;
  // One day has no extent: its points sit in the middle.
  const x = (day: string) => LEFT + (span === 0 ? PLOT_W / 2 : ((Date.parse(day) - first) / span) * PLOT_W);
  const y = (share: number) => TOP + (1 - share) * PLOT_H;

  const grid = [0, 0.25, 0.5, 0.75, 1].map((share) => html`<line class="grid" x1="${LEFT}" y1="${n(y(share))}" x2="${LEFT + PLOT_W}" y2="${n(y(share))}"/><text x="${LEFT - 8}" y="${n(y(share) + 5)}" text-anchor="end">${percent(share)}</text>`);
  const xLabels = labelledDays(days).map((day, i, all) => {
    // The end labels hang inwards so that they are not clipped.
    const anchor = all.length > 1 && i === 0 ? 'start' : all.length > 1 && i === all.length - 1 ? 'end' : 'middle';
    return html`<line class="axis" x1="${n(x(day))}" y1="${TOP + PLOT_H}" x2="${n(x(day))}" y2="${TOP + PLOT_H + 5}"/><text x="${n(x(day))}" y="${TOP + PLOT_H + 24}" text-anchor="${anchor}">${day}</text>`;
  });
  const lines = [...series.values()].map((values, i) => {
    if (values.length === 0) return '';
    const style = i % STYLES;
    const marked = values.length <= MAX_MARKED_POINTS ? values : [values[0]!, values[values.length - 1]!];
    return html`<g>${values.length > 1 && html`<polyline class="series series-${style} dash-${style}" points="${values.map((v) => `${n(x(v.day))},${n(y(v.share))}`).join(' ')}"/>`}${marked.map((v) => marker(style, x(v.day), y(v.share)))}</g>`;
  });

  const svg = html`<svg class="trend" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="trend-title trend-desc"><title id="trend-title">Share of packages ready, per target, by snapshot day</title><desc id="trend-desc">${describe(series)}</desc><text x="${LEFT}" y="${TOP - 14}" text-anchor="middle">% ready</text>${grid}<line class="axis" x1="${LEFT}" y1="${TOP + PLOT_H}" x2="${LEFT + PLOT_W}" y2="${TOP + PLOT_H}"/>${xLabels}<text x="${LEFT + PLOT_W / 2}" y="${HEIGHT - 4}" text-anchor="middle">snapshot day</text>${lines}</svg>`;
  return html`<div class="trend-chart">${scrollable('trend-title', svg, 'chart-scroll')}${legend([...series.keys()])}${dataTable(series, days)}</div>`.value;
}
