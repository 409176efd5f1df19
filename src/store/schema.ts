// The tracker's tables, as Kysely sees them. One schema for SQLite and
// PostgreSQL: booleans are 0/1 integers, times are ISO 8601 text (which sorts
// correctly as text), and lists are JSON text, so every query reads the same
// on both engines. Migrations that create these tables are in migrations.ts.

export type Engine = 'sqlite' | 'postgres';

export interface ProjectsTable {
  /** PEP 503 normalised name. */
  name: string;
  display_name: string;
  index_url: string;
  summary: string | null;
  home_page: string | null;
  /** JSON: [{label, url}] */
  project_urls: string;
  /** JSON: string[] */
  classifiers: string;
  classifier_level: number | null;
  classifier_label: string | null;
  latest_version: string | null;
  last_serial: number | null;
  etag: string | null;
  last_modified: string | null;
  metadata_source: string | null;
  problem: string | null;
  has_nightly: number;
  synced_at: string;
}

export interface ReleasesTable {
  project: string;
  version: string;
  /** Newest first: 0 is the newest release. */
  position: number;
  yanked: string | null;
  prerelease: number;
  upload_time: string | null;
  /** JSON: {target: readiness} over all platforms. */
  readiness: string;
}

export interface FilesTable {
  project: string;
  version: string;
  filename: string;
  size: number | null;
  upload_time: string | null;
  yanked: string | null;
  requires_python: string | null;
  sha256: string | null;
}

export interface StatusesTable {
  project: string;
  version: string;
  target: string;
  platform: string;
  status: string;
  readiness: string;
  reason: string;
  /** JSON: the deciding file names. */
  files: string;
}

/** Readiness of a project's latest release per target, per platform and over all platforms ('*'). */
export interface TargetsTable {
  project: string;
  target: string;
  platform: string;
  readiness: string;
  first_ready: string | null;
  first_ready_at: string | null;
}

export interface EventsTable {
  project: string;
  target: string;
  platform: string;
  seq: number;
  kind: string;
  version: string;
  previous: string | null;
  at: string | null;
}

export interface NightlyTable {
  project: string;
  index_url: string;
  version: string | null;
  /** JSON: {target: readiness} */
  readiness: string;
  problem: string | null;
}

export interface SnapshotsTable {
  /** YYYY-MM-DD (UTC). */
  day: string;
  target: string;
  readiness: string;
  count: number;
  total: number;
}

/** The latest top-packages list: replaced as a whole, so it may name projects not synced yet. */
export interface RanksTable {
  project: string;
  rank: number;
  download_count: number | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface Database {
  projects: ProjectsTable;
  releases: ReleasesTable;
  files: FilesTable;
  statuses: StatusesTable;
  targets: TargetsTable;
  events: EventsTable;
  nightly: NightlyTable;
  snapshots: SnapshotsTable;
  ranks: RanksTable;
  settings: SettingsTable;
}

/** Tables that hold one project's rows, cleared and rewritten together when it changes. */
export const PROJECT_TABLES = ['releases', 'files', 'statuses', 'targets', 'events', 'nightly'] as const;
