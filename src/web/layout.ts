import { html, type SafeHtml } from './html.js';

// The document every page shares. The server sends a strict CSP
// (script-src 'self'; style-src 'self'), so nothing here may be inline:
// no <script> bodies, no style attributes, no on* handlers.

export interface PageOptions {
  title: string;
  /** The request path, to mark the current navigation item. */
  path: string;
  body: SafeHtml;
  description?: string;
  /** An Atom feed advertised to feed readers. */
  feed?: { href: string; title: string };
}

const NAV: readonly { href: string; label: string }[] = [
  { href: '/', label: 'Overview' },
  { href: '/packages', label: 'Packages' },
  { href: '/check', label: 'Check your project' },
  { href: '/guide', label: 'Guide' },
  { href: '/api/v1/openapi.json', label: 'API' },
];

const DEFAULT_DESCRIPTION = 'How ready the Python ecosystem is for free-threaded CPython: which packages ship wheels for 3.13t, 3.14t and 3.15t.';

/** "page" on the item's own page, "true" on a page inside its section (a package under Packages). */
function current(href: string, path: string): string | null {
  if (path === href) return 'page';
  return href !== '/' && path.startsWith(`${href}/`) ? 'true' : null;
}

function nav(path: string): SafeHtml {
  const pathname = path.split(/[?#]/)[0]!;
  const items = NAV.map((item) => {
    const state = current(item.href, pathname);
    return html`<li><a href="${item.href}"${state ? html` aria-current="${state}"` : ''}>${item.label}</a></li>`;
  });
  return html`<nav class="site-nav" aria-label="Main"><ul>${items}</ul></nav>`;
}

export function page(opts: PageOptions): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${opts.title} · ftready</title>
<meta name="description" content="${opts.description ?? DEFAULT_DESCRIPTION}">
${opts.feed && html`<link rel="alternate" type="application/atom+xml" title="${opts.feed.title}" href="${opts.feed.href}">`}
<link rel="icon" type="image/svg+xml" href="/favicon.ico">
<link rel="stylesheet" href="/static/app.css">
<script src="/static/app.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<a class="brand" href="/">ftready</a>
${nav(opts.path)}
</header>
<main id="main" tabindex="-1">
${opts.body}
</main>
<footer class="site-footer">
<p>ftready reads the wheel and sdist files each release publishes and decides, for every free-threaded interpreter and platform, whether <code>pip install</code> gets a usable wheel. <a href="/guide">How statuses are decided</a> · <a href="/feed.atom">Atom feed</a> · <a href="/api/v1/openapi.json">API</a></p>
</footer>
</body>
</html>
`.value;
}
