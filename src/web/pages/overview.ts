import type { ReadyEvent, Summary, TargetShare, WheelSegment } from '../../store/read-models.js';
import { scrollable } from '../blocks.js';
import { trendChart } from '../charts/trend-chart.js';
import { wheelChart } from '../charts/wheel-chart.js';
import { count, dateElement, idPart, percent, plural } from '../format.js';
import { html, raw, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import { ALWAYS_LISTED, eventChip, READINESS_ORDER, readinessChip } from '../status-style.js';
import { packageHref, packagesHref } from '../urls.js';

// The home page: per target, how much of the top of the index is ready, as
// a number, a wheel and a table; then the trend and the latest news.

function breakdown(share: TargetShare): SafeHtml {
  const captionId = `breakdown-${idPart(share.target)}`;
  const rows = READINESS_ORDER.filter((r) => ALWAYS_LISTED.has(r) || share.counts[r] > 0).map((r) => {
    const n = share.counts[r];
    return html`<tr><th scope="row">${readinessChip(r)}</th><td class="num">${count(n)}</td><td class="num">${share.total === 0 ? '–' : percent(n / share.total)}</td></tr>`;
  });
  const table = html`<table><caption id="${captionId}">Packages on ${share.target} by readiness</caption><thead><tr><th scope="col">Readiness</th><th scope="col" class="num">Packages</th><th scope="col" class="num">Share</th></tr></thead><tbody>${rows}</tbody><tfoot><tr><th scope="row">Total</th><td class="num">${count(share.total)}</td><td class="num">${share.total === 0 ? '–' : '100%'}</td></tr></tfoot></table>`;
  return scrollable(captionId, table);
}

function targetCard(share: TargetShare, segments: WheelSegment[]): SafeHtml {
  const headingId = `target-${idPart(share.target)}`;
  const ready = share.counts.ready;
  const headline = share.total === 0
    ? html`<p class="share"><strong>–</strong> no packages counted on ${share.target} yet</p>`
    : html`<p class="share"><strong>${percent(share.readyShare)}</strong> ready: ${count(ready)} of ${plural(share.total, 'package')} install a wheel on ${share.target}</p>`;
  return html`<section class="target-card" aria-labelledby="${headingId}">
<h2 id="${headingId}">${share.target}</h2>
${headline}
<figure>${raw(wheelChart(segments, { target: share.target }))}<figcaption>One arc per package, by download rank clockwise from the top. Hover over an arc to name its package; select it to open the package.</figcaption></figure>
${breakdown(share)}
<p><a href="${packagesHref({ target: share.target })}">Every package on ${share.target}</a></p>
</section>`;
}

function recentItem(event: ReadyEvent): SafeHtml {
  const rank = event.downloadRank === null ? '' : html` <span class="muted">(download rank ${count(event.downloadRank)})</span>`;
  return html`<li>${eventChip(event.kind)} on ${event.target}: <a href="${packageHref(event.project)}"><bdi>${event.displayName}</bdi></a> <bdi>${event.version}</bdi>, ${dateElement(event.at)}${rank}</li>`;
}

function recent(events: ReadyEvent[]): SafeHtml {
  const list = events.length === 0
    ? html`<p>No package has become ready since tracking began.</p>`
    : html`<ol class="events">${events.map(recentItem)}</ol>`;
  return html`<section aria-labelledby="recent"><h2 id="recent">Recently ready</h2>
<p>Releases that made a package ready on a target, newest first. <a href="/feed.atom">Follow them in a feed reader (Atom)</a>.</p>
${list}
</section>`;
}

function intro(summary: Summary): SafeHtml {
  const { settings } = summary;
  const updated = summary.updatedAt === null ? html`Nothing has been synced yet.` : html`Updated ${dateElement(summary.updatedAt)}.`;
  return html`<p>A package is <strong>ready</strong> on a free-threaded interpreter when <code>pip install</code> gets a wheel it can use there, on every tracked platform. The figures count the top ${count(settings.topN)} packages by downloads from <code>${settings.indexUrl}</code> (every tracked package when no download ranks are known). ${plural(summary.projectCount, 'package')} tracked. ${updated}</p>`;
}

export function overviewPage(summary: Summary, wheels: Record<string, WheelSegment[]>): string {
  const body = html`<h1>How ready is Python for free-threading?</h1>
${intro(summary)}
<div class="targets">${summary.shares.map((share) => targetCard(share, wheels[share.target] ?? []))}</div>
<section aria-labelledby="trend"><h2 id="trend">Trend</h2>
<p>The ready share of the counted packages at each daily snapshot.</p>
${raw(trendChart(summary.snapshots, summary.settings.targets))}
</section>
${recent(summary.recentlyReady)}`;
  return page({ title: 'Free-threaded Python readiness', path: '/', body, feed: { href: '/feed.atom', title: 'ftready: packages newly ready for free-threaded Python' } });
}
