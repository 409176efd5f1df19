import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import type { Dispatcher } from 'undici';
import { IndexUnreachableError, redactUrl, ResponseTooLargeError } from './errors.js';
import type { Credentials } from './netrc.js';

// HTTP GET for index traffic: bounded concurrency, a timeout per request,
// retries with exponential backoff and full jitter on connection errors, 429
// and 5xx (honouring Retry-After), a size cap on every body, proxies from
// HTTPS_PROXY/NO_PROXY, and credentials from the URL or ~/.netrc.

export interface FetcherOptions {
  concurrency: number;
  timeoutMs: number;
  retries: number;
  maxBytes: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A Retry-After longer than this is cut to it. */
  retryAfterMaxMs: number;
  netrc: { machines: Map<string, Credentials>; fallback: Credentials | null } | null;
  userAgent: string;
  signal?: AbortSignal;
}

export const DEFAULT_FETCHER_OPTIONS: FetcherOptions = {
  concurrency: 16,
  timeoutMs: 30_000,
  retries: 4,
  maxBytes: 64 * 1024 * 1024,
  backoffBaseMs: 500,
  backoffMaxMs: 10_000,
  retryAfterMaxMs: 60_000,
  netrc: null,
  userAgent: 'ftready',
};

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

function retryAfterMs(value: string | undefined, now: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? e.code;
  const message = e.cause?.message ?? e.message ?? String(err);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

type Undici = typeof import('undici');

export class HttpFetcher {
  // undici is loaded on the first request: a run answered from the cache never pays for it.
  private client: Promise<{ undici: Undici; dispatcher: Dispatcher }> | null = null;
  private readonly limit: ReturnType<typeof pLimit>;

  constructor(private readonly options: FetcherOptions) {
    this.limit = pLimit(options.concurrency);
  }

  private connect(): Promise<{ undici: Undici; dispatcher: Dispatcher }> {
    this.client ??= import('undici').then((mod) => {
      // undici is CommonJS: imported dynamically (and bundled), its exports may sit on `default`.
      const undici = ((mod as { default?: Undici }).default ?? mod) as Undici;
      return {
        undici,
      dispatcher: new undici.EnvHttpProxyAgent({
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
        connect: { timeout: this.options.timeoutMs },
        }).compose(undici.interceptors.redirect({ maxRedirections: 5 })),
      };
    });
    return this.client;
  }

  /** Authorization for a URL: its own user:password, else ~/.netrc for its host. Returns the URL without credentials. */
  private credentials(url: string): { url: string; authorization: string | null } {
    const u = new URL(url);
    let creds: Credentials | null = null;
    if (u.username || u.password) {
      creds = { login: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
      u.username = '';
      u.password = '';
    } else if (this.options.netrc) {
      creds = this.options.netrc.machines.get(u.hostname.toLowerCase()) ?? this.options.netrc.fallback;
    }
    const authorization = creds ? `Basic ${Buffer.from(`${creds.login}:${creds.password}`).toString('base64')}` : null;
    return { url: u.toString(), authorization };
  }

  private async once(url: string, headers: Record<string, string>): Promise<HttpResponse> {
    const target = this.credentials(url);
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, AbortSignal.timeout(this.options.timeoutMs)]) : AbortSignal.timeout(this.options.timeoutMs);
    const { undici, dispatcher } = await this.connect();
    const res = await undici.request(target.url, {
      method: 'GET',
      dispatcher,
      signal,
      headers: {
        'user-agent': this.options.userAgent,
        ...(target.authorization ? { authorization: target.authorization } : {}),
        ...headers,
      },
    });
    const chunks: Buffer[] = [];
    let size = 0;
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.options.maxBytes) {
      res.body.destroy();
      throw new ResponseTooLargeError(redactUrl(url), this.options.maxBytes);
    }
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > this.options.maxBytes) {
        res.body.destroy();
        throw new ResponseTooLargeError(redactUrl(url), this.options.maxBytes);
      }
      chunks.push(chunk as Buffer);
    }
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    return { status: res.statusCode, headers: flat, body: Buffer.concat(chunks) };
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** attempt);
    return Math.random() * ceiling;
  }

  /** GET with retries. Throws IndexUnreachableError when the server cannot be reached or keeps failing. */
  async get(url: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    return this.limit(async () => {
      for (let attempt = 0; ; attempt++) {
        let wait: number;
        try {
          const res = await this.once(url, headers);
          if (!RETRY_STATUSES.has(res.status)) return res;
          if (attempt >= this.options.retries) {
            throw new IndexUnreachableError(redactUrl(url), `HTTP ${res.status} after ${attempt + 1} attempts`);
          }
          const after = retryAfterMs(res.headers['retry-after'], Date.now());
          wait = after === null ? this.backoff(attempt) : Math.min(after, this.options.retryAfterMaxMs);
        } catch (err) {
          if (err instanceof IndexUnreachableError || err instanceof ResponseTooLargeError) throw err;
          if (this.options.signal?.aborted) throw err;
          if (attempt >= this.options.retries) {
            throw new IndexUnreachableError(redactUrl(url), `${describe(err)} after ${attempt + 1} attempts`);
          }
          wait = this.backoff(attempt);
        }
        await sleep(wait, undefined, this.options.signal ? { signal: this.options.signal } : undefined);
      }
    });
  }

  async close(): Promise<void> {
    if (this.client) await (await this.client).dispatcher.close();
  }
}
