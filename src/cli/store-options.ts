import { TrackerStore } from '../store/tracker-store.js';
import { UsageError, type CliIO } from './io.js';

// Where the tracker keeps its data, shared by sync, worker and serve:
// an SQLite file under --data-dir, or PostgreSQL with --database.

export const STORE_OPTIONS = {
  'data-dir': { type: 'string' },
  database: { type: 'string' },
} as const;

export const STORE_HELP = `Storage options:
  --data-dir DIR       Where the SQLite database lives (default: ./ftready-data;
                       env FTREADY_DATA_DIR)
  --database URL       Use PostgreSQL instead: postgres://user@host:5432/db
                       (env FTREADY_DATABASE_URL)
`;

export interface StoreValues {
  'data-dir'?: string;
  database?: string;
}

export function databaseUrl(values: StoreValues, io: CliIO): string | undefined {
  const url = values.database ?? (io.env.FTREADY_DATABASE_URL || undefined);
  if (url !== undefined && !/^postgres(ql)?:\/\//i.test(url)) throw new UsageError(`--database "${url}" is not a postgres:// URL`);
  return url;
}

/** Opens the store; a database that cannot be opened is reported as one line (exit 3). */
export async function openStore(values: StoreValues, io: CliIO): Promise<TrackerStore> {
  const url = databaseUrl(values, io);
  return TrackerStore.open({ url, dataDir: values['data-dir'] ?? io.env.FTREADY_DATA_DIR ?? 'ftready-data' });
}
