import type { FuncInfo } from './names.js';
import { indexIn, isName, isOp, rangesTop, type Stmt } from './statements.js';

// What a Cython declaration declares, read without side effects: a
// function's header, the variables of a `cdef` line, the names an import
// binds. The walk (walk.ts) decides what they mean where they are.

/** Words between cdef and the type that change nothing here. */
const CDEF_MODIFIERS = new Set(['public', 'readonly', 'api', 'inline', 'packed']);
const DECLARATION_BLOCKS = new Set(['struct', 'union', 'enum', 'cppclass', 'fused', 'ctypedef']);

/** Whether a block that starts with this word holds declarations of types, not code. */
export function opensDeclarations(word: string): boolean {
  return DECLARATION_BLOCKS.has(word);
}

/** The index of the first token after `cdef` / `cpdef` and its modifiers. */
export function afterCdef(s: Stmt): number {
  let k = 1;
  while (k < s.tokens.length && CDEF_MODIFIERS.has(s.tokens[k]!.text)) k++;
  return k;
}

/** A def/cdef/cpdef function whose name is tokens[nameAt]: its parameters, and whether its body runs without the GIL or in a critical section. */
export function functionDeclaration(s: Stmt, nameAt: number, decorators: readonly Stmt[], parent: FuncInfo | null, topLevel: boolean): FuncInfo {
  const func: FuncInfo = {
    name: s.tokens[nameAt]?.text ?? '',
    topLevel,
    parent,
    params: new Set(),
    starstar: new Set(),
    bound: new Set(),
    globals: new Set(),
    nonlocals: new Set(),
    fresh: new Map(),
    escaped: new Set(),
    nogil: false,
    critical: false,
    held: 0,
  };
  const open = nameAt + 1;
  const close = s.tokens[open]?.text === '(' ? s.pair[open]! : -1;
  if (close > open) {
    for (const [a, b] of rangesTop(s, open + 1, close, isOp(','))) param(s, a, b, func);
    // `cdef void f() noexcept nogil:` (but not `with gil`, which takes the GIL on entry)
    func.nogil = s.tokens.slice(close + 1).some((t) => isName(t, 'nogil'));
  }
  for (const d of decorators) {
    const names = d.tokens.filter((t) => isName(t)).map((t) => t.text);
    if (names.includes('critical_section')) func.critical = true;
    if (names.includes('nogil')) func.nogil = true;
  }
  return func;
}

/** One parameter: `x`, `int x`, `x: T = v`, `object o not None`, `*args`, `**kwargs`. */
function param(s: Stmt, from: number, to: number, func: FuncInfo): void {
  let a = from;
  const starstar = s.tokens[a]?.text === '**';
  while (a < to && (s.tokens[a]!.text === '*' || s.tokens[a]!.text === '**')) a++;
  let b = to;
  for (let k = a; k < to; k++) {
    if (s.pair[k]! > k) k = s.pair[k]!;
    else if (s.tokens[k]!.text === '=' || s.tokens[k]!.text === ':') {
      b = k;
      break;
    }
  }
  if (b - a >= 2 && isName(s.tokens[b - 1], 'None') && (isName(s.tokens[b - 2], 'not') || isName(s.tokens[b - 2], 'or'))) b -= 2;
  for (let k = b - 1; k >= a; k--) {
    if (s.pair[k]! >= 0 && s.pair[k]! < k) k = s.pair[k]!;
    else if (isName(s.tokens[k])) {
      func.params.add(s.tokens[k]!.text);
      if (starstar) func.starstar.add(s.tokens[k]!.text);
      return;
    }
  }
}

/** A variable of a cdef declaration: its name, the declaration's type as written, and the range of its value when it has one. */
export interface CdefVariable {
  name: string;
  type: string;
  value: [number, number] | null;
}

/** The variables of `cdef [type] a = v, *b` (from tokens[from]), or of a line of a `cdef:` block; none for a function prototype. */
export function cdefVariables(s: Stmt, from: number): CdefVariable[] {
  const segments = rangesTop(s, from, s.tokens.length, isOp(','));
  // `cdef int f(int x)` is a function prototype, not a variable
  const [a0, b0] = segments[0]!;
  const eq0 = indexIn(s, a0, b0, isOp('='));
  for (let k = a0 + 1; k < (eq0 >= 0 ? eq0 : b0); k++) if (s.tokens[k]!.text === '(' && isName(s.tokens[k - 1])) return [];
  const out: CdefVariable[] = [];
  let type = '';
  for (const [i, [a, b]] of segments.entries()) {
    const eq = indexIn(s, a, b, isOp('='));
    const end = eq >= 0 ? eq : b;
    // The declared name is the last top-level name before `=`: `int x`, `double[:] x`, `cython.pymutex m`, `*p`.
    let nameAt = -1;
    for (let k = a; k < end; k++) {
      if (s.pair[k]! > k) k = s.pair[k]!;
      else if (isName(s.tokens[k])) nameAt = k;
    }
    if (nameAt < 0) continue;
    if (i === 0) type = s.tokens.slice(a, nameAt).map((t) => t.text).join(' ');
    out.push({ name: s.tokens[nameAt]!.text, type, value: eq >= 0 ? [eq + 1, b] : null });
  }
  return out;
}

/** An import or cimport statement: what it imports, and the local name each is bound to. */
export interface ImportStatement {
  cimport: boolean;
  /** The module of `from <module> import …`; null for `import a.b as c, d`, whose names are modules. */
  module: string | null;
  /** For `import a.b`, the name is `a`, the first segment, which is also what it binds. */
  names: Array<{ name: string; alias: string }>;
}

/** `from m cimport a as b, *`, `from m import (a, b)`, `cimport a.b as c, d`, `import a.b`. */
export function importStatement(s: Stmt): ImportStatement {
  const t = s.tokens;
  const names: ImportStatement['names'] = [];
  if (t[0]!.text === 'from') {
    const kw = t.findIndex((x) => isName(x, 'cimport') || isName(x, 'import'));
    if (kw < 0) return { cimport: false, module: null, names };
    let a = kw + 1;
    let b = t.length;
    if (t[a]?.text === '(' && s.pair[a]! > a) [a, b] = [a + 1, s.pair[a]!];
    for (const [x, y] of rangesTop(s, a, b, isOp(','))) {
      if (y <= x) continue;
      const name = t[x]!.text;
      names.push({ name, alias: y - x === 3 && isName(t[x + 1], 'as') ? t[x + 2]!.text : name });
    }
    return { cimport: t[kw]!.text === 'cimport', module: t.slice(1, kw).map((x) => x.text).join(''), names };
  }
  for (const [x, y] of rangesTop(s, 1, t.length, isOp(','))) {
    if (y <= x) continue;
    const as = y - x >= 3 && isName(t[y - 2], 'as') ? t[y - 1]!.text : null;
    names.push({ name: t[x]!.text, alias: as ?? t[x]!.text });
  }
  return { cimport: t[0]!.text === 'cimport', module: null, names };
}
