import { Blocks, forBlock, withBlock, type Block, type Guarding, type Scope } from './blocks.js';
import { BorrowedCalls } from './borrowed-calls.js';
import { afterCdef, cdefVariables, functionDeclaration, importStatement, opensDeclarations } from './declarations.js';
import { ModuleNames, type VarKind } from './names.js';
import { mutatedReceiver, places, type Place } from './places.js';
import { StateChanges } from './state-rules.js';
import { isName, isOp, rangesTop, type Stmt } from './statements.js';
import { cdefKind, isContainer, isFresh, isLockCall } from './value-kinds.js';

// One walk over a Cython file's statements, in order. It keeps track of the
// blocks each statement is in, records what names are bound where, and hands
// the rules their candidates: borrowed-API calls (borrowed-calls.ts) and
// changes to state (state-rules.ts), to be judged once the whole file is read.

const AUGMENTED = new Set(['+=', '-=', '*=', '/=', '//=', '%=', '**=', '>>=', '<<=', '&=', '^=', '|=', '@=']);

/** What the walk learned: the rules' candidates, the names they are judged by, and the files included. */
export interface Candidates {
  includes: string[];
  names: ModuleNames;
  borrowed: BorrowedCalls;
  state: StateChanges;
}

/** Walks the statements of a file; a .pxi sees its includer's cimports. */
export function walkStatements(statements: readonly Stmt[], isPxi: boolean): Candidates {
  const walk = new Walk(isPxi);
  for (const s of statements) walk.visit(s);
  return walk.found;
}

class Walk {
  readonly found: Candidates;
  private readonly blocks = new Blocks();
  private decorators: Stmt[] = [];
  /** Where the current statement is, and its guard: worked out once per statement, so deep nesting stays linear. */
  private here: Scope = { kind: 'module', func: null, mode: null };
  private guarding: Guarding | null = null;

  constructor(isPxi: boolean) {
    this.found = { includes: [], names: new ModuleNames(), borrowed: new BorrowedCalls(isPxi), state: new StateChanges() };
  }

  visit(s: Stmt): void {
    this.blocks.enter(s.depth);
    this.here = this.blocks.where();
    this.guarding = null;
    if (s.tokens[0]!.text === '@') {
      this.decorators.push(s);
      // `@register` on a module-level def calls register during import
      if (this.here.kind === 'module' && isName(s.tokens[1]) && s.tokens[2]?.text !== '.') this.found.state.importTimeCall(s.tokens[1].text);
      return;
    }
    const decorators = this.decorators;
    this.decorators = [];
    if (s.header) this.header(s, decorators);
    else this.simple(s);
  }

  private bind(name: string, kind: VarKind, fresh = false): void {
    const scope = this.here;
    if (scope.func) {
      scope.func.bound.add(name);
      scope.func.fresh.set(name, (scope.func.fresh.get(name) ?? true) && fresh);
    } else if (scope.kind === 'module') {
      this.found.names.bind(name, kind);
    } else if (kind === 'lock') {
      this.found.state.lockAttribute(name); // a class attribute holding a lock
    }
  }

  // -- compound statements --

  private header(s: Stmt, decorators: Stmt[]): void {
    const t = s.tokens;
    const first = t[0]!.text === 'async' ? 1 : 0;
    const word = t[first]!.text;
    const open = (block: Block) => this.blocks.open(block, s.depth);
    if (word === 'def') return open(this.functionBlock(s, first + 1, decorators));
    if (word === 'class') {
      if (isName(t[1])) this.bind(t[1].text, 'other');
      return open({ kind: 'class' });
    }
    if (word === 'cdef' || word === 'cpdef') return open(this.cdefBlock(s, decorators));
    if (opensDeclarations(word)) return open({ kind: 'declarations' });
    if (word === 'with') {
      const { block, bound, evaluated } = withBlock(s, first + 1, this.blocks.nogil() && this.here.func !== null);
      for (const name of bound) this.bind(name, 'other');
      for (const [a, b] of evaluated) this.expressions(s, a, b);
      return open(block);
    }
    this.expressions(s, 0, t.length);
    this.afterStatement(s); // `if lock.acquire(False):`
    if (word === 'for') {
      const { block, bound } = forBlock(s, first + 1);
      for (const name of bound) this.bind(name, 'other');
      return open(block);
    }
    if (word === 'except') {
      const as = t.findIndex((x) => isName(x, 'as'));
      if (as > 0 && isName(t[as + 1])) this.bind(t[as + 1]!.text, 'other');
    }
    open({ kind: 'block' });
  }

  private cdefBlock(s: Stmt, decorators: Stmt[]): Block {
    const k = afterCdef(s);
    const next = s.tokens[k];
    if (!next) return { kind: 'cdefs' }; // `cdef:` / `cdef public:` declares what follows
    if (next.text === 'class') {
      if (isName(s.tokens[k + 1])) this.bind(s.tokens[k + 1]!.text, 'other');
      return { kind: 'class' };
    }
    if (next.text === 'extern') return { kind: 'extern' };
    if (opensDeclarations(next.text)) return { kind: 'declarations' };
    const open = s.tokens.findIndex((t, i) => i > k && t.text === '(' && isName(s.tokens[i - 1]));
    if (open < 0) return { kind: 'block' };
    return this.functionBlock(s, open - 1, decorators);
  }

  /** A def/cdef/cpdef function whose name is tokens[nameAt]. */
  private functionBlock(s: Stmt, nameAt: number, decorators: Stmt[]): Block {
    const func = functionDeclaration(s, nameAt, decorators, this.here.func, this.here.kind === 'module');
    if (isName(s.tokens[nameAt])) this.bind(func.name, 'other');
    return { kind: 'function', func };
  }

  // -- simple statements --

  private simple(s: Stmt): void {
    const t = s.tokens;
    const scope = this.here;
    if (scope.mode === 'extern') return this.found.borrowed.externDeclaration(s, 0);
    if (scope.mode === 'declarations') return;
    if (scope.mode === 'cdefs') return this.cdefDeclaration(s, 0);
    const word = t[0]!.text;
    if (word === 'cdef' || word === 'cpdef') {
      const k = afterCdef(s);
      if (t[k]?.text === 'extern') return this.found.borrowed.externDeclaration(s, k + 1);
      if (t[k]?.text === 'class' || opensDeclarations(t[k]?.text ?? '')) return;
      return this.cdefDeclaration(s, k);
    }
    if (word === 'ctypedef' || word === 'DEF') return; // types and compile-time constants
    if (word === 'include' && t[1]?.kind === 'string' && t.length === 2 && !t[1].prefix?.includes('f')) {
      this.found.includes.push(t[1].value ?? '');
      return;
    }
    if (word === 'from' || word === 'cimport' || word === 'import') return this.importStatement(s);
    if (word === 'global' || word === 'nonlocal') {
      const set = word === 'global' ? scope.func?.globals : scope.func?.nonlocals;
      for (const n of t.slice(1)) if (isName(n)) set?.add(n.text);
      return;
    }
    if (word === 'del') {
      for (const p of places(s, 1, t.length)) {
        if (p.kind === 'name' && !scope.func?.globals.has(p.root.text)) this.bind(p.root.text, 'other');
        else this.mutation(p);
      }
      this.expressions(s, 1, t.length);
      return;
    }
    this.assignment(s);
  }

  /** Assignments, augmented assignments, annotated assignments, and bare expressions. */
  private assignment(s: Stmt): void {
    const t = s.tokens;
    const parts = rangesTop(s, 0, t.length, isOp('='));
    let targets = parts.slice(0, -1);
    const [vFrom, vTo] = parts[parts.length - 1]!;
    if (targets.length === 0) {
      const aug = rangesTop(s, 0, t.length, (x) => x.kind === 'op' && AUGMENTED.has(x.text));
      if (aug.length > 1) {
        const func = this.here.func;
        for (const p of places(s, aug[0]![0], aug[0]![1])) {
          // x += 1 makes x local unless declared global; a list stays the same list, so freshness stays
          if (p.kind === 'name' && func && !func.globals.has(p.root.text) && !func.nonlocals.has(p.root.text)) func.bound.add(p.root.text);
          this.mutation(p);
        }
        this.expressions(s, aug[1]![0], t.length);
        this.afterStatement(s);
        return;
      }
    }
    // `x: T = v` and a bare annotation `x: T`: the target ends at the colon
    targets = targets.map(([a, b]) => [a, rangesTop(s, a, b, isOp(':'))[0]![1]] as [number, number]);
    if (targets.length === 0 && isName(t[0]) && t[1]?.text === ':') targets = [[0, 1]];
    const func = this.here.func;
    const single = vTo - vFrom === 1 && isName(t[vFrom]) ? t[vFrom]!.text : null;
    const lock = isLockCall(s, vFrom, vTo);
    const valueKind: VarKind = lock ? 'lock' : isContainer(s, vFrom, vTo) ? 'container' : 'other';
    const fresh = targets.length === 1 && isFresh(s, vFrom, vTo);
    for (const [a, b] of targets) {
      const written = places(s, a, b);
      const several = written.length > 1; // `a, b = …` unpacks: neither gets the value itself
      for (const p of written) {
        if (p.kind === 'name' && !func?.globals.has(p.root.text) && !func?.nonlocals.has(p.root.text)) {
          this.bind(p.root.text, several ? 'other' : valueKind, !several && fresh);
        } else {
          if (p.kind === 'attr' && lock) this.found.state.lockAttribute(p.attr!);
          if (single && func) func.escaped.add(single);
          this.mutation(p);
        }
      }
    }
    this.expressions(s, targets.length > 0 ? vFrom : 0, t.length);
    this.afterStatement(s);
  }

  /** `cdef [type] a = v, *b` (from tokens[from]), or a line of a `cdef:` block. */
  private cdefDeclaration(s: Stmt, from: number): void {
    for (const { name, type, value } of cdefVariables(s, from)) {
      const func = this.here.func;
      if (func) {
        func.bound.add(name);
        if (value) func.fresh.set(name, (func.fresh.get(name) ?? true) && isFresh(s, value[0], value[1]));
      } else {
        this.bind(name, cdefKind(type, value !== null && isContainer(s, value[0], value[1])));
      }
      if (value) this.expressions(s, value[0], value[1]);
    }
  }

  private importStatement(s: Stmt): void {
    const { cimport, module, names } = importStatement(s);
    for (const { name, alias } of names) {
      if (!cimport) this.bind(alias, 'other');
      else if (module === null) this.found.borrowed.cimportModule(alias);
      else this.found.borrowed.cimport(module, name, alias);
    }
  }

  // -- what a statement does --

  /** API calls, method calls that change their receiver, import-time calls and walrus bindings in tokens[from, to). */
  private expressions(s: Stmt, from: number, to: number): void {
    const scope = this.here;
    for (let k = from; k < to; k++) {
      const t = s.tokens[k]!;
      if (!isName(t)) continue;
      if (s.tokens[k + 1]?.text === ':=') this.bind(t.text, 'other');
      if (s.tokens[k + 1]?.text !== '(') continue;
      if (this.found.borrowed.call(s, k, scope.func)) continue;
      if (s.tokens[k - 1]?.text === '.') {
        const changed = mutatedReceiver(s, k);
        if (changed) this.mutation(changed);
      } else if (scope.kind === 'module') {
        this.found.state.importTimeCall(t.text);
      }
    }
  }

  /** acquire()/release() in a statement move the function's held count for what follows. */
  private afterStatement(s: Stmt): void {
    const func = this.here.func;
    if (!func) return;
    s.tokens.forEach((t, k) => {
      if (s.tokens[k - 1]?.text !== '.' || s.tokens[k + 1]?.text !== '(') return;
      if (t.text === 'acquire') func.held++;
      else if (t.text === 'release') func.held = Math.max(0, func.held - 1);
    });
  }

  private mutation(place: Place): void {
    const func = this.here.func;
    if (!func) return; // module-level code runs once, at import
    this.guarding ??= this.blocks.guarding(func);
    this.found.state.change(place, func, this.guarding);
  }
}
