import type { HistoryFile, ReleaseHistory } from '../status/release-history.js';
import type { Readiness } from '../status/vocabulary.js';
import type { ProjectLink } from './read-models.js';
import { ALL_PLATFORMS } from './read-models.js';
import type { Database, EventsTable, FilesTable, ReleasesTable, StatusesTable, TargetsTable, NightlyTable } from './schema.js';

// Everything the tracker knows about one project after a sync, and how it
// becomes rows. The rows of a project are always replaced together, in one
// transaction, so a reader never sees half of a project.

export interface StoredFile extends HistoryFile {
  size: number | null;
}

export interface NightlyRecord {
  indexUrl: string;
  version: string | null;
  readiness: Record<string, Readiness>;
  problem: string | null;
}

export interface ProjectRecord {
  name: string;
  displayName: string;
  indexUrl: string;
  etag: string | null;
  lastModified: string | null;
  lastSerial: number | null;
  summary: string | null;
  homePage: string | null;
  projectUrls: ProjectLink[];
  classifiers: string[];
  classifier: { level: number; label: string } | null;
  latestVersion: string | null;
  metadataSource: string | null;
  /** Why the status is unknown (the page or metadata could not be read). */
  problem: string | null;
  /** Files grouped by release, as the status engine saw them. */
  files: ReadonlyMap<string, readonly StoredFile[]>;
  history: ReleaseHistory;
  nightly: NightlyRecord[];
  syncedAt: string;
}

export interface ProjectRows {
  project: Database['projects'];
  releases: ReleasesTable[];
  files: FilesTable[];
  statuses: StatusesTable[];
  targets: TargetsTable[];
  events: EventsTable[];
  nightly: NightlyTable[];
}

function uploadTimes(record: ProjectRecord): Map<string, string | null> {
  return new Map(record.history.releases.map((r) => [r.version, r.uploadTime]));
}

function targetRows(record: ProjectRecord): TargetsTable[] {
  const latest = record.history.releases.find((r) => r.version === record.latestVersion);
  const at = uploadTimes(record);
  const rows: TargetsTable[] = [];
  for (const [target, history] of Object.entries(record.history.targets)) {
    const row = (platform: string, readiness: Readiness | undefined, firstReady: string | null): TargetsTable => ({
      project: record.name,
      target,
      platform,
      readiness: readiness ?? 'unknown',
      first_ready: firstReady,
      first_ready_at: firstReady === null ? null : (at.get(firstReady) ?? null),
    });
    rows.push(row(ALL_PLATFORMS, latest?.readiness[target], history.firstReady));
    for (const [platform, p] of Object.entries(history.platforms)) rows.push(row(platform, latest?.results[target]?.[platform]?.readiness, p.firstReady));
  }
  return rows;
}

function eventRows(record: ProjectRecord): EventsTable[] {
  const at = uploadTimes(record);
  const rows: EventsTable[] = [];
  for (const [target, history] of Object.entries(record.history.targets)) {
    const add = (platform: string, events: typeof history.events) =>
      events.forEach((e, seq) => rows.push({ project: record.name, target, platform, seq, kind: e.kind, version: e.version, previous: e.previous, at: at.get(e.version) ?? null }));
    add(ALL_PLATFORMS, history.events);
    for (const [platform, p] of Object.entries(history.platforms)) add(platform, p.events);
  }
  return rows;
}

export function projectRows(record: ProjectRecord): ProjectRows {
  const name = record.name;
  const releases: ReleasesTable[] = [];
  const statuses: StatusesTable[] = [];
  record.history.releases.forEach((r, position) => {
    releases.push({
      project: name,
      version: r.version,
      position,
      yanked: r.yanked === false ? null : r.yanked,
      prerelease: r.prerelease ? 1 : 0,
      upload_time: r.uploadTime,
      readiness: JSON.stringify(r.readiness),
    });
    for (const [target, perPlatform] of Object.entries(r.results)) {
      for (const [platform, result] of Object.entries(perPlatform)) {
        statuses.push({ project: name, version: r.version, target, platform, status: result.status, readiness: result.readiness, reason: result.reason, files: JSON.stringify(result.files) });
      }
    }
  });
  const files: FilesTable[] = [];
  const seen = new Set<string>();
  for (const [version, group] of record.files) {
    for (const f of group) {
      // An index may list one file twice (on two indexes); the status engine judged both, the store keeps one.
      if (seen.has(f.filename)) continue;
      seen.add(f.filename);
      files.push({ project: name, version, filename: f.filename, size: f.size, upload_time: f.uploadTime, yanked: f.yanked === false ? null : f.yanked, requires_python: f.requiresPython ?? null, sha256: f.hashes.sha256 ?? null });
    }
  }
  return {
    project: {
      name,
      display_name: record.displayName,
      index_url: record.indexUrl,
      summary: record.summary,
      home_page: record.homePage,
      project_urls: JSON.stringify(record.projectUrls),
      classifiers: JSON.stringify(record.classifiers),
      classifier_level: record.classifier?.level ?? null,
      classifier_label: record.classifier?.label ?? null,
      latest_version: record.latestVersion,
      last_serial: record.lastSerial,
      etag: record.etag,
      last_modified: record.lastModified,
      metadata_source: record.metadataSource,
      problem: record.problem,
      has_nightly: record.nightly.some((n) => n.version !== null) ? 1 : 0,
      synced_at: record.syncedAt,
    },
    releases,
    files,
    statuses,
    targets: targetRows(record),
    events: eventRows(record),
    nightly: record.nightly.map((n) => ({ project: name, index_url: n.indexUrl, version: n.version, readiness: JSON.stringify(n.readiness), problem: n.problem })),
  };
}
