import type { Node, Tree, TreeCursor } from 'web-tree-sitter';

// A depth-first walk over one subtree, for copying it into plain JavaScript
// (c/syntax-node.ts). web-tree-sitter's TreeCursor copies the cursor's state
// into WebAssembly memory before every call and back after it, eight memory
// accesses through a generic setValue/getValue, and a copy makes about seven
// calls per node: that glue, not tree-sitter, was most of a C file's scan time.
//
// Emscripten puts the module's exports on the options object given to
// Parser.init. Between calls nothing else touches the transfer buffer, so a
// walk can leave the cursor's state there and call the exports directly,
// about five times faster. That leans on web-tree-sitter's internals (the
// version is pinned in package.json), so the fast walk is used only when the
// exports are there and a walk of a small tree agrees with the public API's;
// otherwise every walk goes through TreeCursor.

export interface CursorWalk {
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  typeId(): number;
  fieldId(): number;
  startIndex(): number;
  endIndex(): number;
  /** Frees the cursor. */
  close(): void;
}

/** The exports of web-tree-sitter's WebAssembly module that a walk needs. */
interface Exports {
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
}

const EXPORTS = [
  '_ts_init',
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
] as const;

/** Handles web-tree-sitter keeps in numbered slots: a tree's address, a cursor's four words. */
type Slots = Record<0 | 1 | 2 | 3, number>;

let direct: { exports: Exports; transferBuffer: number } | null = null;

/**
 * Given the object that was passed to Parser.init, turns the fast walk on
 * when the exports it needs are there. Call it before any other use of the
 * module: it asks for the transfer buffer's address.
 */
export function useModuleExports(module: Record<string, unknown>): void {
  direct = null;
  if (!EXPORTS.every((name) => typeof module[name] === 'function') || !(module.HEAP32 instanceof Int32Array)) return;
  const exports = module as unknown as Exports;
  direct = { exports, transferBuffer: exports._ts_init() };
}

class PublicWalk implements CursorWalk {
  constructor(private readonly cursor: TreeCursor) {}
  gotoFirstChild = () => this.cursor.gotoFirstChild();
  gotoNextSibling = () => this.cursor.gotoNextSibling();
  gotoParent = () => this.cursor.gotoParent();
  typeId = () => this.cursor.nodeTypeId;
  fieldId = () => this.cursor.currentFieldId;
  startIndex = () => this.cursor.startIndex;
  endIndex = () => this.cursor.endIndex;
  close = () => this.cursor.delete();
}

class DirectWalk implements CursorWalk {
  private readonly tree: number;
  constructor(
    private readonly cursor: TreeCursor,
    tree: Tree,
    private readonly exports: Exports,
    private readonly transferBuffer: number,
  ) {
    this.tree = (tree as unknown as Slots)[0];
    // Any public call leaves the cursor's state in the transfer buffer.
    void cursor.nodeTypeId;
  }
  gotoFirstChild = () => this.exports._ts_tree_cursor_goto_first_child_wasm(this.tree) === 1;
  gotoNextSibling = () => this.exports._ts_tree_cursor_goto_next_sibling_wasm(this.tree) === 1;
  gotoParent = () => this.exports._ts_tree_cursor_goto_parent_wasm(this.tree) === 1;
  typeId = () => this.exports._ts_tree_cursor_current_node_type_id_wasm(this.tree);
  fieldId = () => this.exports._ts_tree_cursor_current_field_id_wasm(this.tree);
  startIndex = () => this.exports._ts_tree_cursor_start_index_wasm(this.tree);
  endIndex = () => this.exports._ts_tree_cursor_end_index_wasm(this.tree);
  close = () => {
    // The walk may have moved the cursor's stack: hand the current state back before freeing it.
    const slots = this.cursor as unknown as Slots;
    const heap = this.exports.HEAP32;
    const at = this.transferBuffer >> 2;
    slots[0] = heap[at]!;
    slots[1] = heap[at + 1]!;
    slots[2] = heap[at + 2]!;
    slots[3] = heap[at + 3]!;
    this.cursor.delete();
  };
}

/** A walk over `node` and its descendants; nothing else may call web-tree-sitter until it is closed. */
export function walkSubtree(node: Node): CursorWalk {
  const cursor = node.walk();
  return direct ? new DirectWalk(cursor, node.tree, direct.exports, direct.transferBuffer) : new PublicWalk(cursor);
}

/**
 * Visits every node of the walk's subtree in document order, the walk on
 * it, with its depth (the root's is 0); then closes the walk. The walk
 * cannot leave the subtree, so it ends when the root has no more to give.
 */
export function forEachNode(walk: CursorWalk, visit: (depth: number) => void): void {
  let depth = 0;
  for (;;) {
    visit(depth);
    if (walk.gotoFirstChild()) {
      depth++;
      continue;
    }
    for (;;) {
      if (depth === 0) {
        walk.close();
        return;
      }
      if (walk.gotoNextSibling()) break;
      walk.gotoParent();
      depth--;
    }
  }
}

/** Every node's depth, type, field and extent: the two walks are compared with it. */
export function walkSignature(walk: CursorWalk): string {
  const parts: number[] = [];
  forEachNode(walk, (depth) => parts.push(depth, walk.typeId(), walk.fieldId(), walk.startIndex(), walk.endIndex()));
  return parts.join(',');
}

/**
 * Keeps the fast walk only if it agrees with the public one on a parsed
 * sample; a web-tree-sitter whose internals moved falls back silently.
 */
export function checkDirectWalk(sample: Node): void {
  if (direct && walkSignature(walkSubtree(sample)) !== walkSignature(new PublicWalk(sample.walk()))) direct = null;
}

/** Whether walks go through the module's exports (for tests). */
export function directWalkEnabled(): boolean {
  return direct !== null;
}

/** Turns the fast walk off or back on (for tests that compare the two). */
export function withPublicWalk<T>(run: () => T): T {
  const saved = direct;
  direct = null;
  try {
    return run();
  } finally {
    direct = saved;
  }
}
