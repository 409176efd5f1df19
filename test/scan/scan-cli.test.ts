import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Ajv from 'ajv-draft-04';
import { ftreadyAsync } from '../helpers/cli.js';
import { cliPath, corpusDir, needsCorpus, repoRoot } from '../helpers/paths.js';

// `ftready scan` as users run it: formats, selection, suppressions,
// configuration, excludes, exit codes, and files it must not choke on.

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ftready-scan-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const HAZARDS = `#include <Python.h>
static PyObject *registry;
static long calls;
static PyObject *get(PyObject *self, PyObject *key) {
  calls++;
  return PyDict_GetItem(registry, key);
}
`;

async function scan(dir: string, ...args: string[]) {
  return ftreadyAsync(['scan', dir, ...args]);
}

describe('ftready scan', () => {
  test('text output: file:line:col, rule, message, code frame and fix; exit 1 on errors', async () => {
    const dir = project({ 'ext.c': HAZARDS });
    const r = await scan(dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /ext\.c:6:10: error FT102 \[borrowed-dict-item\]\n {2}PyDict_GetItem returns a borrowed reference/);
    assert.match(r.stdout, / {2}6 \| {3}return PyDict_GetItem\(registry, key\);\n {4}\| {10}\^/);
    assert.match(r.stdout, /fix: use PyDict_GetItemRef/);
    assert.match(r.stdout, /note: registry is a static or global/);
    assert.match(r.stdout, /Found 2 findings \(1 error, 1 warning, 0 info\) in 1 of 1 file scanned\./);
  });

  test('--fail-on, --select and --ignore (ids, prefixes, names); unknown rules are usage errors', async () => {
    const dir = project({ 'ext.c': HAZARDS });
    assert.equal((await scan(dir, '--ignore', 'FT102')).code, 0);
    assert.equal((await scan(dir, '--ignore', 'FT102', '--fail-on', 'warning')).code, 1);
    const selected = await scan(dir, '--select', 'FT4', '--format', 'json');
    assert.deepEqual((JSON.parse(selected.stdout) as { findings: Array<{ rule: string }> }).findings.map((f) => f.rule), ['FT402']);
    const byName = await scan(dir, '--select', 'borrowed-dict-item', '--format', 'json');
    assert.deepEqual((JSON.parse(byName.stdout) as { findings: Array<{ rule: string }> }).findings.map((f) => f.rule), ['FT102']);
    for (const args of [['--select', 'FT999'], ['--ignore', 'nothing-like-this'], ['--fail-on', 'sometimes'], ['--format', 'xml'], ['--threads', '0']]) {
      const r = await scan(dir, ...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });

  test('inline suppressions, NumPy markers, and [tool.ftready.scan]', async () => {
    const dir = project({
      'ext.c': HAZARDS.replace('  calls++;', '  calls++; // ftready: ignore[FT402] only called at import').replace('  return PyDict_GetItem', '  // noqa: borrowed-ref OK\n  return PyDict_GetItem'),
    });
    const r = await scan(dir, '--format', 'json');
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual((JSON.parse(r.stdout) as { findings: unknown[] }).findings, []);
    const configured = project({ 'ext.c': HAZARDS, 'pyproject.toml': '[tool.ftready.scan]\nignore = ["FT1"]\nfail-on = "warning"\n' });
    const c = await scan(configured, '--format', 'json');
    assert.equal(c.code, 1);
    assert.deepEqual((JSON.parse(c.stdout) as { findings: Array<{ rule: string }> }).findings.map((f) => f.rule), ['FT402']);
    const bad = project({ 'ext.c': HAZARDS, 'pyproject.toml': '[tool.ftready.scan]\nselekt = ["FT1"]\n' });
    const b = await scan(bad);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /\[tool\.ftready\.scan\] has an unknown key "selekt"/);
  });

  test('a module that declares free-threading has its warnings raised to errors', async () => {
    const declared = `${HAZARDS}static PyModuleDef_Slot slots[] = {{Py_mod_gil, Py_MOD_GIL_NOT_USED}, {0, NULL}};\nstatic struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "ext", NULL, 0, NULL, slots};\nPyMODINIT_FUNC PyInit_ext(void) { return PyModuleDef_Init(&def); }\n`;
    const r = await scan(project({ 'ext.c': declared }), '--format', 'json');
    const found = (JSON.parse(r.stdout) as { findings: Array<{ rule: string; severity: string; escalated: boolean }> }).findings;
    assert.deepEqual(found.map((f) => [f.rule, f.severity, f.escalated]), [['FT402', 'error', true], ['FT102', 'error', false]]);
  });

  test('SARIF 2.1.0 output validates against the SARIF schema', async () => {
    const dir = project({ 'ext.c': HAZARDS, 'mod.py': '_cache = {}\n\ndef put(k, v):\n    _cache[k] = v\n' });
    const out = join(dir, 'report.sarif');
    const r = await scan(dir, '--format', 'sarif', '--output', out);
    assert.equal(r.code, 1, r.stderr);
    const sarif = JSON.parse(readFileSync(out, 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
    const schemaPath = createRequire(join(repoRoot, 'package.json')).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    // The schema's one language-tag pattern is not valid as a Unicode regular expression.
    const validate = new Ajv.default({ allErrors: true, strict: false, unicodeRegExp: false }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    assert.ok(validate(sarif), JSON.stringify(validate.errors, null, 2));
    const results = sarif.runs[0]!.results;
    // Outside the working directory, locations are absolute file: URIs; inside it, relative to SRCROOT.
    assert.deepEqual(results.map((x) => [x.ruleId, x.level, x.locations[0]!.physicalLocation.artifactLocation.uri.replace(`file://${dir}/`, ''), x.locations[0]!.physicalLocation.region.startLine]), [
      ['FT402', 'warning', 'ext.c', 5],
      ['FT102', 'error', 'ext.c', 6],
      ['FT801', 'warning', 'mod.py', 4],
    ]);
  });

  test('default and user excludes; build directories and vendored pythoncapi_compat.h are skipped', async () => {
    const dir = project({
      'src/ext.c': HAZARDS,
      'src/pythoncapi_compat.h': 'static inline PyObject *f(PyObject *d, PyObject *k) { return PyDict_GetItem(d, k); }\n',
      'build/lib/gen.c': HAZARDS,
      'vendor/third.c': HAZARDS,
    });
    const files = (r: { stdout: string }) => [...new Set((JSON.parse(r.stdout) as { findings: Array<{ path: string }> }).findings.map((f) => f.path.replace(/^.*?(src|build|vendor)\//, '$1/')))].sort();
    assert.deepEqual(files(await scan(dir, '--format', 'json')), ['src/ext.c', 'vendor/third.c']);
    assert.deepEqual(files(await scan(dir, '--format', 'json', '--exclude', '**/vendor/**')), ['src/ext.c']);
    assert.deepEqual(files(await scan(dir, '--format', 'json', '--no-default-excludes')), ['build/lib/gen.c', 'src/ext.c', 'src/pythoncapi_compat.h', 'vendor/third.c']);
  });

  test('what .gitignore ignores is not scanned, unless asked', async () => {
    const dir = project({ 'src/ext.c': HAZARDS, 'generated/gen.c': HAZARDS, 'src/tmp/scratch.c': HAZARDS, '.gitignore': 'generated/\n', 'src/.gitignore': 'tmp/\n' });
    const files = (r: { stdout: string }) => [...new Set((JSON.parse(r.stdout) as { findings: Array<{ path: string }> }).findings.map((f) => f.path.slice(dir.length + 1)))].sort();
    assert.deepEqual(files(await scan(dir, '--format', 'json')), ['src/ext.c']);
    assert.deepEqual(files(await scan(dir, '--format', 'json', '--no-respect-gitignore')), ['generated/gen.c', 'src/ext.c', 'src/tmp/scratch.c']);
    // A path named on the command line is scanned even when it is ignored, as ruff does; what is ignored below it still is not.
    assert.deepEqual(files(await scan(join(dir, 'generated', 'gen.c'), '--format', 'json')), ['generated/gen.c']);
    writeFileSync(join(dir, '.gitignore'), 'generated/\n*.skip.c\n');
    mkdirSync(join(dir, 'generated', 'deeper'));
    writeFileSync(join(dir, 'generated', 'deeper', 'more.c'), HAZARDS);
    writeFileSync(join(dir, 'generated', 'old.skip.c'), HAZARDS);
    assert.deepEqual(files(await scan(join(dir, 'generated'), '--format', 'json')), ['generated/deeper/more.c', 'generated/gen.c']);
    assert.deepEqual(files(await scan(join(dir, 'generated', 'deeper'), '--format', 'json')), ['generated/deeper/more.c']);
    assert.deepEqual(files(await scan(dir, '--format', 'json')), ['src/ext.c']);
  });

  test('a reader that closes the pipe early ends the scan quietly, with exit 0', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 200; i++) files[`ext${i}.c`] = HAZARDS;
    const dir = project(files);
    const child = spawn(process.execPath, [cliPath, 'scan', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Like `| head -c 0`: the reader is gone before the first line.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
  });

  test('binary, unreadable, mis-encoded files and symlink loops are notes, not failures', async () => {
    const dir = project({ 'ok.c': HAZARDS, 'blob.c': '', 'latin.c': '', 'replacement.py': '# the replacement character \uFFFD is valid UTF-8\n', 'both.py': '' });
    writeFileSync(join(dir, 'blob.c'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3]));
    writeFileSync(join(dir, 'latin.c'), Buffer.concat([Buffer.from('/* caf'), Buffer.from([0xe9]), Buffer.from(' */\nstatic long n;\nvoid f(void) { n++; }\n')]));
    writeFileSync(join(dir, 'both.py'), Buffer.concat([Buffer.from('# \uFFFD\n\n# caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    writeFileSync(join(dir, 'secret.c'), HAZARDS);
    chmodSync(join(dir, 'secret.c'), 0o000);
    mkdirSync(join(dir, 'loop'));
    symlinkSync('..', join(dir, 'loop', 'up'));
    const r = await scan(dir, '--format', 'json');
    const report = JSON.parse(r.stdout) as { findings: Array<{ path: string; rule: string }>; notes: string[] };
    assert.ok(report.notes.some((n) => /blob\.c: binary data; skipped/.test(n)), report.notes.join('\n'));
    assert.ok(report.notes.some((n) => /latin\.c:1: not valid UTF-8/.test(n)));
    // A U+FFFD written in the file is valid; the note names the line of the bad byte, not of an earlier U+FFFD.
    assert.ok(!report.notes.some((n) => n.includes('replacement.py')), report.notes.join('\n'));
    assert.ok(report.notes.some((n) => /both\.py:3: not valid UTF-8/.test(n)), report.notes.join('\n'));
    assert.ok(report.findings.some((f) => f.path.endsWith('latin.c') && f.rule === 'FT402'), 'a mis-encoded file is still scanned');
    if (process.getuid?.() !== 0) assert.ok(report.notes.some((n) => /secret\.c: cannot read/.test(n)));
    assert.ok(report.notes.some((n) => /symbolic link loop|already scanned/.test(n)), report.notes.join('\n'));
    assert.equal(r.code, 1);
  });

  test('a missing path or an unknown option is one line and exit 2', async () => {
    const r = await scan('/nonexistent/path/for/ftready');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^ftready: error: scan: \/nonexistent\/path\/for\/ftready: no such file or directory\n$/);
    assert.equal((await scan('.', '--bogus')).code, 2);
  });

  test('large trees are scanned on worker threads with the same findings', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`pkg/m${i}.c`] = HAZARDS.repeat(1) + `/* ${'x'.repeat(20_000)} */\n`;
    const dir = project(files);
    const one = await scan(dir, '--format', 'json', '--threads', '1');
    const many = await scan(dir, '--format', 'json', '--threads', '2');
    assert.equal(one.stdout, many.stdout);
    assert.equal((JSON.parse(many.stdout) as { findings: unknown[] }).findings.length, 80);
  });
});

describe('ftready scan on the shared corpus', { skip: needsCorpus }, () => {
  test('each module\'s missing declaration is found at its definition', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftready-corpus-'));
    cpSync(join(corpusDir, 'sources'), dir, { recursive: true });
    const r = await scan(dir, '--format', 'json', '--select', 'FT0');
    const found = (JSON.parse(r.stdout) as { findings: Array<{ rule: string; path: string; line: number }> }).findings.map((f) => `${f.rule} ${f.path.split('/').slice(-2).join('/')}:${f.line}`);
    assert.deepEqual(found, ['FT005 httptools/parser.pyx:1', 'FT002 netifaces/netifaces.c:2580', 'FT006 rtoml/lib.rs:57']);
  });
});
