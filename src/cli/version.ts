import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../web/package-root.js';

/** ftready's own version, from its package.json (compiled or bundled). */
export function version(): string {
  const root = packageRoot();
  if (!root) return 'unknown';
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
}
