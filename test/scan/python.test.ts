import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NO_BUILD_FACTS, type FileAnalysis } from '../../src/scan/analyzer.js';
import { analyzePython } from '../../src/scan/analyzers/python.js';
import { prng } from '../helpers/prng.js';

// FT801 (module container mutated in a function) and FT803 (lazy init of a
// global). Findings are written "RULE line:column name" so each case reads
// as the list of what should be reported.

async function analyse(text: string, path = 'pkg/mod.py'): Promise<FileAnalysis> {
  return analyzePython({ path, language: 'python', text }, { build: NO_BUILD_FACTS });
}

async function findings(text: string, path?: string): Promise<string[]> {
  const result = await analyse(text, path);
  return result.findings.map((f) => `${f.rule} ${f.line}:${f.column} ${f.params?.name ?? ''}`);
}

describe('FT801 module-container-mutated', () => {
  test('the catalogue bad example is reported at the mutation, good example is not', async () => {
    assert.deepEqual(
      await findings(`_handlers = []
def register(h):
    if h not in _handlers:
        _handlers.append(h)
`),
      ['FT801 4:9 _handlers'],
    );
    assert.deepEqual(
      await findings(`import threading
_handlers = []
_handlers_lock = threading.Lock()
def register(h):
    with _handlers_lock:
        if h not in _handlers:
            _handlers.append(h)
`),
      [],
    );
  });

  test('every kind of mutable container binding', async () => {
    assert.deepEqual(
      await findings(`import collections
from collections import deque, OrderedDict
a = []
b = {}
c = set()
d = list()
e = dict(x=1)
f = collections.defaultdict(list)
g = OrderedDict()
h = deque()
i = collections.Counter()
j = {k: 1 for k in "ab"}
k = [1, 2]
l = {1, 2}
m: dict[str, int] = {}
n, o = [], {}
p = q = []
def use():
    a.append(1); b["k"] = 1; c.add(1); d.extend([1]); e.update(y=2)
    f["k"].append(1); f.clear(); g.popitem(); h.appendleft(1); i.update("x")
    j.setdefault("c", 2); k.sort(); l.discard(1); m["x"] = 1; n.insert(0, 1)
    o.pop("k", None); p.reverse(); q.remove(1)
`).then((all) => all.map((f) => f.split(' ')[2]).sort()),
      ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q'],
    );
  });

  test('every kind of mutation', async () => {
    assert.deepEqual(
      await findings(`X = {}
def store(k, v): X[k] = v
def delete(k): del X[k]
def count(k): X[k] += 1
def grow():
    global X
    X |= {"a": 1}
def slice_(): X[1:2] = []
def unpack(a, b): X["a"], other = a, b
def chained(v): X["a"] = X["b"] = v
def remove(): X.pop("a")
`),
      ['FT801 2:18 X', 'FT801 3:20 X', 'FT801 4:15 X', 'FT801 7:5 X', 'FT801 8:15 X', 'FT801 9:19 X', 'FT801 10:17 X', 'FT801 11:15 X'],
    );
  });

  test('other bindings and uses are not containers or not mutations of one', async () => {
    assert.deepEqual(
      await findings(`T = ()
N = None
F = frozenset()
M = make_registry()
D = {}
L = []
CONSTANT = [1, 2]
def f(k, v):
    T.append(1); N.append(1); F.add(1); M.append(1)
    D[k].append(v)
    D[k][0] = v
    L.copy(); L.index(1); print(L[0], CONSTANT)
    x = D.get(k)
`),
      [],
    );
  });

  test('one finding per function and name, at the first mutation', async () => {
    assert.deepEqual(
      await findings(`A = []
B = {}
def f():
    A.append(1)
    A.append(2)
    B["x"] = 1
    A.clear()
def g():
    A.pop()
`),
      ['FT801 4:5 A', 'FT801 6:5 B', 'FT801 9:5 A'],
    );
  });

  test('a local or parameter of the same name shadows the module container', async () => {
    assert.deepEqual(
      await findings(`import os
X = []
def param(X): X.append(1)
def default(X=None): X.append(1)
def star(*X): X.append(1)
def local():
    X = []
    X.append(1)
def later_local():
    X.append(1)
    X = []
def loop():
    for X in [[1]]:
        X.append(1)
def with_as():
    with open("f") as X:
        X.append(1)
def excepted():
    try:
        pass
    except Exception as X:
        X.append(1)
def imported():
    from os import X
    X.append(1)
def walrus():
    if (X := []) is not None:
        X.append(1)
def augmented_without_global():
    X += [1]
lam = lambda X: X.append(1)
`),
      [],
    );
  });

  test('closures resolve through enclosing functions, not through classes', async () => {
    assert.deepEqual(
      await findings(`CACHE = {}
def outer():
    CACHE = {}
    def inner(k):
        CACHE[k] = 1
    return inner
def outer_nonlocal():
    CACHE = {}
    def inner(k):
        nonlocal CACHE
        CACHE[k] = 1
    return inner
def outer_global():
    global CACHE
    CACHE = {}
    def inner(k):
        CACHE[k] = 1
    return inner
def outer_plain():
    def inner(k):
        CACHE[k] = 1
    return inner
class K:
    CACHE = {}
    def method(self, k):
        CACHE[k] = 1
    class Inner:
        def deeper(self, k):
            CACHE[k] = 1
`),
      ['FT801 17:9 CACHE', 'FT801 21:9 CACHE', 'FT801 26:9 CACHE', 'FT801 29:13 CACHE'],
    );
  });

  test('methods, async functions, lambdas and decorated functions are reported', async () => {
    assert.deepEqual(
      await findings(`import functools
_seen = set()
class Worker:
    async def run(self, item):
        async with self.session:
            _seen.add(item)
    @functools.wraps(print)
    def wrapped(self, item):
        _seen.discard(item)
    @staticmethod
    def static(item):
        _seen.add(item)
remember = lambda item: _seen.add(item)
`),
      ['FT801 6:13 _seen', 'FT801 9:9 _seen', 'FT801 12:9 _seen', 'FT801 13:25 _seen'],
    );
  });

  test('mutations at import time and under __main__ are not reported', async () => {
    assert.deepEqual(
      await findings(`REGISTRY = {}
REGISTRY["a"] = 1
for name in ["b", "c"]:
    REGISTRY[name] = 2
class Plugins:
    REGISTRY.update(x=1)
if __name__ == "__main__":
    REGISTRY.clear()
    def main():
        REGISTRY.clear()
    main()
if '__main__' == __name__:
    def other():
        REGISTRY.pop("a")
`),
      [],
    );
  });

  test('__all__ is not reported', async () => {
    assert.deepEqual(await findings(`__all__ = []\ndef export(f):\n    __all__.append(f.__name__)\n    return f\n`), []);
  });

  test('test files and pytest fixtures are not reported', async () => {
    const text = `ITEMS = []\ndef add():\n    ITEMS.append(1)\n`;
    for (const path of ['tests/test_items.py', 'items_test.py', 'pkg/conftest.py', 'pkg\\tests\\test_win.py']) {
      assert.deepEqual(await findings(text, path), [], path);
    }
    assert.deepEqual(await findings(text, 'pkg/testing.py'), ['FT801 3:5 ITEMS']);
    assert.deepEqual(await findings(text, 'pkg/contest.py'), ['FT801 3:5 ITEMS']);
    assert.deepEqual(
      await findings(`import pytest
ITEMS = []
@pytest.fixture
def items():
    ITEMS.append(1)
    yield ITEMS
    ITEMS.clear()
@pytest.fixture(scope="session")
def more():
    def helper():
        ITEMS.append(2)
    helper()
@fixture
def bare():
    ITEMS.append(3)
`),
      [],
    );
  });
});

describe('FT801 under a lock', () => {
  test('a module lock, a lock by its binding, and the name heuristic', async () => {
    assert.deepEqual(
      await findings(`import threading
from threading import RLock
X = []
_lock = threading.Lock()
_guard = RLock()
_sem = threading.BoundedSemaphore(2)
_ready = threading.Condition()
def a():
    with _lock:
        X.append(1)
def b():
    with _guard:
        X.append(1)
def c():
    with _sem, open("f") as fh:
        X.append(fh)
def d():
    with _ready:
        X.append(1)
def e(registry_mutex):
    with registry_mutex:
        X.append(1)
def per_key(key):
    with _key_locks[key]:
        X.append(key)
def f():
    with _lock:
        pass
    X.append(1)
def g():
    with open("f"):
        X.append(1)
`),
      ['FT801 29:5 X', 'FT801 32:9 X'],
    );
  });

  test('self._lock, a lock attribute set in __init__, and a class-level lock', async () => {
    assert.deepEqual(
      await findings(`import threading
X = {}
class Store:
    _shared = threading.Lock()
    def __init__(self):
        self._lock = threading.Lock()
        self._guard = threading.RLock()
    def a(self, k):
        with self._lock:
            X[k] = 1
    def b(self, k):
        with self._guard:
            del X[k]
    def c(self, k):
        with self._shared:
            X.pop(k)
    @classmethod
    def d(cls, k):
        with cls._shared:
            X.pop(k)
    def e(self, k):
        with self.session:
            X.pop(k)
`),
      ['FT801 23:13 X'],
    );
  });

  test('between acquire() and release(), including try/finally and helper functions', async () => {
    assert.deepEqual(
      await findings(`import threading
X = []
_lock = threading.Lock()
def a():
    _lock.acquire()
    try:
        X.append(1)
    finally:
        _lock.release()
def b():
    _lock.acquire()
    X.append(1)
    _lock.release()
    X.append(2)
def c():
    if _lock.acquire(blocking=False):
        X.append(1)
    else:
        X.append(2)
def d():
    _acquireLock()
    try:
        X.append(1)
    finally:
        _releaseLock()
def e():
    X.append(0)
    _lock.acquire()
    X.append(1)
    _lock.release()
`),
      ['FT801 14:5 X', 'FT801 19:9 X', 'FT801 27:5 X'],
    );
  });

  test('a function defined under a lock runs later, without it', async () => {
    assert.deepEqual(
      await findings(`X = []
def outer(lock):
    with lock:
        def later():
            X.append(1)
        X.append(2)
    return later
`),
      ['FT801 5:13 X'],
    );
  });
});

describe('FT803 module-global-lazy-init', () => {
  test('the catalogue bad example is reported at the if, the good example is not', async () => {
    const bad = await analyse(`_client = None
def get_client():
    global _client
    if _client is None:
        _client = make_client()
    return _client
`);
    assert.deepEqual(
      bad.findings.map((f) => ({ rule: f.rule, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, params: f.params })),
      [{ rule: 'FT803', line: 4, column: 5, endLine: 4, endColumn: 23, params: { name: '_client' } }],
    );
    assert.deepEqual(
      await findings(`import threading
_client, _client_lock = None, threading.Lock()
def get_client():
    global _client
    if _client is None:
        with _client_lock:
            if _client is None:
                _client = make_client()
    return _client
`),
      [],
    );
  });

  test('the forms of "not set yet"', async () => {
    assert.deepEqual(
      await findings(`_MISSING = object()
a = b = c = d = e = None
f = _MISSING
def init(force=False):
    global a, b, c, d, e, f
    if a is None:
        a = 1
    if not b:
        b = {}
    if c is None or force:
        c = 3
    if None is d:
        d = 4
    if (e == None):
        e = 5
    if f is _MISSING:
        f = 6
`),
      ['FT803 6:5 a', 'FT803 8:5 b', 'FT803 10:5 c', 'FT803 12:5 d', 'FT803 14:5 e', 'FT803 16:5 f'],
    );
  });

  test('other checks, and globals that are not lazily set, are not this rule', async () => {
    assert.deepEqual(
      await findings(`CACHE = {}
_x = None
_count = 0
def memo(k):
    global CACHE
    if "k" not in CACHE:
        CACHE = {}
def not_none():
    global _x
    if _x is not None:
        _x = None
def flag_only():
    global _x
    _x = compute()
def count():
    global _count
    _count += 1
def checked_not_set():
    global _x
    if _x is None:
        raise RuntimeError("not configured")
def other_name():
    global _x
    if _x is None:
        y = 1
def no_global():
    _x = None
    if _x is None:
        _x = 1
def is_other():
    global _x
    if _x is something_else:
        _x = 1
def in_else():
    global _x
    if _x is None:
        pass
    else:
        _x = 2
`),
      [],
    );
  });

  test('under a lock, and double-checked with a lock or acquire/release, are not reported', async () => {
    assert.deepEqual(
      await findings(`import threading
_x = None
_lock = threading.Lock()
def whole():
    global _x
    with _lock:
        if _x is None:
            _x = make()
    return _x
def double_acquire():
    global _x
    if _x is None:
        _lock.acquire()
        try:
            if _x is None:
                _x = make()
        finally:
            _lock.release()
    return _x
class Holder:
    def get(self):
        global _x
        if _x is None:
            with self._lock:
                if not _x:
                    _x = make()
        return _x
`),
      [],
    );
  });

  test('a lock inside the check without a re-check still lets two threads both initialise', async () => {
    assert.deepEqual(
      await findings(`import threading
_x = None
_lock = threading.Lock()
def get():
    global _x
    if _x is None:
        with _lock:
            _x = make()
    return _x
`),
      ['FT803 6:5 _x'],
    );
  });

  test('one finding per function and name; nested, async and method forms', async () => {
    assert.deepEqual(
      await findings(`_x = None
def twice():
    global _x
    if _x is None:
        if _x is None:
            _x = 1
    if _x is None:
        _x = 2
async def aget():
    global _x
    if _x is None:
        _x = await build()
def outer():
    def inner():
        global _x
        if not _x:
            _x = 3
    return inner
class C:
    @property
    def prop(self):
        global _x
        if _x is None:
            _x, other = 4, 5
        return _x
`),
      ['FT803 4:5 _x', 'FT803 11:5 _x', 'FT803 16:9 _x', 'FT803 23:9 _x'],
    );
  });

  test('test files, fixtures and __main__ are not reported', async () => {
    const text = `_x = None\ndef get():\n    global _x\n    if _x is None:\n        _x = 1\n`;
    assert.deepEqual(await findings(text, 'test_mod.py'), []);
    assert.deepEqual(await findings(text, 'conftest.py'), []);
    assert.deepEqual(await findings(`import pytest\n@pytest.fixture\n${text.split('\n').slice(1).join('\n')}`), []);
    assert.deepEqual(await findings(`if __name__ == "__main__":\n    ${text.replaceAll('\n', '\n    ')}`), []);
  });
});

describe('the Python analyzer on any input', () => {
  test('declares nothing about free threading: pure Python has no module slot', async () => {
    const result = await analyse('X = []\ndef f():\n    X.append(1)\n');
    assert.equal(result.declaresFreeThreading, null);
    assert.deepEqual(result.notes, []);
  });

  test('random bytes never throw', async () => {
    const rand = prng(801);
    for (let i = 0; i < 20; i++) {
      const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 5000) }, () => Math.floor(rand() * 256)));
      const result = await analyse(bytes.toString(i % 2 === 0 ? 'utf8' : 'latin1'));
      assert.ok(Array.isArray(result.findings));
      assert.equal(result.declaresFreeThreading, null);
    }
  });

  test('every truncation of a sample never throws, and syntax errors become a note', async () => {
    const sample = `import threading
X = {}
_x = None
_lock = threading.Lock()
class C:
    def m(self, k):
        global _x
        if _x is None:
            with _lock:
                _x = make()
        X[k] = [v for v in range(3)]
`;
    for (let end = 0; end <= sample.length; end++) {
      const result = await analyse(sample.slice(0, end));
      assert.ok(Array.isArray(result.findings));
    }
    const truncated = await analyse('X = []\ndef f(a, b\n    X.append(');
    assert.equal(truncated.notes.length, 1);
    assert.match(truncated.notes[0]!, /^pkg\/mod\.py: could not parse line \d+ as Python/);
  });

  test('10,000 nested parentheses, deep nesting and huge literals', async () => {
    const cases = [
      '('.repeat(10_000) + 'x' + ')'.repeat(10_000),
      'X = []\ndef f():\n    y = ' + '('.repeat(10_000) + 'X.append(1)' + ')'.repeat(10_000) + '\n',
      'x = ' + '['.repeat(10_000),
      'X = []\nf = ' + 'lambda: '.repeat(3_000) + 'X.append(1)\n',
      'X = []\n' + Array.from({ length: 500 }, (_, i) => `${' '.repeat(i)}def f${i}():\n`).join('') + `${' '.repeat(500)}X.append(1)\n`,
      'X = [' + '1, '.repeat(200_000) + ']\ndef f():\n    X.append(1)\n',
      'X = {}\ndef f():\n    X' + '[0]'.repeat(10_000) + ' = 1\n',
    ];
    const found: string[][] = [];
    for (const text of cases) {
      const result = await analyse(text);
      found.push(result.findings.map((f) => `${f.line}:${f.column}`));
    }
    assert.deepEqual(found[1], ['3:10009']);
    assert.deepEqual(found[3], ['2:24005']);
    // 200,000 elements: more than a spread push(...items) can take.
    assert.deepEqual(found[5], ['3:5']);
  });
});
