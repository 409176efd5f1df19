import pg from 'pg';

// The machine's PostgreSQL (127.0.0.1:5432, trust auth). Each test gets a
// database of its own, created from the `test` database's server and dropped
// afterwards, so tests running side by side never see each other's tables
// or job queues. CI starts PostgreSQL before the suite (.ci/run).

export const POSTGRES_SERVER = process.env.FTREADY_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<TestDatabase> {
  const name = `ftready_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: `${POSTGRES_SERVER}/test` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: `${POSTGRES_SERVER}/${name}`,
    drop: async () => {
      const client = new pg.Client({ connectionString: `${POSTGRES_SERVER}/test` });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
