import type { BadgeData } from '../store/read-models.js';
import type { Readiness } from '../status/vocabulary.js';
import { html, showInvisible } from './html.js';

// README badges: an SVG in the flat shields.io style, and the JSON for
// shields.io's endpoint badge. The SVG is shown through <img> on other sites,
// where no stylesheet applies, so its colours are attributes.

interface Look {
  message: string;
  /** Our SVG's background; white text on it has at least 4.5:1 contrast. */
  fill: string;
  /** shields.io's named colour for the same message. */
  shields: string;
}

const LOOKS: Record<Readiness | 'not-found', Look> = {
  ready: { message: 'ready ✓', fill: '#1a7f37', shields: 'brightgreen' },
  'needs-build': { message: 'needs build', fill: '#9a6700', shields: 'yellow' },
  blocked: { message: 'blocked', fill: '#cf222e', shields: 'red' },
  unknown: { message: 'unknown', fill: '#59636e', shields: 'lightgrey' },
  'not-installed': { message: 'not installed', fill: '#59636e', shields: 'lightgrey' },
  'not-checkable': { message: 'not checkable', fill: '#59636e', shields: 'lightgrey' },
  'not-found': { message: 'not found', fill: '#59636e', shields: 'lightgrey' },
};

const LABEL_FILL = '#555555';
const HEIGHT = 20;
const PADDING = 6;

const label = (data: BadgeData) => `free-threaded ${data.target}`;
const look = (data: BadgeData) => LOOKS[data.readiness ?? 'not-found'];

// Advance widths of Verdana (the shields.io font) in em, for the characters
// badges use; anything else is taken as wide, so the text never overflows.
const VERDANA_EM: Record<string, number> = {
  ' ': 0.352, '.': 0.364, '-': 0.431, ':': 0.454, '(': 0.454, ')': 0.454,
  a: 0.601, b: 0.623, c: 0.521, d: 0.623, e: 0.596, f: 0.352, g: 0.623, h: 0.633, i: 0.274, j: 0.344, k: 0.592, l: 0.274, m: 0.973,
  n: 0.633, o: 0.607, p: 0.623, q: 0.623, r: 0.427, s: 0.521, t: 0.394, u: 0.633, v: 0.592, w: 0.818, x: 0.592, y: 0.592, z: 0.525,
};
const DIGIT_EM = 0.636;
const UPPER_EM = 0.7;
const OTHER_EM = 0.9;
const FONT_SIZE = 11;

/** Estimated width in px of text at 11px Verdana. */
export function textWidth(text: string): number {
  let em = 0;
  for (const c of text) em += VERDANA_EM[c] ?? (/[0-9]/.test(c) ? DIGIT_EM : /[A-Z]/.test(c) ? UPPER_EM : OTHER_EM);
  return Math.ceil(em * FONT_SIZE);
}

export function badgeSvg(data: BadgeData): string {
  const left = label(data);
  const { message, fill } = look(data);
  const leftWidth = textWidth(left) + 2 * PADDING;
  const rightWidth = textWidth(message) + 2 * PADDING;
  const width = leftWidth + rightWidth;
  const version = data.latestVersion ? ` ${data.latestVersion}` : '';
  const title = `${data.project}${version} on free-threaded Python ${data.target}: ${message.replace(' ✓', '')}`;
  return html`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}" role="img" aria-label="${title}"><title>${title}</title><clipPath id="r"><rect width="${width}" height="${HEIGHT}" rx="3"/></clipPath><g clip-path="url(#r)"><rect width="${leftWidth}" height="${HEIGHT}" fill="${LABEL_FILL}"/><rect x="${leftWidth}" width="${rightWidth}" height="${HEIGHT}" fill="${fill}"/></g><g fill="#ffffff" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="${FONT_SIZE}" text-anchor="middle"><text x="${leftWidth / 2}" y="14">${left}</text><text x="${leftWidth + rightWidth / 2}" y="14">${message}</text></g></svg>`.value;
}

export interface ShieldsEndpoint {
  schemaVersion: 1;
  label: string;
  message: string;
  color: string;
}

/** https://shields.io/badges/endpoint-badge. shields.io escapes markup itself; invisible characters are still made visible. */
export function shieldsEndpoint(data: BadgeData): ShieldsEndpoint {
  const { message, shields } = look(data);
  return { schemaVersion: 1, label: showInvisible(label(data)), message, color: shields };
}
