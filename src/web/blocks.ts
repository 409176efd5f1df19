import { html, safeUrl, type HtmlValue, type SafeHtml } from './html.js';

// Pieces several pages share.

/**
 * Wide content that scrolls sideways on a phone. The wrapper is focusable
 * and named so that keyboard users can scroll it too.
 */
export function scrollable(labelledBy: string, content: SafeHtml, className = 'table-wrap'): SafeHtml {
  return html`<div class="${className}" role="region" aria-labelledby="${labelledBy}" tabindex="0">${content}</div>`;
}

/**
 * A link to somewhere outside the site, taken from package metadata: only
 * http(s) becomes a link; anything else stays visible as inert text.
 */
export function externalLink(url: string, label: HtmlValue): SafeHtml {
  const href = safeUrl(url);
  return href
    ? html`<a href="${href}" rel="nofollow noopener noreferrer">${label}</a>`
    : html`${label} <span class="muted">(<code>${url}</code>, not linked: not an http or https address)</span>`;
}
