import { eq, satisfies, valid, validRange } from '@renovatebot/pep440';

// Version equality goes through PEP 440 comparison, never through cleaned strings:
// the library's clean() mangles local versions ("1.0+local.1" -> "1.0+local,1").
export function sameVersion(a: string, b: string): boolean {
  if (a === b) return true;
  if (valid(a) === null || valid(b) === null) return a.toLowerCase() === b.toLowerCase();
  return eq(a, b);
}

export function isValidVersion(v: string): boolean {
  return valid(v) !== null;
}

/** Whether a version satisfies a PEP 440 specifier set; null when the specifier is invalid. */
export function satisfiesSpecifier(version: string, specifier: string): boolean | null {
  const spec = specifier.trim();
  if (spec === '') return true;
  if (!validRange(spec) || valid(version) === null) return null;
  return satisfies(version, spec, { prereleases: true });
}
