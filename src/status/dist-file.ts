/** One file of a release, as an index or a lockfile describes it. */
export interface DistFile {
  filename: string;
  url?: string;
  /** Algorithm name to hex digest, e.g. { sha256: "…" }. */
  hashes: Record<string, string>;
}

/** The file name at the end of a URL, percent-decoded; null when there is none. */
export function filenameFromUrl(url: string): string | null {
  const path = url.split(/[?#]/, 1)[0]!;
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (last === '') return null;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
