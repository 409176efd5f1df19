import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import type { BuildFacts, FileAnalysis, RawFinding } from '../../src/scan/analyzer.js';
import { analyzeCython } from '../../src/scan/analyzers/cython.js';
import { directiveFlag, readCythonDirectives, readDirectiveComments } from '../../src/scan/cython/directives.js';
import { logicalLines, tokenize } from '../../src/scan/cython/tokens.js';
import { needsCorpus, repoRoot } from '../helpers/paths.js';

const NO_BUILD: BuildFacts = { pyo3: [], cythonDirectives: [] };
const DECLARED = '# cython: freethreading_compatible=True\n';

function scan(text: string, path = 'pkg/mod.pyx', build: BuildFacts = NO_BUILD): FileAnalysis {
  return analyzeCython({ path, language: 'cython', text }, { build }) as FileAnalysis;
}

/** Findings as "RULE line:col key=value [severity]", for exact comparisons. */
function brief(findings: readonly RawFinding[]): string[] {
  return findings.map((f) => {
    const params = Object.entries(f.params ?? {}).map(([k, v]) => ` ${k}=${v}`).join('');
    return `${f.rule} ${f.line}:${f.column}${params}${f.severity ? ` [${f.severity}]` : ''}`;
  });
}

/** The findings of a declared module (so FT005 stays out of the way) as brief strings. */
function hazards(body: string, path = 'pkg/mod.pyx'): string[] {
  return brief(scan(DECLARED + body, path).findings);
}

/** Tokens as "kind:text", markers as their kind. */
function kinds(text: string): string[] {
  return tokenize(text).tokens.map((t) => (t.text === '' ? t.kind : `${t.kind}:${t.text}`));
}

// ---- tokenizer ----

describe('tokenizer', () => {
  test('strings with quotes and escapes, and comments with quotes in them', () => {
    assert.deepEqual(kinds(`x = "a\\"b" + 'it''s' # don't "stop"\n`), [
      'name:x', 'op:=', 'string:"a\\"b"', 'op:+', "string:'it'", "string:'s'", `comment:# don't "stop"`, 'newline',
    ]);
    const t = tokenize(`s = r"\\"" # c\n`).tokens;
    assert.equal(t[2]!.text, 'r"\\""', 'a backslash keeps the quote in a raw string too');
    assert.equal(t[2]!.value, '\\"');
    assert.equal(t[2]!.prefix, 'r');
  });

  test('string prefixes and their combinations; a longer name before a quote is a name', () => {
    const t = tokenize(`rb'x' Br"y" f'{a}' c'z' u'w' RF"v" bad'x'\n`).tokens;
    assert.deepEqual(t.map((x) => `${x.kind}:${x.prefix ?? ''}`), [
      'string:rb', 'string:br', 'string:f', 'string:c', 'string:u', 'string:rf', 'name:', 'string:', 'newline:',
    ]);
  });

  test('a triple-quoted string spans lines, and the tokens after it keep their lines and columns', () => {
    const t = tokenize(`s = '''a\n"b" # not a comment\n'''; y = 1\n`).tokens;
    assert.equal(t[2]!.kind, 'string');
    assert.equal(t[2]!.value, 'a\n"b" # not a comment\n');
    assert.deepEqual([t[2]!.line, t[2]!.column], [1, 5]);
    const y = t.find((x) => x.text === 'y')!;
    assert.deepEqual([y.line, y.column], [3, 6]);
    assert.equal(t.filter((x) => x.kind === 'comment').length, 0);
  });

  test('brackets across lines give no NEWLINE and no INDENT; a backslash joins lines', () => {
    assert.deepEqual(kinds('f(a,\n      b)\nx = 1 + \\\n      2\n'), [
      'name:f', 'op:(', 'name:a', 'op:,', 'name:b', 'op:)', 'newline', 'name:x', 'op:=', 'number:1', 'op:+', 'number:2', 'newline',
    ]);
    const lines = logicalLines(tokenize('d = {\n  1: 2,\n}\nif x:\n    y = [\n1]\n').tokens);
    assert.deepEqual(lines.map((l) => [l.depth, l.tokens.map((t) => t.text).join(' ')]), [
      [0, 'd = { 1 : 2 , }'],
      [0, 'if x :'],
      [1, 'y = [ 1 ]'],
    ]);
  });

  test('indentation: tabs count to the next multiple of 8, blank and comment-only lines change nothing', () => {
    const text = 'if a:\n\tb = 1\n        c = 2\n\n  # a comment at another indentation\n\td = 3\ne = 4\n';
    assert.deepEqual(kinds(text).filter((k) => k === 'indent' || k === 'dedent' || k.startsWith('name')), [
      'name:if', 'name:a', 'indent', 'name:b', 'name:c', 'name:d', 'dedent', 'name:e',
    ]);
    assert.deepEqual(tokenize(text).problems, []);
    const lines = logicalLines(tokenize(text).tokens);
    assert.deepEqual(lines.map((l) => l.depth), [0, 1, 1, 1, 0]);
  });

  test('a dedent to an unknown level is a problem, and the line stays in the enclosing block', () => {
    const r = tokenize('if x:\n    a\n  b\n');
    assert.deepEqual(r.problems, ['line 3: unindent does not match any outer indentation level']);
    assert.deepEqual(logicalLines(r.tokens).map((l) => l.depth), [0, 1, 0]);
  });

  test('unterminated strings end at the end of their line, or of the file, with a problem', () => {
    const r = tokenize(`s = 'abc\nt = "x\\\ny"\nu = """never closed\nv = 1\n`);
    assert.deepEqual(r.tokens.filter((t) => t.kind === 'string').map((t) => t.text), [`'abc`, '"x\\\ny"', '"""never closed\nv = 1\n']);
    assert.deepEqual(r.problems, ['line 1: unterminated string', 'line 4: unterminated triple-quoted string']);
    assert.equal(r.tokens.find((t) => t.text === 't')!.line, 2);
  });

  test('CRLF and CR line endings; a byte-order mark takes no column', () => {
    const t = tokenize('\uFEFFx = 1\r\ny = 2\rz = 3').tokens.filter((x) => x.kind === 'name');
    assert.deepEqual(t.map((x) => `${x.text}@${x.line}:${x.column}`), ['x@1:1', 'y@2:1', 'z@3:1']);
  });

  test('numbers, operators and junk characters', () => {
    assert.deepEqual(kinds('a = 1e-5 + 0x1e+3 ** .5j // 2 >>= b -> c := d ... $ ?\n'), [
      'name:a', 'op:=', 'number:1e-5', 'op:+', 'number:0x1e', 'op:+', 'number:3', 'op:**', 'number:.5j', 'op://', 'number:2',
      'op:>>=', 'name:b', 'op:->', 'name:c', 'op::=', 'name:d', 'op:...', 'op:$', 'op:?', 'newline',
    ]);
  });

  test('unbalanced brackets are problems, counted past the first few', () => {
    const r = tokenize(')'.repeat(50) + '\n');
    assert.equal(r.problems.length, 20);
    assert.equal(r.problemCount, 50);
    assert.deepEqual(tokenize('f((\n').problems, ['line 2: 2 bracket(s) never closed']);
  });
});

// ---- directives ----

describe('directive comments', () => {
  const read = (text: string) => readDirectiveComments(tokenize(text).tokens);

  test('comment lines in column 1 before the first code, as Cython reads them', () => {
    const text = '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n#cython: language_level=3\n\n  # cython: boundscheck=False\n# cython:  freethreading_compatible = True , wraparound=False\nimport x\n# cython: cdivision=True\n';
    assert.deepEqual(read(text), { directives: { language_level: '3', freethreading_compatible: 'True', wraparound: 'False' }, problems: [] });
  });

  test('after code, including a docstring, a directive comment does not count', () => {
    assert.deepEqual(read('"""Module doc."""\n# cython: freethreading_compatible=True\n').directives, {});
    assert.deepEqual(read('x = 1\n# cython: freethreading_compatible=True\n').directives, {});
  });

  test('only True and False: a line Cython rejects sets nothing and is a problem', () => {
    const lower = read('# cython: freethreading_compatible=true, language_level=3\n');
    assert.deepEqual(lower.directives, {});
    assert.deepEqual(lower.problems, ['line 1: Cython rejects this directive comment: freethreading_compatible=true is not valid: it must be True or False']);
    assert.deepEqual(read('# cython: freethreading_compatible=True  # trailing comment\n').directives, {});
    assert.deepEqual(read('# cython: language_level=3, boundscheck\n').problems, ['line 1: Cython rejects this directive comment: expected "=" in "boundscheck"']);
    assert.deepEqual(read('# cython: just words\n'), { directives: {}, problems: [] }, 'not a directive comment at all');
  });

  test('directiveFlag: exact in comments, relaxed on the command line', () => {
    assert.equal(directiveFlag('True', false), true);
    assert.equal(directiveFlag('False', false), false);
    assert.equal(directiveFlag('true', false), null);
    assert.equal(directiveFlag('YES', true), true);
    assert.equal(directiveFlag('no', true), false);
    assert.equal(directiveFlag('1', true), null);
    assert.equal(directiveFlag(undefined, true), null);
  });
});

describe('build-file directives', () => {
  test('setup.py: cythonize compiler_directives, Extension cython_directives, through variables', () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['setup(ext_modules=cythonize(exts, compiler_directives={"language_level": 3, \'freethreading_compatible\': True}))', { language_level: '3', freethreading_compatible: 'True' }],
      ['directives = {"language_level": "3"}\ndirectives["freethreading_compatible"] = True\ndirectives.update(binding=False)\ncythonize(exts, compiler_directives=directives)', { language_level: '3', freethreading_compatible: 'True', binding: 'False' }],
      ['d = dict(freethreading_compatible=True)\nExtension("m", ["m.pyx"], cython_directives=d)', { freethreading_compatible: 'True' }],
      ['ext.cython_directives = {"freethreading_compatible": False}', { freethreading_compatible: 'False' }],
      ['cythonize(exts, compiler_directives={**BASE, "freethreading_compatible": FT})', {}],
      ['subprocess.run(["cython", "-X", "freethreading_compatible=yes", "m.pyx"])', { freethreading_compatible: 'True' }],
      ['# compiler_directives={"freethreading_compatible": True}\nhelp = "compiler_directives={\'freethreading_compatible\': True}"', {}],
      ['other = {"freethreading_compatible": True}\ncythonize(exts)', {}],
    ];
    for (const [text, expected] of cases) assert.deepEqual(readCythonDirectives(text, 'setup.py'), expected, text);
  });

  test('meson.build and CMakeLists.txt: -X, -Xname=value and --directive', () => {
    assert.deepEqual(readCythonDirectives("py.extension_module('m', 'm.pyx', cython_args: ['-X', 'freethreading_compatible=True'])", 'meson.build'), { freethreading_compatible: 'True' });
    assert.deepEqual(readCythonDirectives("cython_args = ['-Xfreethreading_compatible=true', '--directive=language_level=3']  # '-X', 'x=y'", 'sub/meson.build'), { freethreading_compatible: 'True', language_level: '3' });
    assert.deepEqual(readCythonDirectives("add_project_arguments('-X', 'freethreading_compatible=True', language : 'cython')", 'meson.build'), { freethreading_compatible: 'True' });
    assert.deepEqual(readCythonDirectives('add_custom_command(OUTPUT m.c COMMAND cython -X freethreading_compatible=True m.pyx) # -X boundscheck=False', 'CMakeLists.txt'), { freethreading_compatible: 'True' });
    assert.deepEqual(readCythonDirectives('set(FLAGS "-X freethreading_compatible=True")\ncython_transpile(m.pyx CYTHON_ARGS "-X;language_level=3")\n#[[ -X wraparound=False ]]', 'CMakeLists.txt'), { freethreading_compatible: 'True', language_level: '3' });
  });

  test('pyproject.toml: hatch-cython and the aio-libs in-tree backend; there is no [tool.cython]', () => {
    const hatch = '[tool.hatch.build.targets.wheel.hooks.cython.options]\ndirectives = { boundscheck = false, freethreading_compatible = true, language_level = 3 }\n';
    assert.deepEqual(readCythonDirectives(hatch, 'pyproject.toml'), { boundscheck: 'False', freethreading_compatible: 'True', language_level: '3' });
    const local = '[tool.local.cythonize.kwargs.directive]\nfreethreading_compatible = "True"\nlanguage_level = "3"\n';
    assert.deepEqual(readCythonDirectives(local, 'pyproject.toml'), { freethreading_compatible: 'True', language_level: '3' });
    assert.deepEqual(readCythonDirectives('[tool.cython]\nfreethreading_compatible = true\n', 'pyproject.toml'), {});
    assert.deepEqual(readCythonDirectives('[build.hooks.cython.options]\ndirectives = { freethreading_compatible = false }\n', 'hatch.toml'), { freethreading_compatible: 'False' });
  });

  test('unknown files and broken content give {} and never throw', () => {
    assert.deepEqual(readCythonDirectives('[[[ not toml', 'pyproject.toml'), {});
    assert.deepEqual(readCythonDirectives('x = 1', 'setup.cfg'), {});
    for (const name of ['setup.py', 'meson.build', 'CMakeLists.txt', 'pyproject.toml']) {
      for (const text of ['', '"', "cythonize(compiler_directives={'freethreading_compatible'", '-X', '((((', '\u0000\uffff\ud800', '[a.b.c]\n'.repeat(3)]) {
        assert.doesNotThrow(() => readCythonDirectives(text, name), `${name}: ${JSON.stringify(text)}`);
      }
    }
  });
});

// ---- FT005 ----

describe('FT005 missing-cython-freethreading-compatible', () => {
  test('a .pyx without the directive is reported at 1:1 with its module name', () => {
    const r = scan('# cython: language_level=3\ndef f():\n    pass\n', 'pkg/fast.pyx');
    assert.deepEqual(brief(r.findings), ['FT005 1:1 name=fast']);
    assert.equal(r.declaresFreeThreading, false);
  });

  test('declared in the directive comment: no finding, and the module declares free-threading', () => {
    const r = scan('# cython: language_level=3\n# cython: freethreading_compatible=True\n');
    assert.deepEqual(r.findings, []);
    assert.equal(r.declaresFreeThreading, true);
  });

  test('a directive after code does not count', () => {
    assert.deepEqual(brief(scan('import x\n# cython: freethreading_compatible=True\n').findings), ['FT005 1:1 name=mod']);
  });

  test('an explicit False is an opt-out, reported as info', () => {
    const r = scan('# cython: freethreading_compatible=False\n');
    assert.deepEqual(brief(r.findings), ['FT005 1:1 name=mod [info]']);
    assert.equal(r.declaresFreeThreading, false);
  });

  test('a value Cython rejects is reported, with a note', () => {
    const r = scan('# cython: freethreading_compatible=true\n');
    assert.deepEqual(brief(r.findings), ['FT005 1:1 name=mod']);
    assert.deepEqual(r.notes, ['pkg/mod.pyx: line 1: Cython rejects this directive comment: freethreading_compatible=true is not valid: it must be True or False']);
  });

  test('build facts: the entries with the longest directory prefix apply; the file comment overrides them', () => {
    const build: BuildFacts = {
      pyo3: [],
      cythonDirectives: [
        { dir: '', directives: { freethreading_compatible: 'True' }, file: 'setup.py' },
        { dir: '', directives: { language_level: '3' }, file: 'pyproject.toml' },
        { dir: 'pkg/legacy', directives: { freethreading_compatible: 'False' }, file: 'pkg/legacy/meson.build' },
        { dir: 'pkg/other', directives: { language_level: '3' }, file: 'pkg/other/meson.build' },
      ],
    };
    assert.equal(scan('', 'pkg/a.pyx', build).declaresFreeThreading, true);
    assert.deepEqual(brief(scan('', 'pkg/legacy/b.pyx', build).findings), ['FT005 1:1 name=b [info]']);
    assert.equal(scan('', 'pkg/legacyish/c.pyx', build).declaresFreeThreading, true, 'pkg/legacy is not a prefix of pkg/legacyish');
    assert.deepEqual(brief(scan('', 'pkg/other/d.pyx', build).findings), ['FT005 1:1 name=d'], 'the closest entry does not set it');
    assert.equal(scan(DECLARED, 'pkg/legacy/e.pyx', build).declaresFreeThreading, true);
  });

  test('.pxd and .pxi files are not modules', () => {
    for (const path of ['pkg/mod.pxd', 'pkg/inc.pxi']) {
      const r = scan('cdef int x\n', path);
      assert.deepEqual(r.findings, []);
      assert.equal(r.declaresFreeThreading, null);
    }
  });
});

test('includes: the include statements, as written', () => {
  const r = scan(DECLARED + 'include "helpers.pxi"\nIF UNAME_SYSNAME == "Linux":\n    include \'sub/linux.pxi\'\nx = "include \\"no.pxi\\""\n# include "comment.pxi"\n');
  assert.deepEqual(r.includes, ['helpers.pxi', 'sub/linux.pxi']);
});

// ---- FT101–FT107 ----

describe('FT101–FT107 borrowed references in Cython', () => {
  test('every API, with its rule, when cimported', () => {
    const body = [
      'from cpython.list cimport PyList_GetItem, PyList_GET_ITEM',
      'from cpython.dict cimport (PyDict_GetItem, PyDict_GetItemWithError,',
      '    PyDict_GetItemString, PyDict_SetDefault)',
      'from cpython.weakref cimport PyWeakref_GetObject, PyWeakref_GET_OBJECT',
      'from cpython.module cimport PyImport_AddModule',
      'from cpython.cellobject cimport PyCell_GET',
      'def f(l, d, k, r, c):',
      '    a = PyList_GetItem(l, 0)',
      '    b = PyList_GET_ITEM(l, 0)',
      '    e = PyDict_GetItem(d, k)',
      '    g = PyDict_GetItemWithError(d, k)',
      '    h = PyDict_GetItemString(d, b"k")',
      '    i = PyDict_SetDefault(d, k, 0)',
      '    j = PyWeakref_GetObject(r)',
      '    m = PyWeakref_GET_OBJECT(r)',
      '    n = PyImport_AddModule(b"__main__")',
      '    o = PyCell_GET(c)',
    ].join('\n');
    assert.deepEqual(hazards(body), [
      'FT101 9:9 api=PyList_GetItem',
      'FT101 10:9 api=PyList_GET_ITEM',
      'FT102 11:9 api=PyDict_GetItem',
      'FT102 12:9 api=PyDict_GetItemWithError',
      'FT103 13:9 api=PyDict_GetItemString',
      'FT104 14:9 api=PyDict_SetDefault',
      'FT105 15:9 api=PyWeakref_GetObject',
      'FT105 16:9 api=PyWeakref_GET_OBJECT',
      'FT106 17:9 api=PyImport_AddModule',
      'FT107 18:9 api=PyCell_GET',
    ]);
  });

  test('cimport forms: from cpython, star imports, aliases, qualified module cimports', () => {
    assert.deepEqual(hazards('from cpython cimport PyDict_GetItem\ndef f(d, k):\n    return <object>PyDict_GetItem(d, k)\n'), ['FT102 4:20 api=PyDict_GetItem']);
    assert.deepEqual(hazards('from cpython.list cimport *\ndef f(l):\n    return PyList_GET_ITEM(l, 0)\n'), ['FT101 4:12 api=PyList_GET_ITEM']);
    assert.deepEqual(hazards('from cpython cimport *\ndef f(l, c):\n    PyList_GetItem(l, 0)\n    PyCell_GET(c)\n'), ['FT101 4:5 api=PyList_GetItem'], 'cpython/__init__.pxd does not cimport cellobject');
    assert.deepEqual(hazards('from cpython.dict cimport PyDict_GetItemString as get\ndef f(d):\n    return get(d, b"k")\n'), ['FT103 4:12 api=PyDict_GetItemString']);
    assert.deepEqual(hazards('cimport cpython.dict as cd\ncimport cpython\ndef f(d, k):\n    cd.PyDict_GetItem(d, k)\n    cpython.dict.PyDict_GetItem(d, k)\n    ctypes.pythonapi.PyDict_GetItem(d, k)\n'), [
      'FT102 5:8 api=PyDict_GetItem',
      'FT102 6:18 api=PyDict_GetItem',
    ]);
  });

  test('declared in a cdef extern block, also under another name; the declarations themselves are not calls', () => {
    const body = [
      'cdef extern from "Python.h":',
      '    PyObject* PyDict_GetItem(object p, object key)',
      '    object get_cell "PyCell_GET"(object cell)',
      '    PyObject* PyList_GetItem(object, Py_ssize_t) except NULL',
      'cdef extern PyObject* PyWeakref_GetObject(object)',
      'def f(d, k, c, r):',
      '    x = PyDict_GetItem(d, k)',
      '    y = get_cell(c)',
      '    z = PyWeakref_GetObject(r)',
    ].join('\n');
    assert.deepEqual(hazards(body), ['FT102 8:9 api=PyDict_GetItem', 'FT107 9:9 api=PyCell_GET', 'FT105 10:9 api=PyWeakref_GetObject']);
  });

  test('not cimported or declared: not the C API, so not reported; a .pxi sees its includer\'s cimports', () => {
    const body = 'def f(d, k):\n    return PyDict_GetItem(d, k)\n';
    assert.deepEqual(hazards(body), []);
    assert.deepEqual(brief(scan(body, 'pkg/inc.pxi').findings), ['FT102 2:12 api=PyDict_GetItem']);
  });

  test('names in strings and comments are not calls', () => {
    assert.deepEqual(hazards('from cpython.dict cimport PyDict_GetItem\n# PyDict_GetItem(d, k)\ns = "PyDict_GetItem(d, k)"\n'), []);
  });

  test('grading: a fresh local is private, a module-level global is an error, anything else the default', () => {
    const body = [
      'from cpython.dict cimport PyDict_GetItem',
      'from cpython.list cimport PyList_GET_ITEM',
      'from cpython.dict cimport PyDict_New',
      '_registry = {}',
      'def f(d, k, **kwargs):',
      '    a = {}',
      '    b = dict(x=1)',
      '    c = []',
      '    cdef dict e = PyDict_New()',
      '    PyDict_GetItem(a, k)',
      '    PyDict_GetItem(<object>b, k)',
      '    PyList_GET_ITEM(c, 0)',
      '    PyDict_GetItem(e, k)',
      '    PyDict_GetItem(kwargs, k)',
      '    PyDict_GetItem(_registry, k)',
      '    PyDict_GetItem(d, k)',
      '    PyDict_GetItem(self.cache, k)',
      '    g = d.copy()',
      '    PyDict_GetItem(g, k)',
      'def g(k):',
      '    _registry = {}',
      '    PyDict_GetItem(_registry, k)',
      'def h(k):',
      '    local = {}',
      '    self.cache = local',
      '    PyDict_GetItem(local, k)',
      'def i(k, flag):',
      '    x = {}',
      '    if flag:',
      '        x = shared()',
      '    PyDict_GetItem(x, k)',
    ].join('\n');
    assert.deepEqual(hazards(body), [
      'FT102 16:5 api=PyDict_GetItem [error]',
      'FT102 17:5 api=PyDict_GetItem',
      'FT102 18:5 api=PyDict_GetItem',
      'FT102 20:5 api=PyDict_GetItem',
      'FT102 27:5 api=PyDict_GetItem',
      'FT102 32:5 api=PyDict_GetItem',
    ]);
    const global = scan(DECLARED + body).findings.find((f) => f.severity === 'error')!;
    assert.equal(global.detail, '_registry is a module-level global');
  });
});

// ---- FT602 ----

describe('FT602 cython-with-gil-as-lock', () => {
  test('a nogil function writing a global inside with gil', () => {
    const body = [
      'cdef long n_events = 0',
      'cdef void on_event(long code) noexcept nogil:',
      '    global n_events',
      '    with gil:',
      '        n_events += 1',
    ].join('\n');
    assert.deepEqual(hazards(body), ['FT602 5:5']);
    assert.equal(scan(DECLARED + body).findings[0]!.detail, 'it changes n_events');
  });

  test('attributes of self or of a parameter, module containers, in with nogil or prange', () => {
    const body = [
      'import cython',
      'from cython.parallel cimport prange',
      'results = []',
      'cdef class Worker:',
      '    cdef int count',
      '    cdef void tick(self) nogil:',
      '        with gil: self.count += 1',
      'def run(state, int n):',
      '    cdef int i',
      '    with nogil:',
      '        with gil:',
      '            state.done = True',
      '    for i in prange(n, nogil=True):',
      '        with gil:',
      '            results.append(i)',
      '    for i in cython.parallel.prange(n, nogil=True, schedule="static"):',
      '        with gil:',
      '            _table[i] = i',
      '_table = {}',
    ].join('\n');
    assert.deepEqual(hazards(body), ['FT602 8:9', 'FT602 12:9', 'FT602 15:9', 'FT602 18:9']);
  });

  test('with gil that raises, prints, calls with locals or writes locals is not reported', () => {
    const body = [
      'cdef int cb(void* ctx, int code, double* out) noexcept nogil:',
      '    cdef int i = 0',
      '    with gil:',
      '        print("code", code)',
      '        obj = <object>ctx',
      '        obj.result = code',
      '        items = []',
      '        items.append(code)',
      '        handle(obj, code)',
      '    with gil:',
      '        raise ValueError(code)',
      '    out[i] = 1.0',
      '    with gil:',
      '        out[i] = 2.0',
      'cimport cython',
      'cdef cython.pymutex lock',
      'cdef long n = 0',
      'cdef void locked(Obj o) noexcept nogil:',
      '    global n',
      '    with lock:',
      '        with gil:',
      '            n += 1',
      '    with gil:',
      '        with cython.critical_section(o):',
      '            o.count += 1',
    ].join('\n');
    assert.deepEqual(hazards(body), []);
  });

  test('with gil where the GIL is already held is not this rule', () => {
    const body = ['counter = []', 'def f():', '    with gil:', '        counter.append(1)', '    with nogil:', '        with gil:', '            with gil:', '                pass'].join('\n');
    assert.deepEqual(hazards(body).filter((f) => f.startsWith('FT602')), []);
  });
});

// ---- FT605 ----

describe('FT605 cython-module-state-mutated', () => {
  test('globals rebound and module containers or C arrays changed in def, cdef and cpdef functions', () => {
    const body = [
      'import collections',
      'cdef long total = 0',
      'cdef int table[16]',
      'cdef dict _typed = {}',
      '_cache = {}',
      '_seen = set()',
      '_counts = collections.defaultdict(int)',
      'REGISTRY: list = []',
      'def work(k):',
      '    global total',
      '    total += 1',
      '    total = total * 2',
      '    _cache[k] = 1',
      'cdef void c_work(int k):',
      '    table[k] = 1',
      '    _typed.pop(k, None)',
      'cpdef p_work(k):',
      '    _seen.add(k)',
      '    _counts[k] += 1',
      '    del _cache[k]',
      '    REGISTRY.append(k)',
    ].join('\n');
    assert.deepEqual(hazards(body), [
      'FT605 12:5 name=total',
      'FT605 14:5 name=_cache',
      'FT605 16:5 name=table',
      'FT605 17:5 name=_typed',
      'FT605 19:5 name=_seen',
      'FT605 20:5 name=_counts',
      'FT605 21:9 name=_cache',
      'FT605 22:5 name=REGISTRY',
    ]);
  });

  test('under a lock, a pymutex, a critical section, or between acquire and release: not reported', () => {
    const body = [
      'cimport cython',
      'from cython cimport pymutex',
      'import threading',
      'from threading import RLock',
      'cdef long total = 0',
      'cdef cython.pymutex m1',
      'cdef pymutex m2',
      '_lock = threading.Lock()',
      '_rlock = RLock()',
      '_cache = {}',
      'def a(k):',
      '    global total',
      '    with m1:',
      '        total += 1',
      '    with m2:',
      '        _cache[k] = 1',
      '    with _lock:',
      '        _cache.pop(k)',
      '    with _rlock, open(k) as fh:',
      '        _cache[k] = fh',
      'def b(obj, k):',
      '    with cython.critical_section(obj):',
      '        _cache[k] = 1',
      '@cython.critical_section',
      'def c(self, k):',
      '    _cache[k] = 1',
      'def d(k):',
      '    _lock.acquire()',
      '    try:',
      '        _cache[k] = 1',
      '    finally:',
      '        _lock.release()',
      'cdef class Holder:',
      '    cdef cython.pymutex _mutex',
      '    def __init__(self):',
      '        self._guard = threading.Lock()',
      '    def e(self, k):',
      '        with self._mutex:',
      '            _cache[k] = 1',
      '        with self._guard:',
      '            _cache[k] = 2',
    ].join('\n');
    assert.deepEqual(hazards(body), []);
  });

  test('a mutation after release() is reported again', () => {
    const body = ['import threading', '_lock = threading.Lock()', '_cache = {}', 'def f(k):', '    _lock.acquire()', '    _cache[k] = 1', '    _lock.release()', '    _cache.clear()'].join('\n');
    assert.deepEqual(hazards(body), ['FT605 9:5 name=_cache']);
  });

  test('not module state: locals shadowing, module-level code, attributes, import-time setup, parameters', () => {
    const body = [
      '_cache = {}',
      '_registry = {}',
      'cdef long total = 0',
      '_cache["import time"] = 1',
      'for _k in range(3):',
      '    _cache[_k] = _k',
      'def shadow(k):',
      '    _cache = {}',
      '    _cache[k] = 1',
      '    cdef list _items = []',
      '    _items.append(k)',
      'def attrs(self, k):',
      '    self.cache[k] = 1',
      '    self.items.append(k)',
      '    _cache.inner.attr = 1',
      'def param(_cache, k):',
      '    _cache[k] = 1',
      'def _setup():',
      '    global total',
      '    total = 10',
      '    _cache["a"] = 1',
      '_setup()',
      'def register(cls):',
      '    _registry[cls.__name__] = cls',
      '    return cls',
      '@register',
      'class A:',
      '    pass',
      'def reads(k):',
      '    global total',
      '    return _cache.get(k), total',
      'def nested():',
      '    count = 0',
      '    def inner():',
      '        nonlocal count',
      '        count += 1',
      '    return inner',
    ].join('\n');
    assert.deepEqual(hazards(body), []);
  });

  test('reported once per name and function', () => {
    const body = ['_cache = {}', 'def f(k):', '    _cache[k] = 1', '    _cache[k + 1] = 2', 'def g(k):', '    _cache.clear()'].join('\n');
    assert.deepEqual(hazards(body), ['FT605 4:5 name=_cache', 'FT605 7:5 name=_cache']);
  });

  test('a change inside with gil in nogil code is FT602, not also FT605', () => {
    const body = ['cdef long n = 0', 'cdef void f() noexcept nogil:', '    global n', '    with gil:', '        n += 1', '    n += 1'].join('\n');
    assert.deepEqual(hazards(body), ['FT602 5:5', 'FT605 7:5 name=n']);
  });
});

// ---- statement structure ----

test('statements: inline bodies, semicolons, lambdas and annotations do not confuse blocks', () => {
  const body = [
    '_cache = {}',
    'f = lambda x: x',
    'x: dict = {}',
    'def g(k): _cache[k] = 1; _cache.clear()',
    'class C: pass',
    'def h(k):',
    '    if k: _cache.pop(k)',
    '    key = lambda v: v',
    'def after(k):',
    '    return k',
    'x[1] = 2',
  ].join('\n');
  assert.deepEqual(hazards(body), ['FT605 5:11 name=_cache', 'FT605 8:11 name=_cache']);
});

test('Cython declarations: cdef blocks, structs, extern blocks with C code, properties', () => {
  const body = [
    'cdef extern from *:',
    '    """',
    '    static int helper(void) { return 0; }',
    '    """',
    '    int helper()',
    'ctypedef struct point:',
    '    int x',
    'cdef enum Color:',
    '    RED = 1',
    'cdef:',
    '    int counter = 0',
    '    list pending = []',
    'cdef class Box:',
    '    cdef:',
    '        object value',
    '        readonly int size',
    '    property size2:',
    '        def __get__(self):',
    '            return self.size',
    'cdef inline int bump(int n) nogil:',
    '    return n + 1',
    'def work(k):',
    '    global counter',
    '    counter = bump(counter)',
    '    pending.append(k)',
  ].join('\n');
  assert.deepEqual(hazards(body), ['FT605 25:5 name=counter', 'FT605 26:5 name=pending']);
});

// ---- robustness ----

describe('robustness', () => {
  /** A small deterministic generator: the same junk on every run. */
  function junk(seed: number, length: number, alphabet?: string): string {
    let x = seed;
    let out = '';
    for (let i = 0; i < length; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      out += alphabet ? alphabet[x % alphabet.length] : String.fromCharCode(x % 65536);
    }
    return out;
  }

  test('garbage, truncated and binary input never throws', () => {
    const inputs = [
      '',
      '\n\n\n',
      'def',
      'def f(',
      'cdef extern from',
      'with gil:',
      'with gil: global',
      '    indented at the start\nx = 1',
      '"""unterminated',
      "'",
      '\\',
      'x = \\',
      '@',
      '@decorator\n',
      ':',
      'global',
      'del',
      'from',
      'from x cimport',
      'from x cimport (',
      'cimport',
      'include',
      'cdef',
      'cdef :',
      'cdef int',
      'cdef int x =',
      'for',
      'for x in prange(',
      'lambda: lambda: lambda:',
      'a = = = b',
      'x.append(',
      '.append()',
      '](.append()',
      '<<<>>>',
      'PyDict_GetItem(',
      'from cpython.dict cimport PyDict_GetItem\nPyDict_GetItem(<',
      '\u0000\u0001\u0002\uffff\ud800\udfff',
      'x = [' + '('.repeat(1000) + ']'.repeat(1000),
      junk(1, 20000),
      junk(2, 20000, 'ab:=()[]{}"\'\\\n\t #.,;@<>x12'),
      junk(3, 20000, 'defwithgilnogil cdef global _c[k]=1.append() \n    :()'),
    ];
    for (const text of inputs) {
      for (const path of ['junk.pyx', 'junk.pxi']) {
        const r = scan(text, path);
        assert.ok(Array.isArray(r.findings) && Array.isArray(r.notes), JSON.stringify(text.slice(0, 40)));
        assert.ok(r.notes.every((n) => !n.includes('could not')), `${JSON.stringify(text.slice(0, 40))}: ${r.notes.join('; ')}`);
      }
    }
  });

  test('a 5 MB generated module and deeply nested brackets are scanned', () => {
    const chunk = (i: number) =>
      `_cache_${i} = {}\ncdef int counter_${i} = 0\ndef f_${i}(self, d, k):\n    global counter_${i}\n    counter_${i} += 1\n    if d:\n        _cache_${i}[k] = [1, "s", '''t''']  # note\n    return (d,\n            k)\n`;
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 5_000_000; i++) {
      const c = chunk(i);
      parts.push(c);
      size += c.length;
    }
    const r = scan(DECLARED + parts.join(''));
    assert.equal(r.findings.length, parts.length * 2);
    assert.deepEqual(r.notes, []);
    const nested = scan(DECLARED + 'x = ' + '(['.repeat(500_000) + '])'.repeat(500_000) + '\n');
    assert.deepEqual(nested.findings, []);
  });
});

// ---- corpus ----

test('corpus: httptools parser.pyx', { skip: needsCorpus }, () => {
  const dir = resolve(repoRoot, '..', 'shared', 'corpus', 'sources', 'httptools');
  const text = readFileSync(resolve(dir, 'parser.pyx'), 'utf8');
  const r = scan(text, 'httptools/parser.pyx');
  assert.deepEqual(brief(r.findings), [
    // True positive: no freethreading_compatible in the header comment (`#cython: language_level=3`) and no build facts.
    'FT005 1:1 name=parser',
    // Nothing else, and rightly: the module has no module-level mutable state (its
    // only global, __all__, is a tuple), calls no borrowed-reference C API, and
    // has no "with gil:" blocks; all state lives on HttpParser instances.
  ]);
  assert.equal(r.declaresFreeThreading, false);
  assert.deepEqual(r.notes, []);
  assert.deepEqual(r.includes, []);
});
