import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyzeC } from '../../src/scan/analyzers/c.js';
import { NO_BUILD_FACTS } from '../../src/scan/analyzer.js';
import { preprocess, expandMacros } from '../../src/scan/c/preprocessor.js';
import { hiddenBraces } from '../../src/scan/c/hidden-braces.js';
import { corpusDir, needsCorpus } from '../helpers/paths.js';

// The C and C++ analyzer: each rule's edges, the preprocessor and the
// hidden-brace macros, and netifaces from the shared corpus.

async function findings(text: string, language: 'c' | 'cpp' = 'c'): Promise<string[]> {
  const result = await analyzeC({ path: language === 'c' ? 'x.c' : 'x.cpp', language, text }, { build: NO_BUILD_FACTS });
  return result.findings.map((f) => `${f.rule}:${f.line}${f.severity ? `:${f.severity}` : ''}`);
}

const HEADER = '#include <Python.h>\n';

describe('preprocessor', () => {
  test('judges conditions as a free-threaded build compiles them', () => {
    const text = [
      '#ifdef Py_GIL_DISABLED', 'a', '#else', 'b', '#endif',
      '#if PY_VERSION_HEX >= 0x030D0000', 'c', '#endif',
      '#if 0', 'd', '#elif defined(WIN32)', 'e', '#else', 'f', '#endif',
      '#ifndef Py_LIMITED_API', 'g', '#endif',
      '#if PY_MAJOR_VERSION < 3 && defined(FOO)', 'h', '#endif',
    ].join('\n');
    const pre = preprocess(text);
    const state = (letter: string) => pre.lineActive[text.split('\n').indexOf(letter) + 1];
    assert.deepEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map(state), [true, false, true, false, null, null, true, false]);
    assert.doesNotMatch(pre.parseText, /\bb\b|#/);
  });

  test('unknown alternatives that each open a brace: only the largest is parsed, seen as nested chains left it', () => {
    const lines = [
      'void f(int n, int *p) {',
      '#ifdef _WIN32',
      '  for (int i = 0; i < n; i++) {',
      '#else',
      '  while (*p && p[1] && p[2] && p[3]) {',
      '#ifdef __APPLE__',
      '    apple();',
      '#endif',
      '#endif',
      '    body();',
      '  }',
      '#ifdef A',
      '#ifdef B',
      '  { b1();',
      '#else',
      '  { b2();',
      '#endif',
      '  }',
      '#else',
      '  other();',
      '#endif',
      '#ifdef C',
      '  c();',
      '#else',
      '  d();',
      '#endif',
      '}',
    ];
    const parseText = preprocess(lines.join('\n')).parseText.split('\n');
    const kept = (code: string) => parseText[lines.indexOf(code)]!.trim() === code.trim();
    // The two loop heads each open a brace: the larger branch, with its nested chain, stays.
    assert.deepEqual([kept('  for (int i = 0; i < n; i++) {'), kept('  while (*p && p[1] && p[2] && p[3]) {'), kept('    apple();')], [false, true, true]);
    // The inner chain keeps one of its braces, so the outer branch is balanced and both outer branches stay.
    assert.deepEqual([kept('  { b1();'), kept('  { b2();'), kept('  other();')], [true, false, true]);
    // Balanced alternatives are all parsed.
    assert.deepEqual([kept('  c();'), kept('  d();')], [true, true]);
  });

  test('expands the file\'s own macros, including token pasting', () => {
    const pre = preprocess('#define MODULE_INIT(name) PyMODINIT_FUNC PyInit_##name(void)\n#define CREATE(o) o = PyModule_Create(&def);\n');
    assert.equal(expandMacros('MODULE_INIT(spam)', pre.macros), 'PyMODINIT_FUNC PyInit_spam(void)');
    assert.match(expandMacros('CREATE(m)', pre.macros), /m = PyModule_Create\(&def\);/);
  });

  test('hidden-brace macros become braces of the same length, paired by walking tokens', () => {
    const text = 'f() {\n  Py_BEGIN_ALLOW_THREADS\n  x();\n  Py_END_ALLOW_THREADS\n  Py_BEGIN_CRITICAL_SECTION2(a, b);\n  /* Py_END_CRITICAL_SECTION2() in a comment */\n  Py_END_CRITICAL_SECTION2();\n}';
    const { parseText, regions } = hiddenBraces(text);
    assert.equal(parseText.length, text.length);
    assert.deepEqual(regions.map((r) => [r.kind, r.args, r.closed]), [['allow-threads', '', true], ['critical-section', 'a, b', true]]);
    assert.ok(regions[1]!.end > text.indexOf('Py_END_CRITICAL_SECTION2();'));
  });
});

describe('C rules', () => {
  test('FT001: a slot array without Py_mod_gil, reported at the PyModuleDef; under #ifdef Py_mod_gil it counts', async () => {
    const def = (slot: string) => `${HEADER}static int exec(PyObject *m) { return 0; }\nstatic PyModuleDef_Slot slots[] = {\n  {Py_mod_exec, exec},\n${slot}  {0, NULL}\n};\nstatic struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "spam", NULL, 0, NULL, slots};\nPyMODINIT_FUNC PyInit_spam(void) { return PyModuleDef_Init(&def); }\n`;
    assert.deepEqual(await findings(def('')), ['FT001:7']);
    assert.deepEqual(await findings(def('#ifdef Py_mod_gil\n  {Py_mod_gil, Py_MOD_GIL_NOT_USED},\n#endif\n')), []);
    assert.deepEqual(await findings(def('#if 0\n  {Py_mod_gil, Py_MOD_GIL_NOT_USED},\n#endif\n')), ['FT001:10']);
  });

  test('FT001: a slot array with a size, and a multi-phase definition with no slots at all', async () => {
    const sized = `${HEADER}static int exec(PyObject *m) { return 0; }\nstatic PyModuleDef_Slot slots[N_SLOTS + 1] = {\n  {Py_mod_exec, exec},\n  {0, NULL}\n};\nstatic struct PyModuleDef def = {.m_base = PyModuleDef_HEAD_INIT, .m_name = "spam", .m_slots = slots};\nPyMODINIT_FUNC PyInit_spam(void) { return PyModuleDef_Init(&def); }\n`;
    assert.deepEqual(await findings(sized), ['FT001:7']);
    assert.deepEqual(await findings(sized.replace('{0, NULL}', '{Py_mod_gil, Py_MOD_GIL_NOT_USED},\n  {0, NULL}')), []);
    const slotless = `${HEADER}static PyMethodDef methods[] = {{NULL, NULL, 0, NULL}};\nstatic struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "spam", NULL, 0, methods};\nPyMODINIT_FUNC PyInit_spam(void) { return PyModuleDef_Init(&def); }\n`;
    assert.deepEqual(await findings(slotless), ['FT001:3']);
  });

  test('FT002: single-phase init needs PyUnstable_Module_SetGIL', async () => {
    const init = (extra: string) => `${HEADER}static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "spam", NULL, -1, NULL};\nPyMODINIT_FUNC\nPyInit_spam(void)\n{\n  PyObject *m = PyModule_Create(&def);\n${extra}  return m;\n}\n`;
    assert.deepEqual(await findings(init('')), ['FT002:3']);
    assert.deepEqual(await findings(init('#ifdef Py_GIL_DISABLED\n  PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);\n#endif\n')), []);
  });

  test('FT002: a PyInit_ that hands the work to a helper (wrapt, lazy-object-proxy)', async () => {
    const init = (extra: string, methods = '') => `${HEADER}static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "spam", NULL, -1, NULL};
static PyObject *moduleinit(void);
static PyObject *cached(void) {
  static PyObject *name = NULL;
  if (!name) name = PyUnicode_InternFromString("name");
  return name;
}
static PyObject *method(PyObject *self, PyObject *args) {
  static PyObject *s = NULL;
  if (!s) s = PyUnicode_InternFromString("x");
  return s;
}
${methods}static PyObject *moduleinit(void)
{
  PyObject *m = PyModule_Create(&def);
  if (cached() == NULL) return NULL;
${extra}  return m;
}
PyMODINIT_FUNC PyInit_spam(void) { return moduleinit(); }
`;
    const declares = '#ifdef Py_GIL_DISABLED\n  PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);\n#endif\n';
    // The module is found through the helper, and its one-time set-up is not a race.
    assert.deepEqual(await findings(init('')), ['FT002:20', 'FT401:11']);
    // The declaration in the helper counts: the module declares free-threading, so the engine will raise its hazards.
    const declared = await analyzeC({ path: 'x.c', language: 'c', text: init(declares) }, { build: NO_BUILD_FACTS });
    assert.deepEqual([declared.declaresFreeThreading, declared.findings.map((f) => `${f.rule}:${f.line}`)], [true, ['FT401:11']]);
    // A helper that is also a method may run at any time.
    const table = 'static PyMethodDef methods[] = {{"cached", (PyCFunction)cached, METH_NOARGS, NULL}, {NULL}};\n';
    assert.deepEqual(await findings(init(declares, table)), ['FT401:6', 'FT401:11']);
  });

  test('FT007: pybind11 modules', async () => {
    assert.deepEqual(await findings('#include <pybind11/pybind11.h>\nnamespace py = pybind11;\nPYBIND11_MODULE(spam, m) {\n  m.def("f", []() { return 1; });\n}\n', 'cpp'), ['FT007:3']);
    assert.deepEqual(await findings('#include <pybind11/pybind11.h>\nnamespace py = pybind11;\nPYBIND11_MODULE(spam, m, py::mod_gil_not_used()) {\n}\n', 'cpp'), []);
  });

  test('FT101–FT107 are graded by the container: private, argument, reachable, global', async () => {
    const text = `${HEADER}static PyObject *registry;
static PyObject *
get(PyObject *self, PyObject *key)
{
  PyObject *fresh = PyDict_New();
  PyObject *a = PyDict_GetItem(fresh, key);
  PyObject *b = PyDict_GetItem(registry, key);
  PyObject *c = PyDict_GetItem(self, key);
  PyObject *d = PyList_GetItem(((MyObject *)self)->items, 0);
  PyObject *e = PyWeakref_GetObject(key);
  PyObject *f = PyImport_AddModule("x");
  return NULL;
}
static PyObject *
method(PyObject *self, PyObject *args, PyObject *kwargs)
{
  return PyDict_GetItemString(kwargs, "x");
}
`;
    assert.deepEqual(await findings(text), ['FT102:8:error', 'FT102:9:warning', 'FT101:10:warning', 'FT105:11', 'FT106:12']);
  });

  test('the dict of a module the function has just made is private; another module\'s is not', async () => {
    const text = `${HEADER}static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "spam", NULL, -1, NULL};
static PyObject *moduleinit(void) {
  PyObject *m = PyModule_Create(&def);
  PyObject *mine = PyModule_GetDict(m);
  PyObject *a = PyDict_GetItemString(mine, "a");
  PyObject *other = PyModule_GetDict(PyImport_AddModule("builtins"));
  PyObject *b = PyDict_GetItemString(other, "b");
  return m;
}
static int exec(PyObject *module) {
  PyObject *c = PyDict_GetItemString(PyModule_GetDict(module), "c");
  return 0;
}
`;
    assert.deepEqual(await findings(text), ['FT106:7', 'FT103:8:warning', 'FT103:12:warning']);
  });

  test('a fresh container handed out before the lookup is no longer private', async () => {
    const text = `${HEADER}static PyObject *g;\nstatic void f(PyObject *key) {\n  PyObject *d = PyDict_New();\n  PyObject_SetAttrString(g, "d", d);\n  PyObject *v = PyDict_GetItem(d, key);\n}\n`;
    assert.deepEqual(await findings(text), ['FT102:6:warning']);
  });

  test('a static helper whose every caller passes a fresh dict keeps it private', async () => {
    const text = `${HEADER}static int add(PyObject *result, PyObject *k) {\n  return PyDict_GetItem(result, k) != NULL;\n}\nstatic PyObject *make(PyObject *k) {\n  PyObject *r = PyDict_New();\n  add(r, k);\n  return r;\n}\nstatic PyObject *shared(PyObject *r, PyObject *k) {\n  add(r, k);\n  return r;\n}\n`;
    assert.deepEqual(await findings(text.replace(/static PyObject \*shared[\s\S]*$/, '')), []);
    assert.deepEqual(await findings(text), ['FT102:3:warning']);
  });

  test('FT201/FT202: iteration outside a critical section; PySequence_Fast is as shared as its argument', async () => {
    const text = `${HEADER}static int f(PyObject *d, PyObject *seq) {
  Py_ssize_t pos = 0; PyObject *k, *v;
  while (PyDict_Next(d, &pos, &k, &v)) {}
  Py_BEGIN_CRITICAL_SECTION(d);
  while (PyDict_Next(d, &pos, &k, &v)) {}
  Py_END_CRITICAL_SECTION();
  PyObject *fast = PySequence_Fast(seq, "x");
  PyObject **items = PySequence_Fast_ITEMS(fast);
  PyObject *copy = PySequence_Fast(PySequence_Tuple(seq), "x");
  PyObject **mine = PySequence_Fast_ITEMS(copy);
  return 0;
}
`;
    assert.deepEqual(await findings(text), ['FT201:4:warning', 'FT202:9:warning']);
  });

  test('FT301: return or goto out of a critical section; a goto inside it is fine', async () => {
    const text = `${HEADER}static int f(PyObject *o) {
  Py_BEGIN_CRITICAL_SECTION(o);
  if (!o) return -1;
  if (o == Py_None) goto inside;
  if (o == Py_True) goto out;
inside:
  ;
  Py_END_CRITICAL_SECTION();
out:
  return 0;
}
`;
    assert.deepEqual(await findings(text), ['FT301:4', 'FT301:6']);
  });

  test('FT304/FT305: PyMutex by value, copies, and a return while locked', async () => {
    const text = `${HEADER}typedef struct { PyMutex mutex; int n; } State;
static void take(PyMutex m) {}
static int f(State *s, State *t) {
  PyMutex copy = s->mutex;
  PyMutex_Lock(&s->mutex);
  if (s->n < 0) return -1;
  s->n++;
  PyMutex_Unlock(&s->mutex);
  return 0;
}
static int g(State *s) {
  PyMutex_Lock(&s->mutex);
  if (s->n < 0) goto done;
  s->n++;
done:
  PyMutex_Unlock(&s->mutex);
  return 0;
}
static void lock_state(State *s) {
  if (s->n >= 0) PyMutex_Lock(&s->mutex);
}
static void unlock_state(State *s) { PyMutex_Unlock(&s->mutex); }
`;
    // lock_state takes the lock for its caller: it never unlocks, by design.
    assert.deepEqual(await findings(text), ['FT304:3', 'FT304:5', 'FT305:7']);
  });

  test('FT401/FT402: lazy statics and static counters, unless locked or in module init', async () => {
    const text = `${HEADER}static PyObject *json;
static long calls;
static _Atomic long atomic_calls;
static PyMutex lock;
static PyObject *f(void) {
  calls++;
  atomic_calls++;
  if (json == NULL) {
    json = PyImport_ImportModule("json");
  }
  PyMutex_Lock(&lock);
  calls += 2;
  PyMutex_Unlock(&lock);
  return json;
}
static int exec_module(PyObject *m) { calls = calls + 1; if (!json) json = PyImport_ImportModule("json"); return 0; }
static PyModuleDef_Slot slots[] = {{Py_mod_exec, exec_module}, {Py_mod_gil, Py_MOD_GIL_NOT_USED}, {0, NULL}};
`;
    assert.deepEqual(await findings(text), ['FT402:7', 'FT401:9']);
  });

  test('garbage never throws', async () => {
    for (const text of ['', '\u0000\u0001', '{'.repeat(5000), '#if\n#endif\n#endif\n#else', 'Py_BEGIN_CRITICAL_SECTION(', 'Py_END_CRITICAL_SECTION();'.repeat(100), 'int f( { return PyDict_GetItem(', '#define A(x) A(x)\nA(1)\n']) {
      await findings(text);
    }
  });
});

describe('netifaces (shared corpus)', { skip: needsCorpus }, () => {
  test('the missing declaration at the module definition; lookups on dicts the function just made are not hazards', async () => {
    const path = join(corpusDir, 'sources', 'netifaces', 'netifaces.c');
    const result = await analyzeC({ path, language: 'c', text: readFileSync(path, 'utf8') }, { build: NO_BUILD_FACTS });
    const got = result.findings.map((f) => `${f.rule}:${f.line}`);
    // Every finding, judged by reading the code:
    const expected: Array<[string, boolean, string]> = [
      ['FT002:2580', true, 'MODULE_INIT(netifaces) expands to PyInit_netifaces, which calls PyModule_Create and never PyUnstable_Module_SetGIL'],
      ['FT401:631', true, 'Windows path: two threads can both see ptr_is_set == 0 and race on the static ptr and flag (a data race in C, and LoadLibrary twice)'],
      ['FT401:647', true, 'the same check-then-set as line 631, for the ANSI variant'],
    ];
    assert.deepEqual(got.sort(), expected.map(([f]) => f).sort());
    const truePositives = expected.filter(([, isTrue]) => isTrue).length;
    assert.ok(truePositives / expected.length >= 0.8);
    for (const line of [698, 1513, 1637, 1738, 2002]) assert.ok(!got.some((f) => f.endsWith(`:${line}`)), `line ${line} is a lookup on a dict its function (or every caller) just made`);
    assert.equal(result.declaresFreeThreading, false);
  });
});
