import type { Language, Node, TreeCursor } from 'web-tree-sitter';
import type { LineIndex, Position } from '../line-index.js';

// A plain JavaScript copy of a tree-sitter subtree. Every property read on a
// web-tree-sitter Node crosses into WebAssembly; the C rules walk function
// bodies many times, so each function that matters is copied once, with one
// cursor walk, and the rules read the copy.

let nextId = 1;

export class SyntaxNode {
  readonly id = nextId++;
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

const fieldNames = (language: Language) => language.fields;

/** Copies a subtree, walking it once with a cursor. */
export function copySubtree(node: Node, source: string, lines: LineIndex): SyntaxNode {
  const cursor: TreeCursor = node.walk();
  const kinds = kindsOf(node.tree.language);
  // Each cursor property is a call into WebAssembly: read the type id once and look the rest up here.
  const make = (field: string | null | undefined) => {
    // Ids beyond the table (ERROR is 65535) are asked for by name.
    const kind = kinds[cursor.nodeTypeId] ?? { type: cursor.nodeType, named: cursor.nodeIsNamed };
    // Punctuation and keywords without a field are never located by the rules: skip two calls for them.
    if (!kind.named && !field) return new SyntaxNode(kind.type, false, null, -1, -1, source, lines);
    return new SyntaxNode(kind.type, kind.named, field ?? null, cursor.startIndex, cursor.endIndex, source, lines);
  };
  const root = make(null);
  // The stack's top is the cursor's node. A cursor made by node.walk() cannot
  // leave that node, so the walk ends when the root has no more to give.
  const stack: SyntaxNode[] = [root];
  for (;;) {
    if (cursor.gotoFirstChild()) {
      const child = make(fieldNames(node.tree.language)[cursor.currentFieldId]);
      child.parent = stack[stack.length - 1]!;
      child.parent.children.push(child);
      stack.push(child);
      continue;
    }
    for (;;) {
      if (stack.length === 1) {
        cursor.delete();
        return root;
      }
      if (cursor.gotoNextSibling()) {
        stack.pop();
        const sibling = make(fieldNames(node.tree.language)[cursor.currentFieldId]);
        sibling.parent = stack[stack.length - 1]!;
        sibling.parent.children.push(sibling);
        stack.push(sibling);
        break;
      }
      cursor.gotoParent();
      stack.pop();
    }
  }
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
