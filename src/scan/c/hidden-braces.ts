// Macros that open or close a brace the source does not show:
// Py_BEGIN_CRITICAL_SECTION(x) … Py_END_CRITICAL_SECTION() and
// Py_BEGIN_ALLOW_THREADS … Py_END_ALLOW_THREADS. tree-sitter sees them as
// calls (or as errors, without a `;`), so the regions are rebuilt by
// walking tokens, and each macro is replaced by a real brace of the same
// length before parsing, so that the tree has the blocks the compiler sees.

export type RegionKind = 'critical-section' | 'allow-threads';

export interface Region {
  kind: RegionKind;
  /** The opening macro's name, e.g. Py_BEGIN_CRITICAL_SECTION2. */
  opener: string;
  /** Its argument text, e.g. "self" or "a, b". */
  args: string;
  /** Offsets: the opener's start, and the closer's end (the text length when it is never closed). */
  start: number;
  end: number;
  closed: boolean;
}

const OPENERS: Record<string, RegionKind> = {
  Py_BEGIN_CRITICAL_SECTION: 'critical-section',
  Py_BEGIN_CRITICAL_SECTION2: 'critical-section',
  Py_BEGIN_CRITICAL_SECTION_MUTEX: 'critical-section',
  Py_BEGIN_CRITICAL_SECTION2_MUTEX: 'critical-section',
  Py_BEGIN_ALLOW_THREADS: 'allow-threads',
};
const CLOSERS: Record<string, RegionKind> = {
  Py_END_CRITICAL_SECTION: 'critical-section',
  Py_END_CRITICAL_SECTION2: 'critical-section',
  Py_END_ALLOW_THREADS: 'allow-threads',
};

/** Offsets of comments and string/char literals, which the token walk must not look into. */
function skipTo(text: string, i: number): number {
  const c = text[i];
  if (c === '/' && text[i + 1] === '/') {
    const nl = text.indexOf('\n', i);
    return nl === -1 ? text.length : nl;
  }
  if (c === '/' && text[i + 1] === '*') {
    const close = text.indexOf('*/', i + 2);
    return close === -1 ? text.length : close + 2;
  }
  if (c === '"' || c === "'") {
    let j = i + 1;
    while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
    return Math.min(text.length, j + 1);
  }
  return i;
}

/** The end of a balanced `( … )` starting at `open`, or -1. */
function closeParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; ) {
    const next = skipTo(text, i);
    if (next !== i) {
      i = next;
      continue;
    }
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
    else if (text[i] === ';' || text[i] === '{' || text[i] === '}') return -1;
    i++;
  }
  return -1;
}

export function hiddenBraces(text: string): { parseText: string; regions: Region[] } {
  const chars = text.split('');
  const regions: Region[] = [];
  const open: Region[] = [];
  const ident = /[A-Za-z_]\w*/y;
  for (let i = 0; i < text.length; ) {
    const next = skipTo(text, i);
    if (next !== i) {
      i = next;
      continue;
    }
    if (!/[A-Za-z_]/.test(text[i]!) || (i > 0 && /\w/.test(text[i - 1]!))) {
      i++;
      continue;
    }
    ident.lastIndex = i;
    const name = ident.exec(text)![0];
    const kind = OPENERS[name] ?? CLOSERS[name];
    if (!kind) {
      i += name.length;
      continue;
    }
    let end = i + name.length;
    let args = '';
    const paren = /^\s*\(/.exec(text.slice(end, end + 200));
    if (paren) {
      const close = closeParen(text, end + paren[0].length - 1);
      if (close !== -1) {
        args = text.slice(end + paren[0].length, close).trim();
        end = close + 1;
      }
    }
    const semicolon = /^\s*;/.exec(text.slice(end, end + 50));
    if (semicolon) end += semicolon[0].length;
    const isOpener = name in OPENERS;
    // Same length, newlines kept: positions in the tree still match the source.
    for (let k = i; k < end; k++) if (chars[k] !== '\n') chars[k] = ' ';
    chars[i] = isOpener ? '{' : '}';
    if (isOpener) {
      const region: Region = { kind, opener: name, args, start: i, end: text.length, closed: false };
      regions.push(region);
      open.push(region);
    } else {
      const index = open.map((r) => r.kind).lastIndexOf(kind);
      if (index !== -1) {
        const [region] = open.splice(index, 1);
        region!.end = end;
        region!.closed = true;
      } else {
        // A closer with no opener: leave it out of the parse, as if it were not there.
        chars[i] = ' ';
      }
    }
    i = end;
  }
  return { parseText: chars.join(''), regions };
}

/** The innermost region of a kind around an offset, if any. */
export function regionAt(regions: readonly Region[], offset: number, kind: RegionKind): Region | undefined {
  let found: Region | undefined;
  for (const r of regions) if (r.kind === kind && r.start < offset && offset < r.end && (!found || r.start > found.start)) found = r;
  return found;
}
