import type { Lockfile, LockfileFormatId } from '../lockfile.js';
import { readPoetryLock } from './poetry-lock.js';
import { readPylock } from './pylock.js';
import { isTable, stringOr, type TomlTable } from './toml-fields.js';
import { readUvLock } from './uv-lock.js';

// The lockfile formats, as a table: how each is named, how its content is
// recognised when the name says nothing, and its reader. A new format is one
// more row here.

export interface LockfileFormat {
  id: LockfileFormatId;
  /** File names this format uses, in the order a directory is searched. */
  matchesName(basename: string): boolean;
  /** Recognises a parsed document of this format. */
  sniff(doc: TomlTable): boolean;
  read(doc: TomlTable, path: string): Lockfile;
}

export const LOCKFILE_FORMATS: readonly LockfileFormat[] = [
  {
    id: 'uv.lock',
    matchesName: (n) => n.endsWith('uv.lock'),
    sniff: (doc) => typeof doc.version === 'number' && (doc.revision !== undefined || doc['requires-python'] !== undefined),
    read: readUvLock,
  },
  {
    id: 'pylock.toml',
    matchesName: (n) => /^pylock(\.[^.]+)?\.toml$/.test(n) || n.endsWith('pylock.toml'),
    sniff: (doc) => stringOr(doc['lock-version']) !== undefined,
    read: readPylock,
  },
  {
    id: 'poetry.lock',
    matchesName: (n) => n.endsWith('poetry.lock'),
    sniff: (doc) => isTable(doc.metadata) && (doc.metadata['lock-version'] !== undefined || doc.metadata['content-hash'] !== undefined),
    read: readPoetryLock,
  },
];

export function formatByName(basename: string): LockfileFormat | undefined {
  return LOCKFILE_FORMATS.find((f) => f.matchesName(basename));
}

export function formatByContent(doc: TomlTable): LockfileFormat | undefined {
  return LOCKFILE_FORMATS.find((f) => f.sniff(doc));
}
