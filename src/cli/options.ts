import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_INTERPRETERS, FREE_THREADED_INTERPRETERS, parseInterpreter, type Interpreter } from '../standards/interpreters.js';
import { DEFAULT_PLATFORMS, PLATFORM_FAMILIES, platformFamily, type PlatformFamily } from '../standards/platform-families.js';
import { UsageError } from './io.js';

// Command-line values shared by commands, each checked with a message that
// says what would have been accepted.

/** node:util parseArgs with its errors turned into one-line usage errors. */
export function parseCommandLine<T extends ParseArgsConfig['options']>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    const message = (err as Error).message.split('\n', 1)[0]!.replace(/\. To specify a positional argument.*$/, '');
    throw new UsageError(`${command}: ${message}`);
  }
}

export function oneOf<T extends string>(option: string, value: string | undefined, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option} must be one of ${choices.join(', ')}; got "${value}"`);
}

export function interpretersFrom(values: string[] | undefined): Interpreter[] {
  const texts = values && values.length > 0 ? values : DEFAULT_INTERPRETERS;
  const seen = new Map<string, Interpreter>();
  for (const text of texts.flatMap((v) => v.split(','))) {
    const interp = parseInterpreter(text);
    if (!interp || !interp.freeThreaded) {
      const hint = interp ? `; did you mean ${interp.id}t?` : ` (known: ${FREE_THREADED_INTERPRETERS.join(', ')})`;
      throw new UsageError(`--python "${text}" is not a free-threaded CPython version${hint}`);
    }
    seen.set(interp.id, interp);
  }
  return [...seen.values()].sort((a, b) => a.minor - b.minor);
}

export function platformsFrom(values: string[] | undefined): PlatformFamily[] {
  const texts = values && values.length > 0 ? values.flatMap((v) => v.split(',')) : DEFAULT_PLATFORMS;
  if (texts.includes('all')) return [...PLATFORM_FAMILIES];
  const seen = new Map<string, PlatformFamily>();
  for (const text of texts) {
    const family = platformFamily(text.trim());
    if (!family) throw new UsageError(`--platform "${text}" is not a platform family (known: ${PLATFORM_FAMILIES.map((f) => f.id).join(', ')}, or all)`);
    seen.set(family.id, family);
  }
  return PLATFORM_FAMILIES.filter((f) => seen.has(f.id));
}
