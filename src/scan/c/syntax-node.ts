import type { Language, Node } from 'web-tree-sitter';
import { forEachNode, walkSubtree } from '../cursor-walk.js';
import type { LineIndex, Position } from '../line-index.js';

// A plain JavaScript copy of a tree-sitter tree. Every property read on a
// web-tree-sitter Node crosses into WebAssembly, and the C rules walk
// function bodies many times, so the parsed tree is copied once, in one
// walk (cursor-walk.ts), and the rules read the copy.

export class SyntaxNode {
  parent: SyntaxNode | null = null;
  readonly children: SyntaxNode[] = [];

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    /** This node's field name in its parent, if any. */
    readonly field: string | null,
    readonly startIndex: number,
    readonly endIndex: number,
    private readonly source: string,
    private readonly lines: LineIndex,
  ) {}

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }
  get startPosition(): Position {
    return this.lines.position(this.startIndex);
  }
  get endPosition(): Position {
    return this.lines.position(this.endIndex);
  }
  get namedChildren(): SyntaxNode[] {
    return this.children.filter((c) => c.isNamed);
  }
  child(i: number): SyntaxNode | null {
    return this.children[i] ?? null;
  }
  namedChild(i: number): SyntaxNode | null {
    return this.namedChildren[i] ?? null;
  }
  childForFieldName(field: string): SyntaxNode | null {
    return this.children.find((c) => c.field === field) ?? null;
  }
  childrenForFieldName(field: string): SyntaxNode[] {
    return this.children.filter((c) => c.field === field);
  }
}

const kindTables = new WeakMap<Language, Array<{ type: string; named: boolean }>>();

function kindsOf(language: Language): Array<{ type: string; named: boolean }> {
  let kinds = kindTables.get(language);
  if (!kinds) {
    kinds = [];
    for (let id = 0; id < language.nodeTypeCount; id++) kinds.push({ type: language.nodeTypeForId(id) ?? 'ERROR', named: language.nodeTypeIsNamed(id) });
    kindTables.set(language, kinds);
  }
  return kinds;
}

const ERROR_KIND = { type: 'ERROR', named: true };

/**
 * Copies a subtree, walking it once. Punctuation and keywords that fill no
 * field are left out: no rule looks at them, and they are a third of a tree.
 */
export function copySubtree(node: Node, source: string, lines: LineIndex): SyntaxNode {
  const language = node.tree.language;
  const kinds = kindsOf(language);
  const fields = language.fields;
  const walk = walkSubtree(node);
  // Each read is a call into WebAssembly: read the type id once and look the rest up here.
  const copy = (keepAnyway: boolean): SyntaxNode | null => {
    // The only id beyond the table is ERROR's (65535).
    const kind = kinds[walk.typeId()] ?? ERROR_KIND;
    const fieldId = walk.fieldId();
    const field = fieldId === 0 ? null : (fields[fieldId] ?? null);
    if (!keepAnyway && !kind.named && !field) return null;
    return new SyntaxNode(kind.type, kind.named, field, walk.startIndex(), walk.endIndex(), source, lines);
  };
  // By depth, the copies of the nodes the walk is in; null for one left out (and so its descendants).
  const path: Array<SyntaxNode | null> = [];
  forEachNode(walk, (depth) => {
    path.length = depth;
    const parent = depth === 0 ? null : (path[depth - 1] ?? null);
    const made = depth === 0 ? copy(true) : parent && copy(false);
    if (made && parent) {
      made.parent = parent;
      parent.children.push(made);
    }
    path.push(made);
  });
  return path[0]!;
}

/** Descendants in document order, the node itself first, without recursion. */
export function* descendants(node: SyntaxNode): Generator<SyntaxNode> {
  const stack: SyntaxNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    yield n;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
}
