import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Readiness, Status } from '../status/vocabulary.js';
import { READINESS } from '../status/vocabulary.js';
import {
  ALL_PLATFORMS,
  type BadgeData,
  type MatrixCell,
  type PackageDetail,
  type PackageFilter,
  type PackagePage,
  type PackageRow,
  type ProjectLink,
  type ReadyEvent,
  type SnapshotPoint,
  type Summary,
  type TargetCell,
  type TimelineEvent,
  type TrackerSettings,
  type WheelSegment,
} from './read-models.js';
import type { Database } from './schema.js';

// Reads for the website, the JSON API and badges. Written once with Kysely,
// they run unchanged on SQLite and PostgreSQL; results are plain read models
// (read-models.ts) with no engine detail left in them.

export const MAX_PAGE_SIZE = 200;
const RECENT_EVENTS = 30;

type Db = Kysely<Database>;

function emptyCounts(): Record<Readiness, number> {
  return Object.fromEntries(READINESS.map((r) => [r.id, 0])) as Record<Readiness, number>;
}

/** Whether any top-packages list was loaded: shares then cover the top N, else every project. */
async function hasRanks(db: Db): Promise<boolean> {
  const row = await db.selectFrom('ranks').select('project').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Projects in the overview: the synced top N by rank, or all synced projects. */
function topProjects(db: Db, ranked: boolean, topN: number) {
  let q = db.selectFrom('projects').leftJoin('ranks', 'ranks.project', 'projects.name').select('projects.name');
  if (ranked) q = q.where('ranks.rank', '<=', topN);
  return q;
}

export async function recentEvents(db: Db, limit = RECENT_EVENTS, kinds: ReadyEvent['kind'][] = ['first-ready', 'restored']): Promise<ReadyEvent[]> {
  const rows = await db
    .selectFrom('events')
    .innerJoin('projects', 'projects.name', 'events.project')
    .leftJoin('ranks', 'ranks.project', 'events.project')
    .select(['events.project', 'projects.display_name', 'events.target', 'events.kind', 'events.version', 'events.at', 'ranks.rank'])
    .where('events.platform', '=', ALL_PLATFORMS)
    .where('events.kind', 'in', kinds)
    .where('events.at', 'is not', null)
    .orderBy('events.at', 'desc')
    .orderBy('events.project')
    .orderBy('events.target')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ project: r.project, displayName: r.display_name, target: r.target, kind: r.kind as ReadyEvent['kind'], version: r.version, at: r.at, downloadRank: r.rank ?? null }));
}

export async function summary(db: Db, settings: TrackerSettings): Promise<Summary> {
  const ranked = await hasRanks(db);
  const counts = await db
    .selectFrom('targets')
    .where('targets.platform', '=', ALL_PLATFORMS)
    .where('targets.project', 'in', topProjects(db, ranked, settings.topN))
    .select(['targets.target', 'targets.readiness', sql<number>`count(*)`.as('n')])
    .groupBy(['targets.target', 'targets.readiness'])
    .execute();
  const shares = settings.targets.map((target) => {
    const c = emptyCounts();
    for (const row of counts) if (row.target === target) c[row.readiness as Readiness] = Number(row.n);
    const total = Object.values(c).reduce((a, b) => a + b, 0);
    return { target, total, counts: c, readyShare: total === 0 ? 0 : c.ready / total };
  });
  const snapRows = await db.selectFrom('snapshots').selectAll().orderBy('day').orderBy('target').execute();
  const points = new Map<string, SnapshotPoint>();
  for (const s of snapRows) {
    const key = `${s.day} ${s.target}`;
    const point = points.get(key) ?? { day: s.day, target: s.target, total: Number(s.total), counts: {} };
    point.counts[s.readiness as Readiness] = Number(s.count);
    points.set(key, point);
  }
  const meta = await db.selectFrom('projects').select([sql<number>`count(*)`.as('n'), sql<string | null>`max(synced_at)`.as('at')]).executeTakeFirstOrThrow();
  return {
    settings,
    updatedAt: meta.at ?? null,
    projectCount: Number(meta.n),
    shares,
    snapshots: [...points.values()],
    recentlyReady: await recentEvents(db, 10),
  };
}

export async function wheelSegments(db: Db, target: string, topN: number): Promise<WheelSegment[]> {
  const ranked = await hasRanks(db);
  let q = db
    .selectFrom('projects')
    .leftJoin('ranks', 'ranks.project', 'projects.name')
    .leftJoin('targets', (j) => j.onRef('targets.project', '=', 'projects.name').on('targets.target', '=', target).on('targets.platform', '=', ALL_PLATFORMS))
    .select(['projects.name', 'projects.display_name', 'ranks.rank', 'targets.readiness']);
  q = ranked ? q.where('ranks.rank', '<=', topN).orderBy('ranks.rank') : q.orderBy('projects.name').limit(topN);
  const rows = await q.execute();
  return rows.map((r) => ({ project: r.name, displayName: r.display_name, downloadRank: r.rank ?? null, readiness: (r.readiness ?? 'unknown') as Readiness }));
}

function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listPackages(db: Db, filter: PackageFilter, settings: TrackerSettings): Promise<PackagePage> {
  const target = filter.target ?? settings.targets[0] ?? '';
  const platform = filter.platform ?? ALL_PLATFORMS;
  const pageSize = Math.min(Math.max(1, filter.pageSize ?? 50), MAX_PAGE_SIZE);
  const page = Math.max(1, filter.page ?? 1);

  const filtered = <O>(q: SelectQueryBuilder<Database & { t: Database['targets'] }, 'projects' | 'ranks' | 't', O>) => {
    let out = q;
    if (filter.query) {
      const pattern = likePattern(filter.query);
      out = out.where((eb) => eb.or([eb(sql`lower(projects.name)`, 'like', sql`${pattern} escape '\\'`), eb(sql`lower(coalesce(projects.summary, ''))`, 'like', sql`${pattern} escape '\\'`)]));
    }
    if (filter.readiness) out = out.where('t.readiness', '=', filter.readiness);
    if (filter.nightly !== undefined) out = out.where('projects.has_nightly', '=', filter.nightly ? 1 : 0);
    if (filter.classifierLevel !== undefined) {
      out = filter.classifierLevel === 0 ? out.where('projects.classifier_level', 'is', null) : out.where('projects.classifier_level', '=', filter.classifierLevel);
    }
    return out;
  };
  const base = db
    .selectFrom('projects')
    .leftJoin('ranks', 'ranks.project', 'projects.name')
    .leftJoin('targets as t', (j) => j.onRef('t.project', '=', 'projects.name').on('t.target', '=', target).on('t.platform', '=', platform));

  const { n } = await filtered(base.select(sql<number>`count(*)`.as('n'))).executeTakeFirstOrThrow();
  let rowsQuery = filtered(
    base.select([
      'projects.name',
      'projects.display_name',
      'projects.summary',
      'projects.latest_version',
      'projects.classifier_level',
      'projects.has_nightly',
      'ranks.rank',
      'ranks.download_count',
    ]),
  );
  const sort = filter.sort ?? 'rank';
  if (sort === 'rank') rowsQuery = rowsQuery.orderBy(sql`case when ranks.rank is null then 1 else 0 end`).orderBy('ranks.rank').orderBy('projects.name');
  else if (sort === 'ready-date') rowsQuery = rowsQuery.orderBy(sql`case when t.first_ready_at is null then 1 else 0 end`).orderBy('t.first_ready_at', 'desc').orderBy('projects.name');
  else rowsQuery = rowsQuery.orderBy('projects.name');
  const rows = await rowsQuery.limit(pageSize).offset((page - 1) * pageSize).execute();

  const cells = rows.length === 0 ? [] : await db.selectFrom('targets').selectAll().where('platform', '=', platform).where('project', 'in', rows.map((r) => r.name)).orderBy('project').orderBy('target').execute();
  const byProject = new Map<string, Record<string, TargetCell>>();
  for (const c of cells) {
    const m = byProject.get(c.project) ?? {};
    m[c.target] = { readiness: c.readiness as Readiness, firstReady: c.first_ready, firstReadyAt: c.first_ready_at };
    byProject.set(c.project, m);
  }
  return {
    total: Number(n),
    page,
    pageSize,
    rows: rows.map(
      (r): PackageRow => ({
        project: r.name,
        displayName: r.display_name,
        summary: r.summary,
        downloadRank: r.rank ?? null,
        downloadCount: r.download_count ?? null,
        latestVersion: r.latest_version,
        classifierLevel: r.classifier_level,
        hasNightly: r.has_nightly === 1,
        targets: byProject.get(r.name) ?? {},
      }),
    ),
  };
}

function linksOf(name: string, indexUrl: string, homePage: string | null, projectUrls: ProjectLink[]): ProjectLink[] {
  const links: ProjectLink[] = [{ label: 'Index', url: `${indexUrl.replace(/\/?$/, '/')}${name}/` }];
  if (homePage) links.push({ label: 'Homepage', url: homePage });
  for (const l of projectUrls) if (!links.some((x) => x.url === l.url)) links.push(l);
  return links;
}

export async function packageDetail(db: Db, name: string): Promise<PackageDetail | null> {
  const p = await db.selectFrom('projects').leftJoin('ranks', 'ranks.project', 'projects.name').selectAll('projects').select(['ranks.rank', 'ranks.download_count']).where('projects.name', '=', name).executeTakeFirst();
  if (!p) return null;
  const [statusRows, targetRows, eventRows, nightlyRows, releaseRows, fileCounts] = await Promise.all([
    p.latest_version === null ? Promise.resolve([]) : db.selectFrom('statuses').selectAll().where('project', '=', name).where('version', '=', p.latest_version).orderBy('target').orderBy('platform').execute(),
    db.selectFrom('targets').selectAll().where('project', '=', name).orderBy('target').orderBy('platform').execute(),
    db.selectFrom('events').selectAll().where('project', '=', name).orderBy('target').orderBy('platform').orderBy('seq').execute(),
    db.selectFrom('nightly').selectAll().where('project', '=', name).orderBy('index_url').execute(),
    db.selectFrom('releases').selectAll().where('project', '=', name).orderBy('position').execute(),
    db.selectFrom('files').select(['version', sql<number>`count(*)`.as('n')]).where('project', '=', name).groupBy('version').orderBy('version').execute(),
  ]);
  const matrix: Record<string, Record<string, MatrixCell>> = {};
  for (const s of statusRows) {
    (matrix[s.target] ??= {})[s.platform] = { status: s.status as Status, readiness: s.readiness as Readiness, reason: s.reason, files: JSON.parse(s.files) as string[] };
  }
  const targets: Record<string, TargetCell> = {};
  for (const t of targetRows) if (t.platform === ALL_PLATFORMS) targets[t.target] = { readiness: t.readiness as Readiness, firstReady: t.first_ready, firstReadyAt: t.first_ready_at };
  const counts = new Map(fileCounts.map((f) => [f.version, Number(f.n)]));
  return {
    project: p.name,
    displayName: p.display_name,
    summary: p.summary,
    downloadRank: p.rank ?? null,
    downloadCount: p.download_count ?? null,
    latestVersion: p.latest_version,
    classifier: p.classifier_level === null ? null : { level: p.classifier_level, label: p.classifier_label ?? '' },
    classifiers: JSON.parse(p.classifiers) as string[],
    links: linksOf(p.name, p.index_url, p.home_page, JSON.parse(p.project_urls) as ProjectLink[]),
    problem: p.problem,
    syncedAt: p.synced_at,
    matrix,
    targets,
    timeline: eventRows.map((e): TimelineEvent => ({ target: e.target, platform: e.platform, kind: e.kind as TimelineEvent['kind'], version: e.version, previous: e.previous, at: e.at })),
    nightly: nightlyRows.map((n) => ({ indexUrl: n.index_url, version: n.version, readiness: JSON.parse(n.readiness) as Record<string, Readiness>, problem: n.problem })),
    releases: releaseRows.map((r) => ({
      version: r.version,
      yanked: r.yanked,
      prerelease: r.prerelease === 1,
      uploadTime: r.upload_time,
      readiness: JSON.parse(r.readiness) as Record<string, Readiness>,
      fileCount: counts.get(r.version) ?? 0,
    })),
  };
}

export async function badge(db: Db, name: string, target: string): Promise<BadgeData> {
  const row = await db
    .selectFrom('projects')
    .leftJoin('targets', (j) => j.onRef('targets.project', '=', 'projects.name').on('targets.target', '=', target).on('targets.platform', '=', ALL_PLATFORMS))
    .select(['projects.latest_version', 'targets.readiness'])
    .where('projects.name', '=', name)
    .executeTakeFirst();
  return { project: name, target, readiness: row ? ((row.readiness ?? 'unknown') as Readiness) : null, latestVersion: row?.latest_version ?? null };
}
