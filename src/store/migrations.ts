import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Engine } from './schema.js';

// Versioned schema migrations, run automatically when a store opens. Kysely's
// Migrator records what ran and takes a lock (an advisory lock on
// PostgreSQL), so many workers may open the same database at once and each
// migration runs exactly once. Never edit a migration that has shipped: add one.

// Text compares byte by byte on both engines (PostgreSQL's default collation
// may ignore punctuation), so lists sort the same on SQLite and PostgreSQL.
const textType = (engine: Engine) => (engine === 'postgres' ? sql`text collate "C"` : 'text');

const initial = (engine: Engine): Migration => ({
  async up(db: Kysely<unknown>) {
    const text = textType(engine);
    await db.schema
      .createTable('projects')
      .addColumn('name', text, (c) => c.primaryKey())
      .addColumn('display_name', text, (c) => c.notNull())
      .addColumn('index_url', text, (c) => c.notNull())
      .addColumn('summary', text)
      .addColumn('home_page', text)
      .addColumn('project_urls', text, (c) => c.notNull())
      .addColumn('classifiers', text, (c) => c.notNull())
      .addColumn('classifier_level', 'integer')
      .addColumn('classifier_label', text)
      .addColumn('latest_version', text)
      .addColumn('last_serial', 'bigint')
      .addColumn('etag', text)
      .addColumn('last_modified', text)
      .addColumn('metadata_source', text)
      .addColumn('problem', text)
      .addColumn('has_nightly', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('synced_at', text, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('projects_synced').on('projects').column('synced_at').execute();

    await db.schema
      .createTable('ranks')
      .addColumn('project', text, (c) => c.primaryKey())
      .addColumn('rank', 'integer', (c) => c.notNull())
      .addColumn('download_count', 'bigint')
      .execute();
    await db.schema.createIndex('ranks_rank').on('ranks').column('rank').execute();

    await db.schema
      .createTable('releases')
      .addColumn('project', text, (c) => c.notNull())
      .addColumn('version', text, (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('yanked', text)
      .addColumn('prerelease', 'integer', (c) => c.notNull())
      .addColumn('upload_time', text)
      .addColumn('readiness', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('releases_pk', ['project', 'version'])
      .execute();

    await db.schema
      .createTable('files')
      .addColumn('project', text, (c) => c.notNull())
      .addColumn('version', text, (c) => c.notNull())
      .addColumn('filename', text, (c) => c.notNull())
      .addColumn('size', 'bigint')
      .addColumn('upload_time', text)
      .addColumn('yanked', text)
      .addColumn('requires_python', text)
      .addColumn('sha256', text)
      .addPrimaryKeyConstraint('files_pk', ['project', 'filename'])
      .execute();

    await db.schema
      .createTable('statuses')
      .addColumn('project', text, (c) => c.notNull())
      .addColumn('version', text, (c) => c.notNull())
      .addColumn('target', text, (c) => c.notNull())
      .addColumn('platform', text, (c) => c.notNull())
      .addColumn('status', text, (c) => c.notNull())
      .addColumn('readiness', text, (c) => c.notNull())
      .addColumn('reason', text, (c) => c.notNull())
      .addColumn('files', text, (c) => c.notNull())
      .addPrimaryKeyConstraint('statuses_pk', ['project', 'version', 'target', 'platform'])
      .execute();

    await db.schema
      .createTable('targets')
      .addColumn('project', text, (c) => c.notNull())
      .addColumn('target', text, (c) => c.notNull())
      .addColumn('platform', text, (c) => c.notNull())
      .addColumn('readiness', text, (c) => c.notNull())
      .addColumn('first_ready', text)
      .addColumn('first_ready_at', text)
      .addPrimaryKeyConstraint('targets_pk', ['project', 'target', 'platform'])
      .execute();
    await db.schema.createIndex('targets_filter').on('targets').columns(['target', 'platform', 'readiness']).execute();

    await db.schema
      .createTable('events')
      .addColumn('project', text, (c) => c.notNull())
      .addColumn('target', text, (c) => c.notNull())
      .addColumn('platform', text, (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('kind', text, (c) => c.notNull())
      .addColumn('version', text, (c) => c.notNull())
      .addColumn('previous', text)
      .addColumn('at', text)
      .addPrimaryKeyConstraint('events_pk', ['project', 'target', 'platform', 'seq'])
      .execute();
    await db.schema.createIndex('events_recent').on('events').columns(['platform', 'at']).execute();

    await db.schema
      .createTable('nightly')
      .addColumn('project', text, (c) => c.notNull())
      .addColumn('index_url', text, (c) => c.notNull())
      .addColumn('version', text)
      .addColumn('readiness', text, (c) => c.notNull())
      .addColumn('problem', text)
      .addPrimaryKeyConstraint('nightly_pk', ['project', 'index_url'])
      .execute();

    await db.schema
      .createTable('snapshots')
      .addColumn('day', text, (c) => c.notNull())
      .addColumn('target', text, (c) => c.notNull())
      .addColumn('readiness', text, (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('total', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('snapshots_pk', ['day', 'target', 'readiness'])
      .execute();

    await db.schema
      .createTable('settings')
      .addColumn('key', text, (c) => c.primaryKey())
      .addColumn('value', text, (c) => c.notNull())
      .execute();
  },
});

export function migrationProvider(engine: Engine): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001-initial': initial(engine),
  };
  return { getMigrations: async () => migrations };
}
