import { createHash } from 'node:crypto';

// Rendered responses, kept until the data behind them changes. The store's
// generation (a cheap query) is asked at most once per `checkEveryMs`; when
// it moves, everything cached is dropped. ETags are content hashes, so a
// client revalidating an unchanged page gets 304 even across restarts.

export interface CachedResponse {
  status: number;
  contentType: string;
  body: Buffer;
  etag: string;
  cacheControl: string;
}

export class ResponseCache {
  private readonly entries = new Map<string, CachedResponse>();
  private generation: string | null = null;
  private checkedAt = 0;
  private checking: Promise<void> | null = null;

  constructor(
    private readonly currentGeneration: () => Promise<string>,
    private readonly maxEntries = 5000,
    private readonly checkEveryMs = 1000,
  ) {}

  /** Drops everything when the store changed since the last look. */
  async refresh(): Promise<void> {
    if (Date.now() - this.checkedAt < this.checkEveryMs) return;
    this.checking ??= this.currentGeneration()
      .then((g) => {
        if (g !== this.generation) this.entries.clear();
        this.generation = g;
        this.checkedAt = Date.now();
      })
      .finally(() => {
        this.checking = null;
      });
    await this.checking;
  }

  get(key: string): CachedResponse | undefined {
    return this.entries.get(key);
  }

  put(key: string, response: Omit<CachedResponse, 'etag'>): CachedResponse {
    const entry = { ...response, etag: etagOf(response.body) };
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, entry);
    return entry;
  }
}

export function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}
