import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Tests run compiled from dist/test/…; the repository root is three levels up from here.
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The bundled bin users run (package.json "bin"). */
export const cliPath = join(repoRoot, 'dist', 'bin', 'main.js');
export const corpusDir = resolve(repoRoot, '..', 'shared', 'corpus');
export const lockfilesDir = join(corpusDir, 'lockfiles');

/**
 * `skip` option for tests that read ../shared/corpus. CI always has it; a
 * user's fresh clone does not, and then the skip says so out loud.
 */
export const needsCorpus: string | false = existsSync(lockfilesDir)
  ? false
  : `SKIPPED: ../shared/corpus is absent (${corpusDir}); these tests need the shared corpus`;
if (needsCorpus) console.warn(needsCorpus);
