import { evaluateMarker, type MarkerEnvironment } from '../standards/markers.js';
import type { Lockfile } from './lockfile.js';

// Which locked packages a given interpreter and platform would install: a
// walk of the dependency graph from the project when the lockfile has one,
// the packages' own markers otherwise.

export interface Installation {
  installed: boolean;
  /** For packages that are not installed: why not. */
  why: string;
  /** Package indexes from a project root to this package, when known. */
  path: number[] | null;
}

export function installationOn(lock: Lockfile, env: MarkerEnvironment): Installation[] {
  const markerResult = lock.packages.map((p) => {
    if (p.markers.length === 0) return { ok: true, why: '' };
    const ok = p.markers.some((m) => evaluateMarker(m.node, env));
    return { ok, why: ok ? '' : `its marker ${p.markers.map((m) => `"${m.text}"`).join(' or ')} is false here` };
  });
  if (!lock.roots) {
    return markerResult.map((m) => ({ installed: m.ok, why: m.why, path: null }));
  }

  const parent = new Array<number | undefined>(lock.packages.length);
  const reached = new Array<boolean>(lock.packages.length).fill(false);
  const queue: number[] = [];
  for (const r of lock.roots) {
    reached[r] = true;
    queue.push(r);
  }
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

  const pathTo = (i: number): number[] => {
    const path = [i];
    for (let p = parent[i]; p !== undefined; p = parent[p]) path.unshift(p);
    return path;
  };
  const whyNot = (i: number): string => {
    for (let from = 0; from < lock.packages.length; from++) {
      if (!reached[from]) continue;
      const edge = lock.packages[from]!.dependencies.find((e) => e.to === i && e.marker);
      if (edge) return `${lock.packages[from]!.name} needs it only when ${edge.marker!.text}`;
    }
    return 'no package installed on this target depends on it';
  };
  return lock.packages.map((_, i) =>
    reached[i] ? { installed: true, why: '', path: pathTo(i) } : { installed: false, why: whyNot(i), path: null },
  );
}
