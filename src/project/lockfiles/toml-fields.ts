import { filenameFromUrl, type DistFile } from '../../standards/dist-file.js';
import { parseMarker } from '../../standards/markers.js';
import type { LockMarker } from '../lockfile.js';

// Lockfiles are untrusted input: every field is checked for its type before use.

export type TomlTable = Record<string, unknown>;

export function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

export function tableOr(v: unknown): TomlTable | undefined {
  return isTable(v) ? v : undefined;
}

export function stringOr(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function arrayOr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** "sha256:abc" -> { sha256: "abc" } */
export function hashFromString(v: unknown): Record<string, string> {
  if (typeof v !== 'string') return {};
  const colon = v.indexOf(':');
  return colon > 0 ? { [v.slice(0, colon).toLowerCase()]: v.slice(colon + 1) } : {};
}

/** PEP 751 `hashes = { sha256 = "…" }` */
export function hashesFromTable(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isTable(v)) for (const [k, h] of Object.entries(v)) if (typeof h === 'string') out[k.toLowerCase()] = h;
  return out;
}

/** Parses a marker string; a malformed one is reported through `problems`. */
export function lockMarker(text: unknown, what: string, problems: string[]): LockMarker | null {
  if (text === undefined) return null;
  if (typeof text !== 'string') {
    problems.push(`${what}: marker is not a string`);
    return null;
  }
  if (text.trim() === '') return null;
  const parsed = parseMarker(text);
  if (!parsed.ok) {
    problems.push(`${what}: ${parsed.error}`);
    return null;
  }
  return { text, node: parsed.value };
}

/** What every reader checks first on one package entry. */
export interface EntryStart {
  t: TomlTable;
  name: string | undefined;
  /** How to name the entry when it has no usable name. */
  label: string;
  /** Problems found so far; a non-empty list makes the package unknown. */
  problems: string[];
}

export function startEntry(entry: unknown, index: number): EntryStart {
  const label = `package #${index + 1}`;
  const problems: string[] = [];
  const t = tableOr(entry) ?? {};
  const name = stringOr(t.name);
  if (!isTable(entry)) problems.push(`${label} is not a table`);
  else if (!name) problems.push(`${label} has no name`);
  return { t, name, label, problems };
}

export type FileReader = (entry: unknown, what: string, problems: string[]) => DistFile | null;

/**
 * A file table as uv.lock and pylock.toml write it: the file name is the
 * `nameKey` field, or the last segment of `url` or `path`.
 */
export function fileReader(nameKey: string, hashesOf: (t: TomlTable) => Record<string, string>): FileReader {
  return (entry, what, problems) => {
    const t = tableOr(entry);
    if (!t) {
      problems.push(`${what} is not a table`);
      return null;
    }
    const url = stringOr(t.url);
    const filename = stringOr(t[nameKey]) ?? filenameFromUrl(url ?? stringOr(t.path) ?? '');
    if (!filename) {
      problems.push(`${what} has no url, path or ${nameKey}`);
      return null;
    }
    return url ? { filename, url, hashes: hashesOf(t) } : { filename, hashes: hashesOf(t) };
  };
}

/** The `sdist` table and `wheels` array that uv.lock and pylock.toml share, each read by the format's own file reader. */
export function sdistAndWheels(t: TomlTable, fileOf: FileReader, problems: string[]): DistFile[] {
  const files: DistFile[] = [];
  if (t.sdist !== undefined) {
    const f = fileOf(t.sdist, 'sdist', problems);
    if (f) files.push(f);
  }
  if (t.wheels !== undefined && !Array.isArray(t.wheels)) problems.push('"wheels" is not an array');
  arrayOr(t.wheels).forEach((w, k) => {
    const f = fileOf(w, `wheel #${k + 1}`, problems);
    if (f) files.push(f);
  });
  return files;
}
