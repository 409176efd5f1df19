import type { ReadyEvent } from '../store/read-models.js';
import { html, safeUrl, type SafeHtml } from './html.js';
import { packageHref } from './urls.js';

// The Atom 1.0 feed (RFC 4287) of packages becoming ready. escapeHtml's
// entities (&amp; &lt; &gt; &quot; &#39;) are all valid XML, and it removes
// the control characters XML forbids.

export interface FeedOptions {
  /** The site's absolute http(s) URL, e.g. "https://ftready.example". */
  baseUrl: string;
  /** ISO 8601 time of the newest change, for <updated>. */
  updated: string;
}

const TITLES: Record<ReadyEvent['kind'], (e: ReadyEvent) => string> = {
  'first-ready': (e) => `${e.displayName} ${e.version} is ready on ${e.target}`,
  restored: (e) => `${e.displayName} ${e.version} is ready on ${e.target} again`,
  dropped: (e) => `${e.displayName} ${e.version} is no longer ready on ${e.target}`,
};

const SUMMARIES: Record<ReadyEvent['kind'], (e: ReadyEvent) => string> = {
  'first-ready': (e) => `${e.displayName} ${e.version} is the first release with a usable wheel for free-threaded Python ${e.target} on every tracked platform.`,
  restored: (e) => `${e.displayName} ${e.version} has usable wheels for free-threaded Python ${e.target} again, after an earlier release dropped them.`,
  dropped: (e) => `${e.displayName} ${e.version} no longer has usable wheels for free-threaded Python ${e.target} on every tracked platform.`,
};

/** RFC 3339 as Atom requires; indexes sometimes give upload times without a zone, which are UTC. */
function atomDate(text: string | null, fallback: string): string {
  if (!text) return fallback;
  const zoned = !text.includes('T') || /(?:[zZ]|[+-]\d\d:?\d\d)$/.test(text);
  const ms = Date.parse(zoned ? text : `${text}Z`);
  return Number.isNaN(ms) ? fallback : new Date(ms).toISOString();
}

/**
 * Entry ids are permanent: one event is one (project, target, kind, version),
 * so its URL fragment is built from exactly those.
 */
function entry(event: ReadyEvent, base: string, updated: string): SafeHtml {
  const link = `${base}${packageHref(event.project)}`;
  const id = `${link}#${[event.kind, event.target, event.version].map(encodeURIComponent).join('/')}`;
  return html`<entry>
<title>${TITLES[event.kind](event)}</title>
<id>${id}</id>
<link rel="alternate" type="text/html" href="${link}"/>
<updated>${atomDate(event.at, updated)}</updated>
<summary>${SUMMARIES[event.kind](event)}</summary>
<category term="${event.target}"/>
</entry>
`;
}

export function atomFeed(events: ReadyEvent[], opts: FeedOptions): string {
  const checked = safeUrl(opts.baseUrl);
  if (!checked) throw new Error(`atomFeed: baseUrl must be an absolute http(s) URL, not ${JSON.stringify(opts.baseUrl)}`);
  const base = checked.replace(/\/+$/, '');
  const updated = atomDate(opts.updated, new Date(0).toISOString());
  return `<?xml version="1.0" encoding="utf-8"?>
${html`<feed xmlns="http://www.w3.org/2005/Atom">
<title>ftready: packages newly ready for free-threaded Python</title>
<subtitle>Releases that made a package installable from wheels on free-threaded CPython.</subtitle>
<id>${base}/feed.atom</id>
<link rel="self" type="application/atom+xml" href="${base}/feed.atom"/>
<link rel="alternate" type="text/html" href="${base}/"/>
<updated>${updated}</updated>
<author><name>ftready</name></author>
<generator>ftready</generator>
${events.map((e) => entry(e, base, updated))}</feed>
`.value}`;
}
