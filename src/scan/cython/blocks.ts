import type { Token } from './tokens.js';
import type { FuncInfo } from './names.js';
import { places, singlePlace } from './places.js';
import { indexIn, isName, isOp, rangesTop, wholeCall, type Stmt } from './statements.js';

// The blocks a Cython statement is inside, tracked by depth: functions,
// classes, declaration blocks (cdef extern, `cdef:`, struct, enum, ctypedef),
// `with gil` / `with nogil`, prange, critical sections and locks. From them
// comes what the rules need to know about a statement: whether it is at
// module level, in a class or in a function, whether it runs without the
// GIL, and what guards it.

/** Inside a cdef extern block, a `cdef:` block, or a struct/enum/ctypedef body: declarations, not code. */
export type DeclarationMode = 'extern' | 'cdefs' | 'declarations';

/** Where a statement is. */
export interface Scope {
  kind: 'module' | 'class' | 'function';
  func: FuncInfo | null;
  mode: DeclarationMode | null;
}

/** A `with` target taken as a lock: a name, or the last attribute of `self.lock`. */
export interface LockRef {
  name?: string;
  attr?: string;
}

/** A `with gil:` block inside nogil code. */
export interface GilBlock {
  token: Token;
  reported: boolean;
}

export interface Guard {
  critical: boolean;
  held: boolean;
  locks: LockRef[];
}

/** What guards a statement in a function, and the `with gil:` block it is in, if any. */
export interface Guarding {
  guard: Guard;
  gilBlock: GilBlock | null;
}

/** A block a header opens, and what it changes for the statements inside. */
export interface Block {
  kind: 'function' | 'class' | DeclarationMode | 'block';
  func?: FuncInfo;
  gil?: 'gil' | 'nogil';
  gilBlock?: GilBlock;
  critical?: boolean;
  locks?: LockRef[];
}

interface Frame extends Block {
  depth: number;
}

/** The open blocks, innermost last. */
export class Blocks {
  private readonly frames: Frame[] = [];

  /** Closes the blocks that a statement at this depth is not inside. */
  enter(depth: number): void {
    while (this.frames.length > 0 && this.frames[this.frames.length - 1]!.depth >= depth) this.frames.pop();
  }

  /** Opens the block whose header is at this depth. */
  open(block: Block, depth: number): void {
    this.frames.push({ ...block, depth });
  }

  where(): Scope {
    let mode: DeclarationMode | null = null;
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.kind === 'function') return { kind: 'function', func: f.func!, mode };
      if (f.kind === 'class') return { kind: 'class', func: null, mode };
      if (mode === null && (f.kind === 'extern' || f.kind === 'cdefs' || f.kind === 'declarations')) mode = f.kind;
    }
    return { kind: 'module', func: null, mode };
  }

  /** Whether code here runs without the GIL: the nearest with gil/nogil (or prange) decides, else the function's nogil. */
  nogil(): boolean {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.gil) return f.gil === 'nogil';
      if (f.kind === 'function') return f.func!.nogil;
      if (f.kind === 'class') return false;
    }
    return false;
  }

  /** What guards code here in func: the blocks between here and the function's own. */
  guarding(func: FuncInfo): Guarding {
    const guard: Guard = { critical: func.critical, held: func.held > 0, locks: [] };
    let gilBlock: GilBlock | null = null;
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.kind === 'function') break;
      if (f.critical) guard.critical = true;
      if (f.locks) guard.locks = guard.locks.concat(f.locks);
      if (f.gilBlock && !gilBlock) gilBlock = f.gilBlock;
    }
    return { guard, gilBlock };
  }
}

/**
 * The block a `with` header (its items from tokens[from]) opens, the names
 * its `as` targets bind, and the ranges of its items that are ordinary
 * expressions. `inNogil` says whether the header is in nogil function code,
 * where `with gil:` is a block of its own.
 */
export function withBlock(s: Stmt, from: number, inNogil: boolean): { block: Block; bound: string[]; evaluated: Array<[number, number]> } {
  const block: Block = { kind: 'block' };
  const bound: string[] = [];
  const evaluated: Array<[number, number]> = [];
  for (const [a, end] of rangesTop(s, from, s.tokens.length, isOp(','))) {
    // `expr as target`: the target is bound here, the expression is what the with holds
    const as = indexIn(s, a, end, (t) => isName(t, 'as'));
    if (as >= 0) for (const p of places(s, as + 1, end)) if (p.kind === 'name') bound.push(p.root.text);
    const b = as >= 0 ? as : end;
    if (a >= b) continue;
    const gil = gilItem(s, a, b);
    if (gil) {
      if (gil === 'gil' && inNogil) block.gilBlock = { token: s.tokens[0]!, reported: false };
      block.gil = gil;
      continue;
    }
    const call = s.tokens[b - 1]!.text === ')' ? wholeCall(s, a, b) : null;
    if (call?.callee === 'critical_section') {
      block.critical = true;
      continue;
    }
    evaluated.push([a, b]);
    const place = call ? null : singlePlace(s, a, b);
    if (place?.kind === 'name') (block.locks ??= []).push({ name: place.root.text });
    else if (place?.kind === 'attr') (block.locks ??= []).push({ attr: place.attr! });
  }
  return { block, bound, evaluated };
}

/** gil / nogil, their conditional forms gil(flag) / nogil(flag), and pure-Python cython.gil / cython.nogil, spanning tokens[a, b). */
function gilItem(s: Stmt, a: number, b: number): 'gil' | 'nogil' | null {
  const first = s.tokens[a]!;
  const word = isName(first, 'cython') && s.tokens[a + 1]?.text === '.' ? s.tokens[a + 2] : first;
  const wordEnd = word === first ? a + 1 : a + 3;
  if ((isName(word, 'gil') || isName(word, 'nogil')) && (wordEnd === b || s.pair[wordEnd] === b - 1)) return word.text as 'gil' | 'nogil';
  return null;
}

/** The block a `for` header (its targets from tokens[from]) opens, and the names its targets bind. */
export function forBlock(s: Stmt, from: number): { block: Block; bound: string[] } {
  const bound: string[] = [];
  // `for x, y in ...` and Cython's `for i from 0 <= i < n`
  const end = s.tokens.findIndex((t, i) => i > from && (isName(t, 'in') || isName(t, 'from')));
  if (end > from) for (const p of places(s, from, end)) if (p.kind === 'name') bound.push(p.root.text);
  const prange = s.tokens.findIndex((t, i) => isName(t, 'prange') && s.tokens[i + 1]?.text === '(');
  if (prange >= 0) {
    const close = s.pair[prange + 1]!;
    for (let k = prange + 2; k + 2 < close; k++) {
      if (isName(s.tokens[k], 'nogil') && s.tokens[k + 1]!.text === '=' && isName(s.tokens[k + 2], 'True')) return { block: { kind: 'block', gil: 'nogil' }, bound };
    }
  }
  return { block: { kind: 'block' }, bound };
}
