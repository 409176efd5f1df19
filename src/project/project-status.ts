import type { PackageIndex } from '../index-client/package-index.js';
import type { Interpreter } from '../standards/interpreters.js';
import type { PlatformFamily } from '../standards/platform-families.js';
import { normalizeProjectName } from '../standards/project-name.js';
import { compareVersions, sameVersion } from '../standards/versions.js';
import { groupByVersion, latestVersion, releaseHistory, type ReleaseStatus, type TargetHistory } from '../status/release-history.js';
import type { Readiness } from '../status/vocabulary.js';
import { IndexUnreachableError } from '../index-client/errors.js';

// `ftready status NAME[==VERSION]`, schema version 1 (docs/json-schema.md):
// one project's full picture on the configured indexes.

export const FREE_THREADING_CLASSIFIER = 'Programming Language :: Python :: Free Threading :: ';

export interface ClassifierInfo {
  /** 1 Unstable, 2 Beta, 3 Stable, 4 Resilient. */
  level: number;
  label: string;
  version: string;
}

export interface NightlyInfo {
  index: string;
  version: string | null;
  readiness: Record<string, Readiness>;
  /** Why nothing could be said, when the nightly index did not answer. */
  problem?: string;
}

export interface StatusReport {
  schemaVersion: 1;
  project: string;
  requested: string;
  found: boolean;
  /** Why the project's status is unknown, when it is. */
  problem?: string;
  indexes: string[];
  targets: string[];
  platforms: string[];
  latest: string | null;
  history: Record<string, TargetHistory>;
  classifier: ClassifierInfo | null;
  /** Where the classifier and dependencies came from, or why they could not be read. */
  metadata: { source: string } | { problem: string } | null;
  nightly: NightlyInfo[];
  /** Newest first; only the requested version when NAME==VERSION was asked for. */
  releases: ReleaseStatus[];
}

export interface StatusOptions {
  interpreters: readonly Interpreter[];
  families: readonly PlatformFamily[];
  nightlyIndexes: readonly PackageIndex[];
}

export function parseRequest(text: string): { name: string; version: string | null } | null {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:==\s*([^\s=]+))?\s*$/.exec(text);
  return m ? { name: m[1]!, version: m[2] ?? null } : null;
}

export function classifierOf(classifiers: readonly string[], version: string): ClassifierInfo | null {
  for (const c of classifiers) {
    if (!c.startsWith(FREE_THREADING_CLASSIFIER)) continue;
    const label = c.slice(FREE_THREADING_CLASSIFIER.length).trim();
    const m = /^(\d+)\s*-/.exec(label);
    if (m) return { level: Number(m[1]), label, version };
  }
  return null;
}

/** The newest non-yanked release on a nightly index, and whether it is ready; an index that does not answer is reported, not fatal. */
export async function nightlyOf(index: PackageIndex, name: string, options: Pick<StatusOptions, 'interpreters' | 'families'>): Promise<NightlyInfo> {
  const empty: Record<string, Readiness> = {};
  const indexUrl = index.displayUrls.join(', ');
  try {
    const lookup = await index.project(name);
    if (lookup.kind === 'not-found') return { index: indexUrl, version: null, readiness: empty };
    if (lookup.kind === 'unknown') return { index: indexUrl, version: null, readiness: empty, problem: lookup.reason };
    const groups = groupByVersion(name, lookup.page.files, lookup.page.versions);
    const newest = [...groups.keys()].sort((a, b) => compareVersions(b, a)).find((v) => {
      // As in releaseHistory: a release is yanked only when it has files and all of them are.
      const files = groups.get(v)!;
      return files.length === 0 || files.some((f) => f.yanked === false);
    });
    if (newest === undefined) return { index: indexUrl, version: null, readiness: empty };
    // Only the newest release matters here: its status alone is worked out.
    const history = releaseHistory(name, new Map([[newest, groups.get(newest)!]]), options.interpreters, options.families);
    return { index: indexUrl, version: newest, readiness: history.releases[0]!.readiness };
  } catch (err) {
    if (err instanceof IndexUnreachableError) return { index: indexUrl, version: null, readiness: empty, problem: err.message };
    throw err;
  }
}

export async function projectStatus(index: PackageIndex, request: string, options: StatusOptions): Promise<StatusReport> {
  const parsed = parseRequest(request)!;
  const name = normalizeProjectName(parsed.name);
  const report: StatusReport = {
    schemaVersion: 1,
    project: name,
    requested: request,
    found: false,
    indexes: index.displayUrls,
    targets: options.interpreters.map((i) => i.id),
    platforms: options.families.map((f) => f.id),
    latest: null,
    history: {},
    classifier: null,
    metadata: null,
    nightly: [],
    releases: [],
  };
  const [lookup, nightly] = await Promise.all([
    index.project(name),
    Promise.all(options.nightlyIndexes.map((n) => nightlyOf(n, name, options))),
  ]);
  report.nightly = nightly;
  if (lookup.kind === 'not-found') return report;
  if (lookup.kind === 'unknown') return { ...report, problem: lookup.reason };
  report.found = true;
  report.indexes = lookup.indexes;
  if (lookup.page.files.length === 0 && !lookup.page.versions?.length) return { ...report, problem: `the index page for ${name} lists no files` };
  const groups = groupByVersion(name, lookup.page.files, lookup.page.versions);
  const history = releaseHistory(name, groups, options.interpreters, options.families);
  report.history = history.targets;
  report.latest = latestVersion(history.releases);
  report.releases = parsed.version ? history.releases.filter((r) => sameVersion(r.version, parsed.version!)) : history.releases;
  if (parsed.version && report.releases.length === 0) return { ...report, problem: `${name} has no release ${parsed.version} on the index` };

  const metadataVersion = parsed.version ?? report.latest;
  if (metadataVersion) {
    const files = groups.get(report.releases[0]?.version ?? metadataVersion) ?? [];
    const meta = await index.metadata(name, metadataVersion, files);
    if (meta.kind === 'found') {
      report.metadata = { source: meta.source };
      report.classifier = classifierOf(meta.metadata.classifiers, metadataVersion);
    } else {
      report.metadata = { problem: meta.reason };
    }
  }
  return report;
}
