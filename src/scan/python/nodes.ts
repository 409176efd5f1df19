import type { Node } from 'web-tree-sitter';
import type { RawFinding } from '../analyzer.js';

// Readers of tree-sitter Python nodes that the Python modules share: named
// children, assignment targets, the last part of a dotted name, positions.

/** Pattern nodes whose elements are assignment targets: `a, (b, *c) = ...`. */
const TARGET_GROUPS = new Set([
  'pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern',
  'expression_list', 'tuple', 'list', 'parenthesized_expression', 'list_splat',
]);

/** Named children without comments, which tree-sitter may place anywhere. */
export function named(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

/** The leaves of an assignment target: identifiers, subscripts, attributes, through tuples, lists and stars. */
export function targets(pattern: Node | null): Node[] {
  const leaves: Node[] = [];
  const stack = pattern ? [pattern] : [];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (TARGET_GROUPS.has(node.type) || node.type === 'as_pattern_target') pushReversed(stack, named(node));
    else leaves.push(node);
  }
  return leaves;
}

export function targetNames(pattern: Node | null): string[] {
  return targets(pattern).filter((t) => t.type === 'identifier').map((t) => t.text);
}

/** Pairs targets with values: `x = v`, and element-wise `a, b = u, v` when the counts match. */
export function pairTargets(left: Node, value: Node): Array<[Node, Node]> {
  if (!TARGET_GROUPS.has(left.type)) return [[left, value]];
  const targetsList = named(left);
  const values = TARGET_GROUPS.has(value.type) ? named(value) : [];
  if (targetsList.length !== values.length) return [];
  return targetsList.map((t, i): [Node, Node] => [t, values[i]!]);
}

/** `lock` → lock, `self._lock` → _lock, `threading.Lock()` → Lock, `_locks[key]` → _locks; null for anything else. */
export function lastNamePart(expr: Node): string | null {
  let node: Node | null = expr;
  while (node?.type === 'call' || node?.type === 'subscript') {
    node = node.childForFieldName(node.type === 'call' ? 'function' : 'value');
  }
  if (node?.type === 'attribute') node = node.childForFieldName('attribute');
  return node?.type === 'identifier' ? node.text : null;
}

/** Pushes items so that they pop in order. A loop, not push(...items): a 100,000-element literal would exceed the argument limit. */
export function pushReversed<T>(stack: T[], items: T[]): void {
  for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]!);
}

/** 1-based position of a node, ending where `end` (default the node) ends. */
export function span(node: Node, end: Node = node): Pick<RawFinding, 'line' | 'column' | 'endLine' | 'endColumn'> {
  return {
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    endLine: end.endPosition.row + 1,
    endColumn: end.endPosition.column + 1,
  };
}
