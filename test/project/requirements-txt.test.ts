import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { InputError } from '../../src/project/input-error.js';
import { logicalLines, readRequirementsTxt } from '../../src/project/manifests/requirements-txt.js';
import { lockfilesDir, needsCorpus } from '../helpers/paths.js';

function files(map: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ftready-req-'));
  for (const [name, text] of Object.entries(map)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('requirements.txt', () => {
  test('continuations and comments keep their line numbers', () => {
    assert.deepEqual(logicalLines('# top\nfoo==1 \\\n  --hash=sha256:aa  # why\n\nbar # x\n#baz\nurl#frag'), [
      { text: 'foo==1    --hash=sha256:aa', number: 2 },
      { text: 'bar', number: 5 },
      { text: 'url#frag', number: 7 },
    ]);
  });

  test('requirements, markers, extras, options, includes and references', () => {
    const dir = files({
      'requirements.txt': [
        '--index-url https://idx.example.invalid/simple/',
        '--extra-index-url=https://extra.example.invalid/simple/',
        '-r base.txt',
        '-c constraints.txt',
        'requests[socks]>=2.31 ; python_version >= "3.8"',
        'numpy==2.3.1 --hash=sha256:AAAA --hash sha256:bbbb',
        '-e .',
        '-e git+https://github.com/example/lib.git#egg=lib',
        'git+https://github.com/example/other.git@main#egg=other',
        'https://files.example.invalid/pkg-1.0-py3-none-any.whl',
        './local/pkg',
        'direct @ https://files.example.invalid/direct-1.0.tar.gz',
        'token==${TOKEN_VERSION}',
        '--frobnicate',
      ].join('\n'),
      'base.txt': 'six\n-r more.txt\n',
      'more.txt': 'attrs>=23 # comment\n',
      'constraints.txt': 'urllib3<3\n',
    });
    const m = readRequirementsTxt(join(dir, 'requirements.txt'), { TOKEN_VERSION: '4.2' });
    assert.equal(m.indexUrl, 'https://idx.example.invalid/simple/');
    assert.deepEqual(m.extraIndexUrls, ['https://extra.example.invalid/simple/']);
    assert.deepEqual(m.requirements.map((r) => `${r.requirement.name}${r.requirement.specifier}`), ['six', 'attrs>=23', 'requests>=2.31', 'numpy==2.3.1', 'token==4.2']);
    assert.deepEqual(m.requirements.find((r) => r.requirement.name === 'requests')!.requirement.extras, ['socks']);
    assert.equal(m.requirements.find((r) => r.requirement.name === 'requests')!.requirement.marker?.text, 'python_version >= "3.8"');
    assert.deepEqual(m.requirements.find((r) => r.requirement.name === 'numpy')!.hashes, ['sha256:aaaa', 'sha256:bbbb']);
    assert.match(m.requirements.find((r) => r.requirement.name === 'attrs')!.origin, /more\.txt:1$/);
    assert.deepEqual(m.constraints.map((r) => `${r.requirement.name}${r.requirement.specifier}`), ['urllib3<3']);
    assert.deepEqual(m.notCheckable.map((n) => n.name), ['.', 'lib', 'other', 'pkg', 'pkg', 'direct']);
    assert.match(m.notCheckable.find((n) => n.name === 'other')!.reason, /VCS reference/);
    assert.ok(m.notes.some((n) => /--frobnicate is not used/.test(n)));
    assert.equal(m.locked, false);
  });

  test('include cycles and missing includes name the file and line', () => {
    const dir = files({ 'a.txt': 'six\n-r b.txt\n', 'b.txt': '-r a.txt\n', 'c.txt': 'six\n\n-r missing.txt\n' });
    assert.throws(() => readRequirementsTxt(join(dir, 'a.txt')), (e: unknown) => e instanceof InputError && /include cycle/.test(e.message));
    assert.throws(() => readRequirementsTxt(join(dir, 'c.txt')), (e: unknown) => e instanceof InputError && e.line === 3 && /-r missing\.txt: no such file/.test(e.message));
  });

  test('a malformed requirement names its line', () => {
    const dir = files({ 'r.txt': 'six\nfoo >= \n' });
    assert.throws(() => readRequirementsTxt(join(dir, 'r.txt')), (e: unknown) => e instanceof InputError && e.line === 2);
  });

  test('pip-compile output with --hash is a complete lock', { skip: needsCorpus }, () => {
    const path = join(lockfilesDir, 'sigstore__sigstore-python__install__requirements.txt');
    const m = readRequirementsTxt(path);
    const text = readFileSync(path, 'utf8');
    assert.equal(m.requirements.length, (text.match(/^[a-z0-9][^\s]*==/gim) ?? []).length);
    assert.equal(m.requirements.length, 32);
    assert.equal(m.locked, true);
    const crypto = m.requirements.find((r) => r.requirement.name === 'cryptography')!;
    assert.equal(crypto.requirement.specifier, '==50.0.0');
    assert.ok(crypto.hashes.length > 10 && crypto.hashes.every((h) => /^sha256:[0-9a-f]{64}$/.test(h)));
  });
});
