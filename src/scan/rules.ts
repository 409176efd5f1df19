// The scanner's rules, as data. Each rule has a page, docs/rules/FTnnn.md,
// with why it matters, a bad and a good example (the tests scan both), the
// version that brings the replacement, and how to suppress it. Ids are
// stable: users' suppressions and CI configs name them.

export type Severity = 'error' | 'warning' | 'info';

export type ScanLanguage = 'c' | 'cpp' | 'cython' | 'rust' | 'python' | 'build';
/** The languages of source files; build files ('build') are told by name. */
export type SourceLanguage = Exclude<ScanLanguage, 'build'>;

export interface Rule {
  id: string;
  /** kebab-case, as ruff names its rules. */
  name: string;
  languages: readonly ScanLanguage[];
  /** The default; some findings are graded (see sharedness.ts) or escalated (scan-run.ts). */
  severity: Severity;
  /** What is wrong, in one line; `{api}` and `{name}` are filled in from the finding. */
  message: string;
  /** The concrete change to make. */
  fix: string;
  /** The guide section that explains the hazard and its fix: a page in guide/ and an anchor. */
  guide: string;
}

const C_FAMILY: readonly ScanLanguage[] = ['c', 'cpp'];
const C_API_CALLERS: readonly ScanLanguage[] = ['c', 'cpp', 'cython'];

export const RULES: readonly Rule[] = [
  {
    id: 'FT001',
    name: 'missing-py-mod-gil-slot',
    languages: C_FAMILY,
    severity: 'warning',
    message: 'multi-phase module {name} has no Py_mod_gil slot, so importing it re-enables the GIL',
    fix: 'add {Py_mod_gil, Py_MOD_GIL_NOT_USED} to its PyModuleDef_Slot array (CPython 3.13+, guard with #ifdef Py_mod_gil) once the module is thread-safe',
    guide: '04-porting-c.md#multi-phase-initialization-the-py_mod_gil-slot',
  },
  {
    id: 'FT002',
    name: 'missing-module-set-gil',
    languages: C_FAMILY,
    severity: 'warning',
    message: 'single-phase module {name} never calls PyUnstable_Module_SetGIL, so importing it re-enables the GIL',
    fix: 'call PyUnstable_Module_SetGIL(module, Py_MOD_GIL_NOT_USED) under #ifdef Py_GIL_DISABLED after creating the module, or move to multi-phase init with a Py_mod_gil slot',
    guide: '04-porting-c.md#single-phase-initialization-pyunstable_module_setgil',
  },
  {
    id: 'FT005',
    name: 'missing-cython-freethreading-compatible',
    languages: ['cython'],
    severity: 'warning',
    message: 'Cython module {name} is not declared freethreading_compatible, so importing it re-enables the GIL',
    fix: 'add "# cython: freethreading_compatible=True" at the top of the .pyx, or set it in compiler_directives (Cython 3.1+), once the module is thread-safe',
    guide: '05-cython.md#declaring-support-the-freethreading_compatible-directive',
  },
  {
    id: 'FT006',
    name: 'pyo3-module-uses-gil',
    languages: ['rust'],
    severity: 'warning',
    message: 'PyO3 module {name} keeps the GIL: {reason}',
    fix: 'declare #[pymodule(gil_used = false)] (PyO3 0.23+) once the module is thread-safe; from PyO3 0.28 a bare #[pymodule] does this',
    guide: '06-pyo3.md#gil_used-and-its-default-in-each-pyo3-version',
  },
  {
    id: 'FT007',
    name: 'pybind11-module-uses-gil',
    languages: ['cpp'],
    severity: 'warning',
    message: 'pybind11 module {name} does not pass py::mod_gil_not_used(), so importing it re-enables the GIL',
    fix: 'write PYBIND11_MODULE({name}, m, py::mod_gil_not_used()) (pybind11 2.13+) once the module is thread-safe',
    guide: '04-porting-c.md#pybind11-pymod_gil_not_used',
  },
  {
    id: 'FT008',
    name: 'nanobind-module-uses-gil',
    languages: ['build'],
    severity: 'warning',
    message: 'nanobind module {name} is built without FREE_THREADED, so importing it re-enables the GIL',
    fix: 'add FREE_THREADED to nanobind_add_module({name} ...) (nanobind 2.2+) once the module is thread-safe',
    guide: '04-porting-c.md#nanobind-free_threaded',
  },
  {
    id: 'FT009',
    name: 'f2py-module-uses-gil',
    languages: ['build'],
    severity: 'info',
    message: 'f2py builds module {name} without --freethreading-compatible, so importing it re-enables the GIL',
    fix: 'pass --freethreading-compatible to numpy.f2py (NumPy 2.1+) once the wrapped code is thread-safe',
    guide: '04-porting-c.md#declaring-free-threading-support',
  },
  {
    id: 'FT101',
    name: 'borrowed-list-item',
    languages: C_API_CALLERS,
    severity: 'warning',
    message: '{api} returns a borrowed reference to an item of a list another thread may change',
    fix: 'use PyList_GetItemRef (CPython 3.13+, pythoncapi-compat for older) and Py_DECREF the item when done',
    guide: '04-porting-c.md#pylist_getitem-and-pylist_get_item',
  },
  {
    id: 'FT102',
    name: 'borrowed-dict-item',
    languages: C_API_CALLERS,
    severity: 'warning',
    message: '{api} returns a borrowed reference to a value of a dict another thread may change',
    fix: 'use PyDict_GetItemRef (CPython 3.13+, pythoncapi-compat for older) and Py_DECREF the value when done',
    guide: '04-porting-c.md#pydict_getitem-and-pydict_getitemwitherror',
  },
  {
    id: 'FT103',
    name: 'borrowed-dict-item-string',
    languages: C_API_CALLERS,
    severity: 'warning',
    message: '{api} returns a borrowed reference to a value of a dict another thread may change',
    fix: 'use PyDict_GetItemStringRef (CPython 3.13+, pythoncapi-compat for older) and Py_DECREF the value when done',
    guide: '04-porting-c.md#pydict_getitemstring',
  },
  {
    id: 'FT104',
    name: 'borrowed-dict-setdefault',
    languages: C_API_CALLERS,
    severity: 'warning',
    message: 'PyDict_SetDefault returns a borrowed reference to a value of a dict another thread may change',
    fix: 'use PyDict_SetDefaultRef (CPython 3.13+, pythoncapi-compat for older), which returns a strong reference',
    guide: '04-porting-c.md#pydict_setdefault',
  },
  {
    id: 'FT105',
    name: 'borrowed-weakref-object',
    languages: C_API_CALLERS,
    severity: 'error',
    message: '{api} returns a borrowed reference: the referent may be destroyed by another thread at any moment',
    fix: 'use PyWeakref_GetRef (CPython 3.13+, pythoncapi-compat for older) and Py_DECREF the object when done',
    guide: '04-porting-c.md#pyweakref_getobject-and-pyweakref_get_object',
  },
  {
    id: 'FT106',
    name: 'borrowed-import-add-module',
    languages: C_API_CALLERS,
    severity: 'warning',
    message: '{api} returns a borrowed reference from sys.modules, which another thread may change',
    fix: 'use PyImport_AddModuleRef (CPython 3.13+, pythoncapi-compat for older) and Py_DECREF the module when done',
    guide: '04-porting-c.md#pyimport_addmodule',
  },
  {
    id: 'FT107',
    name: 'borrowed-cell-contents',
    languages: C_API_CALLERS,
    severity: 'warning',
    message: 'PyCell_GET returns a borrowed reference to the contents of a cell another thread may replace, freeing the object',
    fix: 'use PyCell_Get, which locks the cell and returns a strong reference; Py_DECREF it when done',
    guide: '04-porting-c.md#pycell_get',
  },
  {
    id: 'FT201',
    name: 'dict-next-outside-critical-section',
    languages: C_FAMILY,
    severity: 'warning',
    message: 'PyDict_Next iterates a dict another thread may change, outside a critical section',
    fix: 'wrap the loop in Py_BEGIN_CRITICAL_SECTION(dict) / Py_END_CRITICAL_SECTION() (CPython 3.13+), or iterate over a PyDict_Copy',
    guide: '04-porting-c.md#pydict_next-on-a-shared-dict',
  },
  {
    id: 'FT202',
    name: 'sequence-fast-items-outside-critical-section',
    languages: C_FAMILY,
    severity: 'warning',
    message: '{api} reads the items of a list another thread may change, outside a critical section',
    fix: 'hold Py_BEGIN_CRITICAL_SECTION(seq) / Py_END_CRITICAL_SECTION() while using the items (CPython 3.13+), or work on a PySequence_Tuple copy',
    guide: '04-porting-c.md#pysequence_fast_items-on-a-shared-list',
  },
  {
    id: 'FT301',
    name: 'early-exit-from-critical-section',
    languages: C_FAMILY,
    severity: 'error',
    message: '{api} leaves a critical section without Py_END_CRITICAL_SECTION, so it is never released',
    fix: 'set a result variable and fall through, or goto a label inside the section, so that Py_END_CRITICAL_SECTION() always runs',
    guide: '04-porting-c.md#leaving-a-critical-section-early',
  },
  {
    id: 'FT304',
    name: 'pymutex-copied',
    languages: C_FAMILY,
    severity: 'error',
    message: 'a PyMutex is {how}; a copy is a different lock, so the two sides no longer exclude each other',
    fix: 'pass and store a PyMutex * pointer to the one mutex, which must stay at a fixed address and start zeroed',
    guide: '04-porting-c.md#pymutex',
  },
  {
    id: 'FT305',
    name: 'pymutex-not-unlocked',
    languages: C_FAMILY,
    severity: 'error',
    message: 'PyMutex_Lock({name}) is not followed by PyMutex_Unlock on the path through {api}',
    fix: 'unlock before every return, or move the exits to one cleanup label that unlocks',
    guide: '04-porting-c.md#pymutex',
  },
  {
    id: 'FT401',
    name: 'lazy-static-object-cache',
    languages: C_FAMILY,
    severity: 'warning',
    message: 'static {name} is initialised lazily with a check-then-set: two threads can both pass the check and both initialise it',
    fix: 'initialise it once in the module exec function and keep it in module state, or create the object outside any lock and publish it under a static PyMutex',
    guide: '04-porting-c.md#lazily-initialised-static-pyobject-caches',
  },
  {
    id: 'FT402',
    name: 'static-counter-read-modify-write',
    languages: C_FAMILY,
    severity: 'warning',
    message: 'static {name} is updated with a non-atomic read-modify-write; concurrent updates are lost',
    fix: 'make it _Atomic (C11 <stdatomic.h>) or std::atomic (C++), or move it to module state guarded by a PyMutex',
    guide: '04-porting-c.md#static-counters-and-flags',
  },
  {
    id: 'FT501',
    name: 'pyo3-gil-protected',
    languages: ['rust'],
    severity: 'error',
    message: 'GILProtected relies on the GIL for exclusion, which free-threaded Python does not have',
    fix: 'use std::sync::Mutex (or a PyO3 critical section for Python objects) instead of GILProtected',
    guide: '06-pyo3.md#gilprotected-giloncecell-and-their-replacements',
  },
  {
    id: 'FT502',
    name: 'pyo3-gil-once-cell',
    languages: ['rust'],
    severity: 'warning',
    message: 'GILOnceCell may run its initialiser on several threads at once without the GIL',
    fix: 'use pyo3::sync::PyOnceLock (PyO3 0.26+) or std::sync::OnceLock',
    guide: '06-pyo3.md#gilprotected-giloncecell-and-their-replacements',
  },
  {
    id: 'FT503',
    name: 'pyo3-unsendable-pyclass',
    languages: ['rust'],
    severity: 'warning',
    message: '#[pyclass(unsendable)] {name} panics when another thread uses an instance',
    fix: 'make the type Send + Sync (e.g. frozen with Mutex or atomic fields) and drop unsendable',
    guide: '06-pyo3.md#what-pyclassunsendable-costs',
  },
  {
    id: 'FT504',
    name: 'pyo3-unsafe-send-sync',
    languages: ['rust'],
    severity: 'warning',
    message: 'unsafe impl {api} for {name}, a type Python code can reach from several threads at once',
    fix: 'remove the unsafe impl and make the fields thread-safe (Mutex, RwLock, atomics), so the compiler checks Send and Sync',
    guide: '06-pyo3.md#unsafe-impl-send--unsafe-impl-sync-on-python-facing-types',
  },
  {
    id: 'FT602',
    name: 'cython-with-gil-as-lock',
    languages: ['cython'],
    severity: 'warning',
    message: '"with gil:" is used to protect shared state, but on free-threaded Python it excludes no other thread',
    fix: 'protect the state with cython.critical_section(obj) or a cython.pymutex (Cython 3.1+)',
    guide: '05-cython.md#with-gil-used-as-a-lock',
  },
  {
    id: 'FT605',
    name: 'cython-module-state-mutated',
    languages: ['cython'],
    severity: 'warning',
    message: 'module-level {name} is changed inside a function without a lock; if threads call this function, updates race',
    fix: 'guard the change with a cython.pymutex or cython.critical_section, or keep the state per object or per thread',
    guide: '05-cython.md#module-level-mutable-state-mutated-without-a-lock',
  },
  {
    id: 'FT801',
    name: 'module-container-mutated',
    languages: ['python'],
    severity: 'warning',
    message: 'module-level {name} is mutated inside a function; if threads call it, the check and the change can interleave',
    fix: 'guard it with a threading.Lock, or keep the state per thread (threading.local, ContextVar) or per object, if it is shared',
    guide: '03-porting-python.md#module-level-mutable-containers-mutated-inside-functions',
  },
  {
    id: 'FT803',
    name: 'module-global-lazy-init',
    languages: ['python'],
    severity: 'warning',
    message: 'module global {name} is initialised lazily with check-then-set; two threads can both initialise it',
    fix: 'initialise it at import time, or take a threading.Lock around the check and the assignment (double-checked)',
    guide: '03-porting-python.md#check-then-act-lazy-initialisation-of-module-globals',
  },
];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
