import type { TrackerSettings } from '../../store/read-models.js';
import { STATUSES } from '../../status/vocabulary.js';
import { scrollable } from '../blocks.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import { CLASSIFIER_LEVEL_IDS, classifierLabel, READINESS_ORDER, readinessChip, readinessStyle, statusLabel } from '../status-style.js';

// What the site's words mean. The definitions come from the status
// vocabulary, as docs/status-vocabulary.md does, so the two cannot disagree.

export function guidePage(settings: TrackerSettings): string {
  const readiness = html`<table><caption id="readiness-caption">Readiness: the answer for one package, target and platform</caption>
<thead><tr><th scope="col">Readiness</th><th scope="col">Meaning</th></tr></thead>
<tbody>${READINESS_ORDER.map((r) => html`<tr><th scope="row">${readinessChip(r)}</th><td>${readinessStyle(r).meaning}</td></tr>`)}</tbody></table>`;
  const statuses = html`<table><caption id="status-caption">Statuses: why a release has its readiness</caption>
<thead><tr><th scope="col">Status</th><th scope="col">Readiness</th><th scope="col">Meaning</th></tr></thead>
<tbody>${STATUSES.map((s) => html`<tr><th scope="row">${statusLabel(s.id)}</th><td>${s.readiness.map((r, i) => html`${i > 0 && ' or '}${readinessChip(r)}`)}</td><td>${s.meaning}</td></tr>`)}</tbody></table>`;
  const example = settings.targets[0] ?? '3.14t';
  const body = html`<h1>Guide</h1>
<p>Free-threaded CPython (the <code>t</code> in ${settings.targets.join(', ')}) runs Python threads in parallel without the global interpreter lock. A compiled extension must be built for its ABI, so a package is ready only when it publishes a wheel that interpreter can use. ftready reads the files of each release on <code>${settings.indexUrl}</code> and decides, for every target and platform, what <code>pip install</code> would get.</p>
<p>Platforms tracked: ${settings.platforms.map((p, i) => html`${i > 0 && ', '}<code>${p}</code>`)}. A package’s readiness on a target is its worst readiness over these platforms.</p>
<h2 id="readiness">Readiness</h2>
${scrollable('readiness-caption', readiness)}
<h2 id="statuses">Statuses</h2>
${scrollable('status-caption', statuses)}
<h2 id="classifier">The free-threading classifier</h2>
<p>Projects can declare their own support with the trove classifier <code>Programming Language :: Python :: Free Threading :: …</code>. Its levels are ${CLASSIFIER_LEVEL_IDS.map((l, i) => html`${i > 0 && ', '}${classifierLabel(l)}`)}. It is shown beside the wheel evidence; it does not change the readiness.</p>
<h2 id="check">Checking your own project</h2>
<p>Upload a lockfile or manifest on <a href="/check">Check your project</a>, or run the same check locally and in CI:</p>
<pre><code>npx ftready check                   # the lockfile in the current directory
npx ftready check . --format markdown  # for a pull-request comment</code></pre>
<h2 id="badges">Badges and API</h2>
<p>Each package page offers a README badge: <code>/badge/NAME.svg?python=${example}</code>, or <code>/badge/NAME.json?python=${example}</code> for a shields.io endpoint badge. Everything on the site is also in the JSON API, described by its <a href="/api/v1/openapi.json">OpenAPI document</a>, and new ready releases are in the <a href="/feed.atom">Atom feed</a>.</p>`;
  return page({ title: 'Guide', path: '/guide', body, description: 'What ready, needs build and blocked mean for free-threaded Python, and how ftready decides.' });
}
