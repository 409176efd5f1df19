import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { makeDirectory } from './make-directory.js';
import { dirname, join } from 'node:path';

// An on-disk cache of index responses. Each entry is one file: a JSON header
// line (URL, validators, checksum of the body) and the body. A write goes to
// a temporary file first and is renamed into place, so a killed run never
// leaves half an entry; an entry whose checksum does not match is deleted,
// never used.

export interface CachedResponse {
  url: string;
  accept: string;
  status: number;
  etag: string | null;
  lastModified: string | null;
  contentType: string | null;
  serial: string | null;
  /** Milliseconds since the epoch until which the entry is fresh without revalidation. */
  freshUntil: number;
  storedAt: number;
  body: Buffer;
}

interface EntryHeader extends Omit<CachedResponse, 'body'> {
  format: 1;
  bodySha256: string;
  bodyLength: number;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export class HttpCache {
  constructor(readonly dir: string) {}

  private path(url: string, accept: string): string {
    const key = sha256(`${url}\n${accept}`);
    return join(this.dir, 'http-v1', key.slice(0, 2), `${key}.entry`);
  }

  read(url: string, accept: string): CachedResponse | null {
    const path = this.path(url, accept);
    let raw: Buffer;
    try {
      raw = readFileSync(path);
    } catch {
      return null;
    }
    const newline = raw.indexOf(10);
    try {
      if (newline === -1) throw new Error('no header');
      const header = JSON.parse(raw.subarray(0, newline).toString('utf8')) as EntryHeader;
      const body = raw.subarray(newline + 1);
      if (header.format !== 1 || header.url !== url || header.accept !== accept || body.length !== header.bodyLength || sha256(body) !== header.bodySha256) {
        throw new Error('mismatch');
      }
      const { format: _f, bodySha256: _s, bodyLength: _l, ...rest } = header;
      return { ...rest, body };
    } catch {
      // Corrupt or foreign: discard it and answer as if it were not there.
      rmSync(path, { force: true });
      return null;
    }
  }

  private readonly pending = new Set<Promise<void>>();
  private readonly madeDirs = new Set<string>();

  /**
   * Stores an entry without blocking the caller: the write runs in the
   * background (a temporary file renamed into place) and `flush()` waits for
   * every write still under way.
   */
  write(entry: CachedResponse): void {
    const task = this.store(entry).catch(() => {
      // A cache that cannot be written only costs speed; the answer is already in hand.
    });
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  private async store(entry: CachedResponse): Promise<void> {
    const path = this.path(entry.url, entry.accept);
    const { body, ...rest } = entry;
    const header: EntryHeader = { ...rest, format: 1, bodySha256: sha256(body), bodyLength: body.length };
    const dir = dirname(path);
    if (!this.madeDirs.has(dir)) {
      makeDirectory(dir);
      this.madeDirs.add(dir);
    }
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), body]));
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
