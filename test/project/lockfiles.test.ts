import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { checkLockfiles, type CheckReport } from '../../src/project/check-report.js';
import { InputError } from '../../src/project/input-error.js';
import type { Lockfile } from '../../src/project/lockfile.js';
import { loadProjectInputs } from '../../src/project/project-inputs.js';
import { parseInterpreter } from '../../src/standards/interpreters.js';
import { platformFamily } from '../../src/standards/platform-families.js';
import { tempFile } from '../helpers/cli.js';

const options = {
  interpreters: ['3.13t', '3.14t'].map((i) => parseInterpreter(i)!),
  families: ['linux-x86_64', 'windows-amd64'].map((f) => platformFamily(f)!),
};

function loadLockfiles(paths: string[]): Lockfile[] {
  return loadProjectInputs(paths, {}).map((input) => {
    assert.equal(input.kind, 'lockfile');
    return (input as { lock: Lockfile }).lock;
  });
}

async function check(name: string, content: string): Promise<CheckReport> {
  return checkLockfiles(await loadLockfiles([tempFile(name, content)]), options);
}

function result(report: CheckReport, name: string, python = '3.14t', platform = 'linux-x86_64', version?: string) {
  const pkg = report.packages.find((p) => p.name === name && (version === undefined || p.version === version));
  assert.ok(pkg, `package ${name} is in the report`);
  return pkg.results[python]![platform]!;
}

const W = (f: string) => `{ url = "https://files.example.invalid/${f}", hash = "sha256:${Buffer.from(f).toString('hex').slice(0, 16)}" }`;

const UV_LOCK = `version = 1
revision = 3
requires-python = ">=3.10"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "numpy", version = "1.26.4", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version < '3.12'" },
    { name = "numpy", version = "2.3.0", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version >= '3.12'" },
    { name = "pywin", marker = "sys_platform == 'win32'" },
    { name = "gitdep" },
    { name = "ghost" },
    { name = "broken" },
]

[package.optional-dependencies]
fast = [{ name = "speedups" }]

[package.dev-dependencies]
dev = [{ name = "tool", marker = "this is not a marker" }]

[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://pypi.org/simple" }
wheels = [${W('numpy-1.26.4-cp312-cp312-win_amd64.whl')}]

[[package]]
name = "numpy"
version = "2.3.0"
source = { registry = "https://pypi.org/simple" }
sdist = ${W('numpy-2.3.0.tar.gz')}
wheels = [${W('numpy-2.3.0-cp314-cp314t-manylinux_2_28_x86_64.whl')}, ${W('numpy-2.3.0-cp313-cp313t-win_amd64.whl')}]

[[package]]
name = "pywin"
version = "311"
source = { registry = "https://pypi.org/simple" }
wheels = [${W('pywin-311-cp314-cp314-win_amd64.whl')}]

[[package]]
name = "gitdep"
version = "0.1"
source = { git = "https://github.com/example/gitdep?rev=main#abc" }

[[package]]
name = "speedups"
version = "1.0"
source = { registry = "https://pypi.org/simple" }
wheels = [${W('speedups-1.0-py3-none-any.whl')}]

[[package]]
name = "tool"
version = "2.0"
source = { registry = "https://pypi.org/simple" }
wheels = [${W('tool-2.0-py3-none-any.whl')}]

[[package]]
name = "broken"
version = "1.0"
source = { registry = "https://pypi.org/simple" }
wheels = [{ hash = "sha256:00" }, ${W('broken-1.0-py3-none-any.whl')}]

[[package]]
name = "orphan"
version = "1.0"
source = { registry = "https://pypi.org/simple" }
wheels = [${W('orphan-1.0-py3-none-any.whl')}]
`;

describe('uv.lock', () => {
  test('installation follows the dependency graph and its markers', async () => {
    const r = await check('uv.lock', UV_LOCK);
    assert.equal(result(r, 'numpy', '3.14t', 'linux-x86_64', '1.26.4').status, 'not-installed');
    assert.equal(result(r, 'numpy', '3.14t', 'linux-x86_64', '2.3.0').status, 'free-threaded-wheel');
    assert.equal(result(r, 'numpy', '3.13t', 'windows-amd64', '2.3.0').status, 'free-threaded-wheel');
    assert.equal(result(r, 'numpy', '3.14t', 'windows-amd64', '2.3.0').readiness, 'needs-build');
    assert.equal(result(r, 'pywin', '3.14t', 'linux-x86_64').status, 'not-installed');
    assert.match(result(r, 'pywin', '3.14t', 'linux-x86_64').reason, /app needs it only when sys_platform == 'win32'/);
    assert.equal(result(r, 'pywin', '3.14t', 'windows-amd64').readiness, 'blocked');
    assert.equal(result(r, 'orphan').status, 'not-installed');
  });
  test('extras and dependency groups count as installed', async () => {
    const r = await check('uv.lock', UV_LOCK);
    assert.equal(result(r, 'speedups').status, 'compatible-wheel');
    assert.equal(result(r, 'tool').status, 'compatible-wheel');
  });
  test('the project and git packages are not checkable, never blockers', async () => {
    const r = await check('uv.lock', UV_LOCK);
    assert.equal(result(r, 'app').status, 'not-checkable');
    assert.match(result(r, 'app').reason, /the project itself/);
    assert.equal(result(r, 'gitdep').readiness, 'not-checkable');
  });
  test('a malformed entry is unknown and the rest is still checked', async () => {
    const r = await check('uv.lock', UV_LOCK);
    assert.equal(result(r, 'broken').status, 'unknown');
    assert.match(result(r, 'broken').reason, /wheel #1 has no url, path or filename/);
    assert.equal(result(r, 'speedups').readiness, 'ready');
  });
  test('problems outside one package become notes', async () => {
    const r = await check('uv.lock', UV_LOCK);
    assert.ok(r.notes.some((n) => /depends on ghost, which the lockfile does not list/.test(n)), r.notes.join('\n'));
    assert.ok(r.notes.some((n) => /dependency tool of app: invalid marker/.test(n)), r.notes.join('\n'));
  });
  test('the path from the project is reported', async () => {
    const r = await check('uv.lock', UV_LOCK);
    assert.deepEqual(r.packages.find((p) => p.name === 'speedups')?.path, ['app', 'speedups']);
  });
  test('an unsupported version is an input error; a newer revision is a note', async () => {
    await assert.rejects(check('uv.lock', 'version = 2\n'), (e: unknown) => e instanceof InputError && /version 2 is not supported/.test(e.message));
    const r = await check('uv.lock', 'version = 1\nrevision = 9\n');
    assert.ok(r.notes.some((n) => /revision 9 is newer/.test(n)));
  });
  test('requires-python that excludes a target is noted', async () => {
    const r = await check('uv.lock', 'version = 1\nrevision = 3\nrequires-python = ">=3.10,<3.14"\n');
    assert.ok(r.notes.some((n) => /excludes 3\.14t/.test(n)));
    assert.ok(!r.notes.some((n) => /excludes 3\.13t/.test(n)));
  });
});

describe('poetry.lock', () => {
  test('2.x: files, string and per-group markers, non-index sources', async () => {
    const r = await check('poetry.lock', `
[[package]]
name = "cffi"
version = "2.0.0"
optional = false
python-versions = ">=3.9"
groups = ["main"]
markers = "sys_platform == \\"linux\\""
files = [
    {file = "cffi-2.0.0-cp314-cp314t-manylinux2014_x86_64.manylinux_2_17_x86_64.whl", hash = "sha256:aa"},
    {file = "cffi-2.0.0.tar.gz", hash = "sha256:bb"},
]

[[package]]
name = "colorama"
version = "0.4.6"
groups = ["main", "test"]
markers = {main = "sys_platform == \\"win32\\"", test = "platform_system == \\"Windows\\""}
files = [{file = "colorama-0.4.6-py2.py3-none-any.whl", hash = "sha256:cc"}]

[[package]]
name = "local"
version = "0.1"
develop = true
files = []

[package.source]
type = "directory"
url = "../local"

[[package]]
name = "private"
version = "1.0"
files = [{file = "private-1.0-cp39-abi3-win_amd64.whl", hash = "sha256:dd"}]

[package.source]
type = "legacy"
url = "https://pypi.example.invalid/simple"
reference = "corp"

[metadata]
lock-version = "2.1"
python-versions = ">=3.10"
content-hash = "00"
`);
    assert.equal(result(r, 'cffi', '3.14t', 'linux-x86_64').status, 'free-threaded-wheel');
    assert.equal(result(r, 'cffi', '3.14t', 'windows-amd64').status, 'not-installed');
    assert.equal(result(r, 'cffi', '3.13t', 'linux-x86_64').readiness, 'needs-build');
    assert.equal(result(r, 'colorama', '3.14t', 'linux-x86_64').status, 'not-installed');
    assert.equal(result(r, 'colorama', '3.14t', 'windows-amd64').status, 'compatible-wheel');
    assert.equal(result(r, 'local').status, 'not-checkable');
    assert.match(result(r, 'local').reason, /editable install from a local directory: \.\.\/local/);
    assert.equal(result(r, 'private', '3.14t', 'windows-amd64').status, 'abi3-only');
  });
  test('1.x: the [metadata.files] table', async () => {
    const r = await check('poetry.lock', `
[[package]]
name = "PyYAML"
version = "6.0.2"
category = "main"
optional = false
python-versions = ">=3.8"

[metadata]
lock-version = "1.1"
python-versions = "^3.8"
content-hash = "00"

[metadata.files]
pyyaml = [
    {file = "PyYAML-6.0.2-cp313-cp313t-win_amd64.whl", hash = "sha256:aa"},
    {file = "pyyaml-6.0.2.tar.gz", hash = "sha256:bb"},
]
`);
    assert.equal(result(r, 'pyyaml', '3.13t', 'windows-amd64').status, 'free-threaded-wheel');
    assert.equal(result(r, 'pyyaml', '3.14t', 'windows-amd64').status, 'no-compatible-wheel');
  });
});

describe('pylock.toml (PEP 751)', () => {
  test('wheel names from name or URL, markers, vcs and directory packages', async () => {
    const r = await check('pylock.toml', `
lock-version = "1.0"
created-by = "test"
requires-python = ">=3.13"

[[packages]]
name = "markupsafe"
version = "3.0.3"
sdist = { url = "https://files.example.invalid/markupsafe-3.0.3.tar.gz", hashes = { sha256 = "aa" } }
wheels = [
  { url = "https://files.example.invalid/markupsafe-3.0.3-cp314-cp314t-win_amd64.whl", hashes = { sha256 = "bb" } },
  { name = "markupsafe-3.0.3-cp313-cp313t-manylinux_2_17_x86_64.whl", hashes = { sha256 = "cc" } },
]

[[packages]]
name = "pywin32"
version = "311"
marker = "sys_platform == 'win32'"
wheels = [{ url = "https://files.example.invalid/pywin32-311-cp314-cp314-win_amd64.whl", hashes = { sha256 = "dd" } }]

[[packages]]
name = "mylib"
vcs = { type = "git", url = "https://example.invalid/mylib.git", commit-id = "abc" }

[[packages]]
name = "here"
directory = { path = ".", editable = true }
`);
    assert.equal(result(r, 'markupsafe', '3.14t', 'windows-amd64').status, 'free-threaded-wheel');
    assert.equal(result(r, 'markupsafe', '3.13t', 'linux-x86_64').status, 'free-threaded-wheel');
    assert.equal(result(r, 'markupsafe', '3.14t', 'linux-x86_64').readiness, 'needs-build');
    assert.equal(result(r, 'pywin32', '3.14t', 'linux-x86_64').status, 'not-installed');
    assert.equal(result(r, 'pywin32', '3.14t', 'windows-amd64').readiness, 'blocked');
    assert.match(result(r, 'mylib').reason, /from git: https:\/\/example\.invalid\/mylib\.git/);
    assert.match(result(r, 'here').reason, /editable install/);
  });
  test('a lying lockfile (one invented wheel name for every hash) is unknown, not ready', async () => {
    const r = await check('pylock.toml', `
lock-version = "1.0"
[[packages]]
name = "cryptography"
version = "46.0.1"
wheels = [
  { name = "cryptography-46.0.1-py3-none-any.whl", url = "https://files.example.invalid/cryptography-46.0.1-cp311-abi3-win_amd64.whl", hashes = { sha256 = "01" } },
  { name = "cryptography-46.0.1-py3-none-any.whl", url = "https://files.example.invalid/cryptography-46.0.1-cp311-abi3-manylinux_2_28_x86_64.whl", hashes = { sha256 = "02" } },
]
[[packages]]
name = "fine"
version = "1.0"
wheels = [{ name = "fine-1.0-py3-none-any.whl", hashes = { sha256 = "03" } }]
`);
    for (const platform of ['linux-x86_64', 'windows-amd64']) {
      const res = result(r, 'cryptography', '3.14t', platform);
      assert.equal(res.status, 'unknown');
      assert.match(res.reason, /inconsistent file list/);
    }
    assert.equal(result(r, 'fine').status, 'compatible-wheel');
  });
  test('the same invented name with different hashes and no URL', async () => {
    const r = await check('pylock.toml', `
lock-version = "1.0"
[[packages]]
name = "x"
version = "1.0"
wheels = [
  { name = "x-1.0-py3-none-any.whl", hashes = { sha256 = "01" } },
  { name = "x-1.0-py3-none-any.whl", hashes = { sha256 = "02" } },
]
`);
    assert.match(result(r, 'x').reason, /listed more than once with different hashes/);
  });
  test('an unsupported lock-version is an input error', async () => {
    await assert.rejects(check('pylock.toml', 'lock-version = "2.0"\n'), /lock-version 2\.0 is not supported/);
  });
});

describe('finding and recognising lockfiles', () => {
  test('the format is detected from content when the name says nothing', async () => {
    const r = await check('mystery.toml', 'lock-version = "1.0"\n[[packages]]\nname = "a"\nversion = "1"\nwheels = [{ name = "a-1-py3-none-any.whl" }]\n');
    assert.equal(result(r, 'a').status, 'compatible-wheel');
  });
  test('a directory: uv.lock wins, the others are noted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftready-dir-'));
    writeFileSync(join(dir, 'uv.lock'), 'version = 1\nrevision = 3\n');
    writeFileSync(join(dir, 'poetry.lock'), '[metadata]\nlock-version = "2.1"\n');
    const [lock] = loadLockfiles([dir]);
    assert.equal(lock?.format, 'uv.lock');
    assert.ok(lock?.notes.some((n: string) => /also holds poetry\.lock/.test(n)));
  });
  test('a directory without a lockfile or manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftready-empty-'));
    assert.throws(() => loadLockfiles([dir]), /no lockfile \(uv\.lock, pylock\.toml, poetry\.lock, Pipfile\.lock\) or manifest/);
  });
  test('a lockfile wins over a manifest in the same directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftready-both-'));
    writeFileSync(join(dir, 'requirements.txt'), 'six\n');
    writeFileSync(join(dir, 'uv.lock'), 'version = 1\nrevision = 3\n');
    const [input] = loadProjectInputs([dir], {});
    assert.equal(input?.kind, 'lockfile');
    assert.ok((input as { lock: Lockfile }).lock.notes.some((n) => /also holds requirements\.txt/.test(n)));
  });
  test('TOML that is no lockfile', async () => {
    assert.throws(() => loadLockfiles([tempFile('thing.toml', '[project]\nname = "x"\n')]), /not a recognised lockfile/);
  });
});
