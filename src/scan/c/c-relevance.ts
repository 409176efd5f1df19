import { GRADED_APIS, mutexFieldNames, RULE_APIS } from './c-rules.js';
import type { Region } from './hidden-braces.js';
import { readTopLevel, type FunctionBody } from './top-level-text.js';

// Which function bodies a C rule could report on, decided from the text
// before parsing: the others are left out of the parse and the model. A
// function matters when it
// - calls an API a rule knows, uses a PyMutex, or holds a critical section;
// - has a static local, or names a file-scope variable (the static-state
//   rules, and sharedness);
// - calls a static helper that passes one of its parameters to a graded API:
//   whether that parameter is private is decided at the call sites
//   (sharedness.ts).

const IDENTIFIER = /[A-Za-z_]\w*/g;

/**
 * The bodies no rule needs. `code` is the parse text with comments and
 * strings blanked; `regions` are its critical sections and other
 * hidden-brace regions, whose macros the parse text no longer shows.
 */
export function bodiesToSkip(code: string, regions: readonly Region[]): FunctionBody[] {
  const { bodies, names } = readTopLevel(code);
  const mutexFields = code.includes('PyMutex') ? mutexFieldNames(code) : new Set<string>();
  const relevant = new Set<FunctionBody>();
  const gradedHelpers = new Set<string>();
  for (const b of bodies) {
    let matters = regions.some((r) => r.kind === 'critical-section' && r.start > b.open && r.start < b.close);
    let graded = false;
    // A PyMutex parameter or return type is in the header; static locals and file-scope names count in the body only.
    for (const m of code.slice(b.headerStart, b.close).matchAll(IDENTIFIER)) {
      const word = m[0];
      const inBody = m.index! > b.open - b.headerStart;
      if (RULE_APIS.has(word) || word.startsWith('PyMutex') || mutexFields.has(word) || (inBody && (word === 'static' || names.has(word)))) matters = true;
      if (GRADED_APIS.has(word)) {
        graded = true;
        break;
      }
    }
    if (!matters && !graded) continue;
    relevant.add(b);
    if (graded && b.isStatic && b.name) gradedHelpers.add(b.name);
  }
  if (gradedHelpers.size > 0) {
    for (const b of bodies) {
      if (relevant.has(b)) continue;
      for (const m of code.slice(b.open, b.close).matchAll(IDENTIFIER)) {
        if (gradedHelpers.has(m[0])) {
          relevant.add(b);
          break;
        }
      }
    }
  }
  return bodies.filter((b) => !relevant.has(b));
}
