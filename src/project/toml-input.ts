import { parse, TomlError } from 'smol-toml';
import { InputError } from './input-error.js';

/** Parses a user's TOML file; a syntax error becomes an InputError with its line and column. */
export function parseTomlInput(text: string, path: string): Record<string, unknown> {
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
