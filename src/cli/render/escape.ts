// Package metadata is untrusted: a lockfile can carry terminal escape
// sequences or Markdown/HTML that would run in a PR comment.

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Makes control characters (including ANSI escapes and bidi overrides) visible instead of active. */
export function forTerminal(text: string): string {
  return text.replace(CONTROL, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+!|~>]/g;

/** Text for a Markdown table cell or list item: no HTML, links, emphasis or line breaks. */
export function forMarkdown(text: string): string {
  return forTerminal(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MARKDOWN_SPECIAL, (c) => (c === '>' ? c : `\\${c}`));
}
