import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseInterpreter } from '../../src/standards/interpreters.js';
import { platformFamily } from '../../src/standards/platform-families.js';
import { prepareRelease } from '../../src/status/release-files.js';
import { decideStatus } from '../../src/status/release-status.js';
import { rollUpReadiness } from '../../src/status/vocabulary.js';

function decide(filenames: string[], python = '3.14t', platform = 'linux-x86_64', name = 'pkg', version = '1.0') {
  const release = prepareRelease(name, version, filenames.map((filename) => ({ filename, hashes: {} })));
  return decideStatus(release, { interpreter: parseInterpreter(python)!, family: platformFamily(platform)! });
}

const SDIST = 'pkg-1.0.tar.gz';
const LINUX = 'manylinux_2_17_x86_64.manylinux2014_x86_64';

describe('status rules', () => {
  test('free-threaded-wheel: a wheel for exactly this free-threaded ABI', () => {
    const r = decide([`pkg-1.0-cp314-cp314t-${LINUX}.whl`, `pkg-1.0-cp314-cp314-${LINUX}.whl`, SDIST]);
    assert.equal(r.status, 'free-threaded-wheel');
    assert.equal(r.readiness, 'ready');
    assert.deepEqual(r.files, [`pkg-1.0-cp314-cp314t-${LINUX}.whl`]);
    assert.match(r.reason, /cp314t wheel for linux-x86_64/);
  });
  test('free-threaded-wheel: abi3t on 3.15t (PEP 803)', () => {
    const r = decide(['pkg-1.0-cp315-abi3.abi3t-macosx_11_0_arm64.whl'], '3.15t', 'macos-arm64');
    assert.equal(r.status, 'free-threaded-wheel');
    assert.match(r.reason, /abi3t/);
  });
  test('abi3t is not usable before 3.15', () => {
    const r = decide(['pkg-1.0-cp315-abi3.abi3t-macosx_11_0_arm64.whl'], '3.14t', 'macos-arm64');
    assert.equal(r.status, 'no-compatible-wheel');
    assert.equal(r.readiness, 'blocked');
  });
  test('compatible-wheel: pure Python', () => {
    const r = decide(['pkg-1.0-py3-none-any.whl', SDIST]);
    assert.equal(r.status, 'compatible-wheel');
    assert.match(r.reason, /pure-Python wheel \(py3-none-any\)/);
  });
  test('compatible-wheel: a platform binary with ABI none', () => {
    const r = decide([`pkg-1.0-py3-none-${LINUX}.whl`]);
    assert.equal(r.status, 'compatible-wheel');
    assert.match(r.reason, /no Python ABI/);
  });
  test('a free-threaded wheel outranks a pure-Python one', () => {
    assert.equal(decide(['pkg-1.0-py3-none-any.whl', `pkg-1.0-cp314-cp314t-${LINUX}.whl`]).status, 'free-threaded-wheel');
  });
  test('abi3-only, with and without an sdist', () => {
    const withSdist = decide([`pkg-1.0-cp39-abi3-${LINUX}.whl`, SDIST]);
    assert.equal(withSdist.status, 'abi3-only');
    assert.equal(withSdist.readiness, 'needs-build');
    assert.deepEqual(withSdist.files, [`pkg-1.0-cp39-abi3-${LINUX}.whl`, SDIST]);
    const without = decide([`pkg-1.0-cp39-abi3-${LINUX}.whl`]);
    assert.equal(without.status, 'abi3-only');
    assert.equal(without.readiness, 'blocked');
    assert.match(without.reason, /no sdist/);
  });
  test('abi3 wheels beside GIL wheels of the same version are no-compatible-wheel', () => {
    assert.equal(decide([`pkg-1.0-cp39-abi3-${LINUX}.whl`, `pkg-1.0-cp314-cp314-${LINUX}.whl`]).status, 'no-compatible-wheel');
  });
  test('abi3 wheels for another platform do not make this one abi3-only', () => {
    const r = decide(['pkg-1.0-cp39-abi3-win_amd64.whl']);
    assert.equal(r.status, 'no-compatible-wheel');
    assert.match(r.reason, /none of the 1 wheel is for linux-x86_64/);
  });
  test('no-compatible-wheel names the near misses', () => {
    const r = decide([`pkg-1.0-cp313-cp313t-${LINUX}.whl`, 'pkg-1.0-cp314-cp314t-win_amd64.whl', `pkg-1.0-cp314-cp314-${LINUX}.whl`, SDIST]);
    assert.equal(r.status, 'no-compatible-wheel');
    assert.equal(r.readiness, 'needs-build');
    assert.match(r.reason, /only for cp313t/);
    assert.match(r.reason, /cp314 wheels are for the GIL-enabled build/);
    assert.match(r.reason, /cp314t wheels exist for windows-amd64/);
    assert.match(r.reason, /pip would build pkg-1\.0\.tar\.gz/);
  });
  test('a debug-only free-threaded wheel is not usable', () => {
    const r = decide([`pkg-1.0-cp314-cp314td-${LINUX}.whl`]);
    assert.equal(r.status, 'no-compatible-wheel');
    assert.match(r.reason, /debug build/);
  });
  test('free-threaded wheels for Linux but not Windows', () => {
    const files = [`pkg-1.0-cp314-cp314t-${LINUX}.whl`, 'pkg-1.0-cp314-cp314-win_amd64.whl', SDIST];
    assert.equal(decide(files, '3.14t', 'linux-x86_64').status, 'free-threaded-wheel');
    assert.equal(decide(files, '3.14t', 'windows-amd64').status, 'no-compatible-wheel');
  });
  test('musllinux wheels do not serve manylinux and vice versa', () => {
    assert.equal(decide(['pkg-1.0-cp314-cp314t-musllinux_1_2_x86_64.whl']).status, 'no-compatible-wheel');
    assert.equal(decide(['pkg-1.0-cp314-cp314t-musllinux_1_2_x86_64.whl'], '3.14t', 'musllinux-x86_64').status, 'free-threaded-wheel');
  });
  test('universal2 serves both macOS families', () => {
    const files = ['pkg-1.0-cp314-cp314t-macosx_10_13_universal2.whl'];
    assert.equal(decide(files, '3.14t', 'macos-arm64').status, 'free-threaded-wheel');
    assert.equal(decide(files, '3.14t', 'macos-x86_64').status, 'free-threaded-wheel');
  });
  test('source-only', () => {
    const r = decide([SDIST]);
    assert.equal(r.status, 'source-only');
    assert.equal(r.readiness, 'needs-build');
    assert.deepEqual(r.files, [SDIST]);
  });
  test('unknown when nothing is listed', () => {
    const r = decide([]);
    assert.equal(r.status, 'unknown');
    assert.equal(r.readiness, 'unknown');
  });
});

describe('untrusted file lists are unknown', () => {
  test('the same file name with different hashes', () => {
    const release = prepareRelease('pkg', '1.0', [
      { filename: 'pkg-1.0-py3-none-any.whl', hashes: { sha256: 'aa' } },
      { filename: 'pkg-1.0-py3-none-any.whl', hashes: { sha256: 'bb' } },
    ]);
    const r = decideStatus(release, { interpreter: parseInterpreter('3.14t')!, family: platformFamily('linux-x86_64')! });
    assert.equal(r.status, 'unknown');
    assert.match(r.reason, /listed more than once with different hashes/);
  });
  test('the same file twice with the same hash is fine', () => {
    const release = prepareRelease('pkg', '1.0', [
      { filename: 'pkg-1.0-py3-none-any.whl', hashes: { sha256: 'aa' } },
      { filename: 'pkg-1.0-py3-none-any.whl', hashes: { sha256: 'AA' } },
    ]);
    assert.equal(release.distrust, null);
  });
  test('a name that disagrees with its URL', () => {
    const release = prepareRelease('pkg', '1.0', [
      { filename: 'pkg-1.0-py3-none-any.whl', url: `https://example.invalid/p/pkg-1.0-cp314-cp314t-${LINUX}.whl`, hashes: {} },
    ]);
    assert.match(release.distrust ?? '', /URL of another file/);
  });
  test('a URL that agrees after normalisation', () => {
    const release = prepareRelease('backports-tarfile', '1.2.0', [
      { filename: 'backports.tarfile-1.2.0-py3-none-any.whl', url: 'https://example.invalid/backports_tarfile-1.2.0-py3-none-any.whl', hashes: {} },
    ]);
    assert.equal(release.distrust, null);
  });
  test('a file of another project or version', () => {
    assert.match(prepareRelease('pkg', '1.0', [{ filename: 'other-1.0-py3-none-any.whl', hashes: {} }]).distrust ?? '', /not a file of pkg 1\.0/);
    assert.match(prepareRelease('pkg', '1.0', [{ filename: 'pkg-2.0.tar.gz', hashes: {} }]).distrust ?? '', /not a file of pkg 1\.0/);
  });
  test('an unparseable wheel name', () => {
    assert.match(prepareRelease('pkg', '1.0', [{ filename: 'pkg-1.0.whl', hashes: {} }]).distrust ?? '', /dash-separated/);
  });
  test('equivalent version spellings are the same release', () => {
    assert.equal(prepareRelease('pkg', '1.0.post1', [{ filename: 'pkg-1.0_post1-py3-none-any.whl', hashes: {} }]).distrust, null);
  });
});

describe('readiness roll-up', () => {
  test('blocked > needs-build > unknown > ready > not-checkable > not-installed', () => {
    assert.equal(rollUpReadiness(['ready', 'blocked', 'needs-build']), 'blocked');
    assert.equal(rollUpReadiness(['ready', 'unknown', 'needs-build']), 'needs-build');
    assert.equal(rollUpReadiness(['ready', 'unknown']), 'unknown');
    assert.equal(rollUpReadiness(['not-installed', 'ready']), 'ready');
    assert.equal(rollUpReadiness(['not-installed', 'not-installed']), 'not-installed');
    assert.equal(rollUpReadiness(['not-checkable', 'not-installed']), 'not-checkable');
  });
});
