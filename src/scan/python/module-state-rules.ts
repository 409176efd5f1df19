import type { Node } from 'web-tree-sitter';
import type { RawFinding } from '../analyzer.js';
import type { FileFacts } from './file-facts.js';
import { walkScope } from './locks.js';
import { mutations } from './mutations.js';
import { named, pushReversed, span, targetNames } from './nodes.js';
import { refersToModule, type Scope } from './scopes.js';

// The Python rules on module state, judged one function at a time:
//   FT801 a module-level mutable container mutated inside a function;
//   FT803 a `global` initialised lazily with check-then-set.
// Code under a lock is skipped for both.

// ---- FT801 ----

/** One finding per name per function: the first unguarded mutation of a module-level container. */
export function containerMutations(scope: Scope, facts: FileFacts): RawFinding[] {
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

// ---- FT803 ----

/** `global X` then `if X is None: X = ...` with the assignment not under a lock that re-checks X. */
export function lazyInits(scope: Scope, facts: FileFacts): RawFinding[] {
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
