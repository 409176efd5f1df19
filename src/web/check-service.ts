import type { PackageIndex } from '../index-client/package-index.js';
import { assembleReport, checkLockfilePackages, notCheckableReport, type CheckReport } from '../project/check-report.js';
import { checkManifest } from '../project/index-check.js';
import { projectInputFromText } from '../project/project-inputs.js';
import type { Interpreter } from '../standards/interpreters.js';
import type { PlatformFamily } from '../standards/platform-families.js';

// "Check your project" on the website and the API: the same report as
// `ftready check`, for one uploaded file. An upload is hostile input, so:
// - its -r/-c includes are not followed (they would read the server's files);
// - the index URLs it names are ignored: only the server's own index is
//   asked, so an upload cannot make the server fetch arbitrary URLs.

/** The file names the check accepts; the name picks the format. */
export const CHECK_FORMATS = ['requirements.txt', 'pyproject.toml', 'uv.lock', 'poetry.lock', 'pylock.toml', 'Pipfile', 'Pipfile.lock'] as const;

export interface CheckService {
  interpreters: readonly Interpreter[];
  families: readonly PlatformFamily[];
  /** Null when the server has no index to resolve manifests with: only lockfiles can be checked. */
  index: PackageIndex | null;
  nightly: readonly PackageIndex[];
}

/** A name the user gave, reduced to a known format's file name, or null. */
export function checkFormatOf(name: string): string | null {
  const base = name.split(/[\\/]/).pop() ?? '';
  if ((CHECK_FORMATS as readonly string[]).includes(base)) return base;
  if (/^pylock\.[A-Za-z0-9_-]+\.toml$/.test(base)) return base;
  if (/\.(txt|in)$/i.test(base)) return 'requirements.txt';
  return null;
}

export class CheckInputError extends Error {
  override name = 'CheckInputError';
}

export async function checkUpload(service: CheckService, filename: string, text: string): Promise<CheckReport> {
  const options = { interpreters: service.interpreters, families: service.families };
  const input = projectInputFromText(filename, text);
  if (input.kind === 'lockfile') {
    const { packages, notes } = checkLockfilePackages([input.lock], options);
    return assembleReport(options, [filename], packages, notes);
  }
  const m = input.manifest;
  if (!service.index) throw new CheckInputError(`${filename}: this server checks lockfiles only (it was started without an index)`);
  const notes = [...m.notes];
  if (m.indexUrl || m.extraIndexUrls.length > 0) notes.push(`${filename}: the index URLs it names were ignored; packages were looked up on the tracker's index`);
  const result = await checkManifest(m, service.index, { ...options, nightlyIndexes: service.nightly, keepGoing: true, pre: false });
  const packages = [...result.packages, ...m.notCheckable.map((n) => notCheckableReport(n, filename, options))];
  return assembleReport(options, [filename], packages, [...notes, ...result.notes]);
}
