import { GRADED_APIS } from './c-rules.js';
import { topLevelPieces } from './top-level-commas.js';
import type { FunctionBody } from './top-level-text.js';

// The names the C rules follow inside one function, read from its text
// before parsing (c-relevance.ts keeps what names them): the rules' words,
// statics, and the variables whose values decide a graded call.

/** An identifier in a body, with what follows it. */
export interface Token {
  text: string;
  at: number;
  /** `name(`: a call, or a macro. */
  call: boolean;
  /** `name =` (not `==`): where the `=` is, or -1. */
  assigns: number;
  /** Could name a variable: not a call or a keyword. */
  variable: boolean;
}

const KEYWORDS = new Set(['sizeof', 'return', 'if', 'else', 'for', 'while', 'do', 'switch', 'case', 'default', 'break', 'continue', 'goto', 'struct', 'union', 'enum', 'const', 'volatile', 'static', 'extern', 'register', 'unsigned', 'signed', 'int', 'char', 'long', 'short', 'float', 'double', 'void', 'typedef']);

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** Spelled like a macro or a constant: NULL, AF_INET (one letter may be a variable too). */
function isAllCaps(word: string): boolean {
  if (word.length < 2) return false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || c === 95 || (i > 0 && c >= 48 && c <= 57))) return false;
  }
  return true;
}

/** The identifiers in [from, to) of the code, with what follows each. */
export function tokenize(code: string, from: number, to: number): Token[] {
  const tokens: Token[] = [];
  const identifier = /[A-Za-z_]\w*/g;
  identifier.lastIndex = from;
  for (let m = identifier.exec(code); m && m.index < to; m = identifier.exec(code)) {
    let next = identifier.lastIndex;
    while (next < to && isSpace(code.charCodeAt(next))) next++;
    const c = code.charCodeAt(next);
    const call = c === 40;
    const assigns = c === 61 && code.charCodeAt(next + 1) !== 61 ? next : -1;
    tokens.push({ text: m[0], at: m.index, call, assigns, variable: !call && !KEYWORDS.has(m[0]) });
  }
  return tokens;
}

/** The index of the first token at or after an offset. */
export function firstTokenFrom(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.at < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The variables named in [start, end), less what `constant` says is not one. */
function* variablesIn(tokens: readonly Token[], start: number, end: number, constant: (name: string) => boolean): Generator<string> {
  for (let i = firstTokenFrom(tokens, start); i < tokens.length && tokens[i]!.at < end; i++) {
    const t = tokens[i]!;
    if (t.variable && !constant(t.text)) yield t.text;
  }
}

/** Which arguments of a call decide a graded call: a graded API's container; a graded helper's parameters that reach one (null: any). */
export type Followed = ReadonlyMap<string, ReadonlySet<number> | null>;

const GRADED_CONTAINER: ReadonlySet<number> = new Set([0]);

/**
 * The names a function's blocks must keep: the rules' words, and the
 * variables a graded call's container comes from, through assignments.
 */
export function followedNames(code: string, body: FunctionBody, tokens: readonly Token[], words: (word: string) => boolean, helpers: Followed): Set<string> {
  const followed = new Set<string>();
  // NULL and AF_INET are in every other statement: following them would keep
  // everything. A name spelled like a constant is followed only when the
  // function assigns it or takes it as a parameter, as it does a variable.
  const assigned = new Set(tokens.filter((t) => t.assigns !== -1).map((t) => t.text));
  const constant = (name: string) => isAllCaps(name) && !assigned.has(name) && !(body.params ?? []).includes(name);
  for (const t of tokens) {
    if (words(t.text)) followed.add(t.text);
    if (t.text === 'static') {
      // A static local is state the rules follow, like a file-scope variable.
      const end = code.indexOf(';', t.at);
      const declaration = code.slice(t.at, end === -1 ? body.close : end);
      if (!/[{}]/.test(declaration)) for (const v of variablesIn(tokens, t.at, t.at + declaration.length, constant)) followed.add(v);
    }
    if (!t.call) continue;
    const positions = GRADED_APIS.has(t.text) ? GRADED_CONTAINER : helpers.get(t.text);
    if (positions === undefined) continue;
    const open = code.indexOf('(', t.at + t.text.length);
    topLevelPieces(code, open + 1, body.close).forEach(([start, end], i) => {
      if (positions === null || positions.has(i)) for (const v of variablesIn(tokens, start, end, constant)) followed.add(v);
    });
  }
  // Where a followed variable's value comes from is followed too.
  const assignments = tokens
    .filter((t) => t.assigns !== -1)
    .map((t) => {
      const end = code.indexOf(';', t.assigns);
      return { target: t.text, value: [...variablesIn(tokens, t.assigns, end === -1 ? body.close : end, constant)] };
    });
  for (let changed = true; changed; ) {
    changed = false;
    for (const a of assignments) {
      if (!followed.has(a.target)) continue;
      for (const v of a.value) {
        if (!followed.has(v)) {
          followed.add(v);
          changed = true;
        }
      }
    }
  }
  return followed;
}

