import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { InputError } from '../../src/project/input-error.js';
import type { DeclaredRequirement, ProjectManifest } from '../../src/project/manifest.js';
import { readPipfile, readPipfileLock } from '../../src/project/manifests/pipfile.js';
import { poetryConstraint, readPyproject } from '../../src/project/manifests/pyproject-toml.js';
import { readTextInput } from '../../src/project/read-input.js';
import { lockfilesDir, needsCorpus } from '../helpers/paths.js';

/** The requirements named `name`, in file order. */
function named(m: ProjectManifest, name: string): DeclaredRequirement[] {
  return m.requirements.filter((r) => r.requirement.name === name);
}

function one(m: ProjectManifest, name: string): DeclaredRequirement {
  const found = named(m, name);
  assert.equal(found.length, 1, `exactly one requirement for ${name}; found ${found.length} in ${JSON.stringify(m.requirements.map((r) => r.requirement.name))}`);
  return found[0]!;
}

/** name -> specifier for every requirement from one origin. */
function specifiers(m: ProjectManifest, origin: string): Record<string, string> {
  return Object.fromEntries(m.requirements.filter((r) => r.origin === origin).map((r) => [r.requirement.name, r.requirement.specifier]));
}

function noteMatching(m: ProjectManifest, re: RegExp): string {
  const found = m.notes.filter((n) => re.test(n));
  assert.equal(found.length, 1, `one note matches ${re}; notes: ${JSON.stringify(m.notes, null, 1)}`);
  return found[0]!;
}

function throwsInputError(fn: () => unknown, expected: { detail: RegExp; line?: number; column?: number; file: string }): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof InputError, `an InputError, not ${String(err)}`);
    assert.equal(err.file, expected.file);
    assert.match(err.detail, expected.detail);
    assert.equal(err.line, expected.line);
    assert.equal(err.column, expected.column);
    assert.doesNotMatch(err.message, /\n/, 'the message is one line');
    return true;
  });
}

describe('pyproject.toml: [project], [dependency-groups], [build-system]', () => {
  const PATH = 'app/pyproject.toml';
  const m = readPyproject(
    `[build-system]
requires = ["setuptools>=61", "wheel"]
build-backend = "setuptools.build_meta"

[project]
name = "demo-app"
version = "1.0"
dependencies = [
  "requests[socks] >=2.28, <3 ; python_version >= '3.9'",
  "private @ https://user:s3cret@files.example.invalid/private-1.0.tar.gz",
  "numpy (>=1.26)",
]

[project.optional-dependencies]
cli = ["click>=8"]
Fast_IO = ["orjson"]

[dependency-groups]
Coverage = ["coverage[toml]"]
test = ["pytest>7", {include-group = "coverage"}]
all = [{include-group = "TEST"}, {include-group = "coverage"}, "tox"]
`,
    PATH,
  );

  test('the file is read without notes, unlocked and without index settings', () => {
    assert.deepEqual(m.notes, []);
    assert.equal(m.format, 'pyproject.toml');
    assert.equal(m.path, PATH);
    assert.equal(m.projectName, 'demo-app');
    assert.equal(m.locked, false);
    assert.equal(m.indexUrl, null);
    assert.deepEqual(m.extraIndexUrls, []);
    assert.deepEqual(m.constraints, []);
  });

  test('[project].dependencies: group null, origin names the real path and table', () => {
    const requests = one(m, 'requests');
    assert.equal(requests.group, null);
    assert.equal(requests.build, false);
    assert.equal(requests.origin, 'app/pyproject.toml [project.dependencies]');
    assert.deepEqual(requests.requirement.extras, ['socks']);
    assert.equal(requests.requirement.specifier, '>=2.28,<3');
    assert.equal(requests.requirement.marker?.text, "python_version >= '3.9'");
    assert.deepEqual(requests.hashes, []);
    assert.equal(one(m, 'numpy').requirement.specifier, '>=1.26');
  });

  test('a direct URL reference is not checkable, and its credentials are not repeated', () => {
    assert.equal(named(m, 'private').length, 0);
    assert.deepEqual(m.notCheckable, [
      { name: 'private', origin: 'app/pyproject.toml [project.dependencies]', reason: 'a direct URL reference (https://***@files.example.invalid/private-1.0.tar.gz)' },
    ]);
  });

  test('[project.optional-dependencies]: group is the extra, as written', () => {
    assert.equal(one(m, 'click').group, 'cli');
    assert.equal(one(m, 'click').origin, 'app/pyproject.toml [project.optional-dependencies.cli]');
    assert.equal(one(m, 'orjson').group, 'Fast_IO');
  });

  test('[build-system].requires: build is true', () => {
    for (const name of ['setuptools', 'wheel']) {
      const r = one(m, name);
      assert.equal(r.build, true);
      assert.equal(r.group, null);
      assert.equal(r.origin, 'app/pyproject.toml [build-system.requires]');
    }
    assert.ok(m.requirements.filter((r) => r.build).length === 2);
  });

  test('[dependency-groups]: includes are resolved by normalised name, each group lists what it includes', () => {
    const coverage = named(m, 'coverage');
    assert.deepEqual(coverage.map((r) => r.group).sort(), ['Coverage', 'all', 'test']);
    // Where it was declared stays the group that lists it.
    assert.ok(coverage.every((r) => r.origin === 'app/pyproject.toml [dependency-groups.Coverage]'));
    assert.ok(coverage.every((r) => r.requirement.extras.join() === 'toml'));
    // "all" includes test (which includes coverage) and coverage again: coverage is listed once for it.
    assert.deepEqual(named(m, 'pytest').map((r) => r.group).sort(), ['all', 'test']);
    assert.equal(named(m, 'pytest').find((r) => r.group === 'all')!.origin, 'app/pyproject.toml [dependency-groups.test]');
    assert.deepEqual(named(m, 'tox').map((r) => [r.group, r.origin]), [['all', 'app/pyproject.toml [dependency-groups.all]']]);
  });
});

describe('pyproject.toml: PEP 735 problems are notes', () => {
  const m = readPyproject(
    `[dependency-groups]
a = ["alpha", {include-group = "b"}]
b = ["beta", {include-group = "A"}]
self = ["me", {include-group = "self"}]
missing = ["ok", {include-group = "nowhere"}]
odd = [{include-group = "a", extra = 1}, 42, "fine"]
dup_name = ["first"]
Dup-Name = ["second"]
notalist = "pytest"
`,
    'pyproject.toml',
  );

  test('an include cycle is one note, the include that closes it is skipped, the rest is read', () => {
    noteMatching(m, /^pyproject\.toml \[dependency-groups\]: include-group cycle a -> b -> a;/);
    assert.deepEqual(named(m, 'alpha').map((r) => r.group).sort(), ['a', 'b']);
    assert.deepEqual(named(m, 'beta').map((r) => r.group).sort(), ['a', 'b']);
  });

  test('a group that includes itself is a cycle too', () => {
    noteMatching(m, /include-group cycle self -> self/);
    assert.deepEqual(named(m, 'me').map((r) => r.group), ['self']);
  });

  test('an unknown group is a note naming the file, group and item', () => {
    noteMatching(m, /^pyproject\.toml \[dependency-groups\.missing\] item 2: includes group "nowhere", which \[dependency-groups\] does not define$/);
    assert.equal(one(m, 'ok').group, 'missing');
  });

  test('items that are neither strings nor a one-key include are notes', () => {
    noteMatching(m, /\[dependency-groups\.odd\] item 1: is neither a requirement string nor \{include-group/);
    noteMatching(m, /\[dependency-groups\.odd\] item 2: is neither/);
    assert.equal(one(m, 'fine').group, 'odd');
  });

  test('names equal once normalised: the first is read, the second is a note', () => {
    noteMatching(m, /\[dependency-groups\.Dup-Name\]: the same group as \[dependency-groups\.dup_name\]/);
    assert.equal(one(m, 'first').group, 'dup_name');
    assert.equal(named(m, 'second').length, 0);
  });

  test('a group that is not an array is a note', () => {
    noteMatching(m, /\[dependency-groups\.notalist\]: is not an array/);
  });
});

describe('pyproject.toml: bad entries become notes, the rest is read', () => {
  const m = readPyproject(
    `[project]
name = "x"
dependencies = ["good>=1", "bad >>> 2", 7, "also-good"]

[project.optional-dependencies]
broken = "not-a-list"
ok = ["fine"]

[build-system]
requires = "setuptools"
`,
    'sub/pyproject.toml',
  );

  test('each bad entry is one note naming the file, table and item', () => {
    noteMatching(m, /^sub\/pyproject\.toml \[project\.dependencies\] item 2: invalid requirement "bad >>> 2"/);
    noteMatching(m, /^sub\/pyproject\.toml \[project\.dependencies\] item 3: is not a string$/);
    noteMatching(m, /^sub\/pyproject\.toml \[project\.optional-dependencies\.broken\]: is not an array/);
    noteMatching(m, /^sub\/pyproject\.toml \[build-system\.requires\]: is not an array/);
    assert.equal(m.notes.length, 4);
  });

  test('the good entries around them are kept', () => {
    assert.deepEqual(
      m.requirements.map((r) => r.requirement.name),
      ['good', 'also-good', 'fine'],
    );
  });

  test('a note is always one line, even for a multi-line TOML string', () => {
    const n = readPyproject('[project]\ndependencies = ["""bad\n>>> 1"""]\n', 'pyproject.toml');
    assert.equal(n.notes.length, 1);
    assert.doesNotMatch(n.notes[0]!, /\n/);
  });

  test('dynamic dependencies are a note: the backend fills them in', () => {
    const n = readPyproject('[project]\nname = "d"\ndynamic = ["dependencies"]\n', 'pyproject.toml');
    noteMatching(n, /"dependencies" is dynamic/);
  });

  test('a pyproject.toml without dependency tables says so', () => {
    const n = readPyproject('[tool.black]\nline-length = 100\n', 'pyproject.toml');
    assert.deepEqual(n.requirements, []);
    noteMatching(n, /^pyproject\.toml: declares no dependencies/);
  });

  test('a [project] that is not a table is a note, not a throw', () => {
    const n = readPyproject('project = "x"\n[build-system]\nrequires = ["flit_core"]\n', 'pyproject.toml');
    noteMatching(n, /\[project\]: is not a table/);
    assert.equal(one(n, 'flit_core').build, true);
  });
});

describe('pyproject.toml: invalid TOML throws InputError with line and column', () => {
  test('a syntax error', () => {
    throwsInputError(() => readPyproject('[project]\nname = "x"\ndependencies = ["a",\n', 'p/pyproject.toml'), {
      file: 'p/pyproject.toml',
      detail: /^invalid TOML: /,
      line: 4,
      column: 1,
    });
  });

  test('a duplicate key', () => {
    throwsInputError(() => readPyproject('[project]\nname = "x"\nname = "y"\n', 'pyproject.toml'), {
      file: 'pyproject.toml',
      detail: /^invalid TOML: /,
      line: 3,
      column: 1,
    });
  });
});

describe('Poetry constraints become PEP 440 specifiers', () => {
  const cases: [string, string][] = [
    ['^1.2.3', '>=1.2.3,<2.0.0'],
    ['^1.2', '>=1.2,<2.0'],
    ['^1', '>=1,<2'],
    ['^0.2.3', '>=0.2.3,<0.3.0'],
    ['^0.0.3', '>=0.0.3,<0.0.4'],
    ['^0.0', '>=0.0,<0.1'],
    ['^0', '>=0,<1'],
    ['^2.0.0rc1', '>=2.0.0rc1,<3.0.0'],
    ['~1.2.3', '>=1.2.3,<1.3.0'],
    ['~1.2', '>=1.2,<1.3'],
    ['~1', '>=1,<2'],
    ['~=1.4.2', '~=1.4.2'],
    ['1.2.*', '==1.2.*'],
    ['1.*', '==1.*'],
    ['*', ''],
    ['>=1,<2', '>=1,<2'],
    ['>= 1.2, < 1.5', '>=1.2,<1.5'],
    ['>=1.2 <1.5', '>=1.2,<1.5'],
    ['!=1.2.3', '!=1.2.3'],
    ['1.2', '==1.2'],
    ['=1.2', '==1.2'],
    ['==1.2.3', '==1.2.3'],
    ['^1.2,!=1.4.0', '>=1.2,<2.0,!=1.4.0'],
  ];
  const toml = ['[tool.poetry]', 'name = "poetry-app"', '[tool.poetry.dependencies]', 'python = "^3.10"', ...cases.map(([c], i) => `pkg${i} = ${JSON.stringify(c)}`)].join('\n');
  const m = readPyproject(toml, 'pyproject.toml');

  for (const [i, [constraint, expected]] of cases.entries()) {
    test(`${constraint} -> ${expected || '(any version)'}`, () => {
      const r = one(m, `pkg${i}`);
      assert.equal(r.requirement.specifier, expected);
      assert.equal(r.group, null);
      assert.equal(r.origin, 'pyproject.toml [tool.poetry.dependencies]');
    });
  }

  test('python itself is not a dependency; the project name comes from [tool.poetry]', () => {
    assert.deepEqual(named(m, 'python'), []);
    assert.equal(m.requirements.length, cases.length);
    assert.deepEqual(m.notes, []);
    assert.equal(m.projectName, 'poetry-app');
  });

  test('|| alternatives are kept apart', () => {
    assert.deepEqual(poetryConstraint('^1.0 || ^3.0'), { ok: true, value: [['>=1.0', '<2.0'], ['>=3.0', '<4.0']] });
    assert.deepEqual(poetryConstraint('^1.0 || *'), { ok: true, value: [[]] });
    assert.equal(poetryConstraint('^abc').ok, false);
    assert.equal(poetryConstraint('^1.*').ok, false);
  });
});

describe('Poetry dependency tables', () => {
  const m = readPyproject(
    `[tool.poetry]
name = "poetry-app"

[tool.poetry.dependencies]
python = ">=3.9,<4.0"
gunicorn = { version = "^20.1", extras = ["gevent"] }
tomli = { version = "^2.0.1", python = "<3.11" }
pathlib2 = { version = "^2.2", python = "^3.9", markers = "sys_platform == 'win32'" }
full = { version = "*", python = ">=3.8.1" }
oldpy = { version = "*", python = ">=2.7,<2.8 || >=3.4" }
pywin = { version = "*", platform = "win32" }
foo = [
  { version = "<=1.9", python = ">=3.6,<3.8" },
  { version = "^2.0", python = ">=3.8" },
]
fromgit = { git = "https://github.com/org/fromgit.git", branch = "main" }
local = { path = "../local", develop = true }
archive = { path = "../dist/archive-1.0.tar.gz" }
remote = { url = "https://example.invalid/remote-1.0.tar.gz" }
orjson = { version = "^3.9", optional = true }
uvloop = { version = "^0.19", optional = true }
never = { version = "^1", optional = true }
either = "^1.0 || ^3.0"
badversion = "^abc"
badtype = 42
badmarker = { version = "*", markers = "python_version >>> '3'" }
badpython = { version = "*", python = 3 }
"bad name!" = "*"
badextra = { version = "*", extras = ["ok", "x]; os_name == 'nt"] }

[tool.poetry.extras]
fast = ["orjson", "uvloop"]
json = ["orjson"]

[tool.poetry.dev-dependencies]
legacy-dev = "^1.0"

[tool.poetry.group.test.dependencies]
pytest = "^8.0"

[tool.poetry.group.docs]
optional = true

[tool.poetry.group.docs.dependencies]
sphinx = "~7.2"
`,
    'pyproject.toml',
  );

  test('extras of the dict form', () => {
    const r = one(m, 'gunicorn');
    assert.deepEqual(r.requirement.extras, ['gevent']);
    assert.equal(r.requirement.specifier, '>=20.1,<21.0');
  });

  test('python = "…" becomes a python_version marker', () => {
    assert.equal(one(m, 'tomli').requirement.marker?.text, 'python_version < "3.11"');
    assert.equal(one(m, 'tomli').requirement.specifier, '>=2.0.1,<3.0.0');
    assert.equal(one(m, 'full').requirement.marker?.text, 'python_full_version >= "3.8.1"');
    assert.equal(one(m, 'oldpy').requirement.marker?.text, '(python_version >= "2.7" and python_version < "2.8") or (python_version >= "3.4")');
  });

  test('python and markers are ANDed', () => {
    assert.equal(one(m, 'pathlib2').requirement.marker?.text, `(python_version >= "3.9" and python_version < "4.0") and (sys_platform == 'win32')`);
  });

  test('platform becomes a sys_platform marker', () => {
    assert.equal(one(m, 'pywin').requirement.marker?.text, 'sys_platform == "win32"');
  });

  test('multiple-constraint dependencies give one requirement per constraint', () => {
    assert.deepEqual(
      named(m, 'foo').map((r) => [r.requirement.specifier, r.requirement.marker?.text]),
      [
        ['<=1.9', 'python_version >= "3.6" and python_version < "3.8"'],
        ['>=2.0,<3.0', 'python_version >= "3.8"'],
      ],
    );
  });

  test('git, path, develop and url entries are not checkable, with a reason', () => {
    const reasons = Object.fromEntries(m.notCheckable.map((n) => [n.name, n.reason]));
    assert.deepEqual(reasons, {
      fromgit: 'a VCS reference (git: https://github.com/org/fromgit.git)',
      local: 'an editable install of a local path (../local)',
      archive: 'a local path (../dist/archive-1.0.tar.gz)',
      remote: 'a direct URL reference (https://example.invalid/remote-1.0.tar.gz)',
    });
    assert.ok(m.notCheckable.every((n) => n.origin === 'pyproject.toml [tool.poetry.dependencies]'));
    for (const name of Object.keys(reasons)) assert.deepEqual(named(m, name), []);
  });

  test('optional = true belongs to the extras that name it', () => {
    assert.deepEqual(named(m, 'orjson').map((r) => r.group).sort(), ['fast', 'json']);
    assert.deepEqual(named(m, 'uvloop').map((r) => r.group), ['fast']);
    assert.equal(named(m, 'uvloop')[0]!.requirement.specifier, '>=0.19,<0.20');
  });

  test('an optional dependency no extra names is never installed: a note, no requirement', () => {
    assert.deepEqual(named(m, 'never'), []);
    noteMatching(m, /\[tool\.poetry\.dependencies\] never: optional = true, but no \[tool\.poetry\.extras\] entry names it/);
  });

  test('|| alternatives: any version is checked, and a note says so', () => {
    assert.equal(one(m, 'either').requirement.specifier, '');
    noteMatching(m, /\[tool\.poetry\.dependencies\] either: "\^1\.0 \|\| \^3\.0" allows several version ranges/);
  });

  test('bad entries are notes naming the entry; nothing else is lost', () => {
    for (const name of ['badversion', 'badtype', 'badmarker', 'badpython', 'bad name!', 'badextra']) {
      assert.deepEqual(named(m, name), [], name);
      noteMatching(m, new RegExp(`^pyproject\\.toml \\[tool\\.poetry\\.dependencies\\] ${name.replace('!', '\\!')}: `));
    }
    noteMatching(m, /badversion: "\^abc" is not a Poetry version constraint/);
    noteMatching(m, /badtype: is neither a version string nor a table/);
    noteMatching(m, /badextra: extra "x\]; os_name == 'nt" is not a valid name/);
    assert.equal(m.notes.length, 8);
  });

  test('groups: [tool.poetry.group.NAME.dependencies] and legacy dev-dependencies', () => {
    assert.equal(one(m, 'pytest').group, 'test');
    assert.equal(one(m, 'pytest').origin, 'pyproject.toml [tool.poetry.group.test.dependencies]');
    assert.equal(one(m, 'sphinx').group, 'docs');
    assert.equal(one(m, 'sphinx').requirement.specifier, '>=7.2,<7.3');
    assert.equal(one(m, 'legacy-dev').group, 'dev');
    assert.equal(one(m, 'legacy-dev').origin, 'pyproject.toml [tool.poetry.dev-dependencies]');
  });
});

describe('Poetry with [project] (Poetry 2)', () => {
  const m = readPyproject(
    `[project]
name = "p2"
dependencies = ["requests>=2.13.0", "Django>=4"]

[tool.poetry]
name = "ignored"

[tool.poetry.dependencies]
requests = { source = "private" }
django = { develop = false, allow-prereleases = true }
extra-one = "^1.0"

[[tool.poetry.source]]
name = "private"
url = "https://private.example.invalid/simple/"
priority = "explicit"
`,
    'pyproject.toml',
  );

  test('[project].name wins', () => {
    assert.equal(m.projectName, 'p2');
  });

  test('[tool.poetry.dependencies] that only enrich [project].dependencies are not read twice', () => {
    assert.equal(one(m, 'requests').requirement.specifier, '>=2.13.0');
    assert.equal(one(m, 'requests').origin, 'pyproject.toml [project.dependencies]');
    assert.equal(one(m, 'Django').origin, 'pyproject.toml [project.dependencies]');
    assert.equal(one(m, 'extra-one').origin, 'pyproject.toml [tool.poetry.dependencies]');
  });

  test('an explicit source is an extra index; PyPI stays the index', () => {
    assert.equal(m.indexUrl, null);
    assert.deepEqual(m.extraIndexUrls, ['https://private.example.invalid/simple/']);
  });
});

describe('Poetry sources', () => {
  const sources = (body: string) => readPyproject(`[tool.poetry.dependencies]\nx = "*"\n${body}`, 'pyproject.toml');

  test('a primary source is the index; the others are extra indexes, in order', () => {
    const m = sources(`
[[tool.poetry.source]]
name = "supp"
url = "https://supp.example.invalid/simple"
priority = "supplemental"
[[tool.poetry.source]]
name = "corp"
url = "https://corp.example.invalid/simple"
priority = "primary"
[[tool.poetry.source]]
name = "corp2"
url = "https://corp2.example.invalid/simple"
priority = "primary"
`);
    assert.equal(m.indexUrl, 'https://corp.example.invalid/simple');
    assert.deepEqual(m.extraIndexUrls, ['https://corp2.example.invalid/simple', 'https://supp.example.invalid/simple']);
    assert.deepEqual(m.notes, []);
  });

  test('priority = "default" and legacy default = true come first', () => {
    assert.equal(
      sources(`
[[tool.poetry.source]]
name = "p"
url = "https://p.example.invalid/simple"
priority = "primary"
[[tool.poetry.source]]
name = "d"
url = "https://d.example.invalid/simple"
priority = "default"
`).indexUrl,
      'https://d.example.invalid/simple',
    );
    const legacy = sources(`
[[tool.poetry.source]]
name = "s"
url = "https://s.example.invalid/simple"
secondary = true
[[tool.poetry.source]]
name = "d"
url = "https://d.example.invalid/simple"
default = true
`);
    assert.equal(legacy.indexUrl, 'https://d.example.invalid/simple');
    assert.deepEqual(legacy.extraIndexUrls, ['https://s.example.invalid/simple']);
  });

  test('only supplemental sources: no index, PyPI stays implicit', () => {
    const m = sources(`
[[tool.poetry.source]]
name = "s"
url = "https://s.example.invalid/simple"
priority = "supplemental"
`);
    assert.equal(m.indexUrl, null);
    assert.deepEqual(m.extraIndexUrls, ['https://s.example.invalid/simple']);
  });

  test('`poetry source add pypi` writes no url: it means PyPI', () => {
    assert.equal(sources('[[tool.poetry.source]]\nname = "PyPI"\npriority = "primary"\n').indexUrl, 'https://pypi.org/simple');
  });

  test('a source without a url is a note', () => {
    const m = sources('[[tool.poetry.source]]\nname = "nourl"\npriority = "primary"\n');
    assert.equal(m.indexUrl, null);
    noteMatching(m, /\[\[tool\.poetry\.source\]\] #1 \(nourl\): has no url/);
  });
});

describe('Pipfile', () => {
  const PATH = 'proj/Pipfile';
  const m = readPipfile(
    `[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[[source]]
url = "https://download.pytorch.org/whl/cu118"
verify_ssl = true
name = "pytorch"

[packages]
requests = "*"
flask = "==2.0.1"
numpy = ">=1.20.0,<2.0.0"
bare = "1.4"
anyeq = "==*"
django = {version = ">=3.2", extras = ["bcrypt"]}
torch = {version = "*", index = "pytorch"}
gunicorn = {version = "*", markers = "sys_platform == 'linux'"}
pywinusb = {version = "*", sys_platform = "== 'win32'"}
armlib = {version = ">=1", platform_machine = "== 'arm64'", os_name = "== 'posix'", markers = "python_version >= '3.9'"}
flask-login = {git = "https://github.com/maxcountryman/flask-login.git", ref = "master"}
my-package = {path = "./path/to/package", editable = true}
plainpath = {path = "./vendor/plainpath"}
remote = {file = "https://example.invalid/packages/remote-1.0.tar.gz"}
badint = 3
badmarker = {version = "*", markers = "sys_platform = 'x'"}
badspec = ">>1"

[dev-packages]
pytest = ">=6.0.0"

[docs]
sphinx = ">=4.0.0"

[requires]
python_version = "3.11"

[scripts]
test = "pytest tests/"

[pipenv]
allow_prereleases = true
`,
    PATH,
  );

  test('format, lock state, and the sources: the first is the index', () => {
    assert.equal(m.format, 'Pipfile');
    assert.equal(m.locked, false);
    assert.equal(m.projectName, null);
    assert.equal(m.indexUrl, 'https://pypi.org/simple');
    assert.deepEqual(m.extraIndexUrls, ['https://download.pytorch.org/whl/cu118']);
  });

  test('version strings: "*" and "==*" are any version, a bare version is exact', () => {
    assert.deepEqual(specifiers(m, 'proj/Pipfile [packages]'), {
      requests: '',
      flask: '==2.0.1',
      numpy: '>=1.20.0,<2.0.0',
      bare: '==1.4',
      anyeq: '',
      django: '>=3.2',
      torch: '',
      gunicorn: '',
      pywinusb: '',
      armlib: '>=1',
    });
  });

  test('[packages] has group null; [dev-packages] and other categories keep their names', () => {
    assert.equal(one(m, 'requests').group, null);
    assert.equal(one(m, 'pytest').group, 'dev-packages');
    assert.equal(one(m, 'pytest').origin, 'proj/Pipfile [dev-packages]');
    assert.equal(one(m, 'sphinx').group, 'docs');
    assert.equal(one(m, 'sphinx').origin, 'proj/Pipfile [docs]');
  });

  test('[scripts], [pipenv] and [requires] are not package categories', () => {
    assert.deepEqual(named(m, 'test'), []);
    assert.deepEqual(named(m, 'allow_prereleases'), []);
    assert.deepEqual(named(m, 'python_version'), []);
  });

  test('table form: extras, markers, and shorthand marker keys joined into one marker', () => {
    assert.deepEqual(one(m, 'django').requirement.extras, ['bcrypt']);
    assert.equal(one(m, 'gunicorn').requirement.marker?.text, "sys_platform == 'linux'");
    assert.equal(one(m, 'pywinusb').requirement.marker?.text, "sys_platform == 'win32'");
    const arm = one(m, 'armlib').requirement.marker?.text ?? '';
    for (const part of ["python_version >= '3.9'", "platform_machine == 'arm64'", "os_name == 'posix'"]) assert.ok(arm.includes(`(${part})`), arm);
    assert.match(arm, /^\(.*\) and \(.*\) and \(.*\)$/);
  });

  test('git, path, file and editable entries are not checkable', () => {
    assert.deepEqual(
      Object.fromEntries(m.notCheckable.map((n) => [n.name, n.reason])),
      {
        'flask-login': 'a VCS reference (git: https://github.com/maxcountryman/flask-login.git)',
        'my-package': 'an editable install of a local path (./path/to/package)',
        plainpath: 'a local path (./vendor/plainpath)',
        remote: 'a direct file reference (https://example.invalid/packages/remote-1.0.tar.gz)',
      },
    );
    assert.ok(m.notCheckable.every((n) => n.origin === 'proj/Pipfile [packages]'));
  });

  test('[requires] python_version is a note only', () => {
    noteMatching(m, /^proj\/Pipfile \[requires\]: python_version = "3\.11"/);
  });

  test('bad entries are notes naming the file, category and package', () => {
    noteMatching(m, /^proj\/Pipfile \[packages\] badint: is neither a version string nor a table$/);
    noteMatching(m, /^proj\/Pipfile \[packages\] badmarker: invalid requirement/);
    noteMatching(m, /^proj\/Pipfile \[packages\] badspec: invalid requirement "badspec >>1"/);
    assert.equal(m.notes.length, 4);
    for (const name of ['badint', 'badmarker', 'badspec']) assert.deepEqual(named(m, name), []);
  });

  test('invalid TOML throws InputError with line and column', () => {
    throwsInputError(() => readPipfile('[packages]\nrequests = \n', 'Pipfile'), { file: 'Pipfile', detail: /^invalid TOML: /, line: 2, column: 12 });
  });

  test('a TOML file that is not a Pipfile throws', () => {
    throwsInputError(() => readPipfile('[project]\nname = "x"\n', 'Pipfile'), { file: 'Pipfile', detail: /^not a Pipfile/ });
  });

  test('a category that is not a table, and a source without a url, are notes', () => {
    const n = readPipfile('stray = 1\n[[source]]\nname = "nourl"\n[packages]\nok = "*"\n', 'Pipfile');
    noteMatching(n, /^Pipfile \[stray\]: is not a table of packages$/);
    noteMatching(n, /^Pipfile \[\[source\]\] #1: has no url$/);
    assert.equal(n.indexUrl, null);
    assert.equal(one(n, 'ok').group, null);
  });

  test('a source URL with ${VAR} is kept, with a note that ftready does not expand it', () => {
    const n = readPipfile('[[source]]\nurl = "https://${TOKEN}@corp.example.invalid/simple"\n[packages]\nx = "*"\n', 'Pipfile');
    assert.equal(n.indexUrl, 'https://${TOKEN}@corp.example.invalid/simple');
    noteMatching(n, /environment variables/);
  });
});

const LOCK = `{
    "_meta": {
        "hash": {"sha256": "00"},
        "pipfile-spec": 6,
        "requires": {"python_version": "3.12"},
        "sources": [
            {"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": true},
            {"name": "corp", "url": "https://corp.example.invalid/simple", "verify_ssl": true}
        ]
    },
    "default": {
        "certifi": {
            "hashes": ["sha256:aaaa", "sha256:bbbb"],
            "index": "pypi",
            "markers": "python_version >= '3.6'",
            "version": "==2024.2.2"
        },
        "coverage": {"extras": ["toml"], "hashes": ["sha256:cccc"], "version": "==7.4.0"},
        "mylib": {"editable": true, "path": "."},
        "vcs": {"git": "https://github.com/org/vcs.git", "ref": "abc123"},
        "wheelfile": {"file": "https://example.invalid/wheelfile-1.0-py3-none-any.whl"},
        "noversion": {"hashes": []},
        "notanobject": "==1.0",
        "badhashes": {"hashes": "sha256:dddd", "version": "==1.0"}
    },
    "develop": {
        "pytest": {"hashes": ["sha256:eeee"], "version": "==8.0.0"}
    },
    "docs": {
        "sphinx": {"hashes": [], "version": "==7.2.6"}
    }
}`;

describe('Pipfile.lock', () => {
  const m = readPipfileLock(LOCK, 'proj/Pipfile.lock');

  test('locked, with the sources from _meta: the first is the index', () => {
    assert.equal(m.format, 'Pipfile.lock');
    assert.equal(m.locked, true);
    assert.equal(m.indexUrl, 'https://pypi.org/simple');
    assert.deepEqual(m.extraIndexUrls, ['https://corp.example.invalid/simple']);
  });

  test('default has group null; develop is "develop"; other categories keep their names', () => {
    const certifi = one(m, 'certifi');
    assert.equal(certifi.group, null);
    assert.equal(certifi.origin, 'proj/Pipfile.lock [default]');
    assert.equal(certifi.requirement.specifier, '==2024.2.2');
    assert.equal(certifi.requirement.marker?.text, "python_version >= '3.6'");
    assert.equal(one(m, 'pytest').group, 'develop');
    assert.equal(one(m, 'sphinx').group, 'docs');
  });

  test('hashes are copied as given; extras are kept', () => {
    assert.deepEqual(one(m, 'certifi').hashes, ['sha256:aaaa', 'sha256:bbbb']);
    assert.deepEqual(one(m, 'coverage').hashes, ['sha256:cccc']);
    assert.deepEqual(one(m, 'coverage').requirement.extras, ['toml']);
    assert.deepEqual(one(m, 'sphinx').hashes, []);
  });

  test('path, VCS and file entries are not checkable', () => {
    assert.deepEqual(
      Object.fromEntries(m.notCheckable.map((n) => [n.name, n.reason])),
      {
        mylib: 'an editable install of a local path (.)',
        vcs: 'a VCS reference (git: https://github.com/org/vcs.git)',
        wheelfile: 'a direct file reference (https://example.invalid/wheelfile-1.0-py3-none-any.whl)',
      },
    );
  });

  test('bad entries are notes; the rest is read', () => {
    noteMatching(m, /^proj\/Pipfile\.lock \[default\] noversion: has no "version"$/);
    noteMatching(m, /^proj\/Pipfile\.lock \[default\] notanobject: is not an object$/);
    noteMatching(m, /^proj\/Pipfile\.lock \[default\] badhashes: "hashes" is not an array$/);
    noteMatching(m, /^proj\/Pipfile\.lock \[_meta\.requires\]: python_version = "3\.12"/);
    assert.equal(m.notes.length, 4);
    assert.deepEqual(m.requirements.map((r) => r.requirement.name).sort(), ['certifi', 'coverage', 'pytest', 'sphinx']);
  });

  test('a JSON syntax error throws InputError at its line and column', () => {
    throwsInputError(() => readPipfileLock('{\n  "default": {\n    "a": {"version": "==1"},\n  }\n}\n', 'x/Pipfile.lock'), {
      file: 'x/Pipfile.lock',
      detail: /^invalid JSON: /,
      line: 4,
      column: 3,
    });
  });

  test('a file cut off inside an entry points at where it stops', () => {
    const text = '{\n  "default": {\n    "a": {"version": "==1"';
    throwsInputError(() => readPipfileLock(text, 'Pipfile.lock'), { file: 'Pipfile.lock', detail: /^invalid JSON: /, line: 3, column: 27 });
  });

  test('"Unexpected end of JSON input" points at the end of the file', () => {
    const text = '{\n  "default": {\n    "a": [';
    throwsInputError(() => readPipfileLock(text, 'Pipfile.lock'), { file: 'Pipfile.lock', detail: /^invalid JSON: Unexpected end of JSON input$/, line: 3, column: 11 });
  });

  test('the error message does not repeat the file content', () => {
    const padding = ' '.repeat(200);
    for (const text of ['{"default": {"secret-token-123": tru}}', `{"default": {"secret-token-123": x${padding}}}`, `${padding}{"secret-token-123": x${padding}}`]) {
      assert.throws(
        () => readPipfileLock(text, 'Pipfile.lock'),
        (err: unknown) => err instanceof InputError && /^invalid JSON: Unexpected token/.test(err.detail) && !err.message.includes('secret-token-123') && !err.message.includes('not valid JSON'),
      );
    }
  });

  test('the wrong top-level shape throws', () => {
    throwsInputError(() => readPipfileLock('[1, 2]', 'Pipfile.lock'), { file: 'Pipfile.lock', detail: /^not a Pipfile\.lock: the top level is not a JSON object$/ });
    throwsInputError(() => readPipfileLock('"text"', 'Pipfile.lock'), { file: 'Pipfile.lock', detail: /^not a Pipfile\.lock/ });
    throwsInputError(() => readPipfileLock('{"name": "package.json"}', 'Pipfile.lock'), { file: 'Pipfile.lock', detail: /no "_meta", "default" or "develop"/ });
  });

  test('a category that is not an object is a note', () => {
    const n = readPipfileLock('{"_meta": {"sources": []}, "default": [], "develop": {"x": {"version": "==1"}}}', 'Pipfile.lock');
    noteMatching(n, /^Pipfile\.lock \[default\]: is not an object of packages$/);
    assert.equal(one(n, 'x').group, 'develop');
  });
});

describe('the real Pipfile.lock of pypa/pipenv', { skip: needsCorpus }, () => {
  const path = join(lockfilesDir, 'pypa__pipenv__Pipfile.lock');
  const m = readPipfileLock(readTextInput(path), path);
  const inGroup = (group: string | null) => m.requirements.filter((r) => r.group === group);

  test('10 default and 100 develop entries, all checkable, no notes', () => {
    assert.equal(inGroup(null).length, 10);
    assert.equal(inGroup('develop').length, 100);
    assert.equal(m.requirements.length, 110);
    assert.deepEqual(m.notCheckable, []);
    assert.deepEqual(m.notes, []);
    assert.equal(m.locked, true);
    assert.equal(m.indexUrl, 'https://pypi.org/simple');
    assert.deepEqual(m.extraIndexUrls, []);
  });

  test('pytz is pinned to 2026.1.post1, with no marker and both hashes', () => {
    const pytz = one(m, 'pytz');
    assert.equal(pytz.group, null);
    assert.equal(pytz.requirement.specifier, '==2026.1.post1');
    assert.equal(pytz.requirement.marker, null);
    assert.deepEqual(pytz.hashes, [
      'sha256:3378dde6a0c3d26719182142c56e60c7f9af7e968076f31aae569d72a0358ee1',
      'sha256:f2fd16142fda348286a75e1a524be810bb05d444e5a081f37f7affc635035f7a',
    ]);
    assert.equal(pytz.origin, `${path} [default]`);
  });

  test('each category keeps its own pin: tomli is 2.4.1 in default and 2.4.0 in develop', () => {
    const tomli = named(m, 'tomli');
    assert.deepEqual(tomli.map((r) => [r.group, r.requirement.specifier, r.hashes.length]), [
      [null, '==2.4.1', 47],
      ['develop', '==2.4.0', 47],
    ]);
    assert.equal(tomli[0]!.hashes[0], 'sha256:01f520d4f53ef97964a240a035ec2a869fe1a37dde002b57ebc4417a27ccd853');
  });

  test('develop markers use the dependency_groups variable, and extras are kept', () => {
    const atomicwrites = one(m, 'atomicwrites');
    assert.equal(atomicwrites.requirement.marker?.text, "('dev' in dependency_groups) and (sys_platform == 'win32')");
    assert.deepEqual(atomicwrites.hashes, ['sha256:81b2c9071a49367a7f770170e5eec8cb66567cfbbc8c73d20ce5ca4a8d71cf11']);
    const coverage = one(m, 'coverage');
    assert.deepEqual(coverage.requirement.extras, ['toml']);
    assert.equal(coverage.hashes.length, 106);
  });

  test('every hash is carried: 65 in default, 845 in develop', () => {
    const count = (group: string | null) => inGroup(group).reduce((n, r) => n + r.hashes.length, 0);
    assert.equal(count(null), 65);
    assert.equal(count('develop'), 845);
    assert.ok(m.requirements.every((r) => r.hashes.every((h) => /^sha256:[0-9a-f]{64}$/.test(h))));
  });
});

describe('the readers on the real pipenv Pipfile.lock, read from disk', { skip: needsCorpus }, () => {
  test('the file is JSON, so the TOML readers reject it with a position', () => {
    const path = join(lockfilesDir, 'pypa__pipenv__Pipfile.lock');
    const text = readFileSync(path, 'utf8');
    assert.throws(() => readPipfile(text, path), (err: unknown) => err instanceof InputError && err.line !== undefined && /^invalid TOML/.test(err.detail));
  });
});
