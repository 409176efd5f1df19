import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isValidProjectName, normalizeProjectName } from '../../src/standards/project-name.js';
import { parseSdistFilename } from '../../src/standards/sdist-filename.js';
import { parseWheelFilename } from '../../src/standards/wheel-filename.js';

describe('PEP 503 name normalisation', () => {
  test('the spec example names all normalise to friendly-bard', () => {
    for (const name of ['friendly-bard', 'Friendly-Bard', 'FRIENDLY-BARD', 'friendly.bard', 'friendly_bard', 'friendly--bard', 'FrIeNdLy-._.-bArD']) {
      assert.equal(normalizeProjectName(name), 'friendly-bard', name);
    }
  });
  test('PEP 508 name grammar', () => {
    assert.ok(isValidProjectName('a'));
    assert.ok(isValidProjectName('zope.interface'));
    assert.ok(!isValidProjectName('-leading'));
    assert.ok(!isValidProjectName('trailing.'));
    assert.ok(!isValidProjectName('sp ace'));
  });
});

describe('wheel file names (PEP 427)', () => {
  test('the spec example with a build tag', () => {
    const r = parseWheelFilename('distribution-1.0-1-py27-none-any.whl');
    assert.ok(r.ok);
    assert.equal(r.value.name, 'distribution');
    assert.equal(r.value.version, '1.0');
    assert.deepEqual(r.value.build, { number: 1, suffix: '' });
    assert.deepEqual(r.value.tags, [{ python: 'py27', abi: 'none', platform: 'any' }]);
  });
  test('a build tag with a suffix sorts by number then string', () => {
    const r = parseWheelFilename('pkg-2.0-12abc-py3-none-any.whl');
    assert.ok(r.ok);
    assert.deepEqual(r.value.build, { number: 12, suffix: 'abc' });
  });
  test('compressed platform tags expand to every combination', () => {
    const r = parseWheelFilename('numpy-2.3.1-cp313-cp313t-manylinux_2_17_x86_64.manylinux2014_x86_64.whl');
    assert.ok(r.ok);
    assert.deepEqual(r.value.platformTags, ['manylinux_2_17_x86_64', 'manylinux2014_x86_64']);
    assert.equal(r.value.tags.length, 2);
    assert.ok(r.value.tags.every((t) => t.python === 'cp313' && t.abi === 'cp313t'));
  });
  test('py2.py3-none-any', () => {
    const r = parseWheelFilename('six-1.17.0-py2.py3-none-any.whl');
    assert.ok(r.ok);
    assert.deepEqual(r.value.pythonTags, ['py2', 'py3']);
    assert.equal(r.value.tags.length, 2);
  });
  test('the PEP 803 form abi3.abi3t', () => {
    const r = parseWheelFilename('ext-1.0-cp315-abi3.abi3t-macosx_11_0_arm64.whl');
    assert.ok(r.ok);
    assert.deepEqual(r.value.abiTags, ['abi3', 'abi3t']);
    assert.deepEqual(r.value.tags.map((t) => t.abi), ['abi3', 'abi3t']);
  });
  test('escaped names and versions are kept as written', () => {
    const r = parseWheelFilename('backports.tarfile-1.2.0-py3-none-any.whl');
    assert.ok(r.ok);
    assert.equal(normalizeProjectName(r.value.name), 'backports-tarfile');
  });
  test('malformed names are rejected with a reason', () => {
    for (const bad of [
      'toofew-1.0-py3-any.whl',
      'a-b-c-d-e-f-g-h.whl',
      'pkg-1.0-x1-py3-none-any.whl',
      'pkg-1.0-py3-none-.whl',
      'pkg-1.0-py3..py2-none-any.whl',
      'pkg-1.0-py3-none-any.zip',
      'pkg-1.0-py3-none-any\u0000.whl',
    ]) {
      const r = parseWheelFilename(bad);
      assert.equal(r.ok, false, bad);
      if (!r.ok) assert.match(r.error, /\S/);
    }
  });
});

describe('sdist file names (PEP 625 and legacy)', () => {
  test('PEP 625 form', () => {
    const s = parseSdistFilename('typing_extensions-4.15.0.tar.gz');
    assert.deepEqual(s && { name: s.name, version: s.version, extension: s.extension, pep625: s.pep625 },
      { name: 'typing_extensions', version: '4.15.0', extension: '.tar.gz', pep625: true });
  });
  test('legacy names with dashes, split with and without the project name', () => {
    assert.equal(parseSdistFilename('python-dateutil-2.8.2.tar.gz')?.name, 'python-dateutil');
    assert.equal(parseSdistFilename('python-dateutil-2.8.2.tar.gz', 'python_dateutil')?.version, '2.8.2');
    assert.equal(parseSdistFilename('python-dateutil-2.8.2.tar.gz')?.pep625, false);
  });
  test('legacy archive formats', () => {
    assert.equal(parseSdistFilename('Django-1.0.zip')?.extension, '.zip');
    assert.equal(parseSdistFilename('foo-1.0.tar.bz2')?.version, '1.0');
    assert.equal(parseSdistFilename('foo-1.0.tgz')?.version, '1.0');
  });
  test('not an sdist', () => {
    assert.equal(parseSdistFilename('foo-1.0-py3-none-any.whl'), null);
    assert.equal(parseSdistFilename('noversion.tar.gz'), null);
  });
});
