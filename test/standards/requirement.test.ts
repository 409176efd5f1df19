import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRequirement } from '../../src/standards/requirement.js';

function req(text: string) {
  const r = parseRequirement(text);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

test('the PEP 508 examples', () => {
  const a = req('requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < "2.7"');
  assert.equal(a.name, 'requests');
  assert.deepEqual(a.extras, ['security', 'tests']);
  assert.equal(a.specifier, '>=2.8.1,==2.8.*');
  assert.equal(a.marker?.text, 'python_version < "2.7"');
  const b = req('pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686');
  assert.equal(b.url, 'https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee9982d4bbb3c72346a6de940a148ea686');
  assert.equal(b.specifier, '');
  assert.deepEqual(req('A').extras, []);
  assert.equal(req('A.B-C_D').name, 'A.B-C_D');
  assert.equal(req('aa').specifier, '');
  assert.equal(req('name<=1').specifier, '<=1');
  assert.equal(req('name>=3,<2').specifier, '>=3,<2');
  assert.equal(req('name>=3 ; python_version < "3.11"').marker?.text, 'python_version < "3.11"');
  assert.equal(req('name (>=1.0, <2)').specifier, '>=1.0,<2');
  assert.equal(req('name[quux, strange];python_version<"2.7" and platform_version=="2"').marker?.text, 'python_version<"2.7" and platform_version=="2"');
});

test('a URL may contain ";" only when the marker is separated by whitespace', () => {
  const r = req('pkg @ https://example.invalid/a;b.zip ; os_name == "nt"');
  assert.equal(r.url, 'https://example.invalid/a;b.zip');
  assert.equal(r.marker?.text, 'os_name == "nt"');
});

test('malformed requirements are rejected with a reason', () => {
  for (const bad of ['', '>=1.0', 'name[', 'name[foo', 'name >= ', 'name ==1.0 and', 'name (>=1.0', 'name @ not a url', 'name; python_version <', 'name[-bad]', 'name >= foo!']) {
    const r = parseRequirement(bad);
    assert.equal(r.ok, false, bad);
  }
});
