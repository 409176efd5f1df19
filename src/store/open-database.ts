import { join, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { makeDirectory } from '../index-client/make-directory.js';
import { migrationProvider } from './migrations.js';
import type { Database, Engine } from './schema.js';

export type { Engine };

// Opens the tracker's database: an SQLite file under the data directory by
// default, PostgreSQL when a postgres:// URL is given. The drivers are
// imported here, on demand, so commands that never touch a database do not
// pay for loading them.


export interface DatabaseOptions {
  /** A postgres:// or postgresql:// URL; absent means SQLite. */
  url?: string;
  /** Where the SQLite file lives. */
  dataDir: string;
  /** Connections in the PostgreSQL pool. */
  poolSize?: number;
}

export interface OpenDatabase {
  db: Kysely<Database>;
  engine: Engine;
  /** For messages: the SQLite path, or the PostgreSQL URL without its password. */
  location: string;
  /** The SQLite connection Kysely uses, for the prepared-statement write path (sqlite-project-writer.ts). */
  sqlite: BetterSqlite3.Database | null;
}

export class DatabaseError extends Error {
  override name = 'DatabaseError';
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

async function sqliteDialect(dataDir: string): Promise<{ dialect: SqliteDialect; location: string; database: BetterSqlite3.Database }> {
  const { default: SQLite } = await import('better-sqlite3');
  const dir = resolve(dataDir);
  const file = join(dir, 'ftready.sqlite');
  let database: InstanceType<typeof SQLite>;
  try {
    makeDirectory(dir);
    database = new SQLite(file);
    // WAL lets `serve` read while `sync` writes; NORMAL is durable in WAL
    // mode except for the last transactions on power loss, never corrupting.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('busy_timeout = 10000');
  } catch (err) {
    throw new DatabaseError(`${file}: ${(err as Error).message}`);
  }
  return { dialect: new SqliteDialect({ database }), location: file, database };
}

async function postgresDialect(url: string, poolSize: number): Promise<PostgresDialect> {
  const pg = (await import('pg')).default;
  // bigint columns and count(*) hold values far below 2^53: read them as numbers, as SQLite does.
  const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format as 'text')) };
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: types as never });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on next use.
  });
  return new PostgresDialect({ pool });
}

/** Opens the database and brings its schema up to date. */
export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
  let db: Kysely<Database>;
  let engine: Engine;
  let location: string;
  let sqlite: BetterSqlite3.Database | null = null;
  if (options.url !== undefined) {
    if (!isPostgresUrl(options.url)) throw new DatabaseError(`--database: "${options.url}" is not a postgres:// URL`);
    engine = 'postgres';
    location = describePostgresUrl(options.url);
    db = new Kysely<Database>({ dialect: await postgresDialect(options.url, options.poolSize ?? 10) });
  } else {
    engine = 'sqlite';
    const opened = await sqliteDialect(options.dataDir);
    location = opened.location;
    sqlite = opened.database;
    db = new Kysely<Database>({ dialect: opened.dialect });
  }
  try {
    const { error, results } = await new Migrator({ db, provider: migrationProvider(engine) }).migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      throw new DatabaseError(`${location}: migration ${failed ?? ''} failed: ${(error as Error).message}`);
    }
  } catch (err) {
    await db.destroy();
    if (err instanceof DatabaseError) throw err;
    throw new DatabaseError(`${location}: ${(err as Error).message}`);
  }
  return { db, engine, location, sqlite };
}
