// CPython interpreters ftready can target. "3.14t" is free-threaded 3.14;
// "3.14" the default (GIL-enabled) build of the same version.

export interface Interpreter {
  id: string;
  major: 3;
  minor: number;
  freeThreaded: boolean;
}

/** Free-threaded CPython releases: 3.13 was the first to offer the build. */
export const FREE_THREADED_INTERPRETERS: readonly string[] = ['3.13t', '3.14t', '3.15t'];
/** The two newest free-threaded releases; 3.13t only on request. */
export const DEFAULT_INTERPRETERS: readonly string[] = ['3.14t', '3.15t'];
export const FIRST_FREE_THREADED_MINOR = 13;

const INTERPRETER = /^3\.(\d{1,2})(t?)$/;

export function parseInterpreter(text: string): Interpreter | null {
  const m = INTERPRETER.exec(text.trim());
  if (!m) return null;
  const minor = Number(m[1]);
  const freeThreaded = m[2] === 't';
  if (freeThreaded && minor < FIRST_FREE_THREADED_MINOR) return null;
  return { id: `3.${minor}${m[2]}`, major: 3, minor, freeThreaded };
}

/** The full version that markers such as python_full_version compare against. */
export function fullVersion(interp: Interpreter): string {
  return `3.${interp.minor}.0`;
}
