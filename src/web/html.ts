// Every page, chart, badge and feed is built from strings that came from a
// package index, so escaping is the default and trust is opt-in: only `html`
// itself and `raw()` produce SafeHtml, and everything else is escaped.

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What `html` accepts: false, null and undefined render nothing, so `cond && html`…`` works. */
export type HtmlValue = SafeHtml | string | number | false | null | undefined | readonly HtmlValue[];

const SPECIAL: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// Controls are invalid in XML (the feed, SVG) and bidi overrides let a name
// such as "numpy\u202Egpj.exe" display as something it is not, so both are
// shown as visible escapes, as the terminal renderer does.
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g;

/** Control and bidi-override characters as visible `\u{…}` escapes. */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** Text safe inside an element or a quoted attribute, in HTML and in XML. */
export function escapeHtml(text: string): string {
  return showInvisible(text).replace(/[&<>"']/g, (c) => SPECIAL[c]!);
}

/** Marks a string as already-safe markup; only for output of code that escaped its own inputs. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === false || value === null || value === undefined) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

const MAX_URL_LENGTH = 2048;

/**
 * The normalised URL when it is an absolute http(s) URL without credentials,
 * else null. Project URLs come from package metadata and may be
 * `javascript:`, `data:` or a phishing `https://user@host` link.
 */
export function safeUrl(url: string): string | null {
  if (url.length > MAX_URL_LENGTH) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') return null;
  return parsed.href;
}
