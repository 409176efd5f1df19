import type { Node } from 'web-tree-sitter';
import { named, targets } from './nodes.js';

// What a Python statement or call changes in place: a container's item
// stores and deletions, a mutating method called on it, `X += ...`.

const MUTATING_METHODS = new Set([
  'append', 'extend', 'insert', 'pop', 'popitem', 'remove', 'clear', 'update', 'setdefault',
  'add', 'discard', 'appendleft', 'extendleft', 'sort', 'reverse',
]);

/** The containers a node changes in place, and where. `X += ...` counts only when X resolves to the module, i.e. under `global X`. */
export function mutations(node: Node): Array<{ name: string; site: Node }> {
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
