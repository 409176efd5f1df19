import { memoize } from './memoize.js';

// PEP 503 name normalisation and the PEP 508 name grammar.
const VALID_NAME = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;

/** Memoised: a check normalises the same few hundred names many thousand times. */
export const normalizeProjectName: (name: string) => string = memoize((name) => name.replace(/[-_.]+/g, '-').toLowerCase());

export function isValidProjectName(name: string): boolean {
  return VALID_NAME.test(name);
}
