import { logicalLines, matchBrackets, type Token } from './tokens.js';

// A Cython file as a list of statements, and the readers of one statement's
// top-level parts that the analyzer is built from. A compound statement's
// header and an inline body are separate statements; what nests in what is
// left to the depth each statement carries (blocks.ts).

export interface Stmt {
  tokens: Token[];
  /** For every bracket token, the index of its partner. */
  pair: Int32Array;
  depth: number;
  /** A compound statement's header without its colon: a body follows. */
  header: boolean;
}

/** First words of a compound statement, whose first top-level colon ends the header. */
const COMPOUND = new Set([
  'if', 'elif', 'else', 'for', 'while', 'try', 'except', 'finally', 'with', 'def', 'class', 'async',
  'cdef', 'cpdef', 'ctypedef', 'struct', 'union', 'enum', 'cppclass', 'fused', 'property', 'IF', 'ELIF', 'ELSE',
]);

/** The longest cast `<const unsigned long long *>` looked for. */
const MAX_CAST_TOKENS = 16;

function stmt(tokens: Token[], depth: number, header: boolean): Stmt {
  return { tokens, pair: matchBrackets(tokens), depth, header };
}

/**
 * The statements of the file in order. `if x: y = 1; z()` gives the header
 * `if x` and two statements one level deeper; an inline body is not split
 * again, so nesting cannot make this quadratic.
 */
export function statements(tokens: readonly Token[]): Stmt[] {
  const out: Stmt[] = [];
  for (const line of logicalLines(tokens)) {
    const s = stmt(line.tokens, line.depth, false);
    const colon = blockColon(s);
    if (colon < 1) {
      for (const piece of splitSemicolons(s, 0, s.tokens.length)) out.push(stmt(piece, line.depth, false));
      continue;
    }
    out.push(stmt(s.tokens.slice(0, colon), line.depth, true));
    for (const piece of splitSemicolons(s, colon + 1, s.tokens.length)) out.push(stmt(piece, line.depth + 1, false));
  }
  return out;
}

/** The colon that ends a compound statement's header, or -1. Lambda colons and colons in brackets don't count; a line that is only a colon has no header. */
function blockColon(s: Stmt): number {
  const first = s.tokens[0]!;
  let lambdas = 0;
  for (let k = 0; k < s.tokens.length; k++) {
    if (s.pair[k]! > k) {
      k = s.pair[k]!;
      continue;
    }
    const t = s.tokens[k]!;
    if (t.kind === 'name' && t.text === 'lambda') lambdas++;
    else if (t.kind === 'op' && t.text === ':') {
      if (lambdas > 0) {
        lambdas--;
        continue;
      }
      // `x: int = 1` is an annotation; a line that ends in a colon always opens a block.
      return (first.kind === 'name' && COMPOUND.has(first.text)) || k === s.tokens.length - 1 ? k : -1;
    }
  }
  return -1;
}

/** The statements between top-level semicolons in tokens[from, to). */
function splitSemicolons(s: Stmt, from: number, to: number): Token[][] {
  return rangesTop(s, from, to, isOp(';'))
    .filter(([a, b]) => b > a)
    .map(([a, b]) => s.tokens.slice(a, b));
}

/** Index ranges [from, to) of a statement's top-level pieces between `sep` operators, empty ones kept. */
export function rangesTop(s: Stmt, from: number, to: number, sep: (t: Token) => boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = from;
  for (let k = from; k < to; k++) {
    const p = s.pair[k]!;
    if (p > k) k = Math.min(p, to - 1);
    else if (sep(s.tokens[k]!)) {
      out.push([start, k]);
      start = k + 1;
    }
  }
  out.push([start, to]);
  return out;
}

export const isOp = (text: string) => (t: Token) => t.kind === 'op' && t.text === text;
export const isName = (t: Token | undefined, text?: string): t is Token => t?.kind === 'name' && (text === undefined || t.text === text);

/** The first top-level token in tokens[from, to) that matches, or -1. */
export function indexIn(s: Stmt, from: number, to: number, match: (t: Token) => boolean): number {
  for (let k = from; k < to; k++) {
    if (s.pair[k]! > k) k = s.pair[k]!;
    else if (match(s.tokens[k]!)) return k;
  }
  return -1;
}

/** Skips Cython casts `<T>` / `<T*>` / `<T?>` at tokens[k]; returns the index after them. */
export function skipCasts(s: Stmt, k: number, to: number): number {
  while (k < to && s.tokens[k]!.kind === 'op' && s.tokens[k]!.text === '<') {
    // A type is a few tokens; bounding the search keeps `f(<f(<f(<…` linear.
    const limit = Math.min(to, k + MAX_CAST_TOKENS);
    let j = k + 1;
    while (j < limit && !(s.tokens[j]!.kind === 'op' && s.tokens[j]!.text === '>')) {
      if (s.pair[j]! > j) j = s.pair[j]!;
      j++;
    }
    if (j >= limit) return k;
    k = j + 1;
  }
  return k;
}

/** A call `f(...)` / `a.b.f(...)` spanning exactly tokens[from, to): the callee's last name, and its first segment. */
export function wholeCall(s: Stmt, from: number, to: number): { callee: string; root: string } | null {
  const open = to - 1 >= from ? s.pair[to - 1]! : -1;
  if (open <= from || s.tokens[open]!.text !== '(') return null;
  for (let k = from; k < open; k++) {
    const t = s.tokens[k]!;
    if (!((k - from) % 2 === 0 ? isName(t) : t.text === '.')) return null;
  }
  return isName(s.tokens[open - 1]) ? { callee: s.tokens[open - 1]!.text, root: s.tokens[from]!.text } : null;
}

/** `[...]`, `{...}` (a display or comprehension) spanning exactly tokens[from, to). */
export function wholeDisplay(s: Stmt, from: number, to: number): boolean {
  const t = s.tokens[from];
  return to - from >= 2 && (t?.text === '[' || t?.text === '{') && s.pair[from] === to - 1;
}
