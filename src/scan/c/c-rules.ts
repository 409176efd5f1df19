import type { SyntaxNode as Node } from './syntax-node.js';
import type { RawFinding } from '../analyzer.js';
import { callArgs, calleeName, descendants, stripped, type CModel, type FunctionInfo, type Variable } from './c-model.js';
import { regionAt, type Region } from './hidden-braces.js';
import { describeSharedness, gradedSeverity, type SharednessClassifier } from './sharedness.js';

// The C and C++ hazard rules over a file's model. Declarations (FT001,
// FT002, FT007) are in module-declarations.ts.

export interface CContext {
  model: CModel;
  sharedness: SharednessClassifier;
  regions: readonly Region[];
  /** Functions that run once per module at import (PyInit_*, Py_mod_exec targets): one-time setup there is not a race. */
  initFunctions: ReadonlySet<string>;
}

const position = (node: Node) => ({ line: node.startPosition.row + 1, column: node.startPosition.column + 1, endLine: node.endPosition.row + 1, endColumn: node.endPosition.column + 1 });

/** Borrowed-reference APIs and their rules; the container is the first argument (none for PyImport_AddModule). */
const BORROWED: Record<string, { rule: string; container: boolean }> = {
  PyList_GetItem: { rule: 'FT101', container: true },
  PyList_GET_ITEM: { rule: 'FT101', container: true },
  PyDict_GetItem: { rule: 'FT102', container: true },
  PyDict_GetItemWithError: { rule: 'FT102', container: true },
  PyDict_GetItemString: { rule: 'FT103', container: true },
  _PyDict_GetItemStringWithError: { rule: 'FT103', container: true },
  PyDict_SetDefault: { rule: 'FT104', container: true },
  PyWeakref_GetObject: { rule: 'FT105', container: false },
  PyWeakref_GET_OBJECT: { rule: 'FT105', container: false },
  PyImport_AddModule: { rule: 'FT106', container: false },
  PyImport_AddModuleObject: { rule: 'FT106', container: false },
  PyCell_GET: { rule: 'FT107', container: true },
};

const ITERATION: Record<string, string> = {
  PyDict_Next: 'FT201',
  PySequence_Fast_ITEMS: 'FT202',
  PySequence_Fast_GET_ITEM: 'FT202',
};

/** Calls that take and release a lock: state changed between them is protected. */
const LOCKS: ReadonlySet<string> = new Set(['PyMutex_Lock', 'PyThread_acquire_lock', 'pthread_mutex_lock', 'EnterCriticalSection']);
const UNLOCKS: ReadonlySet<string> = new Set(['PyMutex_Unlock', 'PyThread_release_lock', 'pthread_mutex_unlock', 'LeaveCriticalSection']);

/** APIs whose danger depends on whether their container is shared: graded by sharedness.ts. */
export const GRADED_APIS: ReadonlySet<string> = new Set([...Object.keys(BORROWED).filter((api) => BORROWED[api]!.container), ...Object.keys(ITERATION)]);

/** Every call a rule reports on or follows. */
export const RULE_APIS: ReadonlySet<string> = new Set([...Object.keys(BORROWED), ...Object.keys(ITERATION), 'PyMutex_Lock', 'PyMutex_Unlock']);

/** Calls whose order in a function the rules follow (locks taken and released): such a function is read whole. */
export const ORDERED_APIS: ReadonlySet<string> = new Set([...LOCKS, ...UNLOCKS]);

/** Names declared `PyMutex name;`, struct fields among them (a regex: no need to read the whole tree). */
export function mutexFieldNames(code: string): Set<string> {
  return new Set([...code.matchAll(/\bPyMutex\s+(\w+)\s*;/g)].map((m) => m[1]!));
}

function graded(ctx: CContext, call: { node: Node; args: Node[]; fn: FunctionInfo | null }, rule: string, api: string): RawFinding | null {
  const container = call.args[0];
  if (!container) return null;
  // A critical section on the container itself keeps it from changing under the borrowed reference.
  const section = regionAt(ctx.regions, call.node.startIndex, 'critical-section');
  if (section && section.args.split(',').some((a) => a.trim().replace(/^\(.*?\)\s*/, '') === stripped(container).text)) return null;
  const level = ctx.sharedness.classify(container, call.fn, call.node.startIndex);
  const severity = gradedSeverity(level);
  if (severity === null) return null;
  return { rule, ...position(call.node), params: { api }, severity, detail: describeSharedness(level, stripped(container).text.slice(0, 60)) };
}

export function borrowedReferences(ctx: CContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const fn of ctx.model.functions) {
    for (const call of fn.calls) {
      const api = BORROWED[call.name];
      if (!api) continue;
      if (!api.container) {
        out.push({ rule: api.rule, ...position(call.node), params: { api: call.name } });
        continue;
      }
      const finding = graded(ctx, call, api.rule, call.name);
      if (finding) out.push(finding);
    }
  }
  return out;
}

export function unlockedIteration(ctx: CContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const fn of ctx.model.functions) {
    for (const call of fn.calls) {
      const rule = ITERATION[call.name];
      if (!rule || regionAt(ctx.regions, call.node.startIndex, 'critical-section')) continue;
      const finding = graded(ctx, call, rule, call.name);
      if (finding) out.push(finding);
    }
  }
  return out;
}

/** The labels of a function, by name, at their offsets. */
function labels(fn: FunctionInfo): Map<string, number> {
  const out = new Map<string, number>();
  for (const node of fn.nodes) {
    if (node.type === 'labeled_statement') {
      const label = node.childForFieldName('label');
      if (label) out.set(label.text, node.startIndex);
    }
  }
  return out;
}

export function criticalSectionExits(ctx: CContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const fn of ctx.model.functions) {
    const fnLabels = labels(fn);
    for (const node of fn.nodes) {
      if (node.type !== 'return_statement' && node.type !== 'goto_statement') continue;
      const region = regionAt(ctx.regions, node.startIndex, 'critical-section');
      if (!region || region.start < fn.body.startIndex) continue;
      if (node.type === 'goto_statement') {
        const target = fnLabels.get(node.childForFieldName('label')?.text ?? '');
        if (target !== undefined && target > region.start && target < region.end) continue;
      }
      out.push({ rule: 'FT301', ...position(node), params: { api: node.type === 'return_statement' ? 'return' : `goto ${node.childForFieldName('label')?.text ?? ''}`.trim() } });
    }
  }
  return out;
}

const isPyMutexType = (type: string) => /(^|\s)PyMutex$/.test(type.trim());

export function mutexCopies(ctx: CContext): RawFinding[] {
  const out: RawFinding[] = [];
  const fields = mutexFieldNames(ctx.model.source);
  const isMutexExpr = (e: Node, fn: FunctionInfo): boolean => {
    const x = stripped(e);
    if (x.type === 'identifier') {
      const v: Variable | undefined = fn.locals.get(x.text) ?? fn.params.find((p) => p.name === x.text) ?? ctx.model.globals.get(x.text);
      return v !== undefined && !v.isPointer && isPyMutexType(v.type);
    }
    if (x.type === 'field_expression') return fields.has(x.childForFieldName('field')?.text ?? '');
    if (x.type === 'pointer_expression' && x.child(0)?.text === '*') {
      const inner = x.childForFieldName('argument');
      return inner !== null && stripped(inner).type === 'identifier' && /PyMutex\s*\*/.test((fn.locals.get(stripped(inner).text) ?? fn.params.find((p) => p.name === stripped(inner).text))?.type ?? '');
    }
    return false;
  };
  for (const fn of ctx.model.functions) {
    for (const p of fn.params) if (!p.isPointer && isPyMutexType(p.type)) out.push({ rule: 'FT304', ...position(p.node), params: { how: `passed by value to ${fn.name}()` } });
    const returnType = fn.node.childForFieldName('type')?.text ?? '';
    const declarator = fn.node.childForFieldName('declarator');
    if (returnType === 'PyMutex' && declarator?.type === 'function_declarator') out.push({ rule: 'FT304', ...position(fn.node), params: { how: `returned by value from ${fn.name}()` } });
    for (const node of fn.nodes) {
      if (node.type === 'init_declarator') {
        const value = node.childForFieldName('value');
        const decl = node.parent;
        if (value && decl?.type === 'declaration' && decl.childForFieldName('type')?.text === 'PyMutex' && node.childForFieldName('declarator')?.type === 'identifier' && value.type !== 'initializer_list' && isMutexExpr(value, fn)) {
          out.push({ rule: 'FT304', ...position(node), params: { how: `copied into ${node.childForFieldName('declarator')!.text}` } });
        }
      } else if (node.type === 'assignment_expression' && node.childForFieldName('operator')?.text === '=') {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left && right && right.type !== 'compound_literal_expression' && isMutexExpr(right, fn) && isMutexExpr(left, fn)) {
          out.push({ rule: 'FT304', ...position(node), params: { how: `copied by assignment to ${stripped(left).text}` } });
        }
      }
    }
  }
  return out;
}

/** The mutex expression a PyMutex_Lock/Unlock call names, normalised: `&self->mutex` → `self->mutex`. */
function mutexName(call: Node): string {
  const arg = callArgs(call)[0];
  return arg ? stripped(arg).text.replace(/^&\s*/, '').replace(/\s+/g, '') : '';
}

export function mutexNotUnlocked(ctx: CContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const fn of ctx.model.functions) {
    const found: Array<{ kind: 'lock' | 'unlock' | 'return' | 'goto'; at: number; node: Node; mutex: string; label?: string }> = [];
    for (const node of fn.nodes) {
      if (node.type === 'call_expression') {
        const name = calleeName(node);
        if (name === 'PyMutex_Lock') found.push({ kind: 'lock', at: node.startIndex, node, mutex: mutexName(node) });
        else if (name === 'PyMutex_Unlock') found.push({ kind: 'unlock', at: node.startIndex, node, mutex: mutexName(node) });
      } else if (node.type === 'return_statement') {
        found.push({ kind: 'return', at: node.startIndex, node, mutex: '' });
      } else if (node.type === 'goto_statement') {
        found.push({ kind: 'goto', at: node.startIndex, node, mutex: '', label: node.childForFieldName('label')?.text ?? '' });
      }
    }
    // A function that never unlocks a mutex it locks takes the lock for its caller (lock_state(st)): the caller unlocks it.
    const unlockedHere = new Set(found.filter((e) => e.kind === 'unlock').map((e) => e.mutex));
    const events = found.filter((e) => e.kind !== 'lock' || unlockedHere.has(e.mutex));
    if (!events.some((e) => e.kind === 'lock')) continue;
    const fnLabels = labels(fn);
    const unlockAfter = (mutex: string, from: number, until: number) => events.some((e) => e.kind === 'unlock' && e.mutex === mutex && e.at > from && e.at < until);
    const nextReturn = (from: number) => events.find((e) => e.kind === 'return' && e.at > from)?.at ?? fn.body.endIndex;
    // Source order stands in for paths: a return reached while a lock taken
    // earlier has not been released in between leaks the lock.
    const held = new Map<string, Node>();
    const reported = new Set<Node>();
    for (const e of events) {
      if (e.kind === 'lock') held.set(e.mutex, e.node);
      else if (e.kind === 'unlock') held.delete(e.mutex);
      else {
        for (const [mutex, lock] of held) {
          if (e.kind === 'goto') {
            const target = fnLabels.get(e.label ?? '');
            // Jumping to a label after which the mutex is unlocked before the next return is the usual cleanup pattern.
            if (target !== undefined && unlockAfter(mutex, target, nextReturn(target))) continue;
          }
          if (reported.has(e.node)) continue;
          reported.add(e.node);
          out.push({ rule: 'FT305', ...position(e.node), params: { name: mutex, api: e.kind === 'return' ? 'this return' : `goto ${e.label}` }, detail: `locked at line ${lock.startPosition.row + 1}` });
        }
      }
    }
    for (const [mutex, lock] of held) {
      if (!events.some((e) => e.kind === 'return' && e.at > lock.startIndex)) out.push({ rule: 'FT305', ...position(lock), params: { name: mutex, api: 'the end of the function' } });
    }
  }
  return out;
}

const SCALAR = /^(static\s+)?(volatile\s+)?(unsigned\s+|signed\s+)?(int|long|long long|short|char|size_t|Py_ssize_t|Py_hash_t|ssize_t|uint\d+_t|int\d+_t|double|float|bool|_Bool|unsigned)$/;
const IMMUTABLE = /\bconst\b|_Atomic|\batomic|thread_local|_Thread_local|__thread/;

/** Static or file-scope variables visible in a function, by name. */
function staticsIn(ctx: CContext, fn: FunctionInfo): Map<string, Variable> {
  const out = new Map<string, Variable>();
  for (const [name, v] of ctx.model.globals) if (!fn.locals.has(name) && !fn.params.some((p) => p.name === name)) out.set(name, v);
  for (const [name, v] of fn.locals) if (v.isStatic) out.set(name, v);
  for (const [name, v] of out) if (IMMUTABLE.test(v.type)) out.delete(name);
  return out;
}

/** Whether an offset is protected: inside a critical section, or between a lock and its unlock. */
function isProtected(ctx: CContext, fn: FunctionInfo, offset: number): boolean {
  if (regionAt(ctx.regions, offset, 'critical-section')) return true;
  let depth = 0;
  for (const call of fn.calls) {
    if (call.node.startIndex >= offset) break;
    if (LOCKS.has(call.name)) depth++;
    else if (UNLOCKS.has(call.name)) depth = Math.max(0, depth - 1);
  }
  return depth > 0;
}

function assignedNames(node: Node): string[] {
  const names: string[] = [];
  for (const n of descendants(node)) {
    if (n.type === 'assignment_expression') {
      const left = n.childForFieldName('left');
      if (left && stripped(left).type === 'identifier') names.push(stripped(left).text);
    }
  }
  return names;
}

export function staticState(ctx: CContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const fn of ctx.model.functions) {
    if (ctx.initFunctions.has(fn.name)) continue;
    const statics = staticsIn(ctx, fn);
    if (statics.size === 0) continue;
    const lazyReported = new Set<string>();
    for (const node of fn.nodes) {
      if (node.type === 'if_statement') {
        const condition = node.childForFieldName('condition');
        const consequence = node.childForFieldName('consequence');
        if (!condition || !consequence) continue;
        const tested = [...descendants(condition)].filter((n) => n.type === 'identifier' && statics.has(n.text)).map((n) => n.text);
        if (tested.length === 0) continue;
        const assigned = new Set(assignedNames(consequence).filter((n) => statics.has(n)));
        const name = tested.find((t) => assigned.has(t)) ?? (assigned.size > 0 ? tested[0] : undefined);
        if (name === undefined || lazyReported.has(name) || isProtected(ctx, fn, node.startIndex)) continue;
        lazyReported.add(name);
        out.push({ rule: 'FT401', ...position(node), params: { name } });
      }
      let target: Node | null = null;
      if (node.type === 'update_expression') target = node.childForFieldName('argument');
      else if (node.type === 'assignment_expression') {
        const op = node.childForFieldName('operator')?.text ?? '=';
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (op !== '=') target = left;
        else if (left && right && stripped(left).type === 'identifier' && [...descendants(right)].some((n) => n.type === 'identifier' && n.text === stripped(left).text)) target = left;
      }
      if (!target || stripped(target).type !== 'identifier') continue;
      const v = statics.get(stripped(target).text);
      if (!v || v.isPointer || !SCALAR.test(v.type.trim()) || isProtected(ctx, fn, node.startIndex)) continue;
      out.push({ rule: 'FT402', ...position(node), params: { name: v.name } });
    }
  }
  return out;
}
