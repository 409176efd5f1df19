import type { PackageFilter, PackagePage, PackageRow, PackageSort, TrackerSettings } from '../../store/read-models.js';
import type { Readiness } from '../../status/vocabulary.js';
import { scrollable } from '../blocks.js';
import { count, plural } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import { CLASSIFIER_LEVEL_IDS, classifierLabel, READINESS_ORDER, readinessChip, readinessStyle } from '../status-style.js';
import { packageHref, packagesHref } from '../urls.js';

// The package list: a GET form, so every filtered view is a plain URL that
// works without JavaScript; app.js only adds instant filtering of this page.

const SORT_LABELS: Record<PackageSort, string> = { rank: 'download rank', name: 'name', 'ready-date': 'date first ready' };
/** Page links either side of the current page; the first and last are always shown. */
const PAGE_WINDOW = 2;

function option(value: string, label: string, selected: boolean): SafeHtml {
  return html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
}

function select(name: string, label: string, options: SafeHtml[]): SafeHtml {
  return html`<div><label for="f-${name}">${label}</label><select id="f-${name}" name="${name}">${options}</select></div>`;
}

function filterForm(filter: PackageFilter, settings: TrackerSettings): SafeHtml {
  const target = filter.target ?? settings.targets[0];
  const nightly = filter.nightly === undefined ? '' : filter.nightly ? 'yes' : 'no';
  const classifier = filter.classifierLevel === undefined ? '' : filter.classifierLevel === 0 ? 'none' : String(filter.classifierLevel);
  return html`<form class="filters" method="get" action="/packages" role="search" aria-label="Filter packages" data-filter-form>
<div class="search"><label for="f-q">Search names and summaries</label><input type="search" id="f-q" name="q" value="${filter.query ?? ''}" maxlength="100" autocomplete="off" spellcheck="false"></div>
${select('status', 'Readiness', [option('', 'any', !filter.readiness), ...READINESS_ORDER.map((r) => option(r, readinessStyle(r).label, filter.readiness === r))])}
${select('target', 'Target', settings.targets.map((t) => option(t, t, t === target)))}
${select('platform', 'Platform', [option('', 'all platforms', !filter.platform), ...settings.platforms.map((p) => option(p, p, filter.platform === p))])}
${select('nightly', 'Nightly wheels', [option('', 'any', nightly === ''), option('yes', 'yes', nightly === 'yes'), option('no', 'no', nightly === 'no')])}
${select('classifier', 'Free-threading classifier', [option('', 'any', classifier === ''), option('none', 'none', classifier === 'none'), ...CLASSIFIER_LEVEL_IDS.map((l) => option(String(l), classifierLabel(l), classifier === String(l)))])}
${select('sort', 'Sort by', (Object.keys(SORT_LABELS) as PackageSort[]).map((s) => option(s, SORT_LABELS[s], (filter.sort ?? 'rank') === s)))}
<div><button type="submit">Apply filters</button></div>
<p class="hint search" data-autosubmit-hint hidden>Choosing an option updates the list at once.</p>
</form>
<p class="hint" role="status" data-filter-status></p>`;
}

function isFiltered(filter: PackageFilter): boolean {
  return Boolean(filter.query || filter.readiness || filter.platform || filter.nightly !== undefined || filter.classifierLevel !== undefined);
}

function targetCell(row: PackageRow, target: string): SafeHtml {
  const cell = row.targets[target];
  const readiness: Readiness = cell?.readiness ?? 'unknown';
  const since = readiness === 'ready' && cell?.firstReady ? html` <span class="muted">since <bdi>${cell.firstReady}</bdi></span>` : '';
  return html`<td>${readinessChip(readiness)}${since}</td>`;
}

function packageRow(row: PackageRow, targets: string[]): SafeHtml {
  // Lower-cased here so that app.js compares without re-normalising each keystroke.
  const name = `${row.displayName} ${row.project}`.toLowerCase();
  return html`<tr data-name="${name}" data-summary="${(row.summary ?? '').toLowerCase()}">
<td class="num">${row.downloadRank === null ? html`<span aria-hidden="true">–</span><span class="vh">unranked</span>` : count(row.downloadRank)}</td>
<th scope="row"><a href="${packageHref(row.project)}"><bdi>${row.displayName}</bdi></a></th>
<td><bdi>${row.latestVersion ?? '–'}</bdi></td>
${targets.map((t) => targetCell(row, t))}
<td>${classifierLabel(row.classifierLevel)}</td>
<td>${row.hasNightly ? 'yes' : 'no'}</td>
</tr>`;
}

function table(result: PackagePage, filter: PackageFilter, settings: TrackerSettings, pages: number): SafeHtml {
  const where = filter.platform ? html`on <code>${filter.platform}</code>` : 'rolled up over all tracked platforms';
  const caption = html`${plural(result.total, 'package')}${isFiltered(filter) ? ' match these filters' : ''}, page ${count(result.page)} of ${count(pages)}. Readiness of the latest release, ${where}.`;
  const body = html`<table data-filter-table><caption id="packages-caption">${caption}</caption>
<thead><tr><th scope="col" class="num">Rank</th><th scope="col">Package</th><th scope="col">Latest</th>${settings.targets.map((t) => html`<th scope="col">${t}</th>`)}<th scope="col">Classifier</th><th scope="col">Nightly</th></tr></thead>
<tbody>${result.rows.map((row) => packageRow(row, settings.targets))}</tbody></table>`;
  return scrollable('packages-caption', body);
}

/** 1 … 4 5 [6] 7 8 … 20 */
function pageNumbers(current: number, pages: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - current) <= PAGE_WINDOW) out.push(p);
    else if (out[out.length - 1] !== null) out.push(null);
  }
  return out;
}

function pagination(filter: PackageFilter, current: number, pages: number): SafeHtml {
  if (pages <= 1) return html``;
  const link = (p: number, label: SafeHtml, rel?: string) => html`<li><a href="${packagesHref(filter, p)}"${rel ? html` rel="${rel}"` : ''}${p === current && !rel ? html` aria-current="page"` : ''}>${label}</a></li>`;
  const items = pageNumbers(current, pages).map((p) => (p === null ? html`<li><span class="gap">…</span></li>` : link(p, html`<span class="vh">Page </span>${count(p)}`)));
  return html`<nav class="pagination" aria-label="Pages"><ul>
${current > 1 && link(current - 1, html`← Previous<span class="vh"> page</span>`, 'prev')}
${items}
${current < pages && link(current + 1, html`Next<span class="vh"> page</span> →`, 'next')}
</ul></nav>`;
}

export function packagesPage(result: PackagePage, filter: PackageFilter, settings: TrackerSettings): string {
  const pages = Math.max(1, Math.ceil(result.total / Math.max(1, result.pageSize)));
  let list: SafeHtml;
  if (result.rows.length > 0) list = html`${table(result, filter, settings, pages)}${pagination(filter, result.page, pages)}`;
  else if (result.total > 0) list = html`<p>There is no page ${count(result.page)}: these filters give ${plural(pages, 'page')}. <a href="${packagesHref(filter, 1)}">Go to the first page</a>.</p>`;
  else list = html`<p>No package matches these filters. <a href="/packages">Show every package</a>.</p>`;
  const body = html`<h1>Packages</h1>
<p>Every tracked package with the readiness of its latest release on each free-threaded target. Select a package for its platforms, history and nightly wheels.</p>
${filterForm(filter, settings)}
${list}`;
  const title = filter.query ? `Packages matching “${filter.query}”` : 'Packages';
  return page({ title, path: '/packages', body });
}
