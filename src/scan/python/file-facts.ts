import type { Node } from 'web-tree-sitter';
import { isLockConstructor, type Locks } from './locks.js';
import { mutations } from './mutations.js';
import { lastNamePart, named, pairTargets, pushReversed } from './nodes.js';
import { parameterNames, recordScopeNames, type Scope } from './scopes.js';

// The first pass over a Python file: its functions as scopes (with the
// names each binds, declares and mutates, and whether it is test or
// `__main__` code), and the module-level containers, sentinels and locks.

type Level = 'module' | 'class' | 'function';

/** What the first pass learns about the file as a whole. */
export interface FileFacts {
  /** Names bound at module level to a mutable container. */
  containers: Set<string>;
  /** Names bound at module level to `object()`, compared with `is` as "not yet set". */
  sentinels: Set<string>;
  locks: Locks;
  scopes: Scope[];
}

const CONTAINER_LITERALS = new Set([
  'list', 'dictionary', 'set', 'list_comprehension', 'dictionary_comprehension', 'set_comprehension',
]);
/** Builtins, only when called by their bare name (`np.list` is not the builtin). */
const CONTAINER_BUILTINS = new Set(['list', 'dict', 'set']);
/** collections types, bare (`from collections import deque`) or qualified. */
const CONTAINER_CLASSES = new Set(['defaultdict', 'OrderedDict', 'deque', 'Counter']);

/** The node types recordScopeNames and mutations look at. */
const FUNCTION_FACT_TYPES = new Set([
  'global_statement', 'nonlocal_statement', 'assignment', 'augmented_assignment', 'for_statement', 'delete_statement',
  'as_pattern', 'named_expression', 'function_definition', 'class_definition', 'import_statement', 'import_from_statement',
  'call',
]);

type FactsItem = { node: Node; parent: Node | null; level: Level; scope: Scope | null; skipped: boolean };

/**
 * Walks the whole file once, tracking whether code runs at module, class or
 * function level, and records module bindings, locks, and each function's
 * names. The parent travels with each node: Node.parent costs a walk from
 * the root.
 */
export function collectFacts(root: Node): FileFacts {
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

function isContainer(expr: Node): boolean {
  if (CONTAINER_LITERALS.has(expr.type)) return true;
  if (expr.type !== 'call') return false;
  const fn = expr.childForFieldName('function');
  if (fn?.type === 'identifier' && CONTAINER_BUILTINS.has(fn.text)) return true;
  const part = fn ? lastNamePart(fn) : null;
  return part !== null && CONTAINER_CLASSES.has(part);
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
