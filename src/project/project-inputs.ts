import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from './input-error.js';
import { parseLockfile, readLockfile } from './load-lockfile.js';
import type { Lockfile } from './lockfile.js';
import type { ProjectManifest } from './manifest.js';
import { readPipfile, readPipfileLock } from './manifests/pipfile.js';
import { readPyproject } from './manifests/pyproject-toml.js';
import { parseRequirementsTxt, readRequirementsTxt } from './manifests/requirements-txt.js';
import { readTextInput, statInput } from './read-input.js';

// What `ftready check PATH` reads: a lockfile (checked offline) or a manifest
// (resolved through the index). A directory is searched the way pip, uv,
// Poetry and pipenv users expect, and a lockfile wins over its manifest.

export type ProjectInput = { kind: 'lockfile'; lock: Lockfile } | { kind: 'manifest'; manifest: ProjectManifest };

type Env = Readonly<Record<string, string | undefined>>;

interface ManifestFormat {
  id: ProjectManifest['format'];
  matchesName(basename: string): boolean;
  read(path: string, env: Env): ProjectManifest;
  /** The same from text that is not on disk (an upload to the tracker). */
  parse(text: string, path: string): ProjectManifest;
}

/** Manifest formats, in the order a directory is searched after its lockfiles. */
export const MANIFEST_FORMATS: ManifestFormat[] = [
  { id: 'Pipfile.lock', matchesName: (n) => n.endsWith('Pipfile.lock'), read: (path) => readPipfileLock(readTextInput(path), path), parse: readPipfileLock },
  { id: 'pyproject.toml', matchesName: (n) => n.endsWith('pyproject.toml'), read: (path) => readPyproject(readTextInput(path), path), parse: readPyproject },
  { id: 'requirements.txt', matchesName: (n) => /requirements.*\.(txt|in)$/i.test(n) || /\.txt$/i.test(n), read: readRequirementsTxt, parse: parseRequirementsTxt },
  { id: 'Pipfile', matchesName: (n) => n.endsWith('Pipfile'), read: (path) => readPipfile(readTextInput(path), path), parse: readPipfile },
];

/** Lockfile names, in the order a directory is searched. */
const LOCKFILE_NAMES = [/^uv\.lock$/, /^pylock\.toml$/, /^pylock\.[^.]+\.toml$/, /^poetry\.lock$/];
const DIRECTORY_MANIFESTS = ['Pipfile.lock', 'pyproject.toml', 'requirements.txt', 'Pipfile'];

function readManifest(path: string, env: Env): ProjectInput | null {
  const format = MANIFEST_FORMATS.find((f) => f.matchesName(basename(path)));
  return format ? { kind: 'manifest', manifest: format.read(path, env) } : null;
}

function fromDirectory(dir: string, env: Env): ProjectInput {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (err) {
    throw new InputError(dir, `cannot list directory (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const candidates = [
    ...LOCKFILE_NAMES.flatMap((re) => entries.filter((e) => re.test(e))),
    ...DIRECTORY_MANIFESTS.filter((m) => entries.includes(m) && MANIFEST_FORMATS.some((f) => f.matchesName(m))),
  ];
  if (candidates.length === 0) {
    throw new InputError(dir, 'no lockfile (uv.lock, pylock.toml, poetry.lock, Pipfile.lock) or manifest (pyproject.toml, requirements.txt, Pipfile) in this directory');
  }
  const skipped: string[] = [];
  for (const name of candidates) {
    const path = join(dir, name);
    const input = readManifest(path, env) ?? { kind: 'lockfile', lock: readLockfile(path) };
    // A pyproject.toml that only configures tools declares nothing to check.
    if (input.kind === 'manifest' && input.manifest.requirements.length === 0 && input.manifest.notCheckable.length === 0 && name !== candidates[candidates.length - 1]) {
      skipped.push(`${name} (no dependencies)`);
      continue;
    }
    const others = candidates.filter((c) => c !== name && !skipped.some((s) => s.startsWith(c)));
    const note = [
      ...(skipped.length > 0 ? [`skipped ${skipped.join(', ')}`] : []),
      ...(others.length > 0 ? [`also holds ${others.join(', ')}; checked ${name} (pass the others explicitly to check them)`] : []),
    ];
    if (note.length > 0) (input.kind === 'lockfile' ? input.lock.notes : input.manifest.notes).push(`${dir}: ${note.join('; ')}`);
    return input;
  }
  throw new InputError(dir, `nothing to check: ${skipped.join(', ')}`);
}

export function loadProjectInputs(paths: readonly string[], env: Env): ProjectInput[] {
  return paths.map((p) => {
    if (statInput(p).isDirectory()) return fromDirectory(p, env);
    return readManifest(p, env) ?? { kind: 'lockfile', lock: readLockfile(p) };
  });
}

/** One input given as text with a file name (e.g. an upload): the name picks the format, as for a path. */
export function projectInputFromText(name: string, text: string): ProjectInput {
  const format = MANIFEST_FORMATS.find((f) => f.matchesName(name));
  return format ? { kind: 'manifest', manifest: format.parse(text, name) } : { kind: 'lockfile', lock: parseLockfile(text, name) };
}
