// One project's page on a simple-API index (PEP 503 / 691), whichever
// format it came in. Everything in it is untrusted input from the network.

export interface IndexFile {
  filename: string;
  /** Absolute URL, without the #hash fragment. */
  url: string;
  hashes: Record<string, string>;
  requiresPython: string | null;
  /** PEP 592: false, or the reason ('' when none was given). */
  yanked: false | string;
  /** PEP 658/714: whether a `.metadata` file is served beside the file, and its hashes. */
  coreMetadata: false | Record<string, string>;
  size: number | null;
  uploadTime: string | null;
}

export interface ProjectPage {
  name: string;
  files: IndexFile[];
  /** PEP 700 `versions`, when the index sends them. */
  versions: string[] | null;
  /** The index's serial for this project (PyPI's `_last-serial`), when sent. */
  lastSerial: number | null;
}

/** A page the index sent that cannot be read as a simple-API page. */
export class MalformedPageError extends Error {
  override name = 'MalformedPageError';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function hashesOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(v)) for (const [k, h] of Object.entries(v)) if (typeof h === 'string' && /^[0-9a-fA-F]+$/.test(h)) out[k.toLowerCase()] = h.toLowerCase();
  return out;
}

function metadataOf(v: unknown): false | Record<string, string> {
  if (v === true) return {};
  if (isObject(v)) return hashesOf(v);
  return false;
}

/** Resolves a file URL against the page URL and splits off a `#sha256=…` fragment. */
export function resolveFileUrl(href: string, pageUrl: string): { url: string; hashes: Record<string, string> } | null {
  // Most indexes (PyPI included) send absolute, plain URLs: no need to parse those.
  if (/^https?:\/\/[^\s#%\\]+$/.test(href)) return { url: href, hashes: {} };
  let u: URL;
  try {
    u = new URL(href, pageUrl);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:' && u.protocol !== 'file:') return null;
  const hashes: Record<string, string> = {};
  const m = /^#([a-z0-9]+)=([0-9a-fA-F]+)$/.exec(u.hash);
  if (m) hashes[m[1]!] = m[2]!.toLowerCase();
  u.hash = '';
  return { url: u.toString(), hashes };
}

/** PEP 691 JSON, API version 1.x. */
export function parseJsonPage(body: string, pageUrl: string, serialHeader: string | null): ProjectPage {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    throw new MalformedPageError(`invalid JSON (${(e as Error).message})`);
  }
  if (!isObject(doc) || !Array.isArray(doc.files)) throw new MalformedPageError('JSON page has no "files" list');
  const meta = isObject(doc.meta) ? doc.meta : {};
  const apiVersion = typeof meta['api-version'] === 'string' ? meta['api-version'] : '1.0';
  if (!apiVersion.startsWith('1.')) throw new MalformedPageError(`unsupported simple API version ${apiVersion}`);
  const files: IndexFile[] = [];
  for (const f of doc.files) {
    if (!isObject(f) || typeof f.filename !== 'string' || typeof f.url !== 'string') continue;
    const resolved = resolveFileUrl(f.url, pageUrl);
    if (!resolved || f.filename.includes('/')) continue;
    const yanked = f.yanked === true ? '' : typeof f.yanked === 'string' ? f.yanked : false;
    files.push({
      filename: f.filename,
      url: resolved.url,
      hashes: { ...resolved.hashes, ...hashesOf(f.hashes) },
      requiresPython: typeof f['requires-python'] === 'string' ? f['requires-python'] : null,
      yanked,
      coreMetadata: metadataOf(f['core-metadata'] ?? f['dist-info-metadata']),
      size: typeof f.size === 'number' && f.size >= 0 ? f.size : null,
      uploadTime: typeof f['upload-time'] === 'string' ? f['upload-time'] : null,
    });
  }
  const versions = Array.isArray(doc.versions) ? doc.versions.filter((v): v is string => typeof v === 'string') : null;
  const serial = typeof meta['_last-serial'] === 'number' ? meta['_last-serial'] : serialHeader !== null && /^\d+$/.test(serialHeader) ? Number(serialHeader) : null;
  return { name: typeof doc.name === 'string' ? doc.name : '', files, versions, lastSerial: serial };
}
