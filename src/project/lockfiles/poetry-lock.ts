import { normalizeProjectName } from '../../standards/project-name.js';
import type { DistFile } from '../../standards/dist-file.js';
import { InputError } from '../input-error.js';
import type { LockMarker, LockedPackage, Lockfile } from '../lockfile.js';
import { arrayOr, hashFromString, lockMarker, startEntry, stringOr, tableOr, type TomlTable } from './toml-fields.js';

// poetry.lock 1.x and 2.x. File names come from `files = [{file, hash}]`, or
// from the old `[metadata.files]` table. Poetry 2 writes each package's
// combined markers (a string, or a table of marker per dependency group);
// poetry 1 does not, so there every locked package counts as installed.

const NOT_CHECKABLE_SOURCES: Record<string, string> = {
  git: 'from git',
  directory: 'from a local directory',
  file: 'from a local file',
  url: 'from a direct URL',
};

function filesFrom(list: unknown, problems: string[]): DistFile[] {
  const files: DistFile[] = [];
  arrayOr(list).forEach((f, k) => {
    const t = tableOr(f);
    const filename = stringOr(t?.file);
    if (!filename) problems.push(`file #${k + 1} has no "file" name`);
    else files.push({ filename, hashes: hashFromString(t?.hash) });
  });
  return files;
}

function markersOf(v: unknown, problems: string[]): LockMarker[] {
  const texts = typeof v === 'string' ? [['markers', v]] : Object.entries(tableOr(v) ?? {}).map(([g, m]) => [`markers for group ${g}`, m]);
  return texts.map(([what, m]) => lockMarker(m, what as string, problems)).filter((m) => m !== null);
}

export function readPoetryLock(doc: TomlTable, path: string): Lockfile {
  const metadata = tableOr(doc.metadata) ?? {};
  const lockVersion = stringOr(metadata['lock-version']);
  const notes: string[] = [];
  if (lockVersion && !/^[12]\./.test(lockVersion)) notes.push(`${path}: poetry.lock version ${lockVersion} is newer than ftready knows (2.x)`);
  if (!Array.isArray(doc.package)) throw new InputError(path, 'not a poetry.lock: there are no [[package]] entries');
  const legacyFiles = new Map<string, unknown>();
  for (const [name, list] of Object.entries(tableOr(metadata.files) ?? {})) legacyFiles.set(normalizeProjectName(name), list);

  const packages: LockedPackage[] = doc.package.map((entry, i) => {
    const { t, name, label, problems } = startEntry(entry, i);
    const fileList = t.files ?? (name ? legacyFiles.get(normalizeProjectName(name)) : undefined);
    const files = filesFrom(fileList, problems);
    const source = tableOr(t.source);
    const kind = NOT_CHECKABLE_SOURCES[stringOr(source?.type) ?? ''];
    let notCheckable = kind ? [kind, stringOr(source?.url)].filter(Boolean).join(': ') : null;
    if (t.develop === true) notCheckable = notCheckable ? `editable install ${notCheckable}` : 'editable install';
    const markers = markersOf(t.markers, problems);
    return {
      name: name ?? label,
      version: stringOr(t.version) ?? '',
      files,
      notCheckable,
      problem: problems.length > 0 ? problems.join('; ') : null,
      markers,
      dependencies: [],
    };
  });
  return {
    format: 'poetry.lock',
    path,
    packages,
    roots: null,
    requiresPython: stringOr(metadata['python-versions']) ?? null,
    notes,
  };
}
