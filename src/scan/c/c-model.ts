import type { Node, Tree } from 'web-tree-sitter';

// What the C rules need from a tree-sitter tree: functions with their
// parameters and locals, calls, file-scope and static variables. Built once
// per file; the rules only read it.

export interface Variable {
  name: string;
  /** The declared type as written, e.g. "PyObject *", "static int", "PyMutex". */
  type: string;
  isStatic: boolean;
  isPointer: boolean;
  node: Node;
}

export interface FunctionInfo {
  name: string;
  node: Node;
  body: Node;
  isStatic: boolean;
  params: Variable[];
  /** Locals declared in the body, static ones included. */
  locals: Map<string, Variable>;
  calls: CallInfo[];
}

export interface CallInfo {
  name: string;
  node: Node;
  args: Node[];
  fn: FunctionInfo | null;
}

export interface CModel {
  tree: Tree;
  functions: FunctionInfo[];
  /** Variables declared at file scope, by name. */
  globals: Map<string, Variable>;
}

/** Descendants in document order, without recursion (deeply nested input must not overflow the stack). */
export function* descendants(node: Node): Generator<Node> {
  const cursor = node.walk();
  let depth = 0;
  while (true) {
    yield cursor.currentNode;
    if (cursor.gotoFirstChild()) {
      depth++;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (depth === 0 || !cursor.gotoParent()) return;
      depth--;
    }
    if (depth === 0) return;
  }
}

/** The identifier a declarator declares, through pointers, arrays, functions and initialisers. */
export function declaredName(declarator: Node | null): { name: string; pointer: boolean; fn: Node | null } | null {
  let pointer = false;
  let fn: Node | null = null;
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

function storageOf(decl: Node): { isStatic: boolean; type: string } {
  let isStatic = false;
  const parts: string[] = [];
  for (const child of decl.children) {
    if (!child) continue;
    if (child.type === 'storage_class_specifier') {
      if (child.text === 'static') isStatic = true;
      parts.push(child.text);
    } else if (child.type === 'type_qualifier' || child.type.endsWith('type_identifier') || child.type === 'primitive_type' || child.type === 'sized_type_specifier' || child.type === 'struct_specifier') {
      parts.push(child.text);
    }
  }
  return { isStatic, type: parts.join(' ') };
}

function variablesOf(decl: Node): Variable[] {
  const { isStatic, type } = storageOf(decl);
  const out: Variable[] = [];
  for (const d of decl.childrenForFieldName('declarator')) {
    if (!d) continue;
    const named = declaredName(d);
    if (!named || named.fn) continue;
    out.push({ name: named.name, type: `${type}${named.pointer ? ' *' : ''}`, isStatic, isPointer: named.pointer, node: d });
  }
  return out;
}

function insideFunction(node: Node): boolean {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition' || p.type === 'compound_statement') return true;
  return false;
}

export function calleeName(call: Node): string | null {
  const fn = call.childForFieldName('function');
  return fn?.type === 'identifier' ? fn.text : null;
}

export function callArgs(call: Node): Node[] {
  return call.childForFieldName('arguments')?.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment') ?? [];
}

export function buildModel(tree: Tree): CModel {
  const globals = new Map<string, Variable>();
  const functions: FunctionInfo[] = [];
  for (const node of descendants(tree.rootNode)) {
    if (node.type === 'declaration' && !insideFunction(node)) {
      for (const v of variablesOf(node)) globals.set(v.name, v);
    }
    if (node.type !== 'function_definition') continue;
    const body = node.childForFieldName('body');
    const named = declaredName(node.childForFieldName('declarator'));
    if (!body || !named) continue;
    const params: Variable[] = [];
    const paramList = named.fn?.childForFieldName('parameters');
    for (const p of paramList?.namedChildren ?? []) {
      if (!p || p.type !== 'parameter_declaration') continue;
      const pn = declaredName(p.childForFieldName('declarator'));
      const type = p.childForFieldName('type')?.text ?? '';
      if (pn) params.push({ name: pn.name, type: `${type}${pn.pointer ? ' *' : ''}`, isStatic: false, isPointer: pn.pointer, node: p });
    }
    functions.push({ name: named.name, node, body, isStatic: storageOf(node).isStatic, params, locals: new Map(), calls: [] });
  }
  // Locals and calls belong to the innermost function (tree-sitter may nest a
  // function inside another where macros confused it).
  for (const fn of functions) {
    for (const node of descendants(fn.body)) {
      if (node.type === 'declaration') for (const v of variablesOf(node)) if (!fn.locals.has(v.name)) fn.locals.set(v.name, v);
      if (node.type === 'call_expression') {
        const name = calleeName(node);
        if (name) fn.calls.push({ name, node, args: callArgs(node), fn });
      }
    }
  }
  return { tree, functions, globals };
}

/** The innermost function around a node. */
export function functionOf(model: CModel, node: Node): FunctionInfo | null {
  let best: FunctionInfo | null = null;
  for (const fn of model.functions) {
    if (fn.body.startIndex <= node.startIndex && node.endIndex <= fn.body.endIndex && (!best || fn.body.startIndex >= best.body.startIndex)) best = fn;
  }
  return best;
}

/** Strips casts and parentheses: `(PyObject *)(x)` is `x`. */
export function stripped(node: Node): Node {
  let n = node;
  for (let guard = 0; guard < 50; guard++) {
    if (n.type === 'parenthesized_expression' || n.type === 'cast_expression') {
      const inner = n.type === 'cast_expression' ? n.childForFieldName('value') : n.namedChild(0);
      if (!inner) return n;
      n = inner;
    } else if (n.type === 'pointer_expression' && n.child(0)?.text === '&') {
      return n;
    } else {
      return n;
    }
  }
  return n;
}
