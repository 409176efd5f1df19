import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

// Creates a directory and its missing parents, one level at a time. Node's
// own `mkdir(…, { recursive: true })` loops forever under some virtual file
// systems (a path below /proc, for one); creating each level by itself fails
// at once with the real error instead.

export function makeDirectory(path: string): void {
  const missing: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    try {
      if (statSync(dir).isDirectory()) break;
      throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir) throw err;
      missing.unshift(dir);
    }
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (err) {
      // Another process may have made it meanwhile.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
