import type { MarkerNode } from '../standards/markers.js';
import type { DistFile } from '../standards/dist-file.js';

// What every lockfile reader produces: packages with their files, and what
// decides whether each is installed on a target (package markers, or a
// dependency graph walked from the project).

export type LockfileFormatId = 'uv.lock' | 'poetry.lock' | 'pylock.toml';

export interface LockMarker {
  text: string;
  node: MarkerNode;
}

export interface LockDependency {
  /** Index of the package this edge leads to. */
  to: number;
  marker: LockMarker | null;
}

export interface LockedPackage {
  /** As written in the lockfile. */
  name: string;
  version: string;
  files: DistFile[];
  /** Set when the package is not from an index: why it cannot be checked. */
  notCheckable: string | null;
  /** Set when the entry itself is malformed: it is reported as unknown. */
  problem: string | null;
  /** Installed when any of these is true; empty means always (subject to the graph). */
  markers: LockMarker[];
  dependencies: LockDependency[];
}

export interface Lockfile {
  format: LockfileFormatId;
  path: string;
  packages: LockedPackage[];
  /**
   * Indexes of the project's own packages, when the lockfile records a
   * dependency graph: a package is then installed only if a chain of edges
   * with true markers reaches it from one of these.
   */
  roots: number[] | null;
  requiresPython: string | null;
  /** Things the user should know that are not about one package. */
  notes: string[];
}
