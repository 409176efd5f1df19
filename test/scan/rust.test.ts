import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import type { BuildFacts, FileAnalysis, RawFinding } from '../../src/scan/analyzer.js';
import { analyzeRust } from '../../src/scan/analyzers/rust.js';
import { compareVersions, lowestAllowedVersion, readCargoPyo3, readWorkspacePyo3 } from '../../src/scan/build/cargo.js';
import { needsCorpus, repoRoot } from '../helpers/paths.js';

/** Build facts with one Cargo.toml at the root pinning `version`; no Cargo.toml when version is undefined. */
function facts(version?: string | null): BuildFacts {
  return { pyo3: version === undefined ? [] : [{ dir: '', version, cargoToml: 'Cargo.toml' }], cythonDirectives: [] };
}

async function scan(text: string, build: BuildFacts = facts('0.26'), path = 'src/lib.rs'): Promise<FileAnalysis> {
  return analyzeRust({ path, language: 'rust', text }, { build });
}

/** Findings as "RULE line:col key=value ..." (severity when not the default), for compact exact comparisons. */
function brief(findings: RawFinding[]): string[] {
  return findings.map((f) => {
    const params = Object.entries(f.params ?? {}).map(([k, v]) => ` ${k}=${v}`).join('');
    return `${f.rule} ${f.line}:${f.column}${params}${f.severity ? ` [${f.severity}]` : ''}`;
  });
}

const BODY = `(m: &Bound<'_, PyModule>) -> PyResult<()> {\n    Ok(())\n}\n`;

// ---- Cargo.toml ----

test('Cargo.toml: every way of naming pyo3', () => {
  const cases: Array<[string, string | null]> = [
    ['[dependencies]\npyo3 = "0.26"\n', '0.26'],
    ['[dependencies]\npyo3 = { version = "0.26.0", features = ["extension-module"] }\n', '0.26.0'],
    ['[dependencies.pyo3]\nversion = "0.27.1"\nfeatures = ["abi3-py39"]\n', '0.27.1'],
    ['[dependencies]\npython = { package = "pyo3", version = "0.25" }\n', '0.25'],
    ["[target.'cfg(not(target_arch = \"wasm32\"))'.dependencies]\npyo3 = \"0.24\"\n", '0.24'],
    ['[dependencies]\npyo3-ffi = "0.26"\n', null],
    ['[dependencies]\nserde = "1"\n', null],
    ['[package]\nname = "x"\n', null],
    ['[dependencies]\npyo3 = { git = "https://github.com/PyO3/pyo3" }\n', null],
    ['[dependencies]\npyo3 = { git = "https://github.com/PyO3/pyo3", branch = "main" }\n', null],
    ['[dependencies]\npyo3 = { path = "../pyo3" }\n', null],
    // Cargo checks the checkout against `version`, so the requirement still holds.
    ['[dependencies]\npyo3 = { git = "https://github.com/PyO3/pyo3", version = "0.23" }\n', '0.23'],
    ['[dependencies]\npyo3 = 0.26\n', null],
    ['[dev-dependencies]\npyo3 = "0.26"\n', null],
  ];
  for (const [text, version] of cases) {
    assert.equal(readCargoPyo3(text, 'Cargo.toml').version, version, text);
  }
});

test('Cargo.toml: workspace = true is resolved from [workspace.dependencies]', () => {
  const member = readCargoPyo3('[dependencies]\npyo3 = { workspace = true, features = ["abi3"] }\n', 'ext/Cargo.toml');
  assert.deepEqual(member, { version: null, workspace: true });
  const root = '[workspace]\nmembers = ["ext"]\n[workspace.dependencies]\npyo3 = { version = "~0.27.1" }\n';
  assert.deepEqual(readWorkspacePyo3(root, 'Cargo.toml'), { version: '0.27.1' });
  assert.deepEqual(readWorkspacePyo3('[workspace.dependencies]\npyo3 = ">=0.23, <0.28"\n', 'Cargo.toml'), { version: '0.23' });
  assert.deepEqual(readWorkspacePyo3('[workspace]\nmembers = []\n', 'Cargo.toml'), { version: null });
  // A root that is also a member of its own workspace resolves itself.
  const both = `${root}[dependencies]\npyo3 = { workspace = true }\n`;
  assert.deepEqual(readCargoPyo3(both, 'Cargo.toml'), { version: '0.27.1', workspace: false });
});

test('Cargo.toml: malformed TOML gives null and a problem, never an exception', () => {
  for (const text of ['[dependencies\npyo3 = "0.26"', 'pyo3 = ', '\u0000\u0001\u00ff', '[a]\n[a]\n', `x = ${'['.repeat(100_000)}`]) {
    const result = readCargoPyo3(text, 'bad/Cargo.toml');
    assert.equal(result.version, null);
    assert.match(result.problem ?? '', /^bad\/Cargo\.toml is not valid TOML: /);
    assert.match(readWorkspacePyo3(text, 'bad/Cargo.toml').problem ?? '', /not valid TOML/);
  }
});

test('version requirements: the lowest version allowed', () => {
  const cases: Array<[string, string | null]> = [
    ['0.26', '0.26'],
    ['^0.26', '0.26'],
    ['~0.27.1', '0.27.1'],
    ['>=0.23, <0.28', '0.23'],
    ['<0.28, >= 0.23', '0.23'],
    ['=0.28.0', '0.28.0'],
    ['>0.27', '0.28'],
    ['>0.27.1', '0.27.2'],
    ['0.26.*', '0.26'],
    ['0.28.0-rc.1', '0.28.0-rc.1'],
    ['0.26.0+build.5', '0.26.0'],
    ['*', null],
    ['<0.28', null],
    ['', null],
    ['latest', null],
    ['0.26 || 0.27', null],
  ];
  for (const [requirement, lowest] of cases) assert.equal(lowestAllowedVersion(requirement), lowest, requirement);
});

test('version comparison is numeric and pads missing parts', () => {
  assert.equal(compareVersions('0.28', '0.28.0'), 0);
  assert.equal(compareVersions('0.27.9', '0.28'), -1);
  assert.equal(compareVersions('0.100', '0.28'), 1);
  assert.equal(compareVersions('1.0', '0.28'), 1);
});

// ---- FT006 ----

test('FT006: bare #[pymodule] function with PyO3 before 0.28', async () => {
  const r = await scan(`use pyo3::prelude::*;\n\n#[pymodule]\nfn fastlib${BODY}`);
  assert.deepEqual(brief(r.findings), ['FT006 3:1 name=fastlib reason=PyO3 0.26 (before 0.28) keeps the GIL for a bare #[pymodule]']);
  assert.equal(r.declaresFreeThreading, false);
});

test('FT006: version boundary at 0.28', async () => {
  const text = `#[pymodule]\nfn m${BODY}`;
  for (const v of ['0.23', '0.27', '0.27.2', '0.27.99']) {
    const r = await scan(text, facts(v));
    assert.deepEqual(brief(r.findings), [`FT006 1:1 name=m reason=PyO3 ${v} (before 0.28) keeps the GIL for a bare #[pymodule]`], v);
    assert.equal(r.declaresFreeThreading, false);
  }
  for (const v of ['0.28', '0.28.0', '0.28.0-rc.1', '0.29.1', '1.0']) {
    const r = await scan(text, facts(v));
    assert.deepEqual(r.findings, [], v);
    assert.equal(r.declaresFreeThreading, true, v);
  }
});

test('FT006: unknown PyO3 version is an info hint', async () => {
  const text = `#[pymodule]\nfn m${BODY}`;
  assert.deepEqual(brief((await scan(text, facts())).findings), [
    'FT006 1:1 name=m reason=the PyO3 version is unknown (no Cargo.toml found); before 0.28 a bare #[pymodule] keeps the GIL [info]',
  ]);
  assert.deepEqual(brief((await scan(text, facts(null))).findings), [
    'FT006 1:1 name=m reason=the PyO3 version is unknown (Cargo.toml does not pin a pyo3 version); before 0.28 a bare #[pymodule] keeps the GIL [info]',
  ]);
  assert.equal((await scan(text, facts('not-a-version'))).findings[0]?.severity, 'info');
});

test('FT006: gil_used in the attribute', async () => {
  const forms = [
    `#[pymodule(gil_used = false)]\nfn m${BODY}`,
    `#[pyo3::pymodule(gil_used = false)]\nfn m${BODY}`,
    `#[pymodule(name = "x", gil_used = false)]\nfn m${BODY}`,
    `#[pymodule]\n#[pyo3(gil_used = false)]\nfn m${BODY}`,
    `#[pymodule(gil_used = false)]\nmod m {}\n`,
  ];
  for (const text of forms) {
    const r = await scan(text, facts('0.23'));
    assert.deepEqual(r.findings, [], text);
    assert.equal(r.declaresFreeThreading, true, text);
  }
  // An explicit opt-out, reported whatever the version.
  for (const v of ['0.26', '0.28']) {
    const r = await scan(`/// Docs.\n#[pymodule(gil_used = true)]\nfn m${BODY}`, facts(v));
    assert.deepEqual(brief(r.findings), ['FT006 2:1 name=m reason=gil_used = true [info]']);
    assert.equal(r.declaresFreeThreading, false);
  }
});

test('FT006: the mod form, paths and arguments', async () => {
  const text = [
    '#[pyo3::pymodule(name = "renamed")]',
    'mod native {',
    '    #[pymodule_export]',
    '    use super::thing;',
    '}',
    '',
    '#[pymodule]',
    '// a comment between the attribute and the item',
    'pub mod other {}',
  ].join('\n');
  const r = await scan(text, facts('0.27.0'));
  assert.deepEqual(brief(r.findings), [
    'FT006 1:1 name=native reason=PyO3 0.27.0 (before 0.28) keeps the GIL for a bare #[pymodule]',
    'FT006 7:1 name=other reason=PyO3 0.27.0 (before 0.28) keeps the GIL for a bare #[pymodule]',
  ]);
});

test('FT006: the builder form gil_used(false) in the module body', async () => {
  const declared = [
    `#[pymodule]\nfn m(m: &Bound<'_, PyModule>) -> PyResult<()> {\n    m.gil_used(false)?;\n    Ok(())\n}\n`,
    `#[pymodule]\nfn m(m: &Bound<'_, PyModule>) -> PyResult<()> {\n    PyModuleMethods::gil_used(m, false)?;\n    Ok(())\n}\n`,
    `#[pymodule]\nmod m {\n    #[pymodule_init]\n    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {\n        m.gil_used(false)\n    }\n}\n`,
  ];
  for (const text of declared) {
    const r = await scan(text);
    assert.deepEqual(r.findings, [], text);
    assert.equal(r.declaresFreeThreading, true);
  }
  const r = await scan(`#[pymodule]\nfn m(m: &Bound<'_, PyModule>) -> PyResult<()> {\n    m.gil_used(true)?;\n    Ok(())\n}\n`);
  assert.equal(r.findings.length, 1);
});

test('FT006: declaresFreeThreading is true only when every module in the file declares', async () => {
  const one = `#[pymodule(gil_used = false)]\nfn a${BODY}`;
  const other = `#[pymodule]\nfn b${BODY}`;
  assert.equal((await scan(one + other)).declaresFreeThreading, false);
  assert.equal((await scan(one + other, facts('0.28'))).declaresFreeThreading, true);
  assert.equal((await scan('fn main() {}\n')).declaresFreeThreading, null);
  // #[pymodule] on something that is not a function or a mod is no module.
  assert.equal((await scan('#[pymodule]\nstruct S;\n')).declaresFreeThreading, null);
});

test('FT006: the closest Cargo.toml decides', async () => {
  const build: BuildFacts = {
    pyo3: [
      { dir: '', version: '0.28', cargoToml: 'Cargo.toml' },
      { dir: 'crates/ext', version: '0.26', cargoToml: 'crates/ext/Cargo.toml' },
      { dir: './crates/ext/inner/', version: '0.22', cargoToml: 'crates/ext/inner/Cargo.toml' },
    ],
    cythonDirectives: [],
  };
  const text = `#[pymodule]\nfn m${BODY}`;
  const reason = async (path: string) => (await scan(text, build, path)).findings[0]?.params?.reason;
  assert.match((await reason('crates/ext/src/lib.rs')) ?? '', /PyO3 0\.26 /);
  assert.match((await reason('crates/ext/inner/lib.rs')) ?? '', /PyO3 0\.22 /);
  // crates/extra is not inside crates/ext.
  assert.equal(await reason('crates/extra/src/lib.rs'), undefined);
  assert.equal(await reason('lib.rs'), undefined);
});

// ---- FT501, FT502 ----

test('FT501: GILProtected in use, type and expression positions, once per line', async () => {
  const text = [
    'use pyo3::sync::GILProtected;',
    'use std::cell::RefCell;',
    'static SEEN: GILProtected<RefCell<Vec<i64>>> = GILProtected::new(RefCell::new(Vec::new()));',
    'static OTHER: pyo3::sync::GILProtected<u8> =',
    '    pyo3::sync::GILProtected::new(0);',
    '// GILProtected in a comment, and "GILProtected" in a string, are not uses',
    'const S: &str = "GILProtected";',
  ].join('\n');
  assert.deepEqual(brief((await scan(text)).findings), ['FT501 1:17', 'FT501 3:14', 'FT501 4:27', 'FT501 5:17']);
});

test('FT502: GILOnceCell, also renamed on import', async () => {
  const text = [
    'use pyo3::sync::{GILOnceCell, GILProtected};',
    'use pyo3::sync::GILOnceCell as Once;',
    'static DECIMAL: GILOnceCell<Py<PyType>> = GILOnceCell::new();',
    'static OTHER: Once<Py<PyType>> = Once::new();',
    'static FINE: PyOnceLock<Py<PyType>> = PyOnceLock::new();',
  ].join('\n');
  assert.deepEqual(brief((await scan(text)).findings), ['FT502 1:18', 'FT501 1:31', 'FT502 2:17', 'FT502 3:17', 'FT502 4:15']);
});

// ---- FT503 ----

test('FT503: #[pyclass(unsendable)] with and without other arguments', async () => {
  const text = [
    '#[pyclass(unsendable)]',
    'struct Session { conn: Rc<RefCell<Conn>> }',
    '#[pyclass(name = "X", unsendable)]',
    '#[derive(Clone)]',
    'pub enum Kind { A, B }',
    '#[pyo3::pyclass(subclass, unsendable)]',
    'struct Base;',
    '#[cfg_attr(feature = "python", pyclass(unsendable))]',
    'struct Optional;',
    '#[pyclass(frozen)]',
    'struct Frozen { n: AtomicU64 }',
    '#[pyclass(name = "unsendable")]',
    'struct Named;',
    '#[derive(unsendable)]',
    'struct NotAClass;',
  ].join('\n');
  assert.deepEqual(brief((await scan(text)).findings), [
    'FT503 1:1 name=Session',
    'FT503 3:1 name=Kind',
    'FT503 6:1 name=Base',
    'FT503 8:1 name=Optional',
  ]);
});

// ---- FT504 ----

test('FT504: unsafe impl Send/Sync on Python-facing types only', async () => {
  const text = [
    '#[pyclass]',
    'struct Engine { h: Handle }',
    'unsafe impl Send for Engine {}',
    'unsafe impl Sync for Engine {}',
    'struct Handle(*mut ctx);',
    'unsafe impl std::marker::Send for Handle {}',
    '#[pyclass]',
    'struct Wrapper<T> { inner: T }',
    'unsafe impl<T> Sync for Wrapper<T> {}',
    'struct Reached;',
    'fn take(x: Py<Reached>, y: Bound<\'_, Bound2>) {}',
    'unsafe impl Send for Reached {}',
    'struct Bound2;',
    'unsafe impl Sync for crate::Bound2 {}',
    'struct Methods;',
    '#[pymethods]',
    'impl Methods {}',
    'unsafe impl Sync for Methods {}',
    'struct Plain(*mut u8);',
    'unsafe impl Send for Plain {}',
    'unsafe impl Sync for Plain {}',
    'unsafe impl MyTrait for Engine {}',
  ].join('\n');
  assert.deepEqual(brief((await scan(text)).findings), [
    'FT504 3:1 api=Send name=Engine',
    'FT504 4:1 api=Sync name=Engine',
    'FT504 6:1 api=Send name=Handle',
    'FT504 9:1 api=Sync name=Wrapper',
    'FT504 12:1 api=Send name=Reached',
    'FT504 14:1 api=Sync name=Bound2',
    'FT504 18:1 api=Sync name=Methods',
  ]);
});

test('FT504: a // SAFETY: comment right above lowers it to info', async () => {
  const text = [
    '#[pyclass(frozen)]',
    'struct Engine { h: Mutex<Handle> }',
    'struct Handle(*mut ctx);',
    '// SAFETY: ctx is only used while',
    '// Engine::h is locked.',
    'unsafe impl Send for Handle {}',
    '// SAFETY: not directly above',
    '',
    'unsafe impl Sync for Handle {}',
  ].join('\n');
  const findings = (await scan(text)).findings;
  assert.deepEqual(brief(findings), ['FT504 6:1 api=Send name=Handle [info]', 'FT504 9:1 api=Sync name=Handle']);
  assert.match(findings[0]?.detail ?? '', /SAFETY/);
});

// ---- robustness ----

test('never throws: garbage, truncated, binary, deeply nested and huge input', async () => {
  const inputs = [
    '',
    '#[pymodule',
    '#[pymodule(gil_used = ]\nfn',
    '#[pyclass(unsendable)]',
    'unsafe impl Send for',
    'unsafe impl<T Sync for Foo<T> {',
    `#[pymodule]\nfn m(m: &Bound<'_, PyModule>) -> PyResult<()> {\n    m.add(`,
    '\u0000\u0001\u0002\uffff\ud800 binary \u0000 GILOnceCell',
    Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 65_536)).join(''),
    '('.repeat(50_000),
    '{'.repeat(50_000) + 'GILProtected',
    `${'#[pyclass]\nstruct S { a: GILOnceCell<u8> }\nunsafe impl Sync for S {}\n'.repeat(20_000)}`,
  ];
  for (const text of inputs) {
    const r = await scan(text);
    assert.ok(Array.isArray(r.findings) && Array.isArray(r.notes), text.slice(0, 40));
  }
  const huge = await scan(inputs[inputs.length - 1]!);
  assert.equal(huge.findings.length, 40_000);
});

// ---- corpus ----

test('corpus: rtoml (pyo3 0.26, bare #[pymodule])', { skip: needsCorpus }, async () => {
  const dir = resolve(repoRoot, '..', 'shared', 'corpus', 'sources', 'rtoml');
  const cargo = readCargoPyo3(readFileSync(resolve(dir, 'Cargo.toml'), 'utf8'), 'rtoml/Cargo.toml');
  assert.deepEqual(cargo, { version: '0.26.0', workspace: false });
  const build: BuildFacts = { pyo3: [{ dir: 'rtoml', version: cargo.version, cargoToml: 'rtoml/Cargo.toml' }], cythonDirectives: [] };
  const r = await scan(readFileSync(resolve(dir, 'lib.rs'), 'utf8'), build, 'rtoml/lib.rs');
  // Every finding, each a true or false positive with its reason.
  const expected = [
    // True positive: `#[pymodule] fn _rtoml` at lib.rs:57 has no gil_used, and pyo3 0.26 defaults to gil_used = true.
    'FT006 57:1 name=_rtoml reason=PyO3 0.26.0 (before 0.28) keeps the GIL for a bare #[pymodule]',
  ];
  assert.deepEqual(brief(r.findings), expected);
  assert.equal(r.declaresFreeThreading, false);
  assert.deepEqual(r.notes, []);
});
