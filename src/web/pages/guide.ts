import type { GuideBook, GuidePage } from '../guide/guide-book.js';
import type { SearchResult } from '../guide/guide-search.js';
import { html, raw, type SafeHtml } from '../html.js';
import { page } from '../layout.js';

// The guide's pages on the site: a contents list beside every page, the
// page's own headings, previous and next, the date it last changed and a
// link to edit it; the contents page; and search results.

function searchForm(query = ''): SafeHtml {
  return html`<form class="guide-search" role="search" action="/guide/search" method="get"><label class="visually-hidden" for="guide-q">Search the guide</label><input type="search" id="guide-q" name="q" value="${query}" maxlength="200" placeholder="Search the guide, e.g. PyDict_GetItem"><button type="submit">Search</button></form>`;
}

function contents(book: GuideBook, current: GuidePage | null): SafeHtml {
  const item = (p: GuidePage) => html`<li><a href="/guide/${p.slug}"${p === current ? html` aria-current="page"` : ''}>${p.title.replace(/^FT\d{3}: /, '')}</a></li>`;
  const guide = book.pages.filter((p) => p.kind === 'guide');
  const rules = book.bySlug.get('rules');
  return html`<nav class="guide-nav" aria-label="Guide">
<h2>Guide</h2><ul>${guide.map(item)}</ul>
${rules && html`<h2>Scanner rules</h2><ul>${item(rules)}${current?.kind === 'rule' && current !== rules ? item(current) : ''}</ul>`}
</nav>`;
}

function onThisPage(p: GuidePage): SafeHtml {
  const headings = p.headings.filter((h) => h.level === 2 || h.level === 3);
  if (headings.length === 0) return html``;
  return html`<aside class="guide-toc" aria-label="On this page"><h2>On this page</h2><ul>${headings.map((h) => html`<li class="level-${h.level}"><a href="#${h.id}">${h.text}</a></li>`)}</ul></aside>`;
}

export function guideArticle(book: GuideBook, p: GuidePage): string {
  const { previous, next } = book.neighbours(p);
  const updated = p.updated ? p.updated.slice(0, 10) : null;
  const edit = book.editUrlBase ? html`<a href="${book.editUrlBase}${p.file}" rel="noopener noreferrer">Edit this page</a>` : html`Edit this page: <code>${p.file}</code> in the ftready repository`;
  const body = html`${searchForm()}<div class="guide">
${contents(book, p)}
<article class="guide-article">
${raw(p.html)}
<nav class="guide-pager" aria-label="Previous and next">${previous && html`<a class="previous" href="/guide/${previous.slug}" rel="prev">← ${previous.title}</a>`}${next && html`<a class="next" href="/guide/${next.slug}" rel="next">${next.title} →</a>`}</nav>
<p class="guide-meta">${updated && html`Last updated <time datetime="${p.updated!}">${updated}</time> · `}${edit}</p>
</article>
${onThisPage(p)}
</div>`;
  return page({ title: p.title, path: `/guide/${p.slug}`, body, description: `${p.title}: ftready's guide to free-threaded Python.` });
}

export function guideIndex(book: GuideBook): string {
  const guide = book.pages.filter((p) => p.kind === 'guide');
  const body = html`<h1>The free-threading guide</h1>
<p>What to change, how to test it and whether it pays off: porting Python, C, C++, Cython and Rust code to free-threaded CPython, and what to do when a dependency is not ready.</p>
${searchForm()}
<ol class="guide-contents">${guide.map((p) => html`<li><a href="/guide/${p.slug}">${p.title}</a><ul>${p.headings.filter((h) => h.level === 2 && h.text !== 'Sources').map((h) => html`<li><a href="/guide/${p.slug}#${h.id}">${h.text}</a></li>`)}</ul></li>`)}</ol>
${book.bySlug.has('rules') && html`<p>The scanner's rules, each with examples and its fix: <a href="/guide/rules">the rule index</a>.</p>`}`;
  return page({ title: 'Guide', path: '/guide', body });
}

export function guideSearchPage(query: string, results: readonly SearchResult[]): string {
  const body = html`<h1>Search the guide</h1>
${searchForm(query)}
${query.trim() === '' ? html`<p>Type a word or an API name.</p>` : results.length === 0 ? html`<p>Nothing in the guide matches “${query}”.</p>` : html`<p>${results.length} section${results.length === 1 ? '' : 's'} match “${query}”.</p>
<ol class="search-results">${results.map((r) => html`<li><a href="${r.href}">${r.title}${r.heading && r.heading !== r.title ? html` › ${r.heading}` : ''}</a><p class="snippet">${r.snippet}</p></li>`)}</ol>`}`;
  return page({ title: query ? `“${query}” in the guide` : 'Search the guide', path: '/guide/search', body });
}
