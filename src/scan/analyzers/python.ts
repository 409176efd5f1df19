import type { Node } from 'web-tree-sitter';
import type { Analyzer, FileAnalysis, RawFinding } from '../analyzer.js';
import { parse } from '../parsers.js';

// Pure-Python hazards, read from the tree-sitter Python tree:
//   FT801 a module-level mutable container mutated inside a function;
//   FT803 a `global` initialised lazily with check-then-set.
// Both are warnings about state that *may* be shared between threads, so the
// analyzer leans to silence: it reports only names that resolve to the
// module (Python's scoping rules, including closures), skips code under a
// lock, code that runs at import time or under `__main__`, and test code.
//
// Every traversal is iterative: tree-sitter recovers from any input, and a
// file of 10,000 nested parentheses must not overflow the JS stack.

type Level = 'module' | 'class' | 'function';

/** A function or lambda: the unit FT801 and FT803 look at. Classes are not scopes for name lookup from methods. */
interface Scope {
  /** Statements (def) or expression (lambda) that run when it is called. */
  body: Node;
  parent: Scope | null;
  /** In a pytest fixture or under `if __name__ == "__main__":`, where threads are not the concern. */
  skipped: boolean;
  /** Names it binds: parameters, assignment and loop targets, imports, nested definitions, `as` names, walrus. */
  locals: Set<string>;
  /** Names its own body mutates in place (see mutations), so FT801 walks only the functions that can have a finding. */
  mutated: Set<string>;
  globals: Set<string>;
  nonlocals: Set<string>;
}

/** What the first pass learns about the file as a whole. */
interface FileFacts {
  /** Names bound at module level to a mutable container. */
  containers: Set<string>;
  /** Names bound at module level to `object()`, compared with `is` as "not yet set". */
  sentinels: Set<string>;
  locks: Locks;
  scopes: Scope[];
}

/** Names known to hold a threading lock, besides the name heuristic (LOCKISH). */
interface Locks {
  /** Module- or class-level names bound to a lock constructor. */
  names: Set<string>;
  /** Attributes assigned a lock (`self._guard = threading.RLock()`, or a class-level lock read through `self`/`cls`). */
  attrs: Set<string>;
}

const MUTATING_METHODS = new Set([
  'append', 'extend', 'insert', 'pop', 'popitem', 'remove', 'clear', 'update', 'setdefault',
  'add', 'discard', 'appendleft', 'extendleft', 'sort', 'reverse',
]);

const CONTAINER_LITERALS = new Set([
  'list', 'dictionary', 'set', 'list_comprehension', 'dictionary_comprehension', 'set_comprehension',
]);
/** Builtins, only when called by their bare name (`np.list` is not the builtin). */
const CONTAINER_BUILTINS = new Set(['list', 'dict', 'set']);
/** collections types, bare (`from collections import deque`) or qualified. */
const CONTAINER_CLASSES = new Set(['defaultdict', 'OrderedDict', 'deque', 'Counter']);

const LOCK_CONSTRUCTORS = new Set(['Lock', 'RLock', 'Condition', 'Semaphore', 'BoundedSemaphore', 'allocate_lock']);
/**
 * The heuristic for `with X:` when X's binding is not in this file (a
 * parameter, an attribute set elsewhere): the last part of its name says
 * lock, mutex or condition (`_lock`, `self._state_mutex`, `cond`). A false
 * match only hides a finding, which suits rules that are meant to be quiet.
 */
const LOCKISH = /lock|mutex|cond/i;

/** The node types recordScopeNames and mutations look at. */
const FUNCTION_FACT_TYPES = new Set([
  'global_statement', 'nonlocal_statement', 'assignment', 'augmented_assignment', 'for_statement', 'delete_statement',
  'as_pattern', 'named_expression', 'function_definition', 'class_definition', 'import_statement', 'import_from_statement',
  'call',
]);

/** Definitions whose bodies are separate scopes: walks of one scope stop at them. */
const NESTED_SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);

/** Pattern nodes whose elements are assignment targets: `a, (b, *c) = ...`. */
const TARGET_GROUPS = new Set([
  'pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern',
  'expression_list', 'tuple', 'list', 'parenthesized_expression', 'list_splat',
]);

export const analyzePython: Analyzer = async (file) => {
  // Test suites are single-threaded unless they opt into pytest-run-parallel;
  // reporting their fixtures' module state would only be noise.
  if (isTestFile(file.path)) return { findings: [], declaresFreeThreading: null, notes: [] };
  try {
    const tree = await parse('python', file.text);
    try {
      return analyzeTree(tree.rootNode, file.path);
    } finally {
      tree.delete();
    }
  } catch (err) {
    return { findings: [], declaresFreeThreading: null, notes: [`could not analyse ${file.path} as Python: ${(err as Error).message}`] };
  }
};

/** `test_*.py`, `*_test.py` and `conftest.py`, pytest's default discovery names. */
function isTestFile(path: string): boolean {
  const base = path.split(/[\\/]/).pop() ?? '';
  return /^test_.*\.py$/.test(base) || /_test\.py$/.test(base) || base === 'conftest.py';
}

function analyzeTree(root: Node, path: string): FileAnalysis {
  const facts = collectFacts(root);
  const findings: RawFinding[] = [];
  for (const scope of facts.scopes) {
    if (scope.skipped) continue;
    findings.push(...containerMutations(scope, facts), ...lazyInits(scope, facts));
  }
  findings.sort((a, b) => a.line - b.line || a.column - b.column);
  const notes: string[] = [];
  const error = firstSyntaxError(root);
  if (error) notes.push(`${path}: could not parse line ${error.startPosition.row + 1} as Python; findings near it may be missing`);
  return { findings, declaresFreeThreading: null, notes };
}

// ---- FT801 ----

/** One finding per name per function: the first unguarded mutation of a module-level container. */
function containerMutations(scope: Scope, facts: FileFacts): RawFinding[] {
  const shared = (name: string): boolean => name !== '__all__' && facts.containers.has(name) && refersToModule(name, scope);
  if (![...scope.mutated].some(shared)) return [];
  const findings = new Map<string, RawFinding>();
  walkScope(scope.body, facts.locks, null, (node, locked) => {
    if (locked) return null;
    for (const { name, site } of mutations(node)) {
      if (!findings.has(name) && shared(name)) findings.set(name, { rule: 'FT801', ...span(site), params: { name } });
    }
    return null;
  });
  return [...findings.values()];
}

/** The containers a node changes in place, and where. `X += ...` counts only when X resolves to the module, i.e. under `global X`. */
function mutations(node: Node): Array<{ name: string; site: Node }> {
  switch (node.type) {
    case 'call': {
      // X.append(...), on the name itself: X[k].append(...) changes an element.
      const fn = node.childForFieldName('function');
      if (fn?.type !== 'attribute') return [];
      const object = fn.childForFieldName('object');
      const method = fn.childForFieldName('attribute')?.text ?? '';
      return object?.type === 'identifier' && MUTATING_METHODS.has(method) ? [{ name: object.text, site: node }] : [];
    }
    case 'assignment':
      return subscriptTargets(node.childForFieldName('left'));
    case 'delete_statement':
      return subscriptTargets(named(node)[0] ?? null);
    case 'augmented_assignment': {
      const left = node.childForFieldName('left');
      if (left?.type === 'identifier') return [{ name: left.text, site: node }];
      return subscriptTargets(left);
    }
    default:
      return [];
  }
}

/** `X[k]` among assignment or deletion targets: an item store into X itself (`X[k][j] = v` changes an element, not X). */
function subscriptTargets(pattern: Node | null): Array<{ name: string; site: Node }> {
  return targets(pattern).flatMap((t) => {
    const value = t.type === 'subscript' ? t.childForFieldName('value') : null;
    return value?.type === 'identifier' ? [{ name: value.text, site: t }] : [];
  });
}

// ---- FT803 ----

/** `global X` then `if X is None: X = ...` with the assignment not under a lock that re-checks X. */
function lazyInits(scope: Scope, facts: FileFacts): RawFinding[] {
  const { globals } = scope;
  if (globals.size === 0) return [];
  const findings = new Map<string, RawFinding>();
  walkScope(scope.body, facts.locks, null, (node, locked) => {
    if (locked || node.type !== 'if_statement') return null;
    const condition = node.childForFieldName('condition');
    const consequence = node.childForFieldName('consequence');
    if (!condition || !consequence) return null;
    for (const name of uninitialisedTests(condition, facts.sentinels)) {
      if (globals.has(name) && !findings.has(name) && assignsUnguarded(consequence, name, facts)) {
        findings.set(name, { rule: 'FT803', ...span(node, condition), params: { name } });
      }
    }
    return null;
  });
  return [...findings.values()];
}

/**
 * Whether the block assigns `name` where two threads that both passed the
 * enclosing check can both get: outside any lock, or under a lock taken
 * inside the check without testing `name` again (the double-checked form
 * re-tests it, and is fine).
 */
function assignsUnguarded(block: Node, name: string, facts: FileFacts): boolean {
  let unguarded = false;
  // The context is whether a test of `name` has been made while holding a lock.
  walkScope(block, facts.locks, false, (node, locked, rechecked) => {
    if (node.type === 'assignment' && targetNames(node.childForFieldName('left')).includes(name) && !(locked && rechecked)) {
      unguarded = true;
    }
    if (locked && node.type === 'if_statement') {
      const condition = node.childForFieldName('condition');
      if (condition && uninitialisedTests(condition, facts.sentinels).includes(name)) return true;
    }
    return rechecked;
  });
  return unguarded;
}

/** Names a condition tests for "not set yet": `X is None`, `X == None`, `not X`, `X is _SENTINEL`, joined by and/or. `k not in X` is a different shape (memoisation). */
function uninitialisedTests(condition: Node, sentinels: Set<string>): string[] {
  const names: string[] = [];
  const stack = [condition];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'parenthesized_expression' || node.type === 'boolean_operator') {
      pushReversed(stack, named(node));
    } else if (node.type === 'not_operator') {
      const argument = node.childForFieldName('argument');
      if (argument?.type === 'identifier') names.push(argument.text);
    } else if (node.type === 'comparison_operator') {
      const operands = named(node);
      const operators = node.childrenForFieldName('operators');
      const op = operators.length === 1 ? operators[0]?.type : undefined;
      const [a, b] = operands;
      if (operands.length !== 2 || !a || !b || (op !== 'is' && op !== '==')) continue;
      const unset = (n: Node): boolean => n.type === 'none' || (op === 'is' && n.type === 'identifier' && sentinels.has(n.text));
      if (a.type === 'identifier' && unset(b)) names.push(a.text);
      else if (b.type === 'identifier' && unset(a)) names.push(b.text);
    }
  }
  return names;
}

// ---- walking one scope, with lock tracking ----

/**
 * Visits every node of one scope in source order, not entering nested
 * functions, lambdas or classes (they are scopes of their own; a lambda
 * whose body is a lambda has nothing of its own to walk). `locked`
 * says whether the node runs with a lock held: inside `with <lock>:`, inside
 * `if <x>.acquire(...):`, or after `<x>.acquire()` in the same block and up to
 * the statement that calls `<x>.release()` (which is often a try/finally).
 * Helpers named like it count too: `_acquireLock()`…`_releaseLock()`.
 * `visit` returns the context its children see.
 */
function walkScope<C>(root: Node, locks: Locks, context: C, visit: (node: Node, locked: boolean, context: C) => C): void {
  const stack: Array<{ node: Node; locked: boolean; context: C }> = [{ node: root, locked: false, context }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { node, locked } = item;
    const inner = visit(node, locked, item.context);
    if (NESTED_SCOPES.has(node.type)) continue;
    const children = named(node);
    const held = locked ? children.map(() => true) : lockedChildren(node, children, locks);
    pushReversed(stack, children.map((child, i) => ({ node: child, locked: held[i] ?? false, context: inner })));
  }
}

/** Which children of an unlocked node run with a lock held. */
function lockedChildren(node: Node, children: Node[], locks: Locks): boolean[] {
  switch (node.type) {
    case 'with_statement': {
      const body = node.childForFieldName('body');
      const guarded = withItems(node).some((e) => isLock(e, locks));
      return children.map((c) => guarded && body !== null && c.id === body.id);
    }
    case 'if_statement': {
      const condition = node.childForFieldName('condition');
      const consequence = node.childForFieldName('consequence');
      const guarded = condition !== null && acquiredLock(condition) !== null;
      return children.map((c) => guarded && consequence !== null && c.id === consequence.id);
    }
    case 'block': {
      let held: string | null = null;
      return children.map((c) => {
        if (held !== null) {
          if (releases(c, held)) held = null;
          return true;
        }
        held = acquiredLock(statementExpression(c));
        return false;
      });
    }
    default:
      return children.map(() => false);
  }
}

/** The context expressions of a with statement (`with a, b as c:` → a, b). */
function withItems(node: Node): Node[] {
  const clause = named(node).find((c) => c.type === 'with_clause');
  return (clause ? named(clause) : [])
    .map((item) => item.childForFieldName('value'))
    .map((value) => (value?.type === 'as_pattern' ? named(value)[0] ?? null : value))
    .filter((e): e is Node => e !== null);
}

function isLock(expr: Node, locks: Locks): boolean {
  const part = lastNamePart(expr);
  if (part === null) return false;
  if (LOCKISH.test(part)) return true;
  return expr.type === 'identifier' ? locks.names.has(part) : locks.attrs.has(part);
}

/** The expression a statement evaluates: the call in `lock.acquire()` or in `ok = lock.acquire(False)`. */
function statementExpression(statement: Node): Node | null {
  if (statement.type !== 'expression_statement') return null;
  const expr = named(statement)[0] ?? null;
  return expr?.type === 'assignment' ? expr.childForFieldName('right') : expr;
}

/** For a call that takes a lock, the receiver that names it (see lockCall). */
function acquiredLock(expr: Node | null): string | null {
  return expr ? lockCall(expr, 'acquire') : null;
}

/** Whether a statement releases `lock` anywhere inside it (usually in a finally). */
function releases(statement: Node, lock: string): boolean {
  const stack = [statement];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (lockCall(node, 'release') === lock) return true;
    pushReversed(stack, named(node));
  }
  return false;
}

/**
 * For a call whose name contains the verb, the receiver that pairs an
 * acquire with its release: `lock.acquire()` → "lock", `_imp.acquire_lock()`
 * → "_imp", and "" for a helper function such as logging's `_acquireLock()`.
 */
function lockCall(call: Node, verb: 'acquire' | 'release'): string | null {
  if (call.type !== 'call') return null;
  const fn = call.childForFieldName('function');
  const part = fn ? lastNamePart(fn) : null;
  if (part === null || !part.toLowerCase().includes(verb)) return null;
  return fn?.type === 'attribute' ? fn.childForFieldName('object')?.text ?? null : '';
}

// ---- the first pass: scopes, module containers, locks ----

type FactsItem = { node: Node; parent: Node | null; level: Level; scope: Scope | null; skipped: boolean };

/**
 * Walks the whole file once, tracking whether code runs at module, class or
 * function level, and records module bindings, locks, and each function's
 * names. The parent travels with each node: Node.parent costs a walk from
 * the root.
 */
function collectFacts(root: Node): FileFacts {
  const facts: FileFacts = {
    containers: new Set(),
    sentinels: new Set(),
    locks: { names: new Set(), attrs: new Set() },
    scopes: [],
  };
  const stack: FactsItem[] = [{ node: root, parent: null, level: 'module', scope: null, skipped: false }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { node, level, scope } = item;
    // Node.type is a call into wasm; most nodes are leaves that matter to nothing here.
    const type = node.type;
    if (level === 'function' && scope && FUNCTION_FACT_TYPES.has(type)) {
      recordScopeNames(node, scope);
      for (const { name } of mutations(node)) scope.mutated.add(name);
    }
    if (type === 'assignment' && item.parent?.type !== 'assignment') recordBindings(node, level, facts);
    pushReversed(stack, childItems(item, type, facts));
  }
  return facts;
}

/** The named children of a node, each running where the node does except the one child (a body) that opens a new level. */
function childItems(item: FactsItem, type: string, facts: FileFacts): FactsItem[] {
  const { node } = item;
  let opened: { child: Node; as: Partial<FactsItem> } | null = null;
  if (type === 'function_definition' || type === 'lambda') {
    const body = node.childForFieldName('body');
    if (body) {
      const scope = newScope(node, body, item);
      facts.scopes.push(scope);
      // Decorators and default values run in the enclosing scope; only the body is the function's.
      opened = { child: body, as: { level: 'function', scope, skipped: scope.skipped } };
    }
  } else if (type === 'class_definition') {
    const body = node.childForFieldName('body');
    if (body) opened = { child: body, as: { level: 'class' } };
  } else if (type === 'if_statement' && item.level === 'module' && isMainGuard(node)) {
    const consequence = node.childForFieldName('consequence');
    if (consequence) opened = { child: consequence, as: { skipped: true } };
  }
  return node.namedChildren
    .filter((c): c is Node => c !== null)
    .map((c) => ({ ...item, ...(opened && c.id === opened.child.id ? opened.as : {}), node: c, parent: node }));
}

function newScope(node: Node, body: Node, where: FactsItem): Scope {
  return {
    body,
    parent: where.scope,
    skipped: where.skipped || isFixture(node, where.parent),
    locals: new Set(parameterNames(node.childForFieldName('parameters'))),
    mutated: new Set(),
    globals: new Set(),
    nonlocals: new Set(),
  };
}

/** Records what an assignment chain (`a = b = value`, `a, b = x, y`) binds to containers, sentinels and locks. */
function recordBindings(top: Node, level: Level, facts: FileFacts): void {
  const lefts: Node[] = [];
  let value: Node | null = top;
  while (value?.type === 'assignment') {
    const left = value.childForFieldName('left');
    if (left) lefts.push(left);
    value = value.childForFieldName('right');
  }
  if (!value) return;
  for (const left of lefts) {
    for (const [target, bound] of pairTargets(left, value)) {
      if (target.type === 'identifier') {
        const name = target.text;
        if (level === 'module' && isContainer(bound)) facts.containers.add(name);
        if (level === 'module' && isSentinel(bound)) facts.sentinels.add(name);
        if (level === 'module' && isLockConstructor(bound)) facts.locks.names.add(name);
        // A class-level lock is read as self._lock or cls._lock.
        if (level === 'class' && isLockConstructor(bound)) facts.locks.attrs.add(name);
      } else if (target.type === 'attribute' && isLockConstructor(bound)) {
        const attr = target.childForFieldName('attribute');
        if (attr) facts.locks.attrs.add(attr.text);
      }
    }
  }
}

/** Pairs targets with values: `x = v`, and element-wise `a, b = u, v` when the counts match. */
function pairTargets(left: Node, value: Node): Array<[Node, Node]> {
  if (!TARGET_GROUPS.has(left.type)) return [[left, value]];
  const targetsList = named(left);
  const values = TARGET_GROUPS.has(value.type) ? named(value) : [];
  if (targetsList.length !== values.length) return [];
  return targetsList.map((t, i): [Node, Node] => [t, values[i]!]);
}

function isContainer(expr: Node): boolean {
  if (CONTAINER_LITERALS.has(expr.type)) return true;
  if (expr.type !== 'call') return false;
  const fn = expr.childForFieldName('function');
  if (fn?.type === 'identifier' && CONTAINER_BUILTINS.has(fn.text)) return true;
  const part = fn ? lastNamePart(fn) : null;
  return part !== null && CONTAINER_CLASSES.has(part);
}

function isLockConstructor(expr: Node): boolean {
  if (expr.type !== 'call') return false;
  const fn = expr.childForFieldName('function');
  const part = fn ? lastNamePart(fn) : null;
  return part !== null && LOCK_CONSTRUCTORS.has(part);
}

/** `object()`: a unique value that means "not set yet". */
function isSentinel(expr: Node): boolean {
  if (expr.type !== 'call' || expr.childForFieldName('function')?.text !== 'object') return false;
  const args = expr.childForFieldName('arguments');
  return args !== null && named(args).length === 0;
}

/** `@pytest.fixture`, `@fixture`, `@pytest.fixture(scope=...)`, `@pytest_asyncio.fixture`. */
function isFixture(def: Node, parent: Node | null): boolean {
  if (def.type !== 'function_definition' || parent?.type !== 'decorated_definition') return false;
  return named(parent)
    .filter((d) => d.type === 'decorator')
    .some((d) => {
      const expr = named(d)[0];
      return expr !== undefined && lastNamePart(expr) === 'fixture';
    });
}

/** `if __name__ == "__main__":`, either way round. */
function isMainGuard(node: Node): boolean {
  const condition = node.childForFieldName('condition');
  if (condition?.type !== 'comparison_operator') return false;
  const operands = named(condition).map((n) => (n.type === 'string' ? n.text.replace(/^['"]|['"]$/g, '') : n.text));
  return operands.length === 2 && operands.includes('__name__') && operands.includes('__main__');
}

// ---- name resolution ----

/**
 * Whether `name`, used in `scope`, is the module's: Python's rule that a
 * name bound in a function is local to it unless declared `global`, looked
 * up through enclosing functions (not classes) for closures.
 */
function refersToModule(name: string, scope: Scope): boolean {
  for (let s: Scope | null = scope; s; s = s.parent) {
    if (s.globals.has(name)) return true;
    if (s.locals.has(name) || s.nonlocals.has(name)) return false;
  }
  return true;
}

/** Adds what a node in a function's own body binds or declares to that function's names. */
function recordScopeNames(node: Node, scope: Scope): void {
  const bind = (names: string[]): void => names.forEach((n) => scope.locals.add(n));
  switch (node.type) {
    case 'global_statement':
      named(node).forEach((n) => scope.globals.add(n.text));
      break;
    case 'nonlocal_statement':
      named(node).forEach((n) => scope.nonlocals.add(n.text));
      break;
    case 'assignment':
    case 'augmented_assignment':
    case 'for_statement':
      bind(targetNames(node.childForFieldName('left')));
      break;
    case 'delete_statement':
      bind(targetNames(named(node)[0] ?? null));
      break;
    case 'as_pattern':
      bind(targetNames(node.childForFieldName('alias')));
      break;
    case 'named_expression':
    case 'function_definition':
    case 'class_definition':
      bind(targetNames(node.childForFieldName('name')));
      break;
    case 'import_statement':
    case 'import_from_statement':
      bind(importedNames(node));
      break;
  }
}

function parameterNames(params: Node | null): string[] {
  if (!params) return [];
  return named(params).flatMap((p) => {
    // `x`, `x: T`, `x=1`, `x: T = 1`, `*args`, `**kw`, `*args: T`: the first identifier is the name.
    let node: Node | null = p.childForFieldName('name') ?? p;
    while (node && node.type !== 'identifier') node = named(node)[0] ?? null;
    return node ? [node.text] : [];
  });
}

/** `import a.b` binds a; `import a.b as c` and `from m import x as c` bind c; `from m import x` binds x. */
function importedNames(node: Node): string[] {
  return node.childrenForFieldName('name').flatMap((n) => {
    if (!n) return [];
    if (n.type === 'aliased_import') return targetNames(n.childForFieldName('alias'));
    const parts = named(n);
    const part = node.type === 'import_statement' ? parts[0] : parts[parts.length - 1];
    return part ? [part.text] : [];
  });
}

// ---- tree helpers ----

/** Named children without comments, which tree-sitter may place anywhere. */
function named(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

/** The leaves of an assignment target: identifiers, subscripts, attributes, through tuples, lists and stars. */
function targets(pattern: Node | null): Node[] {
  const leaves: Node[] = [];
  const stack = pattern ? [pattern] : [];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (TARGET_GROUPS.has(node.type) || node.type === 'as_pattern_target') pushReversed(stack, named(node));
    else leaves.push(node);
  }
  return leaves;
}

function targetNames(pattern: Node | null): string[] {
  return targets(pattern).filter((t) => t.type === 'identifier').map((t) => t.text);
}

/** `lock` → lock, `self._lock` → _lock, `threading.Lock()` → Lock, `_locks[key]` → _locks; null for anything else. */
function lastNamePart(expr: Node): string | null {
  let node: Node | null = expr;
  while (node?.type === 'call' || node?.type === 'subscript') {
    node = node.childForFieldName(node.type === 'call' ? 'function' : 'value');
  }
  if (node?.type === 'attribute') node = node.childForFieldName('attribute');
  return node?.type === 'identifier' ? node.text : null;
}

/** Pushes items so that they pop in order. A loop, not push(...items): a 100,000-element literal would exceed the argument limit. */
function pushReversed<T>(stack: T[], items: T[]): void {
  for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]!);
}

/** 1-based position of a node, ending where `end` (default the node) ends. */
function span(node: Node, end: Node = node): Pick<RawFinding, 'line' | 'column' | 'endLine' | 'endColumn'> {
  return {
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    endLine: end.endPosition.row + 1,
    endColumn: end.endPosition.column + 1,
  };
}

/** The first ERROR or MISSING node, found by descending only into subtrees that contain one. */
function firstSyntaxError(root: Node): Node | null {
  let node: Node | null = root.hasError ? root : null;
  while (node && !node.isError && !node.isMissing) {
    node = node.children.find((c): c is Node => c !== null && (c.hasError || c.isMissing)) ?? null;
  }
  return node;
}
