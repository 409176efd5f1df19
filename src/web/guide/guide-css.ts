// The guide's layout and the highlighting colours, light and dark, added
// to the site's stylesheet. Highlighting is done on the server, so these
// classes are all the browser needs.

export const GUIDE_CSS = `
.guide { display: grid; grid-template-columns: 14rem minmax(0, 1fr) 13rem; gap: 2rem; align-items: start; }
.guide-nav, .guide-toc { position: sticky; top: 1rem; max-height: calc(100vh - 2rem); overflow-y: auto; font-size: 0.9rem; }
.guide-nav ul, .guide-toc ul { list-style: none; margin: 0; padding: 0; }
.guide-nav li, .guide-toc li { margin: 0.2rem 0; }
.guide-toc li.level-3 { padding-left: 0.9rem; }
.guide-nav a[aria-current] { font-weight: 700; }
.guide-nav h2, .guide-toc h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); margin: 1rem 0 0.4rem; }
.guide-article { min-width: 0; line-height: 1.6; }
.guide-article h1, .guide-article h2, .guide-article h3 { scroll-margin-top: 1rem; }
.guide-article img { max-width: 100%; }
.guide-article pre.code { overflow-x: auto; padding: 0.75rem 1rem; background: var(--surface); border: 1px solid var(--border); border-radius: 6px; line-height: 1.45; }
.guide-article details { margin: 1rem 0; padding: 0.5rem 1rem; border: 1px solid var(--border); border-radius: 6px; }
.guide-article table { display: block; overflow-x: auto; }
.guide-article .align-center { text-align: center; }
.guide-article .align-right { text-align: right; }
.guide-meta { margin-top: 2rem; padding-top: 1rem; border-top: 1px solid var(--border); color: var(--muted); font-size: 0.875rem; }
.guide-pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 1.5rem; }
.guide-pager a { display: block; max-width: 48%; }
.guide-pager .next { margin-left: auto; text-align: right; }
.guide-search { display: flex; gap: 0.5rem; margin: 0.5rem 0 1rem; }
.guide-search input { flex: 1; min-width: 0; }
.search-results { list-style: none; padding: 0; }
.search-results li { margin: 0 0 1rem; }
.search-results .snippet { margin: 0.2rem 0 0; color: var(--muted); }
@media (max-width: 64rem) { .guide { grid-template-columns: minmax(0, 1fr); } .guide-nav, .guide-toc { position: static; max-height: none; } .guide-toc { order: -1; } }
.hljs-comment, .hljs-quote { color: #6a737d; font-style: italic; }
.hljs-keyword, .hljs-selector-tag, .hljs-meta .hljs-keyword { color: #b3245d; }
.hljs-string, .hljs-regexp, .hljs-addition { color: #116329; }
.hljs-number, .hljs-literal, .hljs-built_in, .hljs-type { color: #0550ae; }
.hljs-title, .hljs-title.function_, .hljs-section { color: #6639ba; }
.hljs-meta, .hljs-attr, .hljs-attribute, .hljs-variable { color: #953800; }
.hljs-deletion { color: #82071e; }
@media (prefers-color-scheme: dark) {
  .hljs-comment, .hljs-quote { color: #8b949e; }
  .hljs-keyword, .hljs-selector-tag, .hljs-meta .hljs-keyword { color: #ff7b72; }
  .hljs-string, .hljs-regexp, .hljs-addition { color: #7ee787; }
  .hljs-number, .hljs-literal, .hljs-built_in, .hljs-type { color: #79c0ff; }
  .hljs-title, .hljs-title.function_, .hljs-section { color: #d2a8ff; }
  .hljs-meta, .hljs-attr, .hljs-attribute, .hljs-variable { color: #ffa657; }
  .hljs-deletion { color: #ffa198; }
}
`;
