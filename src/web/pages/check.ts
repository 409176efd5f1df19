import type { CheckReport, PackageReport } from '../../project/check-report.js';
import { explanations, failingPackages, isReadyish, orderedPackages, overallReadiness, readyLabel, shortFiles, type Explanation } from '../../project/report-view.js';
import type { PlatformResult } from '../../status/release-status.js';
import { rollUpReadiness } from '../../status/vocabulary.js';
import { scrollable } from '../blocks.js';
import { CHECK_FORMATS } from '../check-service.js';
import { bytes, count, plural } from '../format.js';
import { html, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import { ALWAYS_LISTED, READINESS_ORDER, readinessChip, statusChip } from '../status-style.js';

// `ftready check` in the browser: a form to upload or paste a project file,
// and the report with what the CLI's text renderer shows, as HTML.

export interface CheckFormOptions {
  maxBytes: number;
  targets: string[];
  /** Why the last submission was refused; shown above the form. */
  error?: string;
  /** The pasted text to show again after an error. */
  text?: string;
  /** The kind of file chosen in the select, to show again after an error. */
  format?: string;
}

const needsAttention = (pkg: PackageReport) => ['blocked', 'needs-build', 'unknown'].includes(overallReadiness(pkg));
/** What the CLI explains: every result that is neither ready nor absent. */
const isExplained = (r: PlatformResult) => !isReadyish(r) && r.readiness !== 'not-installed';

export function checkFormPage(opts: CheckFormOptions): string {
  const body = html`<h1>Check your project</h1>
<p>Upload or paste a lockfile or a manifest to see, for every package it installs, whether free-threaded ${opts.targets.join(' and ')} get a wheel, and what blocks the rest. Lockfiles (<code>uv.lock</code>, <code>poetry.lock</code>, <code>pylock.toml</code>) are checked from the files they list; manifests are resolved through the package index first, which takes longer.</p>
${opts.error && html`<div class="alert" role="alert" id="check-error"><p><strong>The file could not be checked.</strong> ${opts.error}</p></div>`}
<form method="post" action="/check" enctype="multipart/form-data">
<fieldset><legend>Your lockfile or manifest</legend>
<div class="form-row"><label for="check-file">Upload a file</label><input type="file" id="check-file" name="file" aria-describedby="check-file-hint check-limit"><p class="hint" id="check-file-hint">The file’s name tells its format: ${CHECK_FORMATS.map((f, i) => html`${i > 0 && ', '}<code>${f}</code>`)}.</p></div>
<p>or</p>
<div class="form-row"><label for="check-text">Paste its contents</label><textarea id="check-text" name="text" rows="14" spellcheck="false" autocapitalize="off" autocomplete="off" aria-describedby="check-limit${opts.error ? ' check-error' : ''}">${opts.text ?? ''}</textarea></div>
<div class="form-row"><label for="check-format">Kind of file</label><select id="check-format" name="format" aria-describedby="check-format-hint"><option value="">from the file’s name</option>${CHECK_FORMATS.map((f) => html`<option value="${f}"${f === opts.format ? html` selected` : ''}>${f}</option>`)}</select><p class="hint" id="check-format-hint">Needed for pasted text, and for an upload named otherwise.</p></div>
</fieldset>
<p class="hint" id="check-limit">Up to ${bytes(opts.maxBytes)}. An uploaded file is used when both are given.</p>
<button type="submit">Check</button>
</form>`;
  return page({ title: 'Check your project', path: '/check', body, description: 'Check a lockfile or manifest for free-threaded Python: which dependencies block it, and what to upgrade.' });
}

function countsTable(report: CheckReport): SafeHtml {
  const rows = READINESS_ORDER.filter((r) => ALWAYS_LISTED.has(r) || report.targets.some((t) => report.summary[t]![r] > 0));
  const table = html`<table><caption id="counts-caption">Packages per readiness</caption>
<thead><tr><th scope="col">Readiness</th>${report.targets.map((t) => html`<th scope="col" class="num">${t}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr><th scope="row">${readinessChip(r)}</th>${report.targets.map((t) => html`<td class="num">${count(report.summary[t]![r])}</td>`)}</tr>`)}</tbody></table>`;
  return scrollable('counts-caption', table);
}

function headline(report: CheckReport, attention: PackageReport[]): SafeHtml {
  if (report.packages.length === 0) return html`<p>No packages were found in this file.</p>`;
  const worst = rollUpReadiness(report.packages.map(overallReadiness));
  const blocked = failingPackages(report, 'blocked').length;
  const verdict = attention.length === 0
    ? html`None of the ${plural(report.packages.length, 'package')} needs attention.`
    : html`${plural(attention.length, 'package needs', 'packages need')} attention, of ${count(report.packages.length)}.`;
  const ci = blocked > 0
    ? html` In CI, <code>ftready check</code> would fail: ${plural(blocked, 'package is', 'packages are')} blocked.`
    : '';
  return html`<p class="headline">Overall: ${readinessChip(worst)}. ${verdict}${ci}</p>`;
}

function explanationItem(e: Explanation): SafeHtml {
  const files = shortFiles(e.result.files);
  return html`<li><strong>${e.target}</strong> on ${e.platforms.map((p, i) => html`${i > 0 && ', '}<code>${p}</code>`)}: ${statusChip(e.result.status, e.result.readiness)}: ${e.result.reason}${files.length > 0 && html`<details><summary>Deciding files<span class="vh"> for ${e.target}</span></summary><ul class="files">${files.map((f) => html`<li>${f}</li>`)}</ul></details>`}</li>`;
}

function origin(pkg: PackageReport): SafeHtml {
  const parts: SafeHtml[] = [];
  if (pkg.path && pkg.path.length > 1) parts.push(html`<p>Required via ${pkg.path.map((name, i) => html`${i > 0 && ' → '}<bdi>${name}</bdi>`)}</p>`);
  if (pkg.requirement) parts.push(html`<p>Required as <code>${pkg.requirement}</code>${pkg.build && ' (a build requirement)'}</p>`);
  return html`${parts}`;
}

function attentionArticle(pkg: PackageReport, id: string, targets: string[]): SafeHtml {
  const advice = Object.entries(pkg.advice ?? {}).map(([target, a]) => html`<p class="advice"><strong>Advice for ${target}:</strong> ${a.summary}</p>`);
  return html`<article aria-labelledby="${id}"><h3 id="${id}"><bdi>${pkg.name}</bdi> <bdi>${pkg.version}</bdi></h3>
<ul>${targets.map((t) => html`<li>${t}: ${readinessChip(pkg.readiness[t] ?? 'unknown')}</li>`)}</ul>
${origin(pkg)}
${pkg.ignored !== undefined && html`<p>Ignored by <code>[tool.ftready]</code>: ${pkg.ignored}</p>`}
<ul class="explanations">${explanations(pkg, isExplained).map(explanationItem)}</ul>
${advice}
</article>`;
}

function note(pkg: PackageReport, articleId: string | undefined): SafeHtml {
  if (articleId) return html`<a href="#${articleId}">Why, and what to do<span class="vh"> about ${pkg.name}</span></a>`;
  const overall = overallReadiness(pkg);
  if (overall === 'ready') return html`${readyLabel(pkg)}`;
  const first = Object.values(Object.values(pkg.results)[0] ?? {})[0];
  return html`${first?.reason ?? ''}`;
}

function packagesTable(packages: PackageReport[], targets: string[], ids: Map<PackageReport, string>): SafeHtml {
  const rows = packages.map((pkg) => html`<tr><th scope="row"><bdi>${pkg.name}</bdi></th><td><bdi>${pkg.version}</bdi></td>${targets.map((t) => html`<td>${readinessChip(pkg.readiness[t] ?? 'unknown')}</td>`)}<td>${note(pkg, ids.get(pkg))}${pkg.ignored !== undefined && html` <span class="muted">(ignored)</span>`}</td></tr>`);
  const table = html`<table><caption id="all-caption">${plural(packages.length, 'package')}, blockers first</caption>
<thead><tr><th scope="col">Package</th><th scope="col">Version</th>${targets.map((t) => html`<th scope="col">${t}</th>`)}<th scope="col">Notes</th></tr></thead>
<tbody>${rows}</tbody></table>`;
  return scrollable('all-caption', table);
}

export function checkResultPage(report: CheckReport, opts: { inputName: string }): string {
  const packages = orderedPackages(report);
  const attention = packages.filter(needsAttention);
  const ids = new Map(attention.map((pkg, i) => [pkg, `package-${i + 1}`]));
  const body = html`<h1>Check of <bdi>${opts.inputName}</bdi></h1>
<p>Free-threaded CPython ${report.targets.join(', ')} on ${report.platforms.map((p, i) => html`${i > 0 && ', '}<code>${p}</code>`)}.</p>
${headline(report, attention)}
${countsTable(report)}
${report.notes.length > 0 && html`<section aria-labelledby="notes"><h2 id="notes">Notes</h2><ul>${report.notes.map((n) => html`<li>${n}</li>`)}</ul></section>`}
${attention.length > 0 && html`<section aria-labelledby="attention"><h2 id="attention">Needs attention</h2>${attention.map((pkg) => attentionArticle(pkg, ids.get(pkg)!, report.targets))}</section>`}
${packages.length > 0 && html`<section aria-labelledby="all"><h2 id="all">Every package</h2>${packagesTable(packages, report.targets, ids)}</section>`}
<p><a href="/check">Check another file</a></p>`;
  return page({ title: `Check of ${opts.inputName}`, path: '/check', body });
}
