import type { DistFile } from '../standards/dist-file.js';
import type { Interpreter } from '../standards/interpreters.js';
import type { PlatformFamily } from '../standards/platform-families.js';
import { parseSdistFilename } from '../standards/sdist-filename.js';
import { compareVersions, isPrerelease } from '../standards/versions.js';
import { prepareRelease } from './release-files.js';
import { statusDecider, type PlatformResult } from './release-status.js';
import { rollUpReadiness, type Readiness } from './vocabulary.js';

// A project's whole release history on an index: the status of every
// release for every target, and the events a maintainer or user cares about
// per interpreter: the first ready release, and support dropped or restored.

export interface HistoryFile extends DistFile {
  /** PEP 592: false, or the reason ('' when none was given). */
  yanked: false | string;
  uploadTime: string | null;
}

export interface ReleaseStatus {
  version: string;
  /** A release is yanked when every one of its files is. */
  yanked: false | string;
  prerelease: boolean;
  uploadTime: string | null;
  results: Record<string, Record<string, PlatformResult>>;
  readiness: Record<string, Readiness>;
}

export type HistoryEvent = { kind: 'first-ready' | 'dropped' | 'restored'; version: string; previous: string | null };

export interface PlatformHistory {
  firstReady: string | null;
  events: HistoryEvent[];
}

export interface TargetHistory extends PlatformHistory {
  /** Over all selected platforms at once: ready means ready on every one. */
  latest: { version: string; readiness: Readiness } | null;
  /** The same history for each platform on its own. */
  platforms: Record<string, PlatformHistory>;
}

export interface ReleaseHistory {
  /** Newest first. */
  releases: ReleaseStatus[];
  targets: Record<string, TargetHistory>;
}

/** The version a file belongs to, from its name; null when the name does not say. */
export function fileVersion(projectName: string, filename: string): string | null {
  if (filename.endsWith('.whl')) {
    // Only the version is needed here: the second field of a well-formed wheel
    // name. Each release's files are fully parsed and checked when it is prepared.
    const parts = filename.slice(0, -4).split('-');
    return parts.length === 5 || parts.length === 6 ? (parts[1] ?? null) : null;
  }
  return parseSdistFilename(filename, projectName)?.version ?? null;
}

export function groupByVersion<F extends HistoryFile>(projectName: string, files: readonly F[], versions: readonly string[] | null): Map<string, F[]> {
  const groups = new Map<string, F[]>();
  for (const v of versions ?? []) groups.set(v, []);
  for (const f of files) {
    const v = fileVersion(projectName, f.filename);
    if (v === null) continue;
    groups.set(v, [...(groups.get(v) ?? []), f]);
  }
  return groups;
}

/** The release a user gets without a pin: the newest final, non-yanked one, else the newest non-yanked pre-release. */
export function latestVersion(releases: readonly ReleaseStatus[]): string | null {
  return (releases.find((r) => r.yanked === false && !r.prerelease) ?? releases.find((r) => r.yanked === false))?.version ?? null;
}

/** Readiness changes along releases, oldest first. */
function historyOf(candidates: readonly ReleaseStatus[], readiness: (r: ReleaseStatus) => Readiness): PlatformHistory {
  const events: HistoryEvent[] = [];
  let ready = false;
  let previous: string | null = null;
  for (const r of candidates) {
    const nowReady = readiness(r) === 'ready';
    if (nowReady && !ready) events.push({ kind: events.length === 0 ? 'first-ready' : 'restored', version: r.version, previous });
    if (!nowReady && ready) events.push({ kind: 'dropped', version: r.version, previous });
    ready = nowReady;
    previous = r.version;
  }
  return { firstReady: events.find((e) => e.kind === 'first-ready')?.version ?? null, events };
}

/** The history of a project whose files are already grouped by release (see groupByVersion). */
export function releaseHistory(
  projectName: string,
  groups: ReadonlyMap<string, readonly HistoryFile[]>,
  interpreters: readonly Interpreter[],
  families: readonly PlatformFamily[],
): ReleaseHistory {
  const releases: ReleaseStatus[] = [...groups.entries()]
    .sort(([a], [b]) => compareVersions(b, a))
    .map(([version, releaseFiles]) => {
      const prepared = prepareRelease(projectName, version, releaseFiles);
      const yanked = releaseFiles.length > 0 && releaseFiles.every((f) => f.yanked !== false) ? (releaseFiles[0]!.yanked as string) : false;
      const release: ReleaseStatus = {
        version,
        yanked,
        prerelease: isPrerelease(version),
        uploadTime: releaseFiles.map((f) => f.uploadTime).filter((t): t is string => t !== null).sort()[0] ?? null,
        results: {},
        readiness: {},
      };
      for (const interp of interpreters) {
        const decide = statusDecider(prepared, interp);
        const perFamily: Record<string, PlatformResult> = {};
        for (const family of families) perFamily[family.id] = decide(family);
        release.results[interp.id] = perFamily;
        release.readiness[interp.id] = rollUpReadiness(Object.values(perFamily).map((r) => r.readiness));
      }
      return release;
    });

  const targets: Record<string, TargetHistory> = {};
  // What pip would choose from: releases that are neither yanked nor pre-releases, oldest first.
  const candidates = releases.filter((r) => r.yanked === false && !r.prerelease).reverse();
  for (const interp of interpreters) {
    const latest = candidates[candidates.length - 1];
    const platforms: Record<string, PlatformHistory> = {};
    for (const family of families) platforms[family.id] = historyOf(candidates, (r) => r.results[interp.id]![family.id]!.readiness);
    targets[interp.id] = {
      ...historyOf(candidates, (r) => r.readiness[interp.id]!),
      latest: latest ? { version: latest.version, readiness: latest.readiness[interp.id]! } : null,
      platforms,
    };
  }
  return { releases, targets };
}
