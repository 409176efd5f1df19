import type { CheckReport, PackageReport } from './check-report.js';
import type { PlatformResult } from '../status/release-status.js';
import { READINESS, rollUpReadiness, type Readiness } from '../status/vocabulary.js';

// What the text and Markdown renderers share: the order packages are shown
// in, and the per-target explanations with identical platforms folded together.

const RANK = new Map(READINESS.map((r) => [r.id, r.rank]));

export function overallReadiness(pkg: PackageReport): Readiness {
  return rollUpReadiness(Object.values(pkg.readiness));
}

/** Blockers first, then builds, unknowns, ready, and what is not checked; by name within each. */
export function orderedPackages(report: CheckReport): PackageReport[] {
  const keyed = report.packages.map((pkg) => ({ pkg, rank: RANK.get(overallReadiness(pkg))! }));
  keyed.sort((a, b) => b.rank - a.rank || (a.pkg.name < b.pkg.name ? -1 : a.pkg.name > b.pkg.name ? 1 : 0));
  return keyed.map((k) => k.pkg);
}

export interface Explanation {
  target: string;
  platforms: string[];
  result: PlatformResult;
}

/** Results that are not ready, one per target and distinct explanation. */
export function explanations(pkg: Pick<PackageReport, 'results'>, include: (r: PlatformResult) => boolean): Explanation[] {
  const out: Explanation[] = [];
  for (const [target, perPlatform] of Object.entries(pkg.results)) {
    const groups = new Map<string, Explanation>();
    for (const [platform, result] of Object.entries(perPlatform)) {
      if (!include(result)) continue;
      const key = `${result.status}\u0000${result.reason.replaceAll(platform, '\u0001')}`;
      const group = groups.get(key);
      if (group) group.platforms.push(platform);
      else groups.set(key, { target, platforms: [platform], result });
    }
    for (const g of groups.values()) {
      const [first, ...others] = g.platforms;
      if (others.length > 0) g.result = { ...g.result, reason: g.result.reason.replaceAll(first!, 'these platforms') };
      out.push(g);
    }
  }
  return out;
}

export const isReadyish = (r: PlatformResult) => r.readiness === 'ready';

/** A few words on why a ready package is ready, e.g. "pure Python". */
export function readyLabel(pkg: PackageReport): string {
  const statuses = new Set<string>();
  for (const perPlatform of Object.values(pkg.results)) for (const r of Object.values(perPlatform)) if (r.readiness === 'ready') statuses.add(r.status);
  const words: Record<string, string> = { 'free-threaded-wheel': 'free-threaded wheels', 'compatible-wheel': 'wheels with no Python ABI' };
  const first = Object.values(pkg.results)[0];
  const sample = first ? Object.values(first).find((r) => r.status === 'compatible-wheel') : undefined;
  if (statuses.size === 1 && sample?.reason.startsWith('pure-Python')) return 'pure Python';
  return [...statuses].map((s) => words[s] ?? s).join(' + ');
}

export function summaryParts(counts: Record<Readiness, number>): string[] {
  const order: Readiness[] = ['ready', 'needs-build', 'blocked', 'unknown', 'not-installed', 'not-checkable'];
  return order.filter((r) => counts[r] > 0 || ['ready', 'needs-build', 'blocked', 'unknown'].includes(r)).map((r) => `${counts[r]} ${r.replace('-', ' ')}`);
}

export function shortFiles(files: string[], max = 3): string[] {
  return files.length <= max ? files : [...files.slice(0, max), `… and ${files.length - max} more`];
}

const FAIL_LEVELS: Record<string, readonly Readiness[]> = {
  blocked: ['blocked'],
  'needs-build': ['blocked', 'needs-build'],
  never: [],
};

/** The packages that make `--fail-on LEVEL` fail the run. */
export function failingPackages(report: CheckReport, failOn: string): PackageReport[] {
  const levels = FAIL_LEVELS[failOn] ?? [];
  return report.packages.filter((p) => p.ignored === undefined && Object.values(p.readiness).some((r) => levels.includes(r)));
}
