import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './helpers/paths.js';

// DEVELOPERS.md: each layer imports only from the layers below it.
// standards < index-client < status < project < store < tracker, web, cli.
const LAYERS: Record<string, number> = {
  standards: 0,
  'index-client': 1,
  status: 2,
  project: 3,
  store: 4,
  tracker: 5,
  web: 5,
  cli: 5,
  scan: 3,
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

test('every import goes to the same layer or one below', () => {
  const src = join(repoRoot, 'src');
  const violations: string[] = [];
  for (const file of sources(src)) {
    const layer = relative(src, file).split('/')[0]!;
    assert.ok(layer in LAYERS, `${relative(repoRoot, file)} is in no known layer folder`);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
      const target = relative(src, join(file, '..', m[1]!)).split('/')[0]!;
      if (target === layer) continue;
      if (!(target in LAYERS) || LAYERS[target]! > LAYERS[layer]! || (LAYERS[target] === LAYERS[layer] && layer !== 'cli')) {
        violations.push(`${relative(repoRoot, file)} imports ${m[1]} (${layer} -> ${target})`);
      }
    }
  }
  assert.deepEqual(violations, []);
});
