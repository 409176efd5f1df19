import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAbiTag } from '../../src/standards/abi-tag.js';
import { parseInterpreter } from '../../src/standards/interpreters.js';
import { DEFAULT_PLATFORMS, PLATFORM_FAMILIES } from '../../src/standards/platform-families.js';
import { parsePlatformTag } from '../../src/standards/platform-tag.js';
import { parsePythonTag } from '../../src/standards/python-tag.js';
import { abiFit, fitIsUsable } from '../../src/standards/tag-compatibility.js';

describe('ABI tags', () => {
  test('free-threaded cpXYt for each free-threaded version', () => {
    for (const minor of [13, 14, 15]) {
      assert.deepEqual(parseAbiTag(`cp3${minor}t`), { kind: 'cpython', major: 3, minor, freeThreaded: true, debug: false, flags: 't' });
    }
  });
  test('the debug variant cp314td is free-threaded and debug', () => {
    const a = parseAbiTag('cp314td');
    assert.ok(a.kind === 'cpython' && a.freeThreaded && a.debug);
  });
  test('GIL-enabled and legacy flags', () => {
    const a = parseAbiTag('cp314');
    assert.ok(a.kind === 'cpython' && !a.freeThreaded && !a.debug);
    const m = parseAbiTag('cp37m');
    assert.ok(m.kind === 'cpython' && m.minor === 7 && m.flags === 'm');
  });
  test('abi3, abi3t, none and other implementations', () => {
    assert.equal(parseAbiTag('abi3').kind, 'abi3');
    assert.equal(parseAbiTag('abi3t').kind, 'abi3t');
    assert.equal(parseAbiTag('none').kind, 'none');
    assert.deepEqual(parseAbiTag('pypy311_pp73'), { kind: 'other', tag: 'pypy311_pp73' });
    assert.equal(parseAbiTag('cp314x').kind, 'other');
  });
});

describe('interpreter tags', () => {
  test('cpXY, pyX, pyXY', () => {
    assert.deepEqual(parsePythonTag('cp313'), { tag: 'cp313', implementation: 'cp', major: 3, minor: 13 });
    assert.deepEqual(parsePythonTag('py3'), { tag: 'py3', implementation: 'py', major: 3, minor: null });
    assert.deepEqual(parsePythonTag('py310'), { tag: 'py310', implementation: 'py', major: 3, minor: 10 });
    assert.deepEqual(parsePythonTag('py27'), { tag: 'py27', implementation: 'py', major: 2, minor: 7 });
    assert.equal(parsePythonTag('pp311').implementation, 'pp');
    assert.equal(parsePythonTag('graalpy311').implementation, 'graalpy');
  });
});

describe('platform tags and families', () => {
  const fam = (tag: string) => parsePlatformTag(tag).families;
  test('manylinux aliases and PEP 600 all map to the linux family', () => {
    for (const tag of ['manylinux1_x86_64', 'manylinux2010_x86_64', 'manylinux2014_x86_64', 'manylinux_2_17_x86_64', 'manylinux_2_28_x86_64']) {
      assert.deepEqual(fam(tag), ['linux-x86_64'], tag);
    }
    assert.deepEqual(fam('manylinux2014_aarch64'), ['linux-aarch64']);
    assert.deepEqual(fam('manylinux_2_31_aarch64'), ['linux-aarch64']);
    assert.deepEqual(fam('manylinux1_i686'), ['linux-i686']);
  });
  test('musllinux (PEP 656) is its own family', () => {
    assert.deepEqual(fam('musllinux_1_1_x86_64'), ['musllinux-x86_64']);
    assert.deepEqual(fam('musllinux_1_2_aarch64'), ['musllinux-aarch64']);
  });
  test('plain linux_ARCH is accepted on glibc and musl', () => {
    assert.deepEqual(fam('linux_x86_64'), ['linux-x86_64', 'musllinux-x86_64']);
  });
  test('macOS: universal2 counts for both, older formats for x86_64', () => {
    assert.deepEqual(fam('macosx_11_0_arm64'), ['macos-arm64']);
    assert.deepEqual(fam('macosx_10_9_x86_64'), ['macos-x86_64']);
    assert.deepEqual(fam('macosx_10_9_universal2'), ['macos-arm64', 'macos-x86_64']);
    assert.deepEqual(fam('macosx_10_6_intel'), ['macos-x86_64']);
    assert.deepEqual(fam('macosx_10_5_fat64'), ['macos-x86_64']);
    assert.deepEqual(fam('macosx_10_4_universal'), ['macos-x86_64']);
  });
  test('Windows', () => {
    assert.deepEqual(fam('win_amd64'), ['windows-amd64']);
    assert.deepEqual(fam('win_arm64'), ['windows-arm64']);
    assert.deepEqual(fam('win32'), ['windows-x86']);
  });
  test('iOS (PEP 730) and Android (PEP 738)', () => {
    assert.deepEqual(fam('ios_13_0_arm64_iphoneos'), ['ios-arm64']);
    assert.deepEqual(fam('ios_13_0_arm64_iphonesimulator'), ['ios-arm64-simulator']);
    assert.deepEqual(fam('ios_13_0_x86_64_iphonesimulator'), ['ios-x86_64-simulator']);
    assert.deepEqual(fam('android_21_arm64_v8a'), ['android-arm64_v8a']);
    assert.deepEqual(fam('android_24_x86_64'), ['android-x86_64']);
  });
  test('any matches every family; unknown platforms match none', () => {
    assert.equal(fam('any').length, PLATFORM_FAMILIES.length);
    assert.deepEqual(fam('freebsd_14_amd64'), []);
    assert.deepEqual(fam('manylinux_2_17_sparc'), []);
  });
  test('the default platform set', () => {
    assert.deepEqual(DEFAULT_PLATFORMS, ['linux-x86_64', 'linux-aarch64', 'macos-arm64', 'macos-x86_64', 'windows-amd64']);
  });
});

describe('tag compatibility with an interpreter', () => {
  const t313 = parseInterpreter('3.13t')!;
  const t314 = parseInterpreter('3.14t')!;
  const t315 = parseInterpreter('3.15t')!;
  const gil314 = parseInterpreter('3.14')!;
  const fit = (python: string, abi: string, interp = t314) => abiFit({ python, abi, platform: 'any' }, interp);

  test('cpXYt fits exactly that free-threaded version', () => {
    assert.equal(fit('cp314', 'cp314t'), 'free-threaded');
    assert.equal(fit('cp313', 'cp313t'), 'other-version');
    assert.equal(fit('cp313', 'cp313t', t313), 'free-threaded');
    assert.equal(fit('cp315', 'cp315t', t315), 'free-threaded');
  });
  test('the debug ABI does not load on a release build', () => {
    assert.equal(fit('cp314', 'cp314td'), 'debug');
    assert.equal(fitIsUsable('debug', t314), false);
  });
  test('abi3 is never loadable free-threaded, but is on the GIL build', () => {
    assert.equal(fit('cp39', 'abi3'), 'abi3');
    assert.equal(fitIsUsable('abi3', t314), false);
    assert.equal(fitIsUsable(fit('cp39', 'abi3', gil314), gil314), true);
    assert.equal(fit('cp315', 'abi3'), 'other-version');
  });
  test('abi3t (PEP 803): Y >= 15 and V <= Y', () => {
    assert.equal(fit('cp315', 'abi3t', t315), 'abi3t');
    assert.equal(fitIsUsable('abi3t', t315), true);
    assert.equal(fit('cp315', 'abi3t', t314), 'other-version');
    assert.equal(fit('cp312', 'abi3t', t315), 'abi3t');
    assert.equal(fit('cp316', 'abi3t', t315), 'other-version');
  });
  test('none: py3 and py3Z (Z <= Y) fit any version, cpXY-none only its own', () => {
    assert.equal(fit('py3', 'none'), 'no-abi');
    assert.equal(fit('py36', 'none'), 'no-abi');
    assert.equal(fit('py315', 'none'), 'other-version');
    assert.equal(fit('cp314', 'none'), 'no-abi');
    assert.equal(fit('cp313', 'none'), 'other-version');
    assert.equal(fit('py2', 'none'), 'other-implementation');
  });
  test('GIL ABI and other implementations', () => {
    assert.equal(fit('cp314', 'cp314'), 'gil');
    assert.equal(fitIsUsable('gil', t314), false);
    assert.equal(fitIsUsable('gil', gil314), true);
    assert.equal(fit('pp311', 'pypy311_pp73'), 'other-implementation');
  });
  test('interpreter names', () => {
    assert.deepEqual(parseInterpreter('3.14t'), { id: '3.14t', major: 3, minor: 14, freeThreaded: true });
    assert.equal(parseInterpreter('3.12t'), null);
    assert.equal(parseInterpreter('3.14')?.freeThreaded, false);
    assert.equal(parseInterpreter('314t'), null);
  });
});
