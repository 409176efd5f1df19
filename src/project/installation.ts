import { evaluateMarker, type MarkerEnvironment } from '../standards/markers.js';
import type { Lockfile } from './lockfile.js';

// Which locked packages a given interpreter and platform would install: a
// walk of the dependency graph from the project when the lockfile has one,
// the packages' own markers otherwise.

export interface Installation {
  installed(index: number): boolean;
  /** For a package that is not installed: why not. */
  whyNot(index: number): string;
  /** Package indexes from a project root to this package, when the lockfile has a graph. */
  pathTo(index: number): number[] | null;
}

function byMarkers(lock: Lockfile, env: MarkerEnvironment): Installation {
  const installed = lock.packages.map((p) => p.markers.length === 0 || p.markers.some((m) => evaluateMarker(m.node, env)));
  return {
    installed: (i) => installed[i]!,
    whyNot: (i) => `its marker ${lock.packages[i]!.markers.map((m) => `"${m.text}"`).join(' or ')} is false here`,
    pathTo: () => null,
  };
}

function byGraph(lock: Lockfile, roots: number[], env: MarkerEnvironment): Installation {
  const parent = new Array<number | undefined>(lock.packages.length);
  const reached = new Array<boolean>(lock.packages.length).fill(false);
  const queue = [...roots];
  for (const r of roots) reached[r] = true;
  for (let head = 0; head < queue.length; head++) {
    const from = queue[head]!;
    for (const edge of lock.packages[from]!.dependencies) {
      if (reached[edge.to]) continue;
      if (edge.marker && !evaluateMarker(edge.marker.node, env)) continue;
      reached[edge.to] = true;
      parent[edge.to] = from;
      queue.push(edge.to);
    }
  }
  return {
    installed: (i) => reached[i]!,
    whyNot: (i) => {
      for (let from = 0; from < lock.packages.length; from++) {
        if (!reached[from]) continue;
        const edge = lock.packages[from]!.dependencies.find((e) => e.to === i && e.marker);
        if (edge) return `${lock.packages[from]!.name} needs it only when ${edge.marker!.text}`;
      }
      return 'no package installed on this target depends on it';
    },
    pathTo: (i) => {
      if (!reached[i]) return null;
      const path = [i];
      for (let p = parent[i]; p !== undefined; p = parent[p]) path.unshift(p);
      return path;
    },
  };
}

export function installationOn(lock: Lockfile, env: MarkerEnvironment): Installation {
  return lock.roots ? byGraph(lock, lock.roots, env) : byMarkers(lock, env);
}
