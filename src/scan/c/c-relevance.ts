import { GRADED_APIS, mutexFieldNames, ORDERED_APIS, RULE_APIS } from './c-rules.js';
import type { Region } from './hidden-braces.js';
import { readTopLevel, type FunctionBody } from './top-level-text.js';

// What of a C file the rules need, decided from its text before parsing:
// parsing is most of a C file's scan time, and what is left out of the
// parse is also left out of the model.
//
// A function matters when it
// - calls an API a rule knows, uses a PyMutex, or holds a critical section;
// - has a static local, or names a file-scope variable (the static-state
//   rules, and sharedness);
// - calls a static helper that passes one of its parameters to a graded API:
//   whether that parameter is private is decided at the call sites
//   (sharedness.ts).
//
// Inside a function that matters, a block `{ … }`, or a run of simple
// statements, matters when it names something the rules follow there: a
// rule's API, a file-scope variable or static, a graded helper, or a
// variable whose value decides a graded call (its container, what was
// assigned to that, and so on). A function that takes locks or holds a
// critical section is read whole: its returns and gotos matter wherever
// they are. test/scan/c-skipping.test.ts checks that no finding changes.

export interface SkipPlan {
  /** Offsets of the `{` of functions the rules do not look into. */
  functions: Set<number>;
  /** [start, end) offsets to leave out of the parse: the insides of those functions' bodies and of blocks that do not matter. */
  ranges: Array<[number, number]>;
}

/** An identifier in a body, with what follows it. */
interface Token {
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

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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

function tokenize(code: string, from: number, to: number): Token[] {
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

// What kinds of word a function names, as bits, so one pass over its text tells them all.
const GRADED = 1;
const RULE = 2;
const STATE = 4;
const MUTEX = 8;
const ORDERED = 16;

/** The kinds of the words `words` finds in [from, to), as bits. */
function wordKinds(code: string, from: number, to: number, words: RegExp, kindOf: (word: string) => number): number {
  let kinds = 0;
  words.lastIndex = from;
  for (let m = words.exec(code); m && m.index < to; m = words.exec(code)) kinds |= kindOf(m[0]);
  return kinds;
}

/** The index of the first token at or after an offset. */
function firstTokenFrom(tokens: readonly Token[], offset: number): number {
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

/** The [start, end) of each argument of the call whose `(` is at `open`: split at the commas outside brackets. */
function argumentRanges(code: string, open: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < end; i++) {
    const c = code.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) {
      if (--depth === 0) {
        out.push([start, i]);
        return out;
      }
    } else if (c === 44 && depth === 1) {
      out.push([start, i]);
      start = i + 1;
    }
  }
  out.push([start, end]);
  return out;
}

/** Which arguments of a call decide a graded call: a graded API's container; a graded helper's parameters that reach one (null: any). */
type Followed = ReadonlyMap<string, ReadonlySet<number> | null>;

const GRADED_CONTAINER: ReadonlySet<number> = new Set([0]);

/**
 * The names a function's blocks must keep: the rules' words, and the
 * variables a graded call's container comes from, through assignments.
 */
function followedNames(code: string, body: FunctionBody, tokens: readonly Token[], words: (word: string) => boolean, helpers: Followed): Set<string> {
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
    argumentRanges(code, open, body.close).forEach(([start, end], i) => {
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

/** The outermost blocks inside a body that name nothing followed, as [start, end) of their insides. */
function quietBlocks(code: string, body: FunctionBody, hits: readonly Token[]): Array<[number, number]> {
  // `hits` are where followed names occur, in order: a block is quiet when none falls inside it.
  const out: Array<[number, number]> = [];
  const open: number[] = [];
  for (let i = body.open + 1; i < body.close; i++) {
    const c = code.charCodeAt(i);
    if (c === 123) open.push(i);
    else if (c === 125 && open.length > 0) {
      const start = open.pop()! + 1;
      const hit = hits[firstTokenFrom(hits, start)];
      if (hit && hit.at < i) continue;
      // An outer block that is quiet too replaces the ones inside it.
      while (out.length > 0 && out[out.length - 1]![0] > start) out.pop();
      out.push([start, i]);
    }
  }
  return out;
}

/** Statements that hold other statements; a block under one of them (or a bare block) holds statements too. */
const CONTROL = /^\s*(if|else|for|while|do|switch|case|default)\b|^\s*[A-Za-z_]\w*\s*:(?!:)/;

/** Not empty, and neither a control statement (if, a label, …) nor a typedef, which later declarations need. */
const isSimpleStatement = (text: string) => /\S/.test(text) && !CONTROL.test(text) && !/^\s*typedef\b/.test(text);

/**
 * Runs of simple statements inside a body's statement blocks that name
 * nothing followed, as [start, end) ranges: they can go without changing
 * the shape of what is left. A statement that controls another (if, for,
 * a label, a case) stays, and so do the insides of structs, initialisers
 * and macro blocks, and anything after one of their closing braces.
 */
function quietStatements(code: string, body: FunctionBody, hits: readonly Token[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const blocks: boolean[] = [true];
  let parens = 0;
  let inExpression = 0;
  let segment = body.open + 1;
  let mayStart = true;
  let run = -1;
  const flush = (end: number) => {
    if (run !== -1) out.push([run, end]);
    run = -1;
  };
  const marks = /[{}();]/g;
  marks.lastIndex = body.open + 1;
  for (let m = marks.exec(code); m && m.index < body.close; m = marks.exec(code)) {
    const i = m.index;
    const c = m[0];
    if (c === '(') parens++;
    else if (c === ')') parens = Math.max(0, parens - 1);
    else if (parens > 0 || inExpression > 0) {
      // Braces in an expression: a compound literal, a statement expression.
      if (c === '{') inExpression++;
      else if (c === '}') inExpression--;
    } else if (c === ';') {
      const hit = hits[firstTokenFrom(hits, segment)];
      const quiet = mayStart && blocks[blocks.length - 1]! && !(hit && hit.at < i) && isSimpleStatement(code.slice(segment, i));
      if (quiet) run = run === -1 ? segment : run;
      else flush(segment);
      segment = i + 1;
      mayStart = blocks[blocks.length - 1]!;
    } else if (c === '{') {
      flush(segment);
      const header = code.slice(segment, i);
      blocks.push(mayStart && blocks[blocks.length - 1]! && (!/\S/.test(header) || CONTROL.test(header)));
      segment = i + 1;
      mayStart = blocks[blocks.length - 1]!;
    } else {
      flush(segment);
      const closed = blocks.length > 1 ? blocks.pop()! : false;
      segment = i + 1;
      mayStart = closed && blocks[blocks.length - 1]!;
    }
  }
  flush(segment);
  return out;
}

/**
 * `code` is the parse text with comments and strings blanked; `regions`
 * are its critical sections and other hidden-brace regions, whose macros
 * the parse text no longer shows.
 */
export function planSkips(code: string, regions: readonly Region[]): SkipPlan {
  const { bodies, names } = readTopLevel(code);
  const mutexFields = code.includes('PyMutex') ? mutexFieldNames(code) : new Set<string>();
  const holdsSection = (b: FunctionBody) => regions.some((r) => r.kind === 'critical-section' && r.start > b.open && r.start < b.close);

  const relevant = new Set<FunctionBody>();
  const gradedHelpers = new Map<string, ReadonlySet<number> | null>();
  const kindsByWord = new Map<string, number>();
  const mark = (words: Iterable<string>, kind: number) => {
    for (const w of words) kindsByWord.set(w, (kindsByWord.get(w) ?? 0) | kind);
  };
  mark(GRADED_APIS, GRADED);
  mark(RULE_APIS, RULE);
  mark(ORDERED_APIS, ORDERED);
  mark(mutexFields, RULE | MUTEX);
  mark(names, STATE);
  mark(['static'], STATE);
  const kindOf = (w: string) => kindsByWord.get(w) ?? (w.startsWith('PyMutex') ? RULE | MUTEX : 0);
  // One regex for every word with a kind: the engine skips the text between them.
  const kindWords = new RegExp(`\\b(?:${[...kindsByWord.keys()].map(escapeRegExp).join('|')}|PyMutex\\w*)\\b`, 'g');
  const tokens = new Map<FunctionBody, Token[]>();
  const tokensOf = (b: FunctionBody) => tokens.get(b) ?? tokens.set(b, tokenize(code, b.open, b.close)).get(b)!;
  const kinds = new Map<FunctionBody, number>();
  for (const b of bodies) {
    const kind = wordKinds(code, b.open, b.close, kindWords, kindOf);
    kinds.set(b, kind);
    const graded = (kind & GRADED) !== 0;
    // A PyMutex parameter or return type is in the header.
    if (!graded && !holdsSection(b) && (kind & (RULE | STATE)) === 0 && (wordKinds(code, b.headerStart, b.open, kindWords, kindOf) & MUTEX) === 0) continue;
    relevant.add(b);
    if (graded && b.isStatic && b.name) {
      const reaching = followedNames(code, b, tokensOf(b), () => false, new Map());
      gradedHelpers.set(b.name, b.params && new Set(b.params.flatMap((p, i) => (reaching.has(p) ? [i] : []))));
    }
  }
  if (gradedHelpers.size > 0) {
    const helperWords = new RegExp(`\\b(?:${[...gradedHelpers.keys()].map(escapeRegExp).join('|')})\\b`, 'g');
    for (const b of bodies) if (!relevant.has(b) && wordKinds(code, b.open, b.close, helperWords, () => 1) !== 0) relevant.add(b);
  }

  const plan: SkipPlan = { functions: new Set(), ranges: [] };
  for (const b of bodies) {
    if (!relevant.has(b)) {
      plan.functions.add(b.open);
      plan.ranges.push([b.open + 1, b.close]);
      continue;
    }
    if (holdsSection(b) || (kinds.get(b)! & (ORDERED | MUTEX)) !== 0) continue;
    const body = tokensOf(b);
    const followed = followedNames(code, b, body, (w) => kindOf(w) !== 0 || gradedHelpers.has(w), gradedHelpers);
    const hits = body.filter((t) => followed.has(t.text));
    plan.ranges.push(...quietBlocks(code, b, hits), ...quietStatements(code, b, hits));
  }
  plan.ranges.sort((a, b) => a[0] - b[0]);
  return plan;
}
