import { html, type SafeHtml } from './html.js';

// Numbers and dates as the pages show them. Fixed to English so that pages
// do not depend on the server's locale.

const NUMBER = new Intl.NumberFormat('en');

export function count(n: number): string {
  return NUMBER.format(n);
}

/** 0.616 → "62%"; a share above 0 never shows as "0%", nor one below 1 as "100%". */
export function percent(share: number): string {
  const p = Math.round(share * 100);
  if (p === 0 && share > 0) return '<1%';
  if (p === 100 && share < 1) return '>99%';
  return `${p}%`;
}

export function plural(n: number, word: string, words = `${word}s`): string {
  return `${count(n)} ${n === 1 ? word : words}`;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}/;

/** The YYYY-MM-DD part of an ISO 8601 time, or null when the text is not one. */
function day(iso: string | null): string | null {
  return iso && ISO_DAY.test(iso) ? iso.slice(0, 10) : null;
}

/** A machine-readable date, or "date unknown": upload times are missing on some indexes. */
export function dateElement(iso: string | null): SafeHtml {
  const d = day(iso);
  return d ? html`<time datetime="${d}">${d}</time>` : html`<span class="muted">date unknown</span>`;
}

/** "1.5 MB": the check form's size limit. */
export function bytes(n: number): string {
  if (n < 1024) return plural(n, 'byte');
  const units = ['KB', 'MB', 'GB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/** An id fragment from a target such as "3.14t", for chart and heading ids. */
export function idPart(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '-');
}
