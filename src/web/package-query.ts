import { ALL_PLATFORMS, type PackageFilter, type PackageSort, type TrackerSettings } from '../store/read-models.js';
import { MAX_PAGE_SIZE } from '../store/read-queries.js';
import { READINESS, type Readiness } from '../status/vocabulary.js';

// The package list's query string, shared by the HTML table and the JSON
// API: every parameter is checked, and a bad one is a 400 that says which.

export class QueryError extends Error {
  override name = 'QueryError';
}

const SORTS: readonly PackageSort[] = ['rank', 'name', 'ready-date'];
const MAX_QUERY_LENGTH = 100;

function wholeNumber(name: string, value: string, min: number, max: number): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) throw new QueryError(`${name} must be a whole number from ${min} to ${max}`);
  return Number(value);
}

export function packageFilterFrom(params: URLSearchParams, settings: TrackerSettings): PackageFilter {
  const filter: PackageFilter = {};
  const get = (name: string) => {
    const v = params.get(name);
    return v === null || v === '' || v === 'any' ? undefined : v;
  };
  const q = get('q');
  if (q !== undefined) {
    if (q.length > MAX_QUERY_LENGTH) throw new QueryError(`q must be at most ${MAX_QUERY_LENGTH} characters`);
    filter.query = q.trim();
  }
  const status = get('status');
  if (status !== undefined) {
    if (!READINESS.some((r) => r.id === status)) throw new QueryError(`status must be one of ${READINESS.map((r) => r.id).join(', ')}`);
    filter.readiness = status as Readiness;
  }
  const target = get('target');
  if (target !== undefined) {
    if (!settings.targets.includes(target)) throw new QueryError(`target must be one of ${settings.targets.join(', ')}`);
    filter.target = target;
  }
  const platform = get('platform');
  if (platform !== undefined && platform !== ALL_PLATFORMS && platform !== 'all') {
    if (!settings.platforms.includes(platform)) throw new QueryError(`platform must be one of ${settings.platforms.join(', ')}`);
    filter.platform = platform;
  }
  const nightly = get('nightly');
  if (nightly !== undefined) {
    if (!['yes', 'no', 'true', 'false'].includes(nightly)) throw new QueryError('nightly must be yes or no');
    filter.nightly = nightly === 'yes' || nightly === 'true';
  }
  const classifier = get('classifier');
  if (classifier !== undefined) filter.classifierLevel = classifier === 'none' ? 0 : wholeNumber('classifier', classifier, 1, 4);
  const sort = get('sort');
  if (sort !== undefined) {
    if (!(SORTS as readonly string[]).includes(sort)) throw new QueryError(`sort must be one of ${SORTS.join(', ')}`);
    filter.sort = sort as PackageSort;
  }
  const page = get('page');
  if (page !== undefined) filter.page = wholeNumber('page', page, 1, 1_000_000);
  const perPage = get('per_page');
  if (perPage !== undefined) filter.pageSize = wholeNumber('per_page', perPage, 1, MAX_PAGE_SIZE);
  return filter;
}
