import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REFERENCE_PAGES } from '../tools/reference-pages.js';
import { repoRoot } from './helpers/paths.js';

test('generated reference pages match the code (run `npm run docs` after changing a table)', () => {
  for (const [path, page] of Object.entries(REFERENCE_PAGES)) {
    assert.equal(readFileSync(join(repoRoot, path), 'utf8'), page(), path);
  }
});

test('the README opens with the two-command quickstart, and its example exists', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const block = /```(?:sh|bash|console)?\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'README has a code block');
  const commands = block[1]!.trim().split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
  assert.deepEqual(commands, ['npm ci && npx ftready check examples/uv.lock', 'npm test']);
  assert.ok(readme.indexOf('```') < readme.indexOf('\n## '), 'the quickstart comes before the first section');
});
