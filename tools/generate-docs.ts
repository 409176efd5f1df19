import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REFERENCE_PAGES } from './reference-pages.js';

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
for (const [path, page] of Object.entries(REFERENCE_PAGES)) {
  writeFileSync(join(root, path), page());
  console.log(`wrote ${path}`);
}
