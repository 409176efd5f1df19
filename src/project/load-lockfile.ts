import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { InputError } from './input-error.js';
import type { Lockfile } from './lockfile.js';
import { formatByContent, formatByName, INDEX_ONLY_NAMES, LOCKFILE_FORMATS } from './lockfiles/formats.js';
import { isTable } from './lockfiles/toml-fields.js';
import { readTextInput, statInput } from './read-input.js';

// From a path on the command line to parsed lockfiles: directories are
// searched, formats detected, and every failure becomes one InputError.

function parseToml(text: string, path: string) {
  try {
    return parse(text);
  } catch (err) {
    if (err instanceof TomlError) {
      throw new InputError(path, `invalid TOML: ${err.message.split('\n', 1)[0]!.replace(/^Invalid TOML document: /, '')}`, err.line, err.column);
    }
    // smol-toml signals pathological nesting with a RangeError.
    throw new InputError(path, `invalid TOML: ${(err as Error).message}`);
  }
}

export function readLockfile(path: string): Lockfile {
  const name = basename(path);
  if (INDEX_ONLY_NAMES.some((re) => re.test(name))) {
    throw new InputError(path, 'this file needs the package index to resolve; ftready check reads uv.lock, poetry.lock and pylock.toml offline');
  }
  const text = readTextInput(path);
  const doc = parseToml(text, path);
  if (!isTable(doc)) throw new InputError(path, 'not a lockfile');
  const format = formatByName(name) ?? formatByContent(doc);
  if (!format) throw new InputError(path, 'not a recognised lockfile (expected uv.lock, poetry.lock or pylock.toml content)');
  return format.read(doc, path);
}

/** The lockfile a directory holds: uv.lock, then pylock.toml, then poetry.lock. */
export function findLockfile(dir: string): { path: string; others: string[] } {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (err) {
    throw new InputError(dir, `cannot list directory (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const found = LOCKFILE_FORMATS.flatMap((f) =>
    entries.filter((e) => (f.id === 'pylock.toml' ? /^pylock(\.[^.]+)?\.toml$/.test(e) : e === f.id)),
  );
  if (found.length === 0) throw new InputError(dir, 'no uv.lock, pylock.toml or poetry.lock in this directory');
  return { path: join(dir, found[0]!), others: found.slice(1) };
}

export function loadLockfiles(paths: readonly string[]): Lockfile[] {
  const locks: Lockfile[] = [];
  for (const p of paths) {
    const info = statInput(p);
    if (info.isDirectory()) {
      const { path, others } = findLockfile(p);
      const lock = readLockfile(path);
      if (others.length > 0) lock.notes.push(`${p}: also holds ${others.join(', ')}; checked ${basename(path)} (pass the others explicitly to check them)`);
      locks.push(lock);
    } else {
      locks.push(readLockfile(p));
    }
  }
  return locks;
}
