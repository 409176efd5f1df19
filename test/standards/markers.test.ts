import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseInterpreter } from '../../src/standards/interpreters.js';
import { markerEnvironment } from '../../src/standards/marker-environment.js';
import { evaluateMarker, markerToString, parseMarker, type MarkerEnvironment } from '../../src/standards/markers.js';
import { platformFamily } from '../../src/standards/platform-families.js';

const linux314 = markerEnvironment(parseInterpreter('3.14t')!, platformFamily('linux-x86_64')!);
const win313 = markerEnvironment(parseInterpreter('3.13t')!, platformFamily('windows-amd64')!);
const mac315 = markerEnvironment(parseInterpreter('3.15t')!, platformFamily('macos-arm64')!);

function holds(marker: string, env: MarkerEnvironment): boolean {
  const parsed = parseMarker(marker);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return evaluateMarker(parsed.value, env);
}

describe('PEP 508 markers', () => {
  test('the spec examples parse', () => {
    for (const m of [
      "python_version < \"2.7\" and platform_version == \"2\"",
      "os_name=='a' or os_name=='b'",
      "os_name=='a' and os_name=='b' or os_name=='c'",
      "os_name=='a' and (os_name=='b' or os_name=='c')",
      "os_name=='a' or os_name=='b' and os_name=='c'",
      "(os_name=='a' or os_name=='b') and os_name=='c'",
      "python_version >= '3.8' and extra == 'test'",
      "'linux' in sys_platform",
      "platform_machine not in 'x86_64 aarch64'",
    ]) {
      assert.ok(parseMarker(m).ok, m);
    }
  });
  test('and binds tighter than or', () => {
    const env = { os_name: 'c' };
    assert.equal(holds("os_name=='a' and os_name=='b' or os_name=='c'", env), true);
    assert.equal(holds("os_name=='a' and (os_name=='b' or os_name=='c')", env), false);
  });
  test('version comparisons use PEP 440, not string order', () => {
    assert.equal(holds("python_version >= '3.9'", linux314), true);
    assert.equal(holds("python_full_version < '3.11'", linux314), false);
    assert.equal(holds("python_version == '3.14.*'", linux314), true);
    assert.equal(holds("python_version ~= '3.10'", linux314), true);
    assert.equal(holds("'3.10' < python_version", linux314), true);
    assert.equal(holds("python_version in '3.13 3.14'", win313), true);
  });
  test('platform values for each family', () => {
    assert.equal(holds("sys_platform == 'win32' and os_name == 'nt' and platform_machine == 'AMD64'", win313), true);
    assert.equal(holds("sys_platform == 'linux' and platform_system == 'Linux'", linux314), true);
    assert.equal(holds("sys_platform == 'darwin' and platform_machine == 'arm64'", mac315), true);
    assert.equal(holds("platform_python_implementation != 'PyPy' and implementation_name == 'cpython'", linux314), true);
  });
  test('unset variables (extras, groups, platform_release) count as true', () => {
    assert.equal(holds("extra == 'docs'", linux314), true);
    assert.equal(holds("extra != 'docs'", linux314), true);
    assert.equal(holds("'dev' in dependency_groups", linux314), true);
    assert.equal(holds("platform_release >= '5.0'", linux314), true);
  });
  test('extras are compared normalised, and PEP 751 sets', () => {
    assert.equal(holds("extra == 'Foo_Bar'", { extra: 'foo-bar' }), true);
    assert.equal(holds("'test' in extras", { extras: 'docs,test' }), true);
    assert.equal(holds("'test' not in extras", { extras: 'docs' }), true);
  });
  test('malformed markers are rejected with a position', () => {
    for (const bad of ["python_version <", "python_version < '3' and", "(os_name == 'a'", "os_name = 'a'", "foo == 'a'", "os_name == 'a' os_name", "", "os_name == \"a"]) {
      const r = parseMarker(bad);
      assert.equal(r.ok, false, bad);
    }
  });
  test('round-trips to text', () => {
    const r = parseMarker("os_name=='a' and (os_name=='b' or python_version<\"3.11\")");
    assert.ok(r.ok);
    assert.equal(markerToString(r.value), 'os_name == "a" and (os_name == "b" or python_version < "3.11")');
  });
});
