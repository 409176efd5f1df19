import type { Tree } from 'web-tree-sitter';
import { LineIndex } from '../line-index.js';
import { copySubtree, descendants, type SyntaxNode } from './syntax-node.js';

// What the C rules need from a tree-sitter tree: functions with their
// parameters and locals, calls, file-scope variables. Only the functions a
// rule could report on were parsed whole (c-relevance.ts); they are copied
// into plain JavaScript, which the rules read many times.

export { descendants };

export interface Variable {
  name: string;
  /** The declared type as written, e.g. "PyObject *", "static int", "PyMutex". */
  type: string;
  isStatic: boolean;
  isPointer: boolean;
  node: SyntaxNode;
}

export interface FunctionInfo {
  name: string;
  /** The definition's offsets, header included. */
  start: number;
  end: number;
  isStatic: boolean;
  /** The copied definition and body; functions no rule could report on are not copied. */
  node: SyntaxNode;
  body: SyntaxNode;
  /** The body's nodes in document order, flattened once: rules walk them many times. */
  nodes: SyntaxNode[];
  /** Its initialised declarators and assignments, in document order: where a local's value comes from. */
  assignments: SyntaxNode[];
  params: Variable[];
  /** Locals declared in the body, static ones included. */
  locals: Map<string, Variable>;
  calls: CallInfo[];
}

/** Every function's name and extent, copied or not (module declarations need PyInit_ functions). */
export interface FunctionExtent {
  name: string;
  start: number;
  bodyStart: number;
  bodyEnd: number;
}

export interface CallInfo {
  name: string;
  node: SyntaxNode;
  args: SyntaxNode[];
  fn: FunctionInfo | null;
}

export interface CModel {
  source: string;
  /** Functions the rules look into. */
  functions: FunctionInfo[];
  /** Every function definition. */
  extents: FunctionExtent[];
  /** Variables declared at file scope, by name. */
  globals: Map<string, Variable>;
}

interface TreeLike<T> {
  type: string;
  text: string;
  childForFieldName(name: string): T | null;
  namedChild(i: number): T | null;
}

/** The identifier a declarator declares, through pointers, arrays, functions and initialisers. */
export function declaredName<T extends TreeLike<T>>(declarator: T | null): { name: string; pointer: boolean; fn: T | null } | null {
  let pointer = false;
  let fn: T | null = null;
  let node = declarator;
  for (let guard = 0; node && guard < 50; guard++) {
    switch (node.type) {
      case 'identifier':
      case 'field_identifier':
        return { name: node.text, pointer, fn };
      case 'pointer_declarator':
        pointer = true;
        node = node.childForFieldName('declarator');
        break;
      case 'function_declarator':
        fn ??= node;
        node = node.childForFieldName('declarator');
        break;
      case 'array_declarator':
      case 'init_declarator':
      case 'attributed_declarator':
        node = node.childForFieldName('declarator') ?? node.namedChild(0);
        break;
      case 'parenthesized_declarator':
        node = node.namedChild(0);
        break;
      default:
        return null;
    }
  }
  return null;
}

function storageOf(decl: SyntaxNode): { isStatic: boolean; type: string } {
  let isStatic = false;
  const parts: string[] = [];
  for (const child of decl.children) {
    if (child.type === 'storage_class_specifier') {
      if (child.text === 'static') isStatic = true;
      parts.push(child.text);
    } else if (child.type === 'type_qualifier' || child.type.endsWith('type_identifier') || child.type === 'primitive_type' || child.type === 'sized_type_specifier' || child.type === 'struct_specifier') {
      parts.push(child.text);
    }
  }
  return { isStatic, type: parts.join(' ') };
}

function variablesOf(decl: SyntaxNode): Variable[] {
  const { isStatic, type } = storageOf(decl);
  const out: Variable[] = [];
  for (const d of decl.childrenForFieldName('declarator')) {
    const named = declaredName(d);
    if (!named || named.fn) continue;
    out.push({ name: named.name, type: `${type}${named.pointer ? ' *' : ''}`, isStatic, isPointer: named.pointer, node: d });
  }
  return out;
}

export function calleeName(call: SyntaxNode): string | null {
  const fn = call.childForFieldName('function');
  return fn?.type === 'identifier' ? fn.text : null;
}

export function callArgs(call: SyntaxNode): SyntaxNode[] {
  return call.childForFieldName('arguments')?.namedChildren.filter((n) => n.type !== 'comment') ?? [];
}

/** Strips casts and parentheses: `(PyObject *)(x)` is `x`. */
export function stripped(node: SyntaxNode): SyntaxNode {
  let n = node;
  for (let guard = 0; guard < 50; guard++) {
    const inner = n.type === 'cast_expression' ? n.childForFieldName('value') : n.type === 'parenthesized_expression' ? n.namedChild(0) : null;
    if (!inner) return n;
    n = inner;
  }
  return n;
}

/** Containers that hold top-level code: a confused parse (ERROR), extern "C" blocks, C++ namespaces, and C++ class bodies (their methods). */
const CONTAINERS = new Set(['ERROR', 'linkage_specification', 'declaration_list', 'namespace_definition', 'translation_unit', 'struct_specifier', 'class_specifier', 'union_specifier', 'field_declaration_list']);

/** Function definitions and file-scope declarations: the top of the tree, and the containers that hold more of it. */
function topLevel(root: SyntaxNode): { functions: SyntaxNode[]; declarations: SyntaxNode[] } {
  const functions: SyntaxNode[] = [];
  const declarations: SyntaxNode[] = [];
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const child of node.children) {
      if (child.type === 'function_definition') functions.push(child);
      else if (child.type === 'declaration') declarations.push(child);
      else if (CONTAINERS.has(child.type)) stack.push(child);
    }
  }
  functions.sort((a, b) => a.startIndex - b.startIndex);
  return { functions, declarations };
}

/**
 * `source` is the text that was parsed. Functions whose bodies were left
 * out of the parse (`skipped`, by the offset of their `{`: see
 * c-relevance.ts) keep their extent but are not looked into.
 */
export function buildModel(tree: Tree, source: string, skipped: ReadonlySet<number> = new Set(), lines = new LineIndex(source)): CModel {
  const top = topLevel(copySubtree(tree.rootNode, source, lines));
  const globals = new Map<string, Variable>();
  for (const node of top.declarations) for (const v of variablesOf(node)) globals.set(v.name, v);

  const defs: Array<{ node: SyntaxNode; body: SyntaxNode; extent: FunctionExtent; isStatic: boolean }> = [];
  for (const node of top.functions) {
    const body = node.childForFieldName('body');
    const named = declaredName(node.childForFieldName('declarator'));
    if (!body || !named) continue;
    const isStatic = /(^|\s)static\s/.test(source.slice(node.startIndex, body.startIndex).replace(/\([^]*$/, ''));
    defs.push({ node, body, extent: { name: named.name, start: node.startIndex, bodyStart: body.startIndex, bodyEnd: body.endIndex }, isStatic });
  }

  const functions: FunctionInfo[] = [];
  for (const d of defs) {
    if (skipped.has(d.extent.bodyStart)) continue;
    const { node, body } = d;
    const named = declaredName(node.childForFieldName('declarator'))!;
    const params: Variable[] = [];
    for (const p of named.fn?.childForFieldName('parameters')?.namedChildren ?? []) {
      if (p.type !== 'parameter_declaration') continue;
      const pn = declaredName(p.childForFieldName('declarator'));
      const type = p.childForFieldName('type')?.text ?? '';
      if (pn) params.push({ name: pn.name, type: `${type}${pn.pointer ? ' *' : ''}`, isStatic: false, isPointer: pn.pointer, node: p });
    }
    functions.push({ name: d.extent.name, start: d.extent.start, end: node.endIndex, isStatic: d.isStatic, node, body, nodes: [...descendants(body)], assignments: [], params, locals: new Map(), calls: [] });
  }
  // tree-sitter may nest a function inside another where macros confused it:
  // locals and calls belong to the innermost one.
  const innermost = (offset: number, outer: FunctionInfo) => functions.find((f) => f !== outer && f.start > outer.start && f.start <= offset && offset < f.end) ?? outer;
  const nested = functions.some((f) => functions.some((g) => g !== f && g.start > f.start && g.start < f.end));
  for (const fn of functions) {
    for (const node of fn.nodes) {
      if (nested && innermost(node.startIndex, fn) !== fn) continue;
      if (node.type === 'declaration') for (const v of variablesOf(node)) if (!fn.locals.has(v.name)) fn.locals.set(v.name, v);
      if (node.type === 'init_declarator' || node.type === 'assignment_expression') fn.assignments.push(node);
      if (node.type === 'call_expression') {
        const name = calleeName(node);
        if (name) fn.calls.push({ name, node, args: callArgs(node), fn });
      }
    }
  }
  return { source, functions, extents: defs.map((d) => d.extent), globals };
}
