import { OfflineMissError } from './errors.js';
import type { HttpCache } from './http-cache.js';
import type { HttpFetcher } from './http-fetcher.js';

// GET through the cache: fresh entries (Cache-Control max-age, or immutable
// content) are answered locally, stale ones are revalidated with
// If-None-Match / If-Modified-Since, and --offline answers from the cache
// alone.

export type CacheMode = 'use' | 'offline' | 'off';

export interface CachedGet {
  status: number;
  body: Buffer;
  contentType: string | null;
  serial: string | null;
  /** 'network' (full response), 'revalidated' (304), or 'cache' (no request). */
  source: 'network' | 'revalidated' | 'cache';
}

function maxAgeMs(cacheControl: string | undefined): number {
  if (!cacheControl || /no-store|no-cache/.test(cacheControl)) return 0;
  const m = /max-age=(\d+)/.exec(cacheControl);
  return m ? Number(m[1]) * 1000 : 0;
}

export class CachedHttp {
  /** Waits for cache writes still under way; call before the process ends. */
  async flush(): Promise<void> {
    await this.cache?.flush();
  }

  constructor(
    private readonly fetcher: HttpFetcher,
    private readonly cache: HttpCache | null,
    private readonly mode: CacheMode,
  ) {}

  /** `immutable`: the content is addressed by its hash (e.g. a .metadata file), so any cached copy is good. */
  async get(url: string, accept: string, immutable = false): Promise<CachedGet> {
    const cache = this.mode === 'off' ? null : this.cache;
    const cached = cache?.read(url, accept) ?? null;
    if (this.mode === 'offline') {
      if (!cached) throw new OfflineMissError(url);
      return { status: cached.status, body: cached.body, contentType: cached.contentType, serial: cached.serial, source: 'cache' };
    }
    const now = Date.now();
    if (cached && (immutable || cached.freshUntil > now)) {
      return { status: cached.status, body: cached.body, contentType: cached.contentType, serial: cached.serial, source: 'cache' };
    }
    const headers: Record<string, string> = { accept };
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;
    const res = await this.fetcher.get(url, headers);
    if (res.status === 304 && cached) {
      // Rewrite the entry only when the 304 tells something new: a freshness
      // lifetime or another validator. Otherwise the stored one stays as good.
      const maxAge = maxAgeMs(res.headers['cache-control']);
      const etag = res.headers.etag ?? cached.etag;
      if (maxAge > 0 || etag !== cached.etag) cache!.write({ ...cached, freshUntil: now + maxAge, storedAt: now, etag });
      return { status: cached.status, body: cached.body, contentType: cached.contentType, serial: res.headers['x-pypi-last-serial'] ?? cached.serial, source: 'revalidated' };
    }
    const entry = {
      url,
      accept,
      status: res.status,
      etag: res.headers.etag ?? null,
      lastModified: res.headers['last-modified'] ?? null,
      contentType: res.headers['content-type'] ?? null,
      serial: res.headers['x-pypi-last-serial'] ?? null,
      freshUntil: now + maxAgeMs(res.headers['cache-control']),
      storedAt: now,
      body: res.body,
    };
    // Only answers worth repeating are kept: pages and "not found".
    if (cache && (res.status === 200 || res.status === 404)) cache.write(entry);
    return { status: res.status, body: res.body, contentType: entry.contentType, serial: entry.serial, source: 'network' };
  }
}
