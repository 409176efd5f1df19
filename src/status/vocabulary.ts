// The status vocabulary, as data: docs/status-vocabulary.md and every renderer
// read their wording from here.

export type Status =
  | 'free-threaded-wheel'
  | 'compatible-wheel'
  | 'abi3-only'
  | 'no-compatible-wheel'
  | 'source-only'
  | 'unknown'
  | 'not-installed'
  | 'not-checkable'
  | 'not-found';

export type Readiness = 'ready' | 'needs-build' | 'blocked' | 'unknown' | 'not-installed' | 'not-checkable';

export interface StatusInfo {
  id: Status;
  meaning: string;
  /** The readiness a result with this status can have. */
  readiness: readonly Readiness[];
}

export const STATUSES: readonly StatusInfo[] = [
  { id: 'free-threaded-wheel', readiness: ['ready'], meaning: 'A wheel built for this free-threaded ABI (cp3Yt, or the PEP 803 stable ABI abi3t).' },
  { id: 'compatible-wheel', readiness: ['ready'], meaning: 'No free-threaded wheel, but a wheel with ABI "none" that this interpreter accepts: pure Python, or a binary that does not use the CPython ABI.' },
  { id: 'abi3-only', readiness: ['needs-build', 'blocked'], meaning: 'Only stable-ABI (abi3) binaries for this platform, which a free-threaded interpreter cannot load.' },
  { id: 'no-compatible-wheel', readiness: ['needs-build', 'blocked'], meaning: 'Wheels exist, but none is usable on this interpreter and platform.' },
  { id: 'source-only', readiness: ['needs-build'], meaning: 'No wheel at all, only a source distribution.' },
  { id: 'unknown', readiness: ['unknown'], meaning: 'The input does not say, or cannot be trusted (e.g. an inconsistent wheel list).' },
  { id: 'not-installed', readiness: ['not-installed'], meaning: 'The package is not installed on this target: its environment markers exclude it.' },
  { id: 'not-found', readiness: ['unknown'], meaning: 'The project is not on the configured indexes.' },
  { id: 'not-checkable', readiness: ['not-checkable'], meaning: 'The package comes from the project itself, a path, a VCS checkout or a direct URL, so no index files describe it.' },
];

export interface ReadinessInfo {
  id: Readiness;
  meaning: string;
  /** Rank for rolling platforms up into one answer per target: higher wins. */
  rank: number;
  symbol: string;
}

export const READINESS: readonly ReadinessInfo[] = [
  { id: 'blocked', rank: 5, symbol: '✗', meaning: 'No usable wheel and no sdist: it cannot be installed on this target.' },
  { id: 'needs-build', rank: 4, symbol: '▲', meaning: 'No usable wheel, but pip would build the sdist; that needs a compiler and may fail or produce a module that re-enables the GIL.' },
  { id: 'unknown', rank: 3, symbol: '?', meaning: 'The input does not say, or cannot be trusted.' },
  { id: 'ready', rank: 2, symbol: '✓', meaning: 'A wheel installs (free-threaded-wheel or compatible-wheel).' },
  { id: 'not-checkable', rank: 1, symbol: '·', meaning: 'Not from an index (the project itself, a path, VCS or URL): nothing to check.' },
  { id: 'not-installed', rank: 0, symbol: '–', meaning: 'Not installed on this target.' },
];

const RANK = new Map(READINESS.map((r) => [r.id, r.rank]));

export function readinessInfo(id: Readiness): ReadinessInfo {
  return READINESS.find((r) => r.id === id)!;
}

/** One answer for several platforms: a definite problem outranks doubt, doubt outranks readiness. */
export function rollUpReadiness(values: Iterable<Readiness>): Readiness {
  let worst: Readiness = 'not-installed';
  for (const v of values) if (RANK.get(v)! > RANK.get(worst)!) worst = v;
  return worst;
}
