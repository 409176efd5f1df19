import { sql, type Kysely, type Transaction } from 'kysely';
import type { Readiness } from '../status/vocabulary.js';
import { openDatabase, type DatabaseOptions, type Engine } from './open-database.js';
import { projectRows, type ProjectRecord } from './project-record.js';
import { sqliteProjectWriter, type ProjectWriter } from './sqlite-project-writer.js';
import { ALL_PLATFORMS, type TrackerSettings } from './read-models.js';
import { PROJECT_TABLES, type Database } from './schema.js';

// The tracker's store: what `sync` and `worker` write. Reads for the website
// and the API are in read-queries.ts. Every write is one transaction, so a
// process killed at any moment leaves each project either as it was or as
// it is now, never half of each.

export interface Validators {
  etag: string | null;
  lastModified: string | null;
  lastSerial: number | null;
}

export interface RankRow {
  project: string;
  rank: number;
  downloadCount: number | null;
}

// Well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement.
const ROWS_PER_INSERT = 400;
const NAMES_PER_QUERY = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class TrackerStore {
  private constructor(
    readonly db: Kysely<Database>,
    readonly engine: Engine,
    readonly location: string,
    private readonly sqliteWriter: ProjectWriter | null,
  ) {}

  static async open(options: DatabaseOptions): Promise<TrackerStore> {
    const { db, engine, location, sqlite } = await openDatabase(options);
    return new TrackerStore(db, engine, location, sqlite ? sqliteProjectWriter(db, sqlite) : null);
  }

  close(): Promise<void> {
    return this.db.destroy();
  }

  async settings(): Promise<TrackerSettings | null> {
    const value = await this.setting('tracker');
    return value === null ? null : (JSON.parse(value) as TrackerSettings);
  }

  async saveSettings(settings: TrackerSettings): Promise<void> {
    await this.putSetting('tracker', JSON.stringify(settings));
  }

  async setting(key: string): Promise<string | null> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value ?? null;
  }

  async putSetting(key: string, value: string, db: Kysely<Database> = this.db): Promise<void> {
    await db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
  }

  /** What the last sync of each project saw, for conditional requests and serial comparison. */
  async validators(names: readonly string[]): Promise<Map<string, Validators>> {
    const out = new Map<string, Validators>();
    for (const part of chunks(names, NAMES_PER_QUERY)) {
      const rows = await this.db.selectFrom('projects').select(['name', 'etag', 'last_modified', 'last_serial']).where('name', 'in', part).execute();
      for (const r of rows) out.set(r.name, { etag: r.etag, lastModified: r.last_modified, lastSerial: r.last_serial });
    }
    return out;
  }

  /** Replaces one project's rows; returns its readiness per target before the write (null when it is new). */
  async writeProject(record: ProjectRecord): Promise<Record<string, Readiness> | null> {
    const rows = projectRows(record);
    if (this.sqliteWriter) return this.sqliteWriter(rows);
    return this.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('targets').select(['target', 'readiness']).where('project', '=', record.name).where('platform', '=', ALL_PLATFORMS).execute();
      const { name: _name, ...update } = rows.project;
      await trx.insertInto('projects').values(rows.project).onConflict((oc) => oc.column('name').doUpdateSet(update)).execute();
      for (const table of PROJECT_TABLES) await trx.deleteFrom(table).where('project', '=', record.name).execute();
      for (const table of PROJECT_TABLES) await insertAll(trx, table, rows[table]);
      return before.length === 0 ? null : Object.fromEntries(before.map((b) => [b.target, b.readiness as Readiness]));
    });
  }

  /** Replaces the top-packages list. */
  async setRanks(ranks: readonly RankRow[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('ranks').execute();
      await insertAll(trx, 'ranks', ranks.map((r) => ({ project: r.project, rank: r.rank, download_count: r.downloadCount })));
      await this.putSetting('ranks-updated', new Date().toISOString(), trx);
    });
  }

  /**
   * Today's counts per readiness per target over the top N (or over every
   * project when no top list was given), replacing any taken earlier today.
   */
  async writeSnapshot(topN: number, day = new Date().toISOString().slice(0, 10)): Promise<void> {
    const ranked = await this.db.selectFrom('ranks').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    await this.db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('targets')
        .where('targets.platform', '=', ALL_PLATFORMS)
        .select(['targets.target', 'targets.readiness', sql<number>`count(*)`.as('count')])
        .groupBy(['targets.target', 'targets.readiness']);
      if (Number(ranked.n) > 0) query = query.innerJoin('ranks', 'ranks.project', 'targets.project').where('ranks.rank', '<=', topN);
      const counts = await query.execute();
      const totals = new Map<string, number>();
      for (const c of counts) totals.set(c.target, (totals.get(c.target) ?? 0) + Number(c.count));
      await trx.deleteFrom('snapshots').where('day', '=', day).execute();
      await insertAll(trx, 'snapshots', counts.map((c) => ({ day, target: c.target, readiness: c.readiness, count: Number(c.count), total: totals.get(c.target)! })));
      await this.putSetting('snapshot-updated', new Date().toISOString(), trx);
    });
  }

  /**
   * Changes whenever anything a reader shows changes: the newest project
   * write, the rank list or a snapshot. Readers cache by it.
   */
  async generation(): Promise<string> {
    const synced = await this.db.selectFrom('projects').select(sql<string | null>`max(synced_at)`.as('at')).executeTakeFirstOrThrow();
    const marks = await this.db.selectFrom('settings').select(['key', 'value']).where('key', 'in', ['ranks-updated', 'snapshot-updated', 'tracker']).orderBy('key').execute();
    return [synced.at ?? '', ...marks.map((m) => m.value)].join('|');
  }

}

async function insertAll<T extends keyof Database>(trx: Transaction<Database> | Kysely<Database>, table: T, rows: readonly Database[T][]): Promise<void> {
  for (const part of chunks(rows, ROWS_PER_INSERT)) await trx.insertInto(table).values(part as never).execute();
}
