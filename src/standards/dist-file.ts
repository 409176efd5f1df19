/** One file of a release, as an index or a lockfile describes it. */
export interface DistFile {
  filename: string;
  url?: string;
  /** Algorithm name to hex digest, e.g. { sha256: "…" }. */
  hashes: Record<string, string>;
  /** The file's Requires-Python, when the source says (PEP 503 data-requires-python). */
  requiresPython?: string | null;
}

/** The file name at the end of a URL, percent-decoded; null when there is none. */
export function filenameFromUrl(url: string): string | null {
  let end = url.length;
  const query = url.indexOf('?');
  if (query !== -1) end = query;
  const fragment = url.indexOf('#');
  if (fragment !== -1 && fragment < end) end = fragment;
  const last = url.slice(url.lastIndexOf('/', end - 1) + 1, end);
  if (last === '') return null;
  if (!last.includes('%')) return last;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
