import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Readiness } from '../status/vocabulary.js';
import type { ProjectRows } from './project-record.js';
import { ALL_PLATFORMS } from './read-models.js';
import { PROJECT_TABLES, type Database } from './schema.js';

// The hot write of a sync on SQLite. A project is a few hundred rows; built
// and prepared statement by statement through Kysely, preparing costs more
// than SQLite's work. So the statements are still built by Kysely (one
// query layer), compiled once per shape, prepared once, and run
// synchronously inside one better-sqlite3 transaction.

export type ProjectWriter = (rows: ProjectRows) => Promise<Record<string, Readiness> | null>;

export function sqliteProjectWriter(db: Kysely<Database>, sqlite: BetterSqlite3.Database): ProjectWriter {
  const statements = new Map<string, { statement: BetterSqlite3.Statement; keys: string[] }>();

  /** The prepared statement for a query shape; `keys` orders a row's values as the compiled parameters expect. */
  const prepared = (shape: string, build: () => { sql: string; parameters: readonly unknown[] }, keys: string[] = []) => {
    let entry = statements.get(shape);
    if (!entry) {
      const compiled = build();
      entry = { statement: sqlite.prepare(compiled.sql), keys };
      statements.set(shape, entry);
    }
    return entry;
  };

  const insertRows = (table: (typeof PROJECT_TABLES)[number] | 'projects', rows: readonly object[]) => {
    if (rows.length === 0) return;
    const keys = Object.keys(rows[0]!);
    const { statement } = prepared(`insert ${table} ${keys.join(',')}`, () => db.insertInto(table).values(rows[0] as never).compile(), keys);
    for (const row of rows) statement.run(...keys.map((k) => (row as Record<string, unknown>)[k]));
  };

  const writeOne = (rows: ProjectRows) => {
    const name = rows.project.name;
    const { statement: readBefore } = prepared('before', () =>
      db.selectFrom('targets').select(['target', 'readiness']).where('project', '=', name).where('platform', '=', ALL_PLATFORMS).compile(),
    );
    const before = readBefore.all(name, ALL_PLATFORMS) as Array<{ target: string; readiness: Readiness }>;
    const { statement: deleteProject } = prepared('delete projects', () => db.deleteFrom('projects').where('name', '=', name).compile());
    deleteProject.run(name);
    insertRows('projects', [rows.project]);
    for (const table of PROJECT_TABLES) {
      const { statement } = prepared(`delete ${table}`, () => db.deleteFrom(table).where('project', '=', name).compile());
      statement.run(name);
      insertRows(table, rows[table]);
    }
    return before.length === 0 ? null : Object.fromEntries(before.map((b) => [b.target, b.readiness]));
  };

  // Writes that arrive together (a sync runs many projects at once) share one
  // transaction: a commit costs more than a project's rows. Each project is
  // still all or nothing, since the batch commits or rolls back as a whole.
  let pending: Array<{ rows: ProjectRows; resolve(v: Record<string, Readiness> | null): void; reject(e: unknown): void }> = [];
  const writeBatch = sqlite.transaction((batch: typeof pending) => batch.map((p) => writeOne(p.rows)));
  const settle = (batch: typeof pending) => {
    try {
      const results = writeBatch(batch);
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (err) {
      // One project's failure must not fail the others: write them one by one.
      if (batch.length === 1) batch[0]!.reject(err);
      else for (const p of batch) settle([p]);
    }
  };
  const flush = () => {
    const batch = pending;
    pending = [];
    settle(batch);
  };
  return (rows) =>
    new Promise((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ rows, resolve, reject });
    });
}
