import { MalformedPageError } from './project-page.js';

// The root page of a simple-API index (PEP 503 / 691): every project it
// holds, with PyPI's per-project `_last-serial` when the JSON form gives it.

export interface ListedProject {
  name: string;
  /** The project's last serial, when the index says (PyPI's JSON root does). */
  serial: number | null;
}

export interface IndexListing {
  projects: ListedProject[];
  /** The index-wide serial, when sent. */
  lastSerial: number | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseJsonListing(body: string): IndexListing {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (e) {
    throw new MalformedPageError(`invalid JSON (${(e as Error).message})`);
  }
  if (!isObject(doc) || !Array.isArray(doc.projects)) throw new MalformedPageError('JSON index page has no "projects" list');
  const meta = isObject(doc.meta) ? doc.meta : {};
  const projects: ListedProject[] = [];
  for (const p of doc.projects) {
    if (!isObject(p) || typeof p.name !== 'string' || p.name === '') continue;
    const serial = p['_last-serial'];
    projects.push({ name: p.name, serial: typeof serial === 'number' && Number.isInteger(serial) ? serial : null });
  }
  const lastSerial = meta['_last-serial'];
  return { projects, lastSerial: typeof lastSerial === 'number' ? lastSerial : null };
}
