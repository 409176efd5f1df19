import { posix } from 'node:path';
import type { Analyzer, BuildFacts, RawFinding, SourceFile } from '../analyzer.js';
import { directiveFlag, readDirectiveComments } from '../cython/directives.js';
import { logicalLines, matchBrackets, tokenize, type Token } from '../cython/tokens.js';

// Cython hazards, read from tokens (Cython has no tree-sitter grammar):
//   FT005      a .pyx module that does not declare freethreading_compatible=True;
//   FT101–107  borrowed-reference C API calls, when the file cimports or
//              declares the function (a .pxi sees its includer's cimports);
//   FT602      "with gil:" in nogil code around changes to shared state;
//   FT605      module-level state changed inside a function without a lock.
// Logical lines are split into statements (a compound statement's header and
// an inline body are separate statements), and blocks are tracked by depth:
// functions, classes, cdef extern blocks, with gil/nogil, critical sections
// and locks. What a name refers to is only known at the end of the file
// (Python locals are function-wide, module globals may be bound after the
// functions that use them), so candidates are collected in one walk and
// judged at the end.

const BORROWED: Record<string, string> = {
  PyList_GetItem: 'FT101',
  PyList_GET_ITEM: 'FT101',
  PyDict_GetItem: 'FT102',
  PyDict_GetItemWithError: 'FT102',
  PyDict_GetItemString: 'FT103',
  PyDict_SetDefault: 'FT104',
  PyWeakref_GetObject: 'FT105',
  PyWeakref_GET_OBJECT: 'FT105',
  PyImport_AddModule: 'FT106',
  PyCell_GET: 'FT107',
};

/** The APIs whose first argument is a list or dict: only these are graded by where that container comes from. */
const CONTAINER_RULES = new Set(['FT101', 'FT102', 'FT103', 'FT104']);

/** What `from <module> cimport *` brings in, per Cython/Includes/cpython (cpython/__init__.pxd cimports all but cellobject). */
const STAR_CIMPORTS: Record<string, readonly string[]> = {
  'cpython.list': ['PyList_GetItem', 'PyList_GET_ITEM'],
  'cpython.dict': ['PyDict_GetItem', 'PyDict_GetItemWithError', 'PyDict_GetItemString', 'PyDict_SetDefault'],
  'cpython.weakref': ['PyWeakref_GetObject', 'PyWeakref_GET_OBJECT'],
  'cpython.module': ['PyImport_AddModule'],
  'cpython.cellobject': ['PyCell_GET'],
};
STAR_CIMPORTS.cpython = Object.entries(STAR_CIMPORTS).flatMap(([m, names]) => (m === 'cpython.cellobject' ? [] : names));

/** Calls that create a new list or dict: a local bound only to these is private to the call (sharedness S0). */
const FRESH_CALLS = new Set(['dict', 'list', 'PyDict_New', 'PyList_New', 'PyDict_Copy', 'PySequence_List']);

/** Calls that create a mutable container: a module-level name bound to one is shared state. */
const CONTAINER_CALLS = new Set([
  'dict', 'list', 'set', 'bytearray', 'defaultdict', 'OrderedDict', 'deque', 'Counter', 'ChainMap',
  'WeakValueDictionary', 'WeakKeyDictionary', 'WeakSet',
]);
const CONTAINER_TYPES = new Set(['dict', 'list', 'set', 'bytearray']);
/** cdef types that are Python objects, not C storage; `object` may hold anything. */
const PYTHON_TYPES = new Set(['object', 'str', 'bytes', 'unicode', 'tuple', 'frozenset', 'type', 'slice', 'basestring']);

const LOCK_CALLS = new Set(['Lock', 'RLock', 'Semaphore', 'BoundedSemaphore', 'Condition', 'allocate_lock']);
const MUTEX_TYPES = new Set(['pymutex', 'pythread_type_lock']);
/** A `with` on a name like this is taken as a lock even when its construction is out of sight (imported, made by a factory). */
const LOCKISH = /lock|mutex/i;

const MUTATORS = new Set([
  'append', 'extend', 'insert', 'pop', 'remove', 'clear', 'update', 'add', 'discard', 'setdefault', 'popitem',
  'sort', 'reverse', 'appendleft', 'extendleft', 'popleft', '__setitem__', '__delitem__',
]);
const AUGMENTED = new Set(['+=', '-=', '*=', '/=', '//=', '%=', '**=', '>>=', '<<=', '&=', '^=', '|=', '@=']);

/** First words of a compound statement, whose first top-level colon ends the header. */
const COMPOUND = new Set([
  'if', 'elif', 'else', 'for', 'while', 'try', 'except', 'finally', 'with', 'def', 'class', 'async',
  'cdef', 'cpdef', 'ctypedef', 'struct', 'union', 'enum', 'cppclass', 'fused', 'property', 'IF', 'ELIF', 'ELSE',
]);
/** Words between cdef and the type that change nothing here. */
const CDEF_MODIFIERS = new Set(['public', 'readonly', 'api', 'inline', 'packed']);
const DECLARATION_BLOCKS = new Set(['struct', 'union', 'enum', 'cppclass', 'fused', 'ctypedef']);

/** How far back a method call's receiver is followed (`a.b[c].d.append`); longer chains are left alone. */
const MAX_CHAIN = 64;
/** The longest cast `<const unsigned long long *>` looked for. */
const MAX_CAST_TOKENS = 16;
/** Tokenizer problems shown as notes; the rest are counted. */
const MAX_PROBLEM_NOTES = 3;

export const analyzeCython: Analyzer = (file, context) => {
  let tokens: Token[] = [];
  const notes: string[] = [];
  try {
    const tokenized = tokenize(file.text);
    tokens = tokenized.tokens;
    notes.push(...problemNotes(file.path, tokenized.problems, tokenized.problemCount));
  } catch (err) {
    notes.push(`${file.path}: could not tokenize (${(err as Error).message}); reading it as empty`);
  }
  const declaration = moduleDeclaration(file, tokens, context.build);
  notes.push(...declaration.notes);
  const findings: RawFinding[] = declaration.finding ? [declaration.finding] : [];
  let includes: string[] = [];
  try {
    const walk = new Walk(/\.pxi$/i.test(file.path));
    for (const s of statements(tokens)) walk.visit(s);
    for (const f of walk.findings()) findings.push(f);
    includes = walk.includes;
  } catch (err) {
    notes.push(`${file.path}: could not analyse the code (${(err as Error).message}); only the module declaration was checked`);
  }
  findings.sort((a, b) => a.line - b.line || a.column - b.column);
  return { findings, declaresFreeThreading: declaration.declares, notes, includes };
};

function problemNotes(path: string, problems: readonly string[], count: number): string[] {
  const shown = problems.slice(0, MAX_PROBLEM_NOTES).map((p) => `${path}: ${p}`);
  if (count > shown.length) shown.push(`${path}: ${count - shown.length} more syntax problems`);
  return shown;
}

// ---- FT005: the module declaration ----

interface Declaration {
  finding?: RawFinding;
  declares: boolean | null;
  notes: string[];
}

function moduleDeclaration(file: SourceFile, tokens: readonly Token[], facts: BuildFacts): Declaration {
  // .pxd declares, .pxi is pasted into a .pyx: only a .pyx is a module.
  if (!/\.pyx$/i.test(file.path)) return { declares: null, notes: [] };
  const comments = readDirectiveComments(tokens);
  const notes = comments.problems.map((p) => `${file.path}: ${p}`);
  // A directive comment overrides the build's compiler_directives for its file.
  let flag = directiveFlag(comments.directives.freethreading_compatible, false);
  let where = 'its directive comment';
  if (flag === null) {
    const build = buildSetting(file.path, facts);
    flag = directiveFlag(build?.value, true);
    if (build) where = build.file;
  }
  if (flag === true) return { declares: true, notes };
  const name = posix.basename(file.path.replace(/\\/g, '/')).replace(/\.pyx$/i, '');
  const finding: RawFinding = { rule: 'FT005', line: 1, column: 1, params: { name } };
  if (flag === false) {
    // An explicit False is a decision, not an oversight (the catalogue's
    // FT004 treats explicit GIL opt-outs as info): keep it visible, don't fail CI.
    finding.severity = 'info';
    finding.detail = `freethreading_compatible=False is set explicitly in ${where}`;
  }
  return { finding, declares: false, notes };
}

/**
 * freethreading_compatible as the build sets it for the file: from the
 * entries whose dir is the longest prefix of the file's directory (several
 * build files can share a directory, e.g. setup.py and pyproject.toml).
 */
function buildSetting(path: string, build: BuildFacts): { value: string; file: string } | undefined {
  const dir = trimDir(posix.dirname(path.replace(/\\/g, '/')));
  let longest = -1;
  let setting: { value: string; file: string } | undefined;
  for (const entry of build.cythonDirectives) {
    const d = trimDir(entry.dir.replace(/\\/g, '/'));
    const covers = d === '' ? !dir.startsWith('/') : dir === d || dir.startsWith(`${d}/`);
    if (!covers || d.length < longest) continue;
    if (d.length > longest) setting = undefined;
    longest = d.length;
    const value = entry.directives.freethreading_compatible;
    if (value !== undefined) setting = { value, file: entry.file };
  }
  return setting;
}

/** '.', './a/' and 'a' → '', 'a', 'a'. */
function trimDir(dir: string): string {
  const d = dir.replace(/^\.\/+/, '').replace(/\/+$/, '');
  return d === '.' ? '' : d;
}

// ---- statements ----

interface Stmt {
  tokens: Token[];
  /** For every bracket token, the index of its partner. */
  pair: Int32Array;
  depth: number;
  /** A compound statement's header without its colon: a body follows. */
  header: boolean;
}

function stmt(tokens: Token[], depth: number, header: boolean): Stmt {
  return { tokens, pair: matchBrackets(tokens), depth, header };
}

/**
 * The statements of the file in order. `if x: y = 1; z()` gives the header
 * `if x` and two statements one level deeper; an inline body is not split
 * again, so nesting cannot make this quadratic.
 */
function statements(tokens: readonly Token[]): Stmt[] {
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
function rangesTop(s: Stmt, from: number, to: number, sep: (t: Token) => boolean): Array<[number, number]> {
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

const isOp = (text: string) => (t: Token) => t.kind === 'op' && t.text === text;
const isName = (t: Token | undefined, text?: string): t is Token => t?.kind === 'name' && (text === undefined || t.text === text);

/** The first top-level token in tokens[from, to) that matches, or -1. */
function indexIn(s: Stmt, from: number, to: number, match: (t: Token) => boolean): number {
  for (let k = from; k < to; k++) {
    if (s.pair[k]! > k) k = s.pair[k]!;
    else if (match(s.tokens[k]!)) return k;
  }
  return -1;
}

/** Skips Cython casts `<T>` / `<T*>` / `<T?>` at tokens[k]; returns the index after them. */
function skipCasts(s: Stmt, k: number, to: number): number {
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
function wholeCall(s: Stmt, from: number, to: number): { callee: string; root: string } | null {
  const open = to - 1 >= from ? s.pair[to - 1]! : -1;
  if (open <= from || s.tokens[open]!.text !== '(') return null;
  for (let k = from; k < open; k++) {
    const t = s.tokens[k]!;
    if (!((k - from) % 2 === 0 ? isName(t) : t.text === '.')) return null;
  }
  return isName(s.tokens[open - 1]) ? { callee: s.tokens[open - 1]!.text, root: s.tokens[from]!.text } : null;
}

/** `[...]`, `{...}` (a display or comprehension) spanning exactly tokens[from, to). */
function wholeDisplay(s: Stmt, from: number, to: number): boolean {
  const t = s.tokens[from];
  return to - from >= 2 && (t?.text === '[' || t?.text === '{') && s.pair[from] === to - 1;
}

/** A local bound to this is private to the call: a new list or dict. */
function isFresh(s: Stmt, from: number, to: number): boolean {
  from = skipCasts(s, from, to);
  if (wholeDisplay(s, from, to)) return true;
  const call = wholeCall(s, from, to);
  return call !== null && FRESH_CALLS.has(call.callee);
}

function isContainer(s: Stmt, from: number, to: number): boolean {
  from = skipCasts(s, from, to);
  if (wholeDisplay(s, from, to)) return true;
  const call = wholeCall(s, from, to);
  return call !== null && (CONTAINER_CALLS.has(call.callee) || call.root === 'collections');
}

function isLockCall(s: Stmt, from: number, to: number): boolean {
  const call = wholeCall(s, from, to);
  return call !== null && LOCK_CALLS.has(call.callee);
}

/** Something written to: `x`, `x.a.b`, `x[i]`, `x.a[i]`; or, for `x.append(...)`, the receiver `x`. */
interface Place {
  kind: 'name' | 'attr' | 'subscript' | 'method';
  root: Token;
  /** The last attribute name, for `self.lock = Lock()`. */
  attr: string | null;
  /** An attribute comes before the end: `self.d[k]`, `self.a.b`. */
  viaAttr: boolean;
}

/** The places written by a target list (`a, (b, c.d), *e[0]`); calls and other expressions give none. */
function places(s: Stmt, from: number, to: number): Place[] {
  const out: Place[] = [];
  const work: Array<[number, number]> = [[from, to]];
  while (work.length > 0) {
    const [f, t] = work.pop()!;
    for (let [a, b] of rangesTop(s, f, t, isOp(','))) {
      while (a < b && (s.tokens[a]!.text === '*' || s.tokens[a]!.text === '**')) a++;
      if (a >= b) continue;
      const open = s.tokens[a]!;
      if ((open.text === '(' || open.text === '[') && s.pair[a] === b - 1) {
        work.push([a + 1, b - 1]);
        continue;
      }
      const place = place1(s, a, b);
      if (place) out.push(place);
    }
  }
  return out;
}

function place1(s: Stmt, from: number, to: number): Place | null {
  const root = s.tokens[from]!;
  if (!isName(root)) return null;
  let kind: 'name' | 'attr' | 'subscript' = 'name';
  let attr: string | null = null;
  let attrs = 0;
  let k = from + 1;
  while (k < to) {
    const t = s.tokens[k]!;
    if (t.text === '.' && isName(s.tokens[k + 1])) {
      kind = 'attr';
      attr = s.tokens[k + 1]!.text;
      attrs++;
      k += 2;
    } else if (t.text === '[' && s.pair[k]! > k) {
      kind = 'subscript';
      k = s.pair[k]! + 1;
    } else {
      return null; // a call or an operator: not a place
    }
  }
  return { kind, root, attr, viaAttr: kind === 'attr' ? attrs > 1 : attrs > 0 };
}

/** The receiver of the method whose '.' is tokens[dot]: `x.append`, `self.items.append`, `cache[k].append`. */
function receiver(s: Stmt, dot: number): { root: Token; viaAttr: boolean } | null {
  let j = dot - 1;
  let attrs = 0;
  for (let steps = 0; j >= 0 && steps < MAX_CHAIN; steps++) {
    const t = s.tokens[j]!;
    if (t.kind === 'op' && t.text === ']' && s.pair[j]! >= 0) {
      j = s.pair[j]! - 1;
    } else if (isName(t)) {
      if (s.tokens[j - 1]?.text !== '.') return { root: t, viaAttr: attrs > 0 };
      attrs++;
      j -= 2;
    } else {
      return null;
    }
  }
  return null;
}

// ---- the walk ----

interface FuncInfo {
  name: string;
  /** Defined at module level: code at module level may call it during import. */
  topLevel: boolean;
  parent: FuncInfo | null;
  params: Set<string>;
  /** `**kwargs`: a dict private to the call. */
  starstar: Set<string>;
  /** Names bound in the body: locals unless declared global or nonlocal. */
  bound: Set<string>;
  globals: Set<string>;
  nonlocals: Set<string>;
  /** Local → whether every value bound to it is a new list or dict. */
  fresh: Map<string, boolean>;
  /** Locals stored somewhere shared (`self.d = d`): no longer private. */
  escaped: Set<string>;
  nogil: boolean;
  /** Decorated with @cython.critical_section: the whole body holds the section. */
  critical: boolean;
  /** acquire() calls not yet matched by release(), in source order. */
  held: number;
}

type VarKind = 'other' | 'cvar' | 'container' | 'lock';
const KIND_RANK: Record<VarKind, number> = { other: 0, cvar: 1, container: 2, lock: 3 };

interface LockRef {
  name?: string;
  attr?: string;
}

/** A `with gil:` block inside nogil code. */
interface GilBlock {
  token: Token;
  reported: boolean;
}

interface Guard {
  critical: boolean;
  held: boolean;
  locks: LockRef[];
}

interface Mutation {
  place: Place;
  func: FuncInfo;
  gilBlock: GilBlock | null;
  guard: Guard;
}

interface ApiCall {
  /** The name called: the API itself or a cimport alias. */
  local: string;
  token: Token;
  func: FuncInfo | null;
  /** The first argument when it is a plain name (casts skipped). */
  arg: string | null;
  /** `cpython.dict.PyDict_GetItem(...)`: the first segment, which must be a cimported module. */
  qualifiedRoot: string | null;
}

type DeclarationMode = 'extern' | 'cdefs' | 'declarations';
type FrameKind = 'function' | 'class' | DeclarationMode | 'block';

interface Scope {
  kind: 'module' | 'class' | 'function';
  func: FuncInfo | null;
  /** Inside a cdef extern block, a `cdef:` block, or a struct/enum/ctypedef body: declarations, not code. */
  mode: DeclarationMode | null;
}

interface Frame {
  kind: FrameKind;
  depth: number;
  func?: FuncInfo;
  gil?: 'gil' | 'nogil';
  gilBlock?: GilBlock;
  critical?: boolean;
  locks?: LockRef[];
}

class Walk {
  readonly includes: string[] = [];
  private readonly frames: Frame[] = [];
  private decorators: Stmt[] = [];
  /** Local name → C API, from cimports and extern declarations. */
  private readonly apis = new Map<string, string>();
  private readonly cimportRoots = new Set<string>();
  private readonly moduleNames = new Map<string, VarKind>();
  private readonly lockAttrs = new Set<string>();
  /** Functions that module-level code calls: they run during import, before other threads can call in. */
  private readonly importCalls = new Set<string>();
  private readonly calls: ApiCall[] = [];
  private readonly mutations: Mutation[] = [];
  /** Where the current statement is, and its guard: worked out once per statement, so deep nesting stays linear. */
  private here: Scope = { kind: 'module', func: null, mode: null };
  private guard: { guard: Guard; gilBlock: GilBlock | null } | null = null;

  /** In a .pxi, the including module's cimports are in force: a borrowed API called there is the C API. */
  constructor(private readonly isPxi: boolean) {}

  visit(s: Stmt): void {
    while (this.frames.length > 0 && this.frames[this.frames.length - 1]!.depth >= s.depth) this.frames.pop();
    this.here = this.findScope();
    this.guard = null;
    if (s.tokens[0]!.text === '@') {
      this.decorators.push(s);
      // `@register` on a module-level def calls register during import
      if (this.here.kind === 'module' && isName(s.tokens[1]) && s.tokens[2]?.text !== '.') this.importCalls.add(s.tokens[1].text);
      return;
    }
    const decorators = this.decorators;
    this.decorators = [];
    if (s.header) this.header(s, decorators);
    else this.simple(s);
  }

  // -- where we are --

  private findScope(): Scope {
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
  private nogilHere(): boolean {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.gil) return f.gil === 'nogil';
      if (f.kind === 'function') return f.func!.nogil;
      if (f.kind === 'class') return false;
    }
    return false;
  }

  private guardHere(func: FuncInfo): { guard: Guard; gilBlock: GilBlock | null } {
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

  private bind(name: string, kind: VarKind, fresh = false): void {
    const scope = this.here;
    if (scope.func) {
      scope.func.bound.add(name);
      scope.func.fresh.set(name, (scope.func.fresh.get(name) ?? true) && fresh);
    } else if (scope.kind === 'module') {
      const old = this.moduleNames.get(name);
      if (old === undefined || KIND_RANK[kind] > KIND_RANK[old]) this.moduleNames.set(name, kind);
    } else if (kind === 'lock') {
      this.lockAttrs.add(name); // a class attribute holding a lock
    }
  }

  // -- compound statements --

  private header(s: Stmt, decorators: Stmt[]): void {
    const t = s.tokens;
    const first = t[0]!.text === 'async' ? 1 : 0;
    const word = t[first]!.text;
    const push = (frame: Omit<Frame, 'depth'>) => this.frames.push({ ...frame, depth: s.depth });
    if (word === 'def') return void push(this.functionFrame(s, first + 1, decorators));
    if (word === 'class') {
      if (isName(t[1])) this.bind(t[1].text, 'other');
      return void push({ kind: 'class' });
    }
    if (word === 'cdef' || word === 'cpdef') return void push(this.cdefFrame(s, decorators));
    if (DECLARATION_BLOCKS.has(word)) return void push({ kind: 'declarations' });
    if (word === 'with') return void push(this.withFrame(s, first + 1));
    this.expressions(s, 0, t.length);
    this.afterStatement(s); // `if lock.acquire(False):`
    if (word === 'for') return void push(this.forFrame(s, first + 1));
    if (word === 'except') {
      const as = t.findIndex((x) => isName(x, 'as'));
      if (as > 0 && isName(t[as + 1])) this.bind(t[as + 1]!.text, 'other');
    }
    push({ kind: 'block' });
  }

  private cdefFrame(s: Stmt, decorators: Stmt[]): Omit<Frame, 'depth'> {
    let k = 1;
    while (k < s.tokens.length && CDEF_MODIFIERS.has(s.tokens[k]!.text)) k++;
    const next = s.tokens[k];
    if (!next) return { kind: 'cdefs' }; // `cdef:` / `cdef public:` declares what follows
    if (next.text === 'class') {
      if (isName(s.tokens[k + 1])) this.bind(s.tokens[k + 1]!.text, 'other');
      return { kind: 'class' };
    }
    if (next.text === 'extern') return { kind: 'extern' };
    if (DECLARATION_BLOCKS.has(next.text)) return { kind: 'declarations' };
    const open = s.tokens.findIndex((t, i) => i > k && t.text === '(' && isName(s.tokens[i - 1]));
    if (open < 0) return { kind: 'block' };
    return this.functionFrame(s, open - 1, decorators);
  }

  /** A def/cdef/cpdef function whose name is tokens[nameAt]. */
  private functionFrame(s: Stmt, nameAt: number, decorators: Stmt[]): Omit<Frame, 'depth'> {
    const name = s.tokens[nameAt]?.text ?? '';
    const outer = this.here;
    if (isName(s.tokens[nameAt])) this.bind(name, 'other');
    const func: FuncInfo = {
      name,
      topLevel: outer.kind === 'module',
      parent: outer.func,
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
      for (const [a, b] of rangesTop(s, open + 1, close, isOp(','))) this.param(s, a, b, func);
      // `cdef void f() noexcept nogil:` (but not `with gil`, which takes the GIL on entry)
      func.nogil = s.tokens.slice(close + 1).some((t) => isName(t, 'nogil'));
    }
    for (const d of decorators) {
      const names = d.tokens.filter((t) => isName(t)).map((t) => t.text);
      if (names.includes('critical_section')) func.critical = true;
      if (names.includes('nogil')) func.nogil = true;
    }
    return { kind: 'function', func };
  }

  /** One parameter: `x`, `int x`, `x: T = v`, `object o not None`, `*args`, `**kwargs`. */
  private param(s: Stmt, from: number, to: number, func: FuncInfo): void {
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

  private withFrame(s: Stmt, from: number): Omit<Frame, 'depth'> {
    const frame: Omit<Frame, 'depth'> = { kind: 'block' };
    const nogil = this.nogilHere() && this.here.func !== null;
    for (const [a, end] of rangesTop(s, from, s.tokens.length, isOp(','))) {
      // `expr as target`: the target is bound here, the expression is what the with holds
      const as = indexIn(s, a, end, (t) => isName(t, 'as'));
      if (as >= 0) for (const p of places(s, as + 1, end)) if (p.kind === 'name') this.bind(p.root.text, 'other');
      const b = as >= 0 ? as : end;
      if (a >= b) continue;
      const first = s.tokens[a]!;
      // gil / nogil, their conditional forms gil(flag) / nogil(flag), and pure-Python cython.gil / cython.nogil
      const word = isName(first, 'cython') && s.tokens[a + 1]?.text === '.' ? s.tokens[a + 2] : first;
      const wordEnd = word === first ? a + 1 : a + 3;
      if ((isName(word, 'gil') || isName(word, 'nogil')) && (wordEnd === b || s.pair[wordEnd] === b - 1)) {
        const gil = word.text as 'gil' | 'nogil';
        if (gil === 'gil' && nogil) frame.gilBlock = { token: s.tokens[0]!, reported: false };
        frame.gil = gil;
        continue;
      }
      const call = s.tokens[b - 1]!.text === ')' ? wholeCall(s, a, b) : null;
      if (call?.callee === 'critical_section') {
        frame.critical = true;
        continue;
      }
      this.expressions(s, a, b);
      const place = call ? null : place1(s, a, b);
      if (place?.kind === 'name') (frame.locks ??= []).push({ name: place.root.text });
      else if (place?.kind === 'attr') (frame.locks ??= []).push({ attr: place.attr! });
    }
    return frame;
  }

  private forFrame(s: Stmt, from: number): Omit<Frame, 'depth'> {
    // `for x, y in ...` and Cython's `for i from 0 <= i < n`
    const end = s.tokens.findIndex((t, i) => i > from && (isName(t, 'in') || isName(t, 'from')));
    if (end > from) for (const p of places(s, from, end)) if (p.kind === 'name') this.bind(p.root.text, 'other');
    const prange = s.tokens.findIndex((t, i) => isName(t, 'prange') && s.tokens[i + 1]?.text === '(');
    if (prange >= 0) {
      const close = s.pair[prange + 1]!;
      for (let k = prange + 2; k + 2 < close; k++) {
        if (isName(s.tokens[k], 'nogil') && s.tokens[k + 1]!.text === '=' && isName(s.tokens[k + 2], 'True')) return { kind: 'block', gil: 'nogil' };
      }
    }
    return { kind: 'block' };
  }

  // -- simple statements --

  private simple(s: Stmt): void {
    const t = s.tokens;
    const scope = this.here;
    if (scope.mode === 'extern') return this.externDeclaration(s, 0);
    if (scope.mode === 'declarations') return;
    if (scope.mode === 'cdefs') return this.cdefDeclaration(s, 0);
    const word = t[0]!.text;
    if (word === 'cdef' || word === 'cpdef') {
      let k = 1;
      while (k < t.length && CDEF_MODIFIERS.has(t[k]!.text)) k++;
      if (t[k]?.text === 'extern') return this.externDeclaration(s, k + 1);
      if (t[k]?.text === 'class' || DECLARATION_BLOCKS.has(t[k]?.text ?? '')) return;
      return this.cdefDeclaration(s, k);
    }
    if (word === 'ctypedef' || word === 'DEF') return; // types and compile-time constants
    if (word === 'include' && t[1]?.kind === 'string' && t.length === 2 && !t[1].prefix?.includes('f')) {
      this.includes.push(t[1].value ?? '');
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
          if (p.kind === 'attr' && lock) this.lockAttrs.add(p.attr!);
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
    const segments = rangesTop(s, from, s.tokens.length, isOp(','));
    // `cdef int f(int x)` is a function prototype, not a variable
    const [a0, b0] = segments[0]!;
    const eq0 = indexIn(s, a0, b0, isOp('='));
    for (let k = a0 + 1; k < (eq0 >= 0 ? eq0 : b0); k++) if (s.tokens[k]!.text === '(' && isName(s.tokens[k - 1])) return;
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
      const name = s.tokens[nameAt]!.text;
      const func = this.here.func;
      if (func) {
        func.bound.add(name);
        if (eq >= 0) func.fresh.set(name, (func.fresh.get(name) ?? true) && isFresh(s, eq + 1, b));
      } else {
        this.bind(name, cdefKind(type, eq >= 0 && isContainer(s, eq + 1, b)));
      }
      if (eq >= 0) this.expressions(s, eq + 1, b);
    }
  }

  /** A declaration in a `cdef extern` block: `PyObject* PyDict_GetItem(object, object)`, or `T name "CName"(...)`. */
  private externDeclaration(s: Stmt, from: number): void {
    const open = s.tokens.findIndex((t, k) => k > from && t.text === '(');
    if (open < 1) return;
    const before = s.tokens[open - 1]!;
    if (before.kind === 'string' && BORROWED[before.value ?? ''] && isName(s.tokens[open - 2])) this.apis.set(s.tokens[open - 2]!.text, before.value!);
    else if (isName(before) && BORROWED[before.text]) this.apis.set(before.text, before.text);
  }

  private importStatement(s: Stmt): void {
    const t = s.tokens;
    if (t[0]!.text === 'from') {
      const kw = t.findIndex((x) => isName(x, 'cimport') || isName(x, 'import'));
      if (kw < 0) return;
      const module = t.slice(1, kw).map((x) => x.text).join('');
      const cimport = t[kw]!.text === 'cimport';
      let a = kw + 1;
      let b = t.length;
      if (t[a]?.text === '(' && s.pair[a]! > a) [a, b] = [a + 1, s.pair[a]!];
      for (const [x, y] of rangesTop(s, a, b, isOp(','))) {
        if (y <= x) continue;
        const name = t[x]!.text;
        const alias = y - x === 3 && isName(t[x + 1], 'as') ? t[x + 2]!.text : name;
        if (!cimport) this.bind(alias, 'other');
        else if (name === '*') for (const api of STAR_CIMPORTS[module] ?? []) this.apis.set(api, api);
        else if (BORROWED[name]) this.apis.set(alias, name);
      }
      return;
    }
    // `cimport a.b as c, d` / `import a.b as c, d`
    for (const [x, y] of rangesTop(s, 1, t.length, isOp(','))) {
      if (y <= x) continue;
      const as = y - x >= 3 && isName(t[y - 2], 'as') ? t[y - 1]!.text : null;
      const bound = as ?? t[x]!.text;
      if (t[0]!.text === 'cimport') this.cimportRoots.add(bound);
      else this.bind(bound, 'other');
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
      const dotted = s.tokens[k - 1]?.text === '.';
      if (!dotted && (BORROWED[t.text] || this.apis.has(t.text))) {
        this.calls.push({ local: t.text, token: t, func: scope.func, arg: firstArgName(s, k + 1), qualifiedRoot: null });
      } else if (dotted && BORROWED[t.text]) {
        const r = receiver(s, k - 1);
        if (r) this.calls.push({ local: t.text, token: t, func: scope.func, arg: firstArgName(s, k + 1), qualifiedRoot: r.root.text });
      } else if (dotted && MUTATORS.has(t.text)) {
        const r = receiver(s, k - 1);
        if (r) this.mutation({ kind: 'method', root: r.root, attr: null, viaAttr: r.viaAttr });
      } else if (!dotted && scope.kind === 'module') {
        this.importCalls.add(t.text);
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
    this.guard ??= this.guardHere(func);
    this.mutations.push({ place, func, ...this.guard });
  }

  // -- judging, at the end of the file --

  findings(): RawFinding[] {
    return [...this.apiFindings(), ...this.stateFindings()];
  }

  private isLocal(func: FuncInfo, name: string): boolean {
    return func.bound.has(name) && !func.globals.has(name) && !func.nonlocals.has(name);
  }

  /** A module-level name as seen from inside func: declared global, or bound at module level and not shadowed. */
  private isModuleLevel(func: FuncInfo, name: string): boolean {
    if (func.globals.has(name)) return true;
    for (let f: FuncInfo | null = func; f; f = f.parent) if (f.params.has(name) || this.isLocal(f, name) || f.nonlocals.has(name)) return false;
    return this.moduleNames.has(name);
  }

  private apiFindings(): RawFinding[] {
    const out: RawFinding[] = [];
    for (const call of this.calls) {
      const api = call.qualifiedRoot !== null
        ? (this.cimportRoots.has(call.qualifiedRoot) ? call.local : undefined)
        : (this.apis.get(call.local) ?? (this.isPxi && BORROWED[call.local] ? call.local : undefined));
      if (!api) continue;
      const rule = BORROWED[api]!;
      const finding: RawFinding = { ...span(call.token), rule, params: { api } };
      const { func, arg } = call;
      if (CONTAINER_RULES.has(rule) && func && arg) {
        const isPrivate = func.starstar.has(arg) || (this.isLocal(func, arg) && func.fresh.get(arg) === true && !func.escaped.has(arg));
        if (isPrivate) continue;
        if (this.isModuleLevel(func, arg)) {
          finding.severity = 'error';
          finding.detail = `${arg} is a module-level global`;
        }
      }
      out.push(finding);
    }
    return out;
  }

  private stateFindings(): RawFinding[] {
    const out: RawFinding[] = [];
    const reported = new Map<FuncInfo, Set<string>>(); // FT605 once per name and function
    for (const m of this.mutations) {
      const { place, func } = m;
      const name = place.root.text;
      if (this.isProtected(m.guard)) continue;
      if (m.gilBlock) {
        if (!m.gilBlock.reported && this.sharedByGilBlock(place, func)) {
          m.gilBlock.reported = true;
          out.push({ ...span(m.gilBlock.token), rule: 'FT602', detail: `it changes ${describe(place)}` });
        }
        continue; // a change the "with gil:" is meant to protect is FT602's, not FT605's
      }
      if (func.topLevel && this.importCalls.has(func.name)) continue;
      if (!this.isModuleState(place, func)) continue;
      const names = reported.get(func) ?? new Set<string>();
      reported.set(func, names);
      if (names.has(name)) continue;
      names.add(name);
      out.push({ ...span(place.root), rule: 'FT605', params: { name } });
    }
    return out;
  }

  /** FT602: inside `with gil:`, a write to something other threads can reach. */
  private sharedByGilBlock(place: Place, func: FuncInfo): boolean {
    const name = place.root.text;
    switch (place.kind) {
      case 'name':
        return func.globals.has(name);
      case 'attr':
      case 'method':
        return !this.isLocal(func, name);
      case 'subscript':
        // a plain parameter indexed (`out[i] = v`) is usually a buffer each thread writes its own part of
        return this.isModuleLevel(func, name) || (place.viaAttr && !this.isLocal(func, name));
    }
  }

  /** FT605: a global rebound, or a module-level container (or C array) changed in place. */
  private isModuleState(place: Place, func: FuncInfo): boolean {
    const name = place.root.text;
    if (place.kind === 'name') return func.globals.has(name);
    if (place.kind === 'attr' || place.viaAttr || !this.isModuleLevel(func, name)) return false;
    const kind = this.moduleNames.get(name);
    return kind === 'container' || (kind === 'cvar' && place.kind === 'subscript');
  }

  private isProtected(guard: Guard): boolean {
    if (guard.critical || guard.held) return true;
    return guard.locks.some((l) =>
      l.name !== undefined ? this.moduleNames.get(l.name) === 'lock' || LOCKISH.test(l.name) : this.lockAttrs.has(l.attr!) || LOCKISH.test(l.attr!),
    );
  }
}

/** What a module-level cdef declaration holds. */
function cdefKind(type: string, containerValue: boolean): VarKind {
  const words = type.split(/[\s.*&]+/).filter(Boolean);
  if (words.includes('const')) return 'other';
  const last = words[words.length - 1] ?? 'object';
  if (MUTEX_TYPES.has(last)) return 'lock';
  if (CONTAINER_TYPES.has(last) || containerValue) return 'container';
  return PYTHON_TYPES.has(last) || words.length === 0 ? 'other' : 'cvar';
}

/** The first argument of the call whose '(' is tokens[open], when it is a plain name (after casts). */
function firstArgName(s: Stmt, open: number): string | null {
  const close = s.pair[open]!;
  if (close <= open) return null;
  const k = skipCasts(s, open + 1, close);
  const end = s.tokens[k + 1];
  return isName(s.tokens[k]) && (k + 1 === close || end?.text === ',') ? s.tokens[k]!.text : null;
}

function describe(place: Place): string {
  const root = place.root.text;
  switch (place.kind) {
    case 'name':
      return root;
    case 'attr':
      return `${root}.${place.viaAttr ? '….' : ''}${place.attr}`;
    case 'subscript':
      return `${root}${place.viaAttr ? '.…' : ''}[…]`;
    case 'method':
      return `${root}${place.viaAttr ? '.…' : ''} (by a method call)`;
  }
}

function span(token: Token): Pick<RawFinding, 'line' | 'column' | 'endLine' | 'endColumn'> {
  return { line: token.line, column: token.column, endLine: token.line, endColumn: token.column + token.text.length };
}
