// The site's only stylesheet and script, served from /static/ so that the
// CSP can forbid everything inline. Kept as strings: no build step, no files
// to locate at run time.

export const APP_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --surface: #f6f8fa;
  --link: #0550ae; --focus: #0969da;
  --ready: #1a7f37; --needs-build: #8a5c00; --blocked: #cf222e; --unknown: #8250df; --neutral: #59636e;
  --s0: #0969da; --s1: #bc4c00; --s2: #1a7f37; --s3: #8250df;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d; --surface: #151b23;
    --link: #4493f8; --focus: #58a6ff;
    --ready: #3fb950; --needs-build: #d29922; --blocked: #f85149; --unknown: #ab7df8; --neutral: #9198a1;
    --s0: #58a6ff; --s1: #f0883e; --s2: #3fb950; --s3: #d2a8ff;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--link); text-underline-offset: 0.15em; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
main:focus { outline: none; }
[hidden] { display: none !important; }
time { white-space: nowrap; }
h1, h2, h3 { line-height: 1.25; overflow-wrap: anywhere; }
h1 { font-size: clamp(1.5rem, 5vw, 2.25rem); margin: 0.5rem 0 1rem; }
h2 { font-size: 1.375rem; margin: 2rem 0 0.75rem; }
h3 { font-size: 1.125rem; margin: 1.25rem 0 0.5rem; }
p, li, dd { overflow-wrap: anywhere; }
code, pre, .files { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.875em; }
pre { overflow-x: auto; padding: 0.75rem; background: var(--surface); border: 1px solid var(--border); border-radius: 6px; }
.muted, .status-name { color: var(--muted); }
.vh { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; }

.skip-link { position: absolute; left: 0.5rem; top: -4rem; z-index: 10; padding: 0.5rem 1rem; background: var(--bg); border: 2px solid var(--focus); border-radius: 6px; }
.skip-link:focus { top: 0.5rem; }
.site-header { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 1.5rem; padding: 0.5rem 1rem; border-bottom: 1px solid var(--border); }
.brand { font-weight: 700; font-size: 1.25rem; color: var(--fg); text-decoration: none; }
.site-nav ul { display: flex; flex-wrap: wrap; gap: 0 0.25rem; margin: 0; padding: 0; list-style: none; }
.site-nav a { display: inline-block; padding: 0.5rem; text-decoration: none; }
.site-nav a:hover { text-decoration: underline; }
.site-nav a[aria-current] { font-weight: 700; text-decoration: underline; text-decoration-thickness: 3px; }
main { display: block; max-width: 72rem; margin: 0 auto; padding: 1rem; }
.site-footer { max-width: 72rem; margin: 2rem auto 0; padding: 1rem; border-top: 1px solid var(--border); color: var(--muted); font-size: 0.875rem; }

.table-wrap { position: relative; overflow-x: auto; margin: 1rem 0; border: 1px solid var(--border); border-radius: 6px; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
/* A caption is as wide as its table; sticky and capped, it stays readable while a wide table scrolls. */
caption { position: sticky; left: 0; max-width: calc(100vw - 4rem); caption-side: top; padding: 0.5rem 0.75rem; text-align: left; font-weight: 600; }
th, td { padding: 0.4rem 0.75rem; text-align: left; vertical-align: top; border-top: 1px solid var(--border); }
thead th { background: var(--surface); white-space: nowrap; }
th.num, td.num { text-align: right; }
tbody tr:hover { background: var(--surface); }
.matrix td { min-width: 12rem; }

.st { font-weight: 600; white-space: nowrap; }
.st-ready { color: var(--ready); }
.st-needs-build { color: var(--needs-build); }
.st-blocked { color: var(--blocked); }
.st-unknown { color: var(--unknown); }
.st-not-installed, .st-not-checkable { color: var(--neutral); }
.status-name { font-size: 0.875em; }

.targets { display: grid; gap: 1.5rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 20rem), 1fr)); }
.target-card { padding: 1rem; border: 1px solid var(--border); border-radius: 8px; }
.target-card h2 { margin-top: 0; }
.share { margin: 0; font-size: 1.125rem; }
.share strong { display: block; font-size: 2.5rem; line-height: 1.1; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
@media (max-width: 30rem) {
  main { padding: 0.75rem; }
  .target-card { padding: 0.75rem; }
  th, td { padding: 0.35rem 0.5rem; }
  .facts { grid-template-columns: 1fr; }
  .facts dd { margin-bottom: 0.5rem; }
}
.events li, .explanations > li { margin-bottom: 0.5rem; }
.advice { border-left: 4px solid var(--link); padding-left: 0.75rem; }
.files { margin: 0.25rem 0; padding-left: 1.25rem; }
.badges { padding: 0; list-style: none; }
.badges img { display: block; }
.alert { margin: 1rem 0; padding: 0.75rem 1rem; border: 2px solid var(--blocked); border-radius: 6px; }
.alert > :first-child { margin-top: 0; }
.alert > :last-child { margin-bottom: 0; }

figure { margin: 1rem 0; }
figcaption { color: var(--muted); font-size: 0.875rem; }
.wheel { display: block; width: 100%; max-width: 20rem; height: auto; margin: 0 auto; }
.seg.st-ready { stroke: var(--ready); }
.seg.st-needs-build { stroke: var(--needs-build); }
.seg.st-blocked { stroke: var(--blocked); }
.seg.st-unknown { stroke: var(--unknown); }
.seg.st-not-installed, .seg.st-not-checkable { stroke: var(--neutral); }
.wheel a:hover .seg { stroke-opacity: 0.6; }
.wheel-empty { fill: none; stroke: var(--border); }
.wheel-share { fill: var(--fg); font-weight: 700; }
.wheel-caption { fill: var(--muted); }
.chart-scroll { position: relative; overflow-x: auto; }
.trend { display: block; width: 100%; min-width: 36rem; max-width: 50rem; height: auto; }
.trend text { fill: var(--muted); font-size: 15px; }
.trend .axis { stroke: var(--muted); }
.trend .grid { stroke: var(--border); }
.series { fill: none; stroke-width: 2.5; }
.series-0 { stroke: var(--s0); } .marker-0 { fill: var(--s0); }
.series-1 { stroke: var(--s1); } .marker-1 { fill: var(--s1); }
.series-2 { stroke: var(--s2); } .marker-2 { fill: var(--s2); }
.series-3 { stroke: var(--s3); } .marker-3 { fill: var(--s3); }
.dash-1 { stroke-dasharray: 8 4; }
.dash-2 { stroke-dasharray: 2 4; }
.dash-3 { stroke-dasharray: 12 4 2 4; }
.legend { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; margin: 0.5rem 0; padding: 0; list-style: none; }
.legend svg { width: 2.5rem; height: 1rem; vertical-align: middle; }
.chart-empty { padding: 1rem; border: 1px dashed var(--border); border-radius: 6px; color: var(--muted); }

.filters { display: grid; gap: 0.75rem 1rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 11rem), 1fr)); align-items: end; }
.filters .search { grid-column: 1 / -1; }
label, legend { display: block; margin-bottom: 0.25rem; font-weight: 600; font-size: 0.875rem; }
fieldset { min-width: 0; margin: 1rem 0; border: 1px solid var(--border); border-radius: 6px; }
input[type="file"] { width: 100%; }
fieldset label { display: inline-block; margin-right: 1rem; font-weight: 400; font-size: 1rem; }
input, select, textarea, button { max-width: 100%; padding: 0.4rem 0.5rem; font: inherit; color: inherit; background: var(--bg); border: 1px solid var(--muted); border-radius: 6px; }
input[type="checkbox"] { padding: 0; }
input[type="search"], select, textarea { width: 100%; }
textarea { min-height: 12rem; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
button { min-height: 2.5rem; color: var(--bg); background: var(--fg); border-color: var(--fg); font-weight: 600; cursor: pointer; }
.hint { color: var(--muted); font-size: 0.875rem; }
.form-row { margin: 1rem 0; }

.pagination ul { display: flex; flex-wrap: wrap; gap: 0.25rem; margin: 1rem 0; padding: 0; list-style: none; }
.pagination a, .pagination .gap { display: inline-block; min-width: 2.75rem; padding: 0.5rem 0.75rem; text-align: center; border: 1px solid var(--border); border-radius: 6px; }
.pagination .gap { border-color: transparent; }
.pagination a[aria-current] { color: var(--bg); background: var(--fg); font-weight: 700; text-decoration: none; }
`;

// Progressive enhancement for the packages page; every page works without it.
export const APP_JS = `"use strict";
{
  const form = document.querySelector("form[data-filter-form]");
  if (form) {
    // Selects submit the form when changed, and focus returns to the select
    // after the reload so that keyboard users keep their place.
    const KEY = "ftready:refocus";
    const store = (() => { try { return window.sessionStorage; } catch { return null; } })();
    const refocus = store && store.getItem(KEY);
    if (refocus) {
      store.removeItem(KEY);
      const el = form.elements.namedItem(refocus);
      if (el instanceof HTMLElement) el.focus();
    }
    for (const select of form.querySelectorAll("select")) {
      select.addEventListener("change", () => {
        if (store) store.setItem(KEY, select.name);
        form.requestSubmit();
      });
    }
    for (const hint of form.querySelectorAll("[data-autosubmit-hint]")) hint.hidden = false;

    // Typing filters this page's rows at once; Enter still asks the server.
    const search = form.querySelector("input[name=q]");
    const table = document.querySelector("table[data-filter-table]");
    const status = document.querySelector("[data-filter-status]");
    if (search && table && status && table.tBodies[0]) {
      const rows = Array.from(table.tBodies[0].rows).filter((row) => row.dataset.name !== undefined);
      search.addEventListener("input", () => {
        const query = search.value.trim().toLowerCase();
        let shown = 0;
        for (const row of rows) {
          const match = query === "" || row.dataset.name.includes(query) || (row.dataset.summary || "").includes(query);
          row.hidden = !match;
          if (match) shown++;
        }
        status.textContent = query === "" ? "" : shown + " of " + rows.length + " packages on this page match. Press Enter to search every package.";
      });
    }
  }
}
`;
