import type { Readiness, Status } from '../status/vocabulary.js';

// What the store answers to readers (the web pages, the JSON API, badges).
// Every string that came from an index is untrusted: renderers escape it.

/** The roll-up over all tracked platforms is stored under this platform id. */
export const ALL_PLATFORMS = '*';

export interface TrackerSettings {
  /** Interpreter ids tracked, e.g. ['3.13t', '3.14t', '3.15t']. */
  targets: string[];
  /** Platform family ids tracked, e.g. ['linux-x86_64', ...]. */
  platforms: string[];
  /** How many top packages the overview and the snapshots cover. */
  topN: number;
  /** The index the projects were synced from, without credentials. */
  indexUrl: string;
}

export interface TargetShare {
  target: string;
  /** Packages counted: the top N by download rank, or every package when none is ranked. */
  total: number;
  counts: Record<Readiness, number>;
  /** counts.ready / total, 0 when total is 0. */
  readyShare: number;
}

export interface SnapshotPoint {
  /** YYYY-MM-DD */
  day: string;
  target: string;
  total: number;
  counts: Partial<Record<Readiness, number>>;
}

export interface ReadyEvent {
  project: string;
  displayName: string;
  target: string;
  kind: 'first-ready' | 'restored' | 'dropped';
  version: string;
  /** Upload time of that version (ISO 8601), when the index gave one. */
  at: string | null;
  downloadRank: number | null;
}

export interface Summary {
  settings: TrackerSettings;
  /** ISO 8601 time of the newest project write, null for an empty store. */
  updatedAt: string | null;
  projectCount: number;
  shares: TargetShare[];
  snapshots: SnapshotPoint[];
  /** Newest first. */
  recentlyReady: ReadyEvent[];
}

/** One segment of the overview's wheel chart: a top package and its readiness on one target. */
export interface WheelSegment {
  project: string;
  displayName: string;
  downloadRank: number | null;
  readiness: Readiness;
}

export interface TargetCell {
  /** Readiness of the latest release over the selected platform (or all platforms). */
  readiness: Readiness;
  firstReady: string | null;
  firstReadyAt: string | null;
}

export interface PackageRow {
  project: string;
  displayName: string;
  summary: string | null;
  downloadRank: number | null;
  downloadCount: number | null;
  latestVersion: string | null;
  /** Free Threading trove classifier level of the latest release: 1 Unstable … 4 Resilient. */
  classifierLevel: number | null;
  hasNightly: boolean;
  targets: Record<string, TargetCell>;
}

export type PackageSort = 'rank' | 'name' | 'ready-date';

export interface PackageFilter {
  /** Substring of the name or the summary, case-insensitive. */
  query?: string;
  readiness?: Readiness;
  /** The target the readiness and ready-date filters and sort use; default the first tracked target. */
  target?: string;
  /** A platform id: readiness on that platform alone; default all platforms rolled up. */
  platform?: string;
  nightly?: boolean;
  /** Exact classifier level, or 0 for "no classifier". */
  classifierLevel?: number;
  sort?: PackageSort;
  /** 1-based. */
  page?: number;
  pageSize?: number;
}

export interface PackagePage {
  total: number;
  page: number;
  pageSize: number;
  rows: PackageRow[];
}

export interface MatrixCell {
  status: Status;
  readiness: Readiness;
  reason: string;
  files: string[];
}

export interface TimelineEvent {
  target: string;
  /** ALL_PLATFORMS or a platform id. */
  platform: string;
  kind: 'first-ready' | 'restored' | 'dropped';
  version: string;
  previous: string | null;
  at: string | null;
}

export interface ReleaseRow {
  version: string;
  yanked: string | null;
  prerelease: boolean;
  uploadTime: string | null;
  readiness: Record<string, Readiness>;
  fileCount: number;
}

export interface NightlyRow {
  indexUrl: string;
  version: string | null;
  readiness: Record<string, Readiness>;
  problem: string | null;
}

export interface ProjectLink {
  label: string;
  url: string;
}

export interface PackageDetail {
  project: string;
  displayName: string;
  summary: string | null;
  downloadRank: number | null;
  downloadCount: number | null;
  latestVersion: string | null;
  classifier: { level: number; label: string } | null;
  classifiers: string[];
  /** The project page on the index, then Homepage and the metadata's Project-URLs. */
  links: ProjectLink[];
  /** Why the project's status is unknown, when it is. */
  problem: string | null;
  syncedAt: string;
  /** For the latest release: matrix[target][platform]. */
  matrix: Record<string, Record<string, MatrixCell>>;
  targets: Record<string, TargetCell>;
  timeline: TimelineEvent[];
  nightly: NightlyRow[];
  /** Newest first. */
  releases: ReleaseRow[];
}

/** What a badge shows for one package and target. */
export interface BadgeData {
  project: string;
  target: string;
  readiness: Readiness | null;
  latestVersion: string | null;
}
