import { basename } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { InputError } from './input-error.js';
import type { Lockfile } from './lockfile.js';
import { formatByContent, formatByName } from './lockfiles/formats.js';
import { isTable } from './lockfiles/toml-fields.js';
import { readTextInput } from './read-input.js';

// From a lockfile's path to its parsed content: the format is detected, and
// every failure becomes one InputError.

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
  const text = readTextInput(path);
  const doc = parseToml(text, path);
  if (!isTable(doc)) throw new InputError(path, 'not a lockfile');
  const format = formatByName(name) ?? formatByContent(doc);
  if (!format) throw new InputError(path, 'not a recognised lockfile (expected uv.lock, poetry.lock or pylock.toml content)');
  return format.read(doc, path);
}
