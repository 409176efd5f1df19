import type { RankRow } from '../store/tracker-store.js';
import { normalizeProjectName } from '../standards/project-name.js';

// The top-packages list, in the format of the public "top PyPI packages"
// JSON: {"rows": [{"project": "boto3", "download_count": 123}, ...]}.
// Rank follows download count (highest first); ties keep the file's order.

export class TopListError extends Error {
  override name = 'TopListError';
}

const NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;

export function parseTopList(text: string, source: string): RankRow[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new TopListError(`${source}: not JSON (${(e as Error).message})`);
  }
  const rows = (doc as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows)) throw new TopListError(`${source}: expected {"rows": [{"project": ..., "download_count": ...}]}`);
  const seen = new Set<string>();
  const entries: Array<{ project: string; count: number | null; order: number }> = [];
  rows.forEach((row: unknown, i) => {
    const r = row as { project?: unknown; download_count?: unknown } | null;
    if (typeof r?.project !== 'string' || !NAME.test(r.project)) throw new TopListError(`${source}: rows[${i}] has no valid "project" name`);
    const count = r.download_count;
    if (count !== undefined && count !== null && (typeof count !== 'number' || !Number.isFinite(count) || count < 0)) {
      throw new TopListError(`${source}: rows[${i}] ("${r.project}") has an invalid "download_count"`);
    }
    const project = normalizeProjectName(r.project);
    if (seen.has(project)) return;
    seen.add(project);
    entries.push({ project, count: typeof count === 'number' ? count : null, order: i });
  });
  entries.sort((a, b) => (b.count ?? -1) - (a.count ?? -1) || a.order - b.order);
  return entries.map((e, i) => ({ project: e.project, rank: i + 1, downloadCount: e.count }));
}
