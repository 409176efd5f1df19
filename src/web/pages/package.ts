import { ALL_PLATFORMS, type MatrixCell, type NightlyRow, type PackageDetail, type ReleaseRow, type TimelineEvent, type TrackerSettings } from '../../store/read-models.js';
import { shortFiles } from '../../project/report-view.js';
import { externalLink, scrollable } from '../blocks.js';
import { count, dateElement, idPart, plural } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import { classifierLabel, eventChip, readinessChip, statusChip } from '../status-style.js';
import { badgeHref, packageHref } from '../urls.js';

// One package: where it stands on each target, why, since when, and how
// to show it in a README.

export interface PackagePageOptions {
  /** The site's absolute URL, so that the badge snippet works when pasted elsewhere; relative links without it. */
  baseUrl?: string;
}

/** Deciding files shown before "… and N more": a release can have dozens of wheels. */
const MAX_FILES = 6;

function facts(detail: PackageDetail): SafeHtml {
  const classifier = detail.classifier ? classifierLabel(detail.classifier.level) : 'none on the latest release';
  return html`<dl class="facts">
<dt>Latest release</dt><dd><bdi>${detail.latestVersion ?? 'none'}</bdi></dd>
<dt>Download rank</dt><dd>${detail.downloadRank === null ? 'unranked' : count(detail.downloadRank)}</dd>
${detail.downloadCount !== null && html`<dt>Downloads</dt><dd>${count(detail.downloadCount)}</dd>`}
<dt>Free-threading classifier</dt><dd>${classifier}</dd>
<dt>Last checked</dt><dd>${dateElement(detail.syncedAt)}</dd>
</dl>`;
}

function readinessSummary(detail: PackageDetail, targets: string[]): SafeHtml {
  const items = targets.map((target) => {
    const cell = detail.targets[target];
    if (!cell) return html`<li>${target}: ${readinessChip('unknown')} <span class="muted">not checked yet</span></li>`;
    const since = cell.firstReady
      ? html`first ready in <bdi>${cell.firstReady}</bdi>, ${dateElement(cell.firstReadyAt)}`
      : html`never ready so far`;
    return html`<li><strong>${target}</strong>: ${readinessChip(cell.readiness)} <span class="muted">(${since})</span></li>`;
  });
  return html`<section aria-labelledby="readiness"><h2 id="readiness">Readiness</h2><ul>${items}</ul></section>`;
}

function links(detail: PackageDetail): SafeHtml {
  if (detail.links.length === 0) return html``;
  const items = detail.links.map((l) => html`<li>${externalLink(l.url, l.label)}</li>`);
  return html`<section aria-labelledby="links"><h2 id="links">Links</h2><ul>${items}</ul></section>`;
}

function matrixCell(cell: MatrixCell | undefined, target: string, platform: string): SafeHtml {
  if (!cell) return html`<td><span class="muted">not checked</span></td>`;
  const files = shortFiles(cell.files, MAX_FILES);
  return html`<td>${statusChip(cell.status, cell.readiness)}<details><summary>Why<span class="vh"> on ${platform}, ${target}</span></summary><p>${cell.reason}</p>${files.length > 0 && html`<ul class="files">${files.map((f) => html`<li>${f}</li>`)}</ul>`}</details></td>`;
}

/** The tracked platforms in their configured order, then any others the store has cells for. */
function matrixPlatforms(detail: PackageDetail, settings: TrackerSettings): string[] {
  const seen = new Set(settings.platforms);
  const extra = Object.values(detail.matrix).flatMap((perPlatform) => Object.keys(perPlatform)).filter((p) => p !== ALL_PLATFORMS && !seen.has(p));
  return [...settings.platforms, ...new Set(extra)];
}

function matrix(detail: PackageDetail, settings: TrackerSettings): SafeHtml {
  const platforms = matrixPlatforms(detail, settings);
  if (!detail.latestVersion || platforms.length === 0) return html``;
  const rows = platforms.map((platform) => html`<tr><th scope="row"><code>${platform}</code></th>${settings.targets.map((t) => matrixCell(detail.matrix[t]?.[platform], t, platform))}</tr>`);
  const table = html`<table class="matrix"><caption id="matrix-caption">Release <bdi>${detail.latestVersion}</bdi> on each platform and target</caption>
<thead><tr><th scope="col">Platform</th>${settings.targets.map((t) => html`<th scope="col">${t}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`;
  return html`<section aria-labelledby="platforms"><h2 id="platforms">Platforms</h2>
<p>Each cell names the status and, under “Why”, the files that decided it.</p>
${scrollable('matrix-caption', table)}</section>`;
}

/** A platform's event that repeats the all-platforms event says nothing new. */
function notedEvents(events: TimelineEvent[]): TimelineEvent[] {
  const overall = new Set(events.filter((e) => e.platform === ALL_PLATFORMS).map((e) => `${e.kind} ${e.version}`));
  return events.filter((e) => e.platform === ALL_PLATFORMS || !overall.has(`${e.kind} ${e.version}`));
}

function timelineItem(e: TimelineEvent): SafeHtml {
  const where = e.platform === ALL_PLATFORMS ? '' : html` on <code>${e.platform}</code>`;
  const previous = e.kind === 'dropped' && e.previous ? html` <span class="muted">(ready in <bdi>${e.previous}</bdi>)</span>` : '';
  return html`<li>${eventChip(e.kind)} in <bdi>${e.version}</bdi>${where}${previous}, ${dateElement(e.at)}</li>`;
}

function timeline(detail: PackageDetail, targets: string[]): SafeHtml {
  const perTarget = targets.map((target) => {
    const events = notedEvents(detail.timeline.filter((e) => e.target === target));
    const list = events.length === 0 ? html`<p>No release has been ready on ${target} yet.</p>` : html`<ol class="events">${events.map(timelineItem)}</ol>`;
    return html`<h3 id="timeline-${idPart(target)}">${target}</h3>${list}`;
  });
  return html`<section aria-labelledby="timeline"><h2 id="timeline">History</h2>
<p>When releases became ready on every platform, and where support was dropped or restored on one platform.</p>
${perTarget}</section>`;
}

function nightlyRow(row: NightlyRow, targets: string[]): SafeHtml {
  const cells = row.problem
    ? html`<td colspan="${targets.length}">${readinessChip('unknown')} <span class="muted">${row.problem}</span></td>`
    : row.version === null
      ? html`<td colspan="${targets.length}"><span class="muted">no release on this index</span></td>`
      : targets.map((t) => html`<td>${readinessChip(row.readiness[t] ?? 'unknown')}</td>`);
  return html`<tr><th scope="row">${externalLink(row.indexUrl, row.indexUrl)}</th><td><bdi>${row.version ?? '–'}</bdi></td>${cells}</tr>`;
}

function nightly(detail: PackageDetail, targets: string[]): SafeHtml {
  const content = detail.nightly.length === 0
    ? html`<p>No nightly wheels are known for this package.</p>`
    : scrollable('nightly-caption', html`<table><caption id="nightly-caption">Development wheels on nightly indexes</caption>
<thead><tr><th scope="col">Index</th><th scope="col">Version</th>${targets.map((t) => html`<th scope="col">${t}</th>`)}</tr></thead>
<tbody>${detail.nightly.map((row) => nightlyRow(row, targets))}</tbody></table>`);
  return html`<section aria-labelledby="nightly"><h2 id="nightly">Nightly wheels</h2>${content}</section>`;
}

function yanked(reason: string | null): SafeHtml {
  if (reason === null) return html`no`;
  return reason ? html`yes: ${reason}` : html`yes`;
}

function releaseRow(r: ReleaseRow, targets: string[]): SafeHtml {
  return html`<tr><th scope="row"><bdi>${r.version}</bdi>${r.prerelease && html` <span class="muted">pre-release</span>`}</th><td>${dateElement(r.uploadTime)}</td><td>${yanked(r.yanked)}</td>${targets.map((t) => html`<td>${readinessChip(r.readiness[t] ?? 'unknown')}</td>`)}<td class="num">${count(r.fileCount)}</td></tr>`;
}

function releases(detail: PackageDetail, targets: string[]): SafeHtml {
  if (detail.releases.length === 0) return html`<section aria-labelledby="releases"><h2 id="releases">Releases</h2><p>No releases found.</p></section>`;
  const table = html`<table><caption id="releases-caption">${plural(detail.releases.length, 'release')}, newest first; readiness rolled up over all tracked platforms</caption>
<thead><tr><th scope="col">Version</th><th scope="col">Uploaded</th><th scope="col">Yanked</th>${targets.map((t) => html`<th scope="col">${t}</th>`)}<th scope="col" class="num">Files</th></tr></thead>
<tbody>${detail.releases.map((r) => releaseRow(r, targets))}</tbody></table>`;
  return html`<section aria-labelledby="releases"><h2 id="releases">Releases</h2>${scrollable('releases-caption', table)}</section>`;
}

function badges(detail: PackageDetail, targets: string[], baseUrl: string): SafeHtml {
  if (targets.length === 0) return html``;
  const alt = (target: string) => `${detail.project} on free-threaded Python ${target}`;
  const items = targets.map((target) => {
    const img = badgeHref(detail.project, target);
    const markdown = `[![${alt(target).replace(/[[\]\\]/g, '\\$&')}](${baseUrl}${img})](${baseUrl}${packageHref(detail.project)})`;
    return html`<li><p><img src="${img}" alt="Badge: ${alt(target)}"></p><pre><code>${markdown}</code></pre></li>`;
  });
  return html`<section aria-labelledby="badge"><h2 id="badge">Badge</h2>
<p>Show this package’s readiness in a README with one of these Markdown snippets. The image URL takes the target as <code>python=</code>.</p>
<ul class="badges">${items}</ul></section>`;
}

export function packagePage(detail: PackageDetail, settings: TrackerSettings, opts: PackagePageOptions = {}): string {
  const baseUrl = (opts.baseUrl ?? '').replace(/\/+$/, '');
  const targets = settings.targets;
  const body = html`<h1><bdi>${detail.displayName}</bdi></h1>
${detail.summary && html`<p class="summary">${detail.summary}</p>`}
${detail.problem && html`<p class="alert"><strong>Status unknown:</strong> ${detail.problem}</p>`}
${facts(detail)}
${readinessSummary(detail, targets)}
${links(detail)}
${matrix(detail, settings)}
${timeline(detail, targets)}
${nightly(detail, targets)}
${releases(detail, targets)}
${badges(detail, targets, baseUrl)}`;
  return page({
    title: detail.displayName,
    path: packageHref(detail.project),
    body,
    description: `Is ${detail.displayName} ready for free-threaded Python? Wheels per platform for ${targets.join(', ')}.`,
  });
}
