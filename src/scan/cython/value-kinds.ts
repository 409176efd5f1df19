import type { VarKind } from './names.js';
import { skipCasts, wholeCall, wholeDisplay, type Stmt } from './statements.js';

// What a value or a cdef type makes a name hold: a new list or dict (private
// to the call that made it), a mutable container, a lock, C storage. Read
// from the value's shape only: a call is known by its callee's name.

/** Calls that create a new list or dict: a local bound only to these is private to the call (sharedness S0). */
const FRESH_CALLS = new Set(['dict', 'list', 'PyDict_New', 'PyList_New', 'PyDict_Copy', 'PySequence_List']);

/** Calls that create a mutable container: a module-level name bound to one is shared state. */
const CONTAINER_CALLS = new Set([
  'dict', 'list', 'set', 'bytearray', 'defaultdict', 'OrderedDict', 'deque', 'Counter', 'ChainMap',
  'WeakValueDictionary', 'WeakKeyDictionary', 'WeakSet',
]);
const CONTAINER_TYPES = new Set(['dict', 'list', 'set', 'bytearray']);
/** cdef types that are Python objects, not C storage; `object` may hold anything. */
const PYTHON_TYPES = new Set(['object', 'str', 'bytes', 'unicode', 'tuple', 'frozenset', 'type', 'slice', 'basestring']);

const LOCK_CALLS = new Set(['Lock', 'RLock', 'Semaphore', 'BoundedSemaphore', 'Condition', 'allocate_lock']);
const MUTEX_TYPES = new Set(['pymutex', 'pythread_type_lock']);

/** A local bound to this is private to the call: a new list or dict. */
export function isFresh(s: Stmt, from: number, to: number): boolean {
  from = skipCasts(s, from, to);
  if (wholeDisplay(s, from, to)) return true;
  const call = wholeCall(s, from, to);
  return call !== null && FRESH_CALLS.has(call.callee);
}

export function isContainer(s: Stmt, from: number, to: number): boolean {
  from = skipCasts(s, from, to);
  if (wholeDisplay(s, from, to)) return true;
  const call = wholeCall(s, from, to);
  return call !== null && (CONTAINER_CALLS.has(call.callee) || call.root === 'collections');
}

export function isLockCall(s: Stmt, from: number, to: number): boolean {
  const call = wholeCall(s, from, to);
  return call !== null && LOCK_CALLS.has(call.callee);
}

/** What a module-level cdef declaration holds. */
export function cdefKind(type: string, containerValue: boolean): VarKind {
  const words = type.split(/[\s.*&]+/).filter(Boolean);
  if (words.includes('const')) return 'other';
  const last = words[words.length - 1] ?? 'object';
  if (MUTEX_TYPES.has(last)) return 'lock';
  if (CONTAINER_TYPES.has(last) || containerValue) return 'container';
  return PYTHON_TYPES.has(last) || words.length === 0 ? 'other' : 'cvar';
}
