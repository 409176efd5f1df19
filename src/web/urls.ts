import type { PackageFilter } from '../store/read-models.js';
import { slugOf } from './guide/slugs.js';

// The site's own URLs, built in one place. The packages query is parsed by
// package-query.ts (packageFilterFrom); packagesHref writes what it reads.

/** encodeURIComponent leaves !'()* alone, and a ")" would end the Markdown link of the badge snippet. */
function encode(part: string): string {
  return encodeURIComponent(part).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function packageHref(project: string): string {
  return `/packages/${encode(project)}`;
}

export function badgeHref(project: string, target: string): string {
  return `/badge/${encode(project)}.svg?python=${encode(target)}`;
}

/** The packages page's URL for a filter: q, status, target, platform, nightly=yes|no, classifier=none|1…4, sort, page, per_page. */
export function packagesHref(filter: PackageFilter, page = filter.page ?? 1): string {
  const params = new URLSearchParams();
  if (filter.query) params.set('q', filter.query);
  if (filter.readiness) params.set('status', filter.readiness);
  if (filter.target) params.set('target', filter.target);
  if (filter.platform) params.set('platform', filter.platform);
  if (filter.nightly !== undefined) params.set('nightly', filter.nightly ? 'yes' : 'no');
  if (filter.classifierLevel !== undefined) params.set('classifier', filter.classifierLevel === 0 ? 'none' : String(filter.classifierLevel));
  if (filter.sort && filter.sort !== 'rank') params.set('sort', filter.sort);
  if (page > 1) params.set('page', String(page));
  if (filter.pageSize) params.set('per_page', String(filter.pageSize));
  const query = params.toString();
  return query ? `/packages?${query}` : '/packages';
}

/** A guide file path with its anchor ("guide/12-status-vocabulary.md#status-x") as the site serves it. */
export function guidePath(fileAndAnchor: string): string {
  const [file, anchor] = fileAndAnchor.split('#', 2) as [string, string | undefined];
  return `/guide/${slugOf(file) ?? ''}${anchor ? `#${anchor}` : ''}`;
}
