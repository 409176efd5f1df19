import { basename } from 'node:path';
import { InputError } from './input-error.js';
import type { Lockfile } from './lockfile.js';
import { formatByContent, formatByName } from './lockfiles/formats.js';
import { isTable } from './lockfiles/toml-fields.js';
import { readTextInput } from './read-input.js';
import { parseTomlInput } from './toml-input.js';

// From a lockfile's path to its parsed content: the format is detected, and
// every failure becomes one InputError.


export function readLockfile(path: string): Lockfile {
  return parseLockfile(readTextInput(path), path);
}

/** `path` names the input in messages, and its base name picks the format when it is a known lockfile name. */
export function parseLockfile(text: string, path: string): Lockfile {
  const name = basename(path);
  const doc = parseTomlInput(text, path);
  if (!isTable(doc)) throw new InputError(path, 'not a lockfile');
  const format = formatByName(name) ?? formatByContent(doc);
  if (!format) throw new InputError(path, 'not a recognised lockfile (expected uv.lock, poetry.lock or pylock.toml content)');
  return format.read(doc, path);
}
