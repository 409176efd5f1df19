import { statusGuide } from '../status/guide-links.js';
import { guidePath } from './urls.js';
import type { TimelineEvent } from '../store/read-models.js';
import { readinessInfo, type Readiness, type Status } from '../status/vocabulary.js';
import { html, type SafeHtml } from './html.js';

// How a readiness, a status or a history event looks on the site. Colour is
// never the only signal: every chip carries the vocabulary's symbol and a
// text label.

export interface ReadinessStyle {
  icon: string;
  label: string;
  /** Colours text (`.st-…`) and chart arcs (`.seg.st-…`); the values are in assets.ts. */
  className: string;
  meaning: string;
}

/** The order of breakdowns and filters: the good news first, what is not checked last. */
export const READINESS_ORDER: readonly Readiness[] = ['ready', 'needs-build', 'blocked', 'unknown', 'not-installed', 'not-checkable'];

/** Breakdowns always list these four answers, even at zero, and the others only when present, as the CLI's summary does. */
export const ALWAYS_LISTED: ReadonlySet<Readiness> = new Set<Readiness>(['ready', 'needs-build', 'blocked', 'unknown']);

export function readinessStyle(readiness: Readiness): ReadinessStyle {
  const info = readinessInfo(readiness);
  return { icon: info.symbol, label: readiness.replace('-', ' '), className: `st-${readiness}`, meaning: info.meaning };
}

/** The icon is hidden from screen readers, which read the label instead of "check mark". */
function chip(icon: string, label: string, className: string, title?: string): SafeHtml {
  return html`<span class="st ${className}"${title ? html` title="${title}"` : ''}><span class="st-icon" aria-hidden="true">${icon}</span> ${label}</span>`;
}

/** "✓ ready", with the meaning as a tooltip. */
export function readinessChip(readiness: Readiness): SafeHtml {
  const s = readinessStyle(readiness);
  return chip(s.icon, s.label, s.className, s.meaning);
}

const STATUS_LABELS: Record<Status, string> = {
  'free-threaded-wheel': 'free-threaded wheel',
  'compatible-wheel': 'compatible wheel',
  'abi3-only': 'abi3 wheels only',
  'no-compatible-wheel': 'no compatible wheel',
  'source-only': 'source only',
  unknown: 'unknown',
  'not-installed': 'not installed',
  'not-checkable': 'not checkable',
  'not-found': 'not found',
};

export function statusLabel(status: Status): string {
  return STATUS_LABELS[status];
}

/**
 * A status can have more than one readiness (abi3-only is blocked without an
 * sdist, needs-build with one), so the chip shows the result's readiness and
 * then the status: "✗ blocked abi3 wheels only".
 */
export function statusChip(status: Status, readiness: Readiness): SafeHtml {
  return html`${readinessChip(readiness)} <a class="status-name" href="${guidePath(statusGuide(status))}" title="What “${statusLabel(status)}” means">${statusLabel(status)}</a>`;
}

const EVENT_STYLES: Record<TimelineEvent['kind'], { icon: string; label: string; className: string }> = {
  'first-ready': { icon: '✓', label: 'first ready', className: 'st-ready' },
  restored: { icon: '✓', label: 'ready again', className: 'st-ready' },
  dropped: { icon: '✗', label: 'support dropped', className: 'st-blocked' },
};

/** A release-history event, "✓ first ready", in the same form as a readiness. */
export function eventChip(kind: TimelineEvent['kind']): SafeHtml {
  const s = EVENT_STYLES[kind];
  return chip(s.icon, s.label, s.className);
}

const CLASSIFIER_LEVELS: Record<number, string> = { 1: 'Unstable', 2: 'Beta', 3: 'Stable', 4: 'Resilient' };

/** The levels of "Programming Language :: Python :: Free Threading :: N - Name". */
export const CLASSIFIER_LEVEL_IDS: readonly number[] = Object.keys(CLASSIFIER_LEVELS).map(Number);

/** "3 – Stable", or "none" for no classifier (level 0 in filters). */
export function classifierLabel(level: number | null): string {
  if (level === null || level === 0) return 'none';
  const name = CLASSIFIER_LEVELS[level];
  return name ? `${level} – ${name}` : String(level);
}
