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
