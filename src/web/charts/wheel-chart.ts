import type { WheelSegment } from '../../store/read-models.js';
import type { Readiness } from '../../status/vocabulary.js';
import { count, idPart, percent } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { READINESS_ORDER, readinessStyle } from '../status-style.js';
import { packageHref } from '../urls.js';

// The overview's wheel: one arc per top package, clockwise from twelve
// o'clock in rank order. Each arc is a stroked path, not a filled sector, so
// that 2,000 packages cost two coordinates each.

export interface WheelOptions {
  target: string;
  /** Width and height in user units; the CSS scales the SVG to its container. */
  size?: number;
}

/** Two decimals: plenty at any screen size, and it keeps 2,000 arcs small. */
const n = (x: number) => String(Math.round(x * 100) / 100);

// Thin arcs would vanish behind a gap, so only wheels with visible arcs get one.
const MAX_SEGMENTS_WITH_GAPS = 360;

function point(centre: number, radius: number, angle: number): string {
  return `${n(centre + radius * Math.sin(angle))} ${n(centre - radius * Math.cos(angle))}`;
}

function arc(centre: number, radius: number, from: number, to: number): string {
  const large = to - from > Math.PI ? 1 : 0;
  return `M${point(centre, radius, from)}A${n(radius)} ${n(radius)} 0 ${large} 1 ${point(centre, radius, to)}`;
}

/** A closed ring: SVG cannot draw an arc whose ends coincide, so two halves. */
function ring(centre: number, radius: number): string {
  return `${arc(centre, radius, 0, Math.PI)}A${n(radius)} ${n(radius)} 0 0 1 ${point(centre, radius, 0)}`;
}

function description(segments: WheelSegment[]): string {
  const counts = new Map<Readiness, number>();
  for (const s of segments) counts.set(s.readiness, (counts.get(s.readiness) ?? 0) + 1);
  return READINESS_ORDER.filter((r) => counts.has(r))
    .map((r) => `${readinessStyle(r).label}: ${count(counts.get(r)!)}`)
    .join(', ');
}

function segmentLink(segment: WheelSegment, path: string): SafeHtml {
  const style = readinessStyle(segment.readiness);
  const rank = segment.downloadRank === null ? '' : ` (#${segment.downloadRank})`;
  return html`<a href="${packageHref(segment.project)}" tabindex="-1"><title>${segment.displayName}${rank}: ${style.icon} ${style.label}</title><path class="seg ${style.className}" d="${path}"/></a>`;
}

export function wheelChart(segments: WheelSegment[], opts: WheelOptions): string {
  const size = opts.size ?? 320;
  const centre = size / 2;
  const thickness = size * 0.19;
  const radius = centre - thickness / 2 - 1;
  const id = `wheel-${idPart(opts.target)}`;
  const ready = segments.filter((s) => s.readiness === 'ready').length;
  const share = segments.length === 0 ? '–' : percent(ready / segments.length);
  const caption = segments.length === 0 ? 'no packages yet' : `ready on ${opts.target}`;
  const title = segments.length === 0
    ? `No packages tracked on ${opts.target} yet`
    : `${share} of ${count(segments.length)} top packages ready on ${opts.target}`;

  const step = segments.length === 0 ? 0 : (2 * Math.PI) / segments.length;
  const gap = segments.length > 1 && segments.length <= MAX_SEGMENTS_WITH_GAPS ? Math.min(0.01, step * 0.15) : 0;
  const arcs = segments.map((segment, i) =>
    segmentLink(segment, segments.length === 1 ? ring(centre, radius) : arc(centre, radius, i * step + gap / 2, (i + 1) * step - gap / 2)),
  );

  const rings = segments.length === 0
    ? html`<path class="wheel-empty" d="${ring(centre, radius)}" stroke-width="${n(thickness)}"/>`
    : html`<g fill="none" stroke="currentColor" stroke-width="${n(thickness)}">${arcs}</g>`;
  // Assistive technology gets the title and the counts: 2,000 links would be
  // noise, and the packages page lists the same packages. So the arcs are
  // hidden and out of the tab order, for pointers only. (role="img" would
  // say the same but is not allowed to contain links.)
  return html`<svg class="wheel" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" role="group" aria-labelledby="${id}-title ${id}-desc"><title id="${id}-title">${title}</title><desc id="${id}-desc">${description(segments)}</desc><g aria-hidden="true">${rings}<text class="wheel-share" x="${n(centre)}" y="${n(centre + size * 0.02)}" text-anchor="middle" font-size="${n(size * 0.14)}">${share}</text><text class="wheel-caption" x="${n(centre)}" y="${n(centre + size * 0.11)}" text-anchor="middle" font-size="${n(size * 0.045)}">${caption}</text></g></svg>`.value;
}
