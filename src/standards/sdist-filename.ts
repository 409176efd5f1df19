import { normalizeProjectName } from './project-name.js';

// Source distribution file names: PEP 625 ("{name}-{version}.tar.gz", name with
// underscores) and the legacy forms that older releases on indexes still carry.

export interface SdistFilename {
  filename: string;
  name: string;
  version: string;
  extension: string;
  /** True when the name follows PEP 625 exactly (normalised name, .tar.gz). */
  pep625: boolean;
}

const EXTENSIONS = ['.tar.gz', '.zip', '.tar.bz2', '.tar.xz', '.tgz', '.tbz', '.tar.lz', '.tar.lzma', '.tar.Z', '.tar'];

export function sdistExtension(filename: string): string | null {
  const lower = filename.toLowerCase();
  return EXTENSIONS.find((ext) => lower.endsWith(ext.toLowerCase())) ?? null;
}

/**
 * Splits an sdist name into project and version. Legacy names may contain
 * dashes in the project part ("python-dateutil-2.8.2.tar.gz"), so when the
 * project name is known it is matched as a prefix; otherwise the split is at
 * the last dash that is followed by a digit.
 */
export function parseSdistFilename(filename: string, projectName?: string): SdistFilename | null {
  const extension = sdistExtension(filename);
  if (!extension) return null;
  const stem = filename.slice(0, -extension.length);
  let split = -1;
  if (projectName !== undefined && stem.startsWith(`${projectName}-`)) {
    split = projectName.length;
  } else if (projectName !== undefined) {
    const want = normalizeProjectName(projectName);
    for (let i = stem.indexOf('-'); i !== -1; i = stem.indexOf('-', i + 1)) {
      if (normalizeProjectName(stem.slice(0, i)) === want) {
        split = i;
        break;
      }
    }
  }
  if (split === -1) {
    for (let i = stem.length - 1; i > 0; i--) {
      if (stem[i] === '-' && /\d/.test(stem[i + 1] ?? '')) {
        split = i;
        break;
      }
    }
  }
  if (split <= 0 || split === stem.length - 1) return null;
  const name = stem.slice(0, split);
  const version = stem.slice(split + 1);
  const pep625 = extension === '.tar.gz' && !version.includes('-') && name === normalizeProjectName(name).replace(/-/g, '_');
  return { filename, name, version, extension, pep625 };
}
