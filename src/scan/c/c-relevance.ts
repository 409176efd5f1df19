import { escapeRegExp } from '../escape-regexp.js';
import { GRADED_APIS, mutexFieldNames, ORDERED_APIS, RULE_APIS } from './c-rules.js';
import { followedNames, tokenize, type Token } from './followed-names.js';
import type { Region } from './hidden-braces.js';
import { quietBlocks, quietStatements } from './quiet-code.js';
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
  /** [start, end) offsets to leave out of the parse: the insides of those functions' bodies, and the blocks and statements that do not matter (quiet-code.ts). */
  ranges: Array<[number, number]>;
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

/**
 * `code` is the parse text with comments and strings blanked; `regions`
 * are its critical sections and other hidden-brace regions, whose macros
 * the parse text no longer shows.
 */
export function planSkips(code: string, regions: readonly Region[]): SkipPlan {
  const { bodies, names, tables } = readTopLevel(code);
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

  const plan: SkipPlan = { functions: new Set(), ranges: [...tables] };
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
