import { blank, codeOnly } from './code-only.js';

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

/** The end of a balanced `( … )` starting at `open`, or -1. */
function closeParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
    else if (text[i] === ';' || text[i] === '{' || text[i] === '}') return -1;
  }
  return -1;
}

const MACRO = /\bPy_(?:BEGIN_(?:CRITICAL_SECTION2?(?:_MUTEX)?|ALLOW_THREADS)|END_(?:CRITICAL_SECTION2?|ALLOW_THREADS))\b/g;

/** The braces a piece of code opens and closes, counting the hidden ones: +1 for `{` and an opening macro, -1 for `}` and a closing one. */
export function braceDelta(code: string): number {
  let delta = 0;
  for (const m of code.matchAll(/[{}]|\bPy_(?:BEGIN|END)_\w+/g)) {
    if (m[0] === '{' || m[0] in OPENERS) delta++;
    else if (m[0] === '}' || m[0] in CLOSERS) delta--;
  }
  return delta;
}

/**
 * `code` is the text with comments and strings blanked (code-only.ts). The
 * result's `parseCode` is `code` with the same replacements as `parseText`.
 */
export function hiddenBraces(text: string, code = codeOnly(text)): { parseText: string; parseCode: string; regions: Region[] } {
  if (!/Py_(BEGIN|END)_/.test(code)) return { parseText: text, parseCode: code, regions: [] };
  // Each macro (with its arguments and `;`) becomes a brace and spaces: same length, newlines kept.
  const replacements: Array<{ start: number; end: number; brace: string }> = [];
  const regions: Region[] = [];
  const open: Region[] = [];
  for (const m of code.matchAll(MACRO)) {
    const i = m.index!;
    // A macro inside another's arguments is part of them.
    if (i < (replacements[replacements.length - 1]?.end ?? 0)) continue;
    const name = m[0];
    const kind = OPENERS[name] ?? CLOSERS[name]!;
    let end = i + name.length;
    let args = '';
    const paren = /^\s*\(/.exec(code.slice(end, end + 200));
    if (paren) {
      const close = closeParen(code, end + paren[0].length - 1);
      if (close !== -1) {
        args = text.slice(end + paren[0].length, close).trim();
        end = close + 1;
      }
    }
    const semicolon = /^\s*;/.exec(code.slice(end, end + 50));
    if (semicolon) end += semicolon[0].length;
    const isOpener = name in OPENERS;
    if (isOpener) {
      const region: Region = { kind, opener: name, args, start: i, end: text.length, closed: false };
      regions.push(region);
      open.push(region);
      replacements.push({ start: i, end, brace: '{' });
    } else {
      const index = open.map((r) => r.kind).lastIndexOf(kind);
      if (index !== -1) {
        const [region] = open.splice(index, 1);
        region!.end = end;
        region!.closed = true;
        replacements.push({ start: i, end, brace: '}' });
      } else {
        // A closer with no opener: leave it out of the parse, as if it were not there.
        replacements.push({ start: i, end, brace: ' ' });
      }
    }
  }
  const apply = (source: string) => {
    const parts: string[] = [];
    let kept = 0;
    for (const r of replacements) {
      parts.push(source.slice(kept, r.start), r.brace, blank(source.slice(r.start + 1, r.end)));
      kept = r.end;
    }
    parts.push(source.slice(kept));
    return parts.join('');
  };
  return { parseText: apply(text), parseCode: apply(code), regions };
}

/** The innermost region of a kind around an offset, if any. */
export function regionAt(regions: readonly Region[], offset: number, kind: RegionKind): Region | undefined {
  let found: Region | undefined;
  for (const r of regions) if (r.kind === kind && r.start < offset && offset < r.end && (!found || r.start > found.start)) found = r;
  return found;
}
