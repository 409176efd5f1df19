/**
 * Remembers a pure function of one string. Lockfiles and indexes repeat the
 * same few tags and names thousands of times; the cache is bounded so that a
 * hostile input with millions of distinct values cannot grow it without end.
 */
export function memoize<T>(fn: (key: string) => T, limit = 100_000): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined && !cache.has(key)) {
      value = fn(key);
      if (cache.size < limit) cache.set(key, value);
    }
    return value as T;
  };
}
