import { parsePlatformTag } from '../standards/platform-tag.js';
import { normalizeProjectName } from '../standards/project-name.js';
import { parseSdistFilename, sdistExtension } from '../standards/sdist-filename.js';
import { sameVersion } from '../standards/versions.js';
import { parseWheelFilename, type WheelFilename } from '../standards/wheel-filename.js';
import { filenameFromUrl, type DistFile } from '../standards/dist-file.js';

// The files of one release, parsed and checked for consistency before any
// status is decided. A list that contradicts itself is not used at all: a
// confident answer from a lying lockfile is worse than "unknown".

export interface ReleaseWheel {
  file: DistFile;
  wheel: WheelFilename;
  /** For each of `wheel.tags`, the platform families that accept it. */
  accepts: ReadonlySet<string>[];
}

export interface PreparedRelease {
  name: string;
  version: string;
  wheels: ReleaseWheel[];
  sdists: DistFile[];
  /** Why this release's file list cannot be trusted; null when it can. */
  distrust: string | null;
}

function sameWheel(a: WheelFilename, b: WheelFilename): boolean {
  const tags = (w: WheelFilename) => w.tags.map((t) => `${t.python}-${t.abi}-${t.platform}`).sort().join(' ');
  return (
    normalizeProjectName(a.name) === normalizeProjectName(b.name) &&
    sameVersion(a.version, b.version) &&
    a.build?.number === b.build?.number &&
    tags(a) === tags(b)
  );
}

function conflictingHashes(a: Record<string, string>, b: Record<string, string>): boolean {
  return Object.keys(a).some((alg) => b[alg] !== undefined && b[alg]!.toLowerCase() !== a[alg]!.toLowerCase());
}

function urlDisagrees(file: DistFile): boolean {
  if (!file.url || file.url.endsWith(`/${file.filename}`)) return false;
  const fromUrl = filenameFromUrl(file.url);
  if (fromUrl === null || fromUrl === file.filename) return false;
  const a = parseWheelFilename(file.filename);
  const b = parseWheelFilename(fromUrl);
  if (a.ok && b.ok) return !sameWheel(a.value, b.value);
  return fromUrl.toLowerCase() !== file.filename.toLowerCase();
}

// The same file list (a project's release on an index) is prepared once,
// however many targets and reports ask about it.
const prepared = new WeakMap<readonly DistFile[], PreparedRelease>();

export function prepareRelease(name: string, version: string, files: readonly DistFile[]): PreparedRelease {
  const known = prepared.get(files);
  if (known && known.name === name && known.version === version) return known;
  const release = prepare(name, version, files);
  prepared.set(files, release);
  return release;
}

function prepare(name: string, version: string, files: readonly DistFile[]): PreparedRelease {
  const wheels: ReleaseWheel[] = [];
  const sdists: DistFile[] = [];
  const seen = new Map<string, DistFile>();
  const problems: string[] = [];
  const project = normalizeProjectName(name);

  for (const file of files) {
    const earlier = seen.get(file.filename);
    if (earlier) {
      if (conflictingHashes(earlier.hashes, file.hashes)) {
        problems.push(`"${file.filename}" is listed more than once with different hashes`);
      }
      continue;
    }
    seen.set(file.filename, file);
    if (urlDisagrees(file)) {
      problems.push(`"${file.filename}" is listed with the URL of another file (${filenameFromUrl(file.url!)})`);
      continue;
    }
    if (file.filename.endsWith('.whl')) {
      const parsed = parseWheelFilename(file.filename);
      if (!parsed.ok) {
        problems.push(parsed.error);
      } else if ((parsed.value.name !== name && normalizeProjectName(parsed.value.name) !== project) || !sameVersion(parsed.value.version, version)) {
        problems.push(`"${file.filename}" is not a file of ${name} ${version}`);
      } else {
        wheels.push({ file, wheel: parsed.value, accepts: parsed.value.tags.map((t) => parsePlatformTag(t.platform).accepts) });
      }
    } else if (sdistExtension(file.filename)) {
      const parsed = parseSdistFilename(file.filename, name);
      if (parsed && (normalizeProjectName(parsed.name) !== project || !sameVersion(parsed.version, version))) {
        problems.push(`"${file.filename}" is not a file of ${name} ${version}`);
      } else {
        sdists.push(file);
      }
    }
    // Other files (.egg, .exe, .msi) are never chosen by pip on CPython 3.13+.
  }
  const distrust = problems.length === 0 ? null : `inconsistent file list: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : ''}`;
  return { name, version, wheels, sdists, distrust };
}
