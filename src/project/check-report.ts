import { fullVersion, type Interpreter } from '../standards/interpreters.js';
import { markerEnvironment } from '../standards/marker-environment.js';
import type { PlatformFamily } from '../standards/platform-families.js';
import { normalizeProjectName } from '../standards/project-name.js';
import { satisfiesSpecifier } from '../standards/versions.js';
import { prepareRelease } from '../status/release-files.js';
import { statusDecider, type PlatformResult } from '../status/release-status.js';
import { READINESS, rollUpReadiness, type Readiness } from '../status/vocabulary.js';
import { installationOn, type Installation } from './installation.js';
import type { LockedPackage, Lockfile } from './lockfile.js';

// `ftready check` output, schema version 1 (docs/json-schema.md). This shape
// is a public contract: add fields, never change or remove them.

export interface Advice {
  /** The first release newer than the checked one that is ready on every selected platform. */
  upgradeTo: string | null;
  latest: { version: string; ready: boolean } | null;
  /** The release in which support was last dropped, when it was. */
  droppedIn: string | null;
  /** The newest ready release older than the checked one. */
  lastReady: string | null;
  nightly: { index: string; version: string } | null;
  /** One sentence: what to do. */
  summary: string;
}

export interface PackageReport {
  /** PEP 503 normalised. */
  name: string;
  /** As locked. */
  version: string;
  /** The lockfile this package comes from. */
  input: string;
  /** From the project to this package, when the lockfile records the graph. */
  path?: string[];
  /** The requirement that brought the package in, when it came from a manifest. */
  requirement?: string;
  /** True for build requirements ([build-system].requires): needed to build from source. */
  build?: boolean;
  results: Record<string, Record<string, PlatformResult>>;
  readiness: Record<string, Readiness>;
  /** For each target where the package is blocked or needs a build: what to move to. */
  advice?: Record<string, Advice>;
  /** Set when [tool.ftready] ignore names the package: the reason given. It never fails a run. */
  ignored?: string;
}

export interface CheckReport {
  schemaVersion: 1;
  targets: string[];
  platforms: string[];
  inputs: string[];
  packages: PackageReport[];
  summary: Record<string, Record<Readiness, number>>;
  notes: string[];
}

export interface CheckOptions {
  interpreters: readonly Interpreter[];
  families: readonly PlatformFamily[];
}

function resultFor(pkg: LockedPackage, installation: Installation, index: number, decide: () => PlatformResult): PlatformResult {
  if (!installation.installed(index)) return { status: 'not-installed', readiness: 'not-installed', files: [], reason: `not installed on this target: ${installation.whyNot(index)}` };
  if (pkg.problem) return { status: 'unknown', readiness: 'unknown', files: [], reason: `malformed lockfile entry: ${pkg.problem}` };
  if (pkg.notCheckable) return { status: 'not-checkable', readiness: 'not-checkable', files: [], reason: pkg.notCheckable };
  return decide();
}

function emptySummary(): Record<Readiness, number> {
  return Object.fromEntries(READINESS.map((r) => [r.id, 0])) as Record<Readiness, number>;
}

function requiresPythonNotes(lock: Lockfile, interpreters: readonly Interpreter[]): string[] {
  if (!lock.requiresPython) return [];
  return interpreters.flatMap((interp) => {
    const ok = satisfiesSpecifier(fullVersion(interp), lock.requiresPython!);
    if (ok === null) return [`${lock.path}: requires-python "${lock.requiresPython}" is not a valid specifier`];
    return ok ? [] : [`${lock.path}: requires-python "${lock.requiresPython}" excludes ${interp.id}; this lockfile cannot be installed there`];
  });
}

/** The report for packages already checked: targets, summary counts, notes. */
export function assembleReport(options: CheckOptions, inputs: string[], packages: PackageReport[], notes: string[]): CheckReport {
  const report: CheckReport = {
    schemaVersion: 1,
    targets: options.interpreters.map((i) => i.id),
    platforms: options.families.map((f) => f.id),
    inputs,
    packages,
    summary: Object.fromEntries(options.interpreters.map((i) => [i.id, emptySummary()])),
    notes,
  };
  for (const pkg of packages) for (const interp of options.interpreters) report.summary[interp.id]![pkg.readiness[interp.id]!]++;
  return report;
}

/** Every package of the lockfiles, offline. */
export function checkLockfilePackages(locks: readonly Lockfile[], options: CheckOptions): { packages: PackageReport[]; notes: string[] } {
  const { interpreters, families } = options;
  const packages: PackageReport[] = [];
  const notes = locks.flatMap((l) => [...l.notes, ...requiresPythonNotes(l, interpreters)]);
  for (const lock of locks) {
    const installs = new Map<string, Installation>();
    for (const interp of interpreters) {
      for (const family of families) installs.set(`${interp.id} ${family.id}`, installationOn(lock, markerEnvironment(interp, family)));
    }
    lock.packages.forEach((pkg, index) => {
      const release = pkg.problem || pkg.notCheckable ? null : prepareRelease(pkg.name, pkg.version, pkg.files);
      const entry: PackageReport = { name: normalizeProjectName(pkg.name), version: pkg.version, input: lock.path, results: {}, readiness: {} };
      for (const interp of interpreters) {
        const decide = release ? statusDecider(release, interp) : null;
        const perFamily: Record<string, PlatformResult> = {};
        for (const family of families) {
          const installation = installs.get(`${interp.id} ${family.id}`)!;
          if (!entry.path && installation.installed(index)) {
            const path = installation.pathTo(index);
            if (path) entry.path = path.map((i) => normalizeProjectName(lock.packages[i]!.name));
          }
          perFamily[family.id] = resultFor(pkg, installation, index, () => decide!(family));
        }
        entry.results[interp.id] = perFamily;
        entry.readiness[interp.id] = rollUpReadiness(Object.values(perFamily).map((r) => r.readiness));
      }
      packages.push(entry);
    });
  }
  return { packages, notes };
}

export function checkLockfiles(locks: readonly Lockfile[], options: CheckOptions): CheckReport {
  const { packages, notes } = checkLockfilePackages(locks, options);
  return assembleReport(options, locks.map((l) => l.path), packages, notes);
}

/** A requirement no index describes (a path, VCS or URL reference), reported on every target as not-checkable. */
export function notCheckableReport(n: { name: string; origin: string; reason: string }, input: string, options: CheckOptions): PackageReport {
  const result = { status: 'not-checkable' as const, readiness: 'not-checkable' as const, files: [], reason: `${n.reason}, declared at ${n.origin}` };
  return {
    name: n.name,
    version: '',
    input,
    results: Object.fromEntries(options.interpreters.map((i) => [i.id, Object.fromEntries(options.families.map((f) => [f.id, result]))])),
    readiness: Object.fromEntries(options.interpreters.map((i) => [i.id, 'not-checkable' as const])),
  };
}
