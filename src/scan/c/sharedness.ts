import type { SyntaxNode as Node } from './syntax-node.js';
import type { Severity } from '../rules.js';
import { callArgs, calleeName, stripped, type CModel, type FunctionInfo } from './c-model.js';

// Whether a container another thread could reach is what makes a borrowed
// reference or an unlocked iteration dangerous. The CPython HOWTO's own
// examples of harmless uses are private containers: a dict the function
// just made, a call's args tuple and kwargs dict. Each container expression
// gets a level:
// - private: made in this function by a constructor and not yet handed out
//   (with the own dict of a module made so); or a parameter named like a
//   call's own args tuple or kwargs dict (args, kwargs, kwds, kw, kwnames);
// - argument: a parameter (the caller may share it);
// - reachable: a struct field, an attribute, a module dict;
// - global: a static or file-scope variable.

export type Sharedness = 'private' | 'argument' | 'reachable' | 'global';

/** The severity a graded rule reports at; null means "not reported". */
export function gradedSeverity(level: Sharedness): Severity | null {
  return level === 'private' ? null : level === 'global' ? 'error' : 'warning';
}

export function describeSharedness(level: Sharedness, name: string): string {
  switch (level) {
    case 'global':
      return `${name} is a static or global, shared by every thread`;
    case 'reachable':
      return `${name} is reachable from other objects`;
    case 'argument':
      return `${name} comes from the caller, who may share it`;
    default:
      return `${name} is private to this call`;
  }
}

/** Calls that return a new container nobody else has seen yet. */
const CONSTRUCTORS = new Set([
  'PyList_New', 'PyDict_New', 'PyTuple_New', 'PySet_New', 'PyFrozenSet_New', 'PyList_AsTuple', 'PySequence_List', 'PySequence_Tuple',
  'PyDict_Copy', 'Py_BuildValue', 'PyTuple_Pack', 'PyList_GetSlice', 'PyTuple_GetSlice', 'PyDict_Items', 'PyDict_Keys', 'PyDict_Values',
  'PyMapping_Items', 'PyMapping_Keys', 'PyMapping_Values', '_PyDict_NewPresized', 'PyDict_FromKeys', 'PyCell_New',
]);
/** Calls that return a new module: private until the function hands it out (PyInit_ returns it). */
const MODULE_CONSTRUCTORS = new Set(['PyModule_Create', 'PyModule_Create2', 'PyModule_New', 'PyModule_NewObject', 'PyModule_FromDefAndSpec', 'PyModule_FromDefAndSpec2']);
/** Calls that return their argument (or a view of it): the container is as shared as the argument. */
const ALIASES = new Set(['PySequence_Fast', 'Py_NewRef', 'Py_XNewRef', 'Py_INCREF', 'Py_XINCREF']);
/** Calls that return a dict their argument owns: a module's or an object's own dict is as shared as its owner. */
const OWNED_DICTS = new Set(['PyModule_GetDict', 'PyObject_GenericGetDict']);
/** Calls whose result hangs off another object. */
const REACHABLE = /^(PyModule_GetDict|PyModule_GetState|PyObject_GetAttr\w*|PyObject_GenericGetDict|PyEval_Get\w+|PyImport_GetModuleDict|PyThreadState_GetDict|PyType_GetDict|PySys_GetObject|PyDict_GetItem\w*|PyList_GetItem\w*|PyList_GET_ITEM|PyTuple_GetItem|PyTuple_GET_ITEM|PyObject_GetItem)$/;
/** Python calls and stores: passing a container to these hands it to code or objects other threads may reach. */
const ESCAPES = /^(PyObject_(Call|Vectorcall|SetAttr|SetItem|GenericSetAttr)\w*|PyModule_Add\w*|PyList_(Append|Insert|SetItem|SET_ITEM)|PyTuple_(SetItem|SET_ITEM)|PyDict_SetItem\w*|PySet_Add|PyCell_Set|PyCapsule_New|Py_BuildValue)$/;

const PRIVATE_PARAM_NAMES = new Set(['args', 'kwargs', 'kwds', 'kw', 'kwnames']);

export class SharednessClassifier {
  /** Static functions whose parameter i is private at every call site, by function name. */
  private readonly privateParams = new Map<string, Set<number>>();

  constructor(private readonly model: CModel) {
    this.findPrivateParams();
  }

  /**
   * A static function only this file calls, with a parameter that receives a
   * private container at every call, keeps that container private: the
   * helper netifaces' add_to_family() gets a dict its callers just made.
   */
  private findPrivateParams(): void {
    const byName = new Map(this.model.functions.map((f) => [f.name, f]));
    const callSites = new Map<string, Array<{ call: Node; caller: FunctionInfo }>>();
    for (const fn of this.model.functions) {
      for (const call of fn.calls) {
        if (!byName.has(call.name)) continue;
        callSites.set(call.name, [...(callSites.get(call.name) ?? []), { call: call.node, caller: fn }]);
      }
    }
    // A function whose address is taken (a method table, a callback) has callers this file does not show.
    const helpers = [...callSites.keys()].filter((name) => byName.get(name)!.isStatic);
    const referenced = new Set<string>();
    if (helpers.length > 0) for (const m of this.model.source.matchAll(new RegExp(`\\b(?:${helpers.join('|')})\\b(?!\\s*\\()`, 'g'))) referenced.add(m[0]);
    for (const [name, sites] of callSites) {
      const target = byName.get(name)!;
      if (!target.isStatic || referenced.has(name)) continue;
      const privateIndexes = new Set<number>();
      target.params.forEach((_, i) => {
        if (sites.every(({ call, caller }) => {
          const arg = callArgs(call)[i];
          return arg !== undefined && this.classify(arg, caller, call.startIndex, false) === 'private';
        })) privateIndexes.add(i);
      });
      if (privateIndexes.size > 0) this.privateParams.set(name, privateIndexes);
    }
  }

  /** The level of the container expression `expr`, used at offset `at` in `fn`. */
  classify(expr: Node, fn: FunctionInfo | null, at: number, interprocedural = true, depth = 0): Sharedness {
    const e = stripped(expr);
    if (depth > 8) return 'argument';
    if (e.type === 'field_expression' || e.type === 'subscript_expression') {
      return this.isGlobalRoot(e, fn) ? 'global' : 'reachable';
    }
    if (e.type === 'call_expression') {
      const name = calleeName(e) ?? '';
      if (CONSTRUCTORS.has(name) || MODULE_CONSTRUCTORS.has(name) || /^PyObject_(Call|Vectorcall)/.test(name)) return 'private';
      if (ALIASES.has(name)) {
        const inner = callArgs(e)[0];
        return inner ? this.classify(inner, fn, at, interprocedural, depth + 1) : 'argument';
      }
      if (OWNED_DICTS.has(name)) {
        const owner = callArgs(e)[0];
        return owner && this.classify(owner, fn, at, interprocedural, depth + 1) === 'private' ? 'private' : 'reachable';
      }
      return REACHABLE.test(name) ? 'reachable' : 'argument';
    }
    if (e.type !== 'identifier') return 'argument';
    const name = e.text;
    if (!fn) return this.model.globals.has(name) ? 'global' : 'argument';
    const local = fn.locals.get(name);
    if (local?.isStatic) return 'global';
    const paramIndex = fn.params.findIndex((p) => p.name === name);
    if (paramIndex !== -1) {
      if (PRIVATE_PARAM_NAMES.has(name)) return 'private';
      if (interprocedural && this.privateParams.get(fn.name)?.has(paramIndex)) return 'private';
      return 'argument';
    }
    if (!local) return this.model.globals.has(name) ? 'global' : 'argument';
    const source = this.lastAssignment(fn, name, at);
    if (!source) return 'argument';
    const level = this.classify(source.value, fn, source.at, interprocedural, depth + 1);
    if (level === 'private' && this.escapes(fn, name, source.at, at)) return 'argument';
    return level;
  }

  private isGlobalRoot(e: Node, fn: FunctionInfo | null): boolean {
    let root: Node | null = e;
    while (root && (root.type === 'field_expression' || root.type === 'subscript_expression')) root = root.childForFieldName('argument');
    if (root?.type !== 'identifier') return false;
    if (fn?.locals.get(root.text)?.isStatic) return true;
    return !fn?.locals.has(root.text) && !fn?.params.some((p) => p.name === root!.text) && this.model.globals.has(root.text);
  }

  /** The value last assigned to a local before an offset, in source order. */
  private lastAssignment(fn: FunctionInfo, name: string, before: number): { value: Node; at: number } | null {
    let found: { value: Node; at: number } | null = null;
    for (const node of fn.assignments) {
      if (node.startIndex >= before) break;
      if (node.type === 'init_declarator') {
        const declared = node.childForFieldName('declarator');
        const target = declared?.type === 'pointer_declarator' ? declared.childForFieldName('declarator') : declared;
        const value = node.childForFieldName('value');
        if (target?.text === name && value) found = { value, at: node.endIndex };
      } else if (node.type === 'assignment_expression' && node.childForFieldName('operator')?.text === '=') {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left && right && stripped(left).text === name) found = { value: right, at: node.endIndex };
      }
    }
    return found;
  }

  /** Whether a private container was handed out between `from` and `to`: stored or passed to a call that shares it. */
  private escapes(fn: FunctionInfo, name: string, from: number, to: number): boolean {
    for (const call of fn.calls) {
      if (call.node.startIndex < from || call.node.startIndex >= to) continue;
      const positions = call.args.map((a, i) => (stripped(a).text === name ? i : -1)).filter((i) => i !== -1);
      if (positions.length === 0) continue;
      // As the container itself (first argument) a dict or list is only read or filled; as a value it is handed over.
      if (ESCAPES.test(call.name) && (positions.some((i) => i > 0) || /^PyObject_(Call|Vectorcall)/.test(call.name))) return true;
    }
    for (const node of fn.assignments) {
      if (node.startIndex < from) continue;
      if (node.startIndex >= to) break;
      if (node.type !== 'assignment_expression') continue;
      const right = node.childForFieldName('right');
      const left = node.childForFieldName('left');
      if (!right || !left || stripped(right).text !== name) continue;
      const target = stripped(left);
      if (target.type === 'field_expression' || target.type === 'subscript_expression' || (target.type === 'identifier' && !fn.locals.has(target.text) && !fn.params.some((p) => p.name === target.text))) return true;
      if (target.type === 'identifier' && fn.locals.get(target.text)?.isStatic) return true;
    }
    return false;
  }
}
