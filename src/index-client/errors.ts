/** The index could not be reached or kept failing: the CLI exits with code 3. */
export class IndexUnreachableError extends Error {
  override name = 'IndexUnreachableError';
  constructor(readonly url: string, readonly detail: string) {
    super(`${url}: ${detail}`);
  }
}

/** A response larger than the configured cap; it is cut off, never held whole. */
export class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError';
  constructor(readonly url: string, readonly limit: number) {
    super(`${url}: response is larger than the ${Math.round(limit / 1048576)} MB limit`);
  }
}

/** --offline and the cache has no answer. */
export class OfflineMissError extends Error {
  override name = 'OfflineMissError';
  constructor(readonly url: string) {
    super(`${url}: not in the cache, and --offline forbids the network`);
  }
}

/** Removes user:password@ from a URL before it is shown to anyone. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '***';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//***@');
  }
}
