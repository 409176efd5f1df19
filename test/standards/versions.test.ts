import assert from 'node:assert/strict';
import { satisfies } from '@renovatebot/pep440';
import { test } from 'node:test';
import { sameVersion, satisfiesSpecifier } from '../../src/standards/versions.js';

test('the release-only fast path agrees with the PEP 440 library', () => {
  const versions = ['3.9', '3.10', '3.10.2', '3.11.0', '3.13.0', '3.14.0', '3.15.0', '4', '3.14.0.0', '10.0.1'];
  const ops = ['<', '<=', '>', '>=', '==', '!='];
  let compared = 0;
  for (const v of versions) {
    for (const op of ops) {
      for (const rhs of versions) {
        assert.equal(satisfiesSpecifier(v, `${op}${rhs}`), satisfies(v, `${op}${rhs}`), `${v} ${op} ${rhs}`);
        assert.equal(satisfiesSpecifier(v, `>=3.10, ${op} ${rhs}`), satisfies(v, `>=3.10,${op}${rhs}`), `${v} >=3.10,${op}${rhs}`);
        compared += 2;
      }
    }
  }
  assert.ok(compared > 1000);
});

test('everything else goes to the library', () => {
  assert.equal(satisfiesSpecifier('3.14.0', '==3.14.*'), true);
  assert.equal(satisfiesSpecifier('3.14.0', '~=3.10'), true);
  assert.equal(satisfiesSpecifier('3.14.0rc1', '>=3.14'), false);
  assert.equal(satisfiesSpecifier('3.14.0', 'not a specifier'), null);
  assert.equal(satisfiesSpecifier('5.15.0-1051-azure', '>=5.0'), false);
  assert.equal(satisfiesSpecifier('3.14.0', ''), true);
});

test('version equality is PEP 440 equality', () => {
  assert.ok(sameVersion('1.0_post1', '1.0.post1'));
  assert.ok(sameVersion('2026.02.25', '2026.2.25'));
  assert.ok(sameVersion('1.0+local.1', '1.0+local.1'));
  assert.ok(!sameVersion('1.0', '1.0.1'));
  assert.ok(sameVersion('2004d', '2004D'));
});
