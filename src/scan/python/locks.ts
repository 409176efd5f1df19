import type { Node } from 'web-tree-sitter';
import { lastNamePart, named, pushReversed } from './nodes.js';

// Lock detection in Python code: which names hold a threading lock, and,
// walking one scope, which code runs with a lock held: inside `with <lock>:`,
// inside `if <x>.acquire(...):`, or between `<x>.acquire()` and the
// statement that releases it.

/** Names known to hold a threading lock, besides the name heuristic (LOCKISH). */
export interface Locks {
  /** Module- or class-level names bound to a lock constructor. */
  names: Set<string>;
  /** Attributes assigned a lock (`self._guard = threading.RLock()`, or a class-level lock read through `self`/`cls`). */
  attrs: Set<string>;
}

const LOCK_CONSTRUCTORS = new Set(['Lock', 'RLock', 'Condition', 'Semaphore', 'BoundedSemaphore', 'allocate_lock']);
/**
 * The heuristic for `with X:` when X's binding is not in this file (a
 * parameter, an attribute set elsewhere): the last part of its name says
 * lock, mutex or condition (`_lock`, `self._state_mutex`, `cond`). A false
 * match only hides a finding, which suits rules that are meant to be quiet.
 */
const LOCKISH = /lock|mutex|cond/i;

/** Definitions whose bodies are separate scopes: walks of one scope stop at them. */
const NESTED_SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);

export function isLockConstructor(expr: Node): boolean {
  if (expr.type !== 'call') return false;
  const fn = expr.childForFieldName('function');
  const part = fn ? lastNamePart(fn) : null;
  return part !== null && LOCK_CONSTRUCTORS.has(part);
}

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
export function walkScope<C>(root: Node, locks: Locks, context: C, visit: (node: Node, locked: boolean, context: C) => C): void {
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
