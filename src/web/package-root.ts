import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The directory of ftready's own package.json, found from this file whether
// it runs compiled (dist/src/…) or bundled (dist/bin/…): the guide and the
// rule pages ship beside it.

export function packageRoot(): string | null {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'ftready') return dir;
      } catch {
        // Not ours: keep looking upwards.
      }
    }
    if (dirname(dir) === dir) return null;
  }
}
