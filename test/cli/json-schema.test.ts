import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import { STATUSES } from '../../src/status/vocabulary.js';
import { ftready } from '../helpers/cli.js';
import { lockfilesDir, needsCorpus, repoRoot } from '../helpers/paths.js';

const schema = JSON.parse(readFileSync(join(repoRoot, 'docs', 'schemas', 'check-report.v1.json'), 'utf8'));
const validate = new Ajv2020.default({ allErrors: true, strict: true }).compile(schema);

function assertValid(args: string[]): void {
  const r = ftready(['check', ...args, '--format', 'json', '--fail-on', 'never', '--platform', 'all', '--python', '3.13t,3.14t,3.15t']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { packages: { name: string; results: Record<string, Record<string, { status: string; readiness: string }>> }[] };
  assert.ok(validate(report), JSON.stringify(validate.errors?.slice(0, 3)));
  for (const pkg of report.packages) {
    for (const perPlatform of Object.values(pkg.results)) {
      for (const res of Object.values(perPlatform)) {
        assert.ok(STATUSES.find((s) => s.id === res.status)!.readiness.includes(res.readiness as never), `${pkg.name}: ${res.status} cannot be ${res.readiness}`);
      }
    }
  }
}

test('the example report validates against docs/schemas/check-report.v1.json', () => {
  assertValid(['examples/uv.lock']);
});

test('every corpus lockfile report validates against the schema', { skip: needsCorpus }, () => {
  for (const f of readdirSync(lockfilesDir).filter((n) => /(uv\.lock|poetry\.lock|pylock\.toml)$/.test(n))) assertValid([join(lockfilesDir, f)]);
});

test('the schema lists exactly the statuses the code knows', () => {
  assert.deepEqual([...schema.$defs.status.enum].sort(), STATUSES.map((s) => s.id).sort());
});
