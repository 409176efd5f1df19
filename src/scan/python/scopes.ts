import type { Node } from 'web-tree-sitter';
import { named, targetNames } from './nodes.js';

// Python's scopes: what each function binds and declares, and from that,
// whether a name used in a function is the module's.

/** A function or lambda: the unit FT801 and FT803 look at. Classes are not scopes for name lookup from methods. */
export interface Scope {
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

/**
 * Whether `name`, used in `scope`, is the module's: Python's rule that a
 * name bound in a function is local to it unless declared `global`, looked
 * up through enclosing functions (not classes) for closures.
 */
export function refersToModule(name: string, scope: Scope): boolean {
  for (let s: Scope | null = scope; s; s = s.parent) {
    if (s.globals.has(name)) return true;
    if (s.locals.has(name) || s.nonlocals.has(name)) return false;
  }
  return true;
}

/** Adds what a node in a function's own body binds or declares to that function's names. */
export function recordScopeNames(node: Node, scope: Scope): void {
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

export function parameterNames(params: Node | null): string[] {
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
