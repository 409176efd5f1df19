import { compare, eq, explain, satisfies, valid, validRange } from '@renovatebot/pep440';

// Version equality goes through PEP 440 comparison, never through cleaned strings:
// the library's clean() mangles local versions ("1.0+local.1" -> "1.0+local,1").
export function sameVersion(a: string, b: string): boolean {
  if (a === b) return true;
  if (valid(a) === null || valid(b) === null) return a.toLowerCase() === b.toLowerCase();
  return eq(a, b);
}

const RELEASE = /^\d+(\.\d+)*$/;
const SIMPLE_CLAUSE = /^\s*(<=|>=|<|>|==|!=)\s*(\d+(?:\.\d+)*)\s*$/;

/** PEP 440 order of two release-only versions ("3.14.0" vs "3.11"): zero-padded numeric. */
function compareReleases(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = Number(x[i] ?? 0) - Number(y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const SIMPLE_OPS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0, '<=': (c) => c <= 0, '>': (c) => c > 0, '>=': (c) => c >= 0, '==': (c) => c === 0, '!=': (c) => c !== 0,
};

/**
 * The common case of markers and requires-python, a release-only version
 * against release-only clauses, answered without the general PEP 440 parser,
 * whose first use costs a noticeable share of a check's start-up. Anything
 * else (wildcards, pre-releases, ~=, ===, epochs) returns undefined.
 */
function satisfiesSimply(version: string, specifier: string): boolean | undefined {
  if (!RELEASE.test(version)) return undefined;
  let result = true;
  for (const clause of specifier.split(',')) {
    const m = SIMPLE_CLAUSE.exec(clause);
    if (!m) return undefined;
    result &&= SIMPLE_OPS[m[1]!]!(compareReleases(version, m[2]!));
  }
  return result;
}

/**
 * Whether a version satisfies a PEP 440 specifier set; null when the
 * specifier is invalid. A version that is not PEP 440 satisfies nothing, as
 * in packaging.
 */
export function satisfiesSpecifier(version: string, specifier: string): boolean | null {
  const spec = specifier.trim();
  if (spec === '') return true;
  const simple = satisfiesSimply(version, spec);
  if (simple !== undefined) return simple;
  if (!validRange(spec)) return null;
  return valid(version) !== null && satisfies(version, spec, { prereleases: true });
}

/** PEP 440 order; versions that are not PEP 440 sort before all others, by text. */
export function compareVersions(a: string, b: string): number {
  const va = valid(a) !== null;
  const vb = valid(b) !== null;
  if (va && vb) return compare(a, b);
  if (va !== vb) return va ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Pre-releases and development releases, which pip skips unless asked. */
export function isPrerelease(v: string): boolean {
  return explain(v)?.is_prerelease === true;
}
