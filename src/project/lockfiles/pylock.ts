import { parseSdistFilename } from '../../standards/sdist-filename.js';
import { parseWheelFilename } from '../../standards/wheel-filename.js';
import type { DistFile } from '../../standards/dist-file.js';
import { InputError } from '../input-error.js';
import type { LockedPackage, Lockfile } from '../lockfile.js';
import { arrayOr, hashesFromTable, lockMarker, fileReader, sdistAndWheels, startEntry, stringOr, tableOr, type TomlTable } from './toml-fields.js';

// pylock.toml (PEP 751). A wheel's file name is its `name`, or the last
// segment of its `url` or `path`; vcs, directory and archive packages are
// not from an index.

const fileOf = fileReader('name', (t) => hashesFromTable(t.hashes));

function versionFromFiles(files: DistFile[], name: string): string {
  for (const f of files) {
    const wheel = parseWheelFilename(f.filename);
    if (wheel.ok) return wheel.value.version;
    const sdist = parseSdistFilename(f.filename, name);
    if (sdist) return sdist.version;
  }
  return '';
}

function notCheckableReason(t: TomlTable): string | null {
  const vcs = tableOr(t.vcs);
  if (vcs) return `from ${stringOr(vcs.type) ?? 'a VCS'}: ${stringOr(vcs.url) ?? stringOr(vcs.path) ?? ''}`.trimEnd();
  const dir = tableOr(t.directory);
  if (dir) return `${dir.editable === true ? 'editable install' : 'from a local directory'}: ${stringOr(dir.path) ?? ''}`.trimEnd();
  if (tableOr(t.archive)) return 'from an archive file or URL';
  return null;
}

export function readPylock(doc: TomlTable, path: string): Lockfile {
  const lockVersion = stringOr(doc['lock-version']);
  if (!lockVersion) throw new InputError(path, 'not a pylock.toml: there is no "lock-version"');
  if (!/^1\.\d+$/.test(lockVersion)) throw new InputError(path, `pylock.toml lock-version ${lockVersion} is not supported; ftready reads 1.x`);
  const notes: string[] = [];
  if (lockVersion !== '1.0') notes.push(`${path}: lock-version ${lockVersion} is newer than 1.0; reading it as 1.0`);
  if (doc.packages !== undefined && !Array.isArray(doc.packages)) throw new InputError(path, '"packages" must be an array of tables ([[packages]])');

  const packages: LockedPackage[] = arrayOr(doc.packages).map((entry, i) => {
    const { t, name, label, problems } = startEntry(entry, i);
    const files = sdistAndWheels(t, fileOf, problems);
    const marker = lockMarker(t.marker, 'marker', problems);
    return {
      name: name ?? label,
      version: stringOr(t.version) ?? versionFromFiles(files, name ?? ''),
      files,
      notCheckable: notCheckableReason(t),
      problem: problems.length > 0 ? problems.join('; ') : null,
      markers: marker ? [marker] : [],
      dependencies: [],
    };
  });
  return { format: 'pylock.toml', path, packages, roots: null, requiresPython: stringOr(doc['requires-python']) ?? null, notes };
}
