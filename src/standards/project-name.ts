// PEP 503 name normalisation and the PEP 508 name grammar.
const VALID_NAME = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;

const normalized = new Map<string, string>();

/** Memoised: a check normalises the same few hundred names many thousand times. */
export function normalizeProjectName(name: string): string {
  let n = normalized.get(name);
  if (n === undefined) {
    n = name.replace(/[-_.]+/g, '-').toLowerCase();
    if (normalized.size < 100_000) normalized.set(name, n);
  }
  return n;
}

export function isValidProjectName(name: string): boolean {
  return VALID_NAME.test(name);
}
