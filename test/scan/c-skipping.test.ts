import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { NO_BUILD_FACTS } from '../../src/scan/analyzer.js';
import { cAnalyzer } from '../../src/scan/analyzers/c.js';
import { planSkips } from '../../src/scan/c/c-relevance.js';
import { hiddenBraces } from '../../src/scan/c/hidden-braces.js';
import { preprocess } from '../../src/scan/c/preprocessor.js';
import { corpusDir, needsCorpus, repoRoot } from '../helpers/paths.js';

// The C analyzer leaves out of the parse what no rule needs: functions, and
// inside functions blocks and statements that name nothing a rule follows
// (c-relevance.ts). That must never change a finding: each source here is
// analysed with and without skipping, and the findings must be the same.

const skipping = cAnalyzer({ skip: true });
const whole = cAnalyzer({ skip: false });

async function findings(analyzer: typeof skipping, path: string, text: string): Promise<string[]> {
  const result = await analyzer({ path, language: path.endsWith('.c') ? 'c' : 'cpp', text }, { build: NO_BUILD_FACTS });
  return result.findings.map((f) => `${f.rule}:${f.line}:${f.column}:${f.severity ?? ''}:${f.detail ?? ''}`).sort();
}

/** How much of the text a plan leaves out. */
function skippedShare(text: string): number {
  const pre = preprocess(text);
  const hb = hiddenBraces(pre.parseText, pre.parseCode);
  let skipped = 0;
  let at = 0;
  for (const [start, end] of planSkips(hb.parseCode, hb.regions).ranges) {
    skipped += Math.max(0, end - Math.max(start, at));
    at = Math.max(at, end);
  }
  return skipped / text.length;
}

const HEADER = '#include <Python.h>\n';

// Each hides what decides a finding among code that does not matter.
const TRICKY: Record<string, { text: string; expected: string[]; minSkipped?: number }> = {
  'a container made shared deep inside unrelated code': {
    text: `${HEADER}static PyObject *cache;
static PyObject *lookup(PyObject *self, PyObject *key) {
    PyObject *d = PyDict_New();
    int i, n = 10;
    for (i = 0; i < n; i++) {
        int tmp = i * 2;
        printf("%d", tmp);
        if (tmp > 4) {
            long unrelated = tmp + 1;
            d = cache;
        }
        n -= 1;
    }
    return PyDict_GetItem(d, key);
}
static PyObject *fresh(PyObject *self, PyObject *key) {
    PyObject *d = PyDict_New();
    for (int i = 0; i < 3; i++) { int t = i; t++; printf("%d", t); }
    return PyDict_GetItem(d, key);
}
`,
    expected: ['FT102:15'],
  },
  'a container named like a constant, made shared in a nested block': {
    text: `${HEADER}static PyObject *h(PyObject *self, PyObject *SHARED) {
    PyObject *DICT = PyDict_New();
    int n = 0;
    while (n < 3) {
        n++;
        if (n == 2) {
            DICT = SHARED;
        }
    }
    return PyDict_GetItem(DICT, PyLong_FromLong(n));
}
static PyObject *made_here(PyObject *self, PyObject *SHARED) {
    PyObject *DICT = SHARED;
    int n = 0;
    while (n < 3) { n++; if (n == 2) { DICT = PyDict_New(); } }
    return PyDict_GetItem(DICT, PyLong_FromLong(n));
}
`,
    expected: ['FT102:11'],
  },
  'structs, initialisers, do-while, switch, labels and statement expressions around the assignment': {
    text: `${HEADER}static PyObject *f(PyObject *args, PyObject *shared) {
    struct point { int x; int y; };
    struct point p = { 1, 2 };
    int arr[] = { 1, 2, 3 };
    PyObject *d = PyDict_New();
    do { p.x++; } while (p.x < 3);
    switch (p.y) {
    case 1:
        d = shared;
        break;
    default:
        p.y = ({ int t = 3; t; });
    }
    if (p.x) p.y = 1; else p.y = arr[0];
retry:
    if (p.y > 5) goto retry;
    return PyDict_GetItem(d, PyTuple_GET_ITEM(args, 0));
}
`,
    expected: ['FT102:18'],
  },
  'whole quiet statements go, but not an else, a do-while tail or a braceless branch': {
    text: `${HEADER}static PyObject *k(PyObject *self, PyObject *shared, int flag) {
    PyObject *d = PyDict_New();
    int i = 0;
    do i++; while (i < 3);
    do { i--; } while (i > 0);
    if (flag) i = 1; else d = shared;
    if (flag > 1) { i = 2; } else { i = 3; }
    for (i = 0; i < 3; i++) if (i == 2) break;
    while (i > 0) i--;
    switch (flag) { case 1: i = 5; break; default: i = 6; }
    return PyDict_GetItem(d, PyLong_FromLong(i));
}
`,
    expected: ['FT102:12'],
  },
  'static state changed inside loops and macro blocks': {
    text: `${HEADER}#define FOR_EACH(i, n) for (i = 0; i < (n); i++)
static long calls;
static PyObject *json;
static PyObject *g(PyObject *self, PyObject *args) {
    int i, total = 0;
    FOR_EACH(i, 10) {
        total += i;
        if (total > 20) {
            calls++;
        }
    }
    Py_BEGIN_ALLOW_THREADS
    total *= 2;
    Py_END_ALLOW_THREADS
    while (total > 0) {
        total--;
        if (!json) { json = PyImport_ImportModule("json"); }
    }
    return PyLong_FromLong(total);
}
`,
    expected: ['FT401:18', 'FT402:10'],
  },
  'a static helper whose callers decide, one of them in a loop': {
    text: `${HEADER}static PyObject *registry;
static int add(PyObject *dict, PyObject *key, PyObject *value) {
    PyObject *list = PyDict_GetItem(dict, key);
    return list ? PyList_Append(list, value) : PyDict_SetItem(dict, key, value);
}
static PyObject *private_use(PyObject *self, PyObject *args) {
    PyObject *d = PyDict_New();
    for (int i = 0; i < 3; i++) {
        PyObject *k = PyLong_FromLong(i);
        int ignored = i * 3;
        add(d, k, k);
    }
    return d;
}
static PyObject *shared_use(PyObject *self, PyObject *key) {
    int n = 0;
    while (n < 3) { n++; if (n == 2) { add(registry, key, key); } }
    return Py_None;
}
`,
    expected: ['FT102:4'],
  },
  'generated tables of literals beside a module definition and its slots': {
    text: `${HEADER}static const unsigned char table[] = {
${'    0x01, 0x1F, 2, 3, 1e5, 2.0f, .5f, 07,\n'.repeat(40)}};
static const char *words[] = { "alpha", "beta", "PyDict_GetItem" };
static PyObject *cache;
static PyObject *lookup(PyObject *self, PyObject *key) {
    return PyDict_GetItem(cache, key);
}
static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, NULL},
    {0, NULL}
};
static struct PyModuleDef def = { .m_base = PyModuleDef_HEAD_INIT, .m_name = "m", .m_slots = slots };
PyMODINIT_FUNC PyInit_m(void) { return PyModuleDef_Init(&def); }
`,
    expected: ['FT001:53', 'FT102:47'],
    // The tables are most of the file.
    minSkipped: 0.7,
  },
  'C++: namespaces, classes, lambdas and pybind11': {
    text: `${HEADER}#include <pybind11/pybind11.h>
namespace py = pybind11;
namespace detail {
static PyObject *table;
struct Holder {
    int size() const { return 3; }
    PyObject *get(PyObject *key) {
        auto twice = [](int x) { return x * 2; };
        int n = twice(size());
        if (n > 4) { n--; }
        return PyDict_GetItem(table, key);
    }
};
}
PYBIND11_MODULE(spam, m) {
    m.def("f", []() { return 1; });
}
`,
    expected: ['FT007:16', 'FT102:12'],
  },
};

/** The C and C++ examples on the rule pages. */
function ruleExamples(): Array<{ name: string; text: string }> {
  const dir = join(repoRoot, 'docs', 'rules');
  const out: Array<{ name: string; text: string }> = [];
  for (const page of readdirSync(dir).filter((f) => /^FT\d{3}\.md$/.test(f))) {
    const markdown = readFileSync(join(dir, page), 'utf8');
    let i = 0;
    for (const m of markdown.matchAll(/^```(c|cpp) (bad|good)[^\n]*\n([\s\S]*?)^```/gm)) out.push({ name: `${page}-${i++}.${m[1]}`, text: m[3]! });
  }
  return out;
}

describe('leaving out of the parse what no rule needs', () => {
  for (const [name, { text, expected, minSkipped = 0.05 }] of Object.entries(TRICKY)) {
    test(name, async () => {
      const path = name.startsWith('C++') ? 'x.cpp' : 'x.c';
      const got = await findings(skipping, path, text);
      assert.deepEqual(got.map((f) => f.split(':').slice(0, 2).join(':')), [...expected].sort());
      assert.deepEqual(got, await findings(whole, path, text));
      // The case is only a test of skipping if something was skipped.
      assert.ok(skippedShare(text) > minSkipped, `only ${(skippedShare(text) * 100).toFixed(1)}% was left out`);
    });
  }

  test('every C and C++ example on the rule pages: the same findings', async () => {
    const examples = ruleExamples();
    assert.ok(examples.length >= 20, `only ${examples.length} examples found`);
    for (const { name, text } of examples) assert.deepEqual(await findings(skipping, name, text), await findings(whole, name, text), name);
  });

  test('netifaces (shared corpus): the same findings, from a parse of less than half the file', { skip: needsCorpus }, async () => {
    const path = join(corpusDir, 'sources', 'netifaces', 'netifaces.c');
    const text = readFileSync(path, 'utf8');
    assert.deepEqual(await findings(skipping, 'netifaces.c', text), await findings(whole, 'netifaces.c', text));
    assert.ok(skippedShare(text) > 0.5, `${(skippedShare(text) * 100).toFixed(1)}% was left out`);
  });
});
