import { basename } from 'node:path';
import { IndexUnreachableError } from '../index-client/errors.js';
import type { PackageIndex } from '../index-client/package-index.js';
import type { IndexFile } from '../index-client/project-page.js';
import { fullVersion, type Interpreter } from '../standards/interpreters.js';
import { markerEnvironment } from '../standards/marker-environment.js';
import { evaluateMarker, type MarkerEnvironment } from '../standards/markers.js';
import type { PlatformFamily } from '../standards/platform-families.js';
import { normalizeProjectName } from '../standards/project-name.js';
import { parseRequirement, type Requirement } from '../standards/requirement.js';
import { compareVersions, isPrerelease, satisfiesSpecifier } from '../standards/versions.js';
import { prepareRelease } from '../status/release-files.js';
import { groupByVersion, releaseHistory, type ReleaseHistory } from '../status/release-history.js';
import { statusDecider, type PlatformResult } from '../status/release-status.js';
import { buildToolProblem } from '../status/build-tools.js';
import { rollUpReadiness } from '../status/vocabulary.js';
import type { Advice, PackageReport } from './check-report.js';
import { nightlyOf } from './project-status.js';
import type { DeclaredRequirement, ProjectManifest } from './manifest.js';

// Checking a project through the index: the version pip would install for
// each target, Requires-Dist walked with markers and extras per target, and
// advice for every package that is not ready. This is not a backtracking
// resolver: constraints met on the way are intersected, and a conflict is
// reported, not solved. Lockfiles give exact answers.

export interface IndexCheckOptions {
  interpreters: readonly Interpreter[];
  families: readonly PlatformFamily[];
  nightlyIndexes: readonly PackageIndex[];
  /** Report packages whose index could not be reached as unknown instead of stopping. */
  keepGoing: boolean;
  /** Allow pre-releases, as pip --pre. */
  pre: boolean;
  onProgress?: (done: number, total: number, current: string) => void;
}

interface Env {
  interp: Interpreter;
  family: PlatformFamily;
  markers: MarkerEnvironment;
}

type ProjectInfo =
  | { kind: 'found'; name: string; byVersion: Map<string, IndexFile[]>; versions: string[] }
  | { kind: 'not-found'; name: string; reason: string }
  | { kind: 'unknown'; name: string; reason: string };

interface Node {
  key: string;
  /** Brought in by [build-system].requires. */
  build: boolean;
  version: string | null;
  problem: { status: 'not-found' | 'unknown'; reason: string } | null;
  specifiers: string[];
  extras: Set<string>;
  path: string[];
  requirement: string;
  /** The platform families on which the node is installed. */
  platforms: Set<string>;
}

interface WalkItem {
  req: Requirement;
  path: string[];
  origin: string;
  build: boolean;
  /** The platforms on which the edge that brings this requirement is active. */
  platforms: string[];
}

const matchMemo = new Map<string, boolean>();
/** Whether a version satisfies a specifier set (memoised: a walk asks the same question thousands of times). */
function matches(version: string, specifier: string): boolean {
  if (specifier === '') return true;
  const key = `${version} ${specifier}`;
  let answer = matchMemo.get(key);
  if (answer === undefined) {
    answer = satisfiesSpecifier(version, specifier) === true;
    matchMemo.set(key, answer);
  }
  return answer;
}

/** A marker of a declared requirement, with extras unknown: true unless it excludes this target. */
function declaredApplies(req: Requirement, env: Env): boolean {
  return !req.marker || evaluateMarker(req.marker.node, env.markers);
}

export async function checkManifest(manifest: ProjectManifest, index: PackageIndex, options: IndexCheckOptions): Promise<{ packages: PackageReport[]; notes: string[] }> {
  const notes: string[] = [];
  const root = manifest.projectName ? normalizeProjectName(manifest.projectName) : basename(manifest.path);
  const projects = new Map<string, Promise<ProjectInfo>>();
  let done = 0;

  const project = (name: string): Promise<ProjectInfo> => {
    const key = normalizeProjectName(name);
    let p = projects.get(key);
    if (!p) {
      p = (async (): Promise<ProjectInfo> => {
        try {
          const lookup = await index.project(key);
          if (lookup.kind === 'not-found') return { kind: 'not-found', name: key, reason: `not found on ${lookup.indexes.join(', ')}` };
          if (lookup.kind === 'unknown') return { kind: 'unknown', name: key, reason: lookup.reason };
          const byVersion = groupByVersion(key, lookup.page.files, lookup.page.versions);
          return { kind: 'found', name: key, byVersion, versions: [...byVersion.keys()].sort((a, b) => compareVersions(b, a)) };
        } catch (err) {
          if (err instanceof IndexUnreachableError && options.keepGoing) return { kind: 'unknown', name: key, reason: `index unreachable: ${err.message}` };
          throw err;
        } finally {
          options.onProgress?.(++done, projects.size, key);
        }
      })();
      projects.set(key, p);
    }
    return p;
  };

  const constraints = new Map<string, string[]>();
  for (const c of manifest.constraints) {
    const key = normalizeProjectName(c.requirement.name);
    constraints.set(key, [...(constraints.get(key) ?? []), c.requirement.specifier].filter(Boolean));
  }

  /** The version pip would install: newest, not yanked, matching every specifier and Requires-Python. */
  const choose = (info: Extract<ProjectInfo, { kind: 'found' }>, specifiers: string[], interp: Interpreter): string | null => {
    const python = fullVersion(interp);
    const pinned = specifiers.some((s) => /^===?/.test(s));
    const allowPre = options.pre || specifiers.some((s) => /\d(a|b|rc|dev)\d*/.test(s));
    const usable = (v: string) => {
      const files = info.byVersion.get(v) ?? [];
      if (files.length === 0) return false;
      if (!pinned && files.every((f) => f.yanked !== false)) return false;
      return files.some((f) => !f.requiresPython || satisfiesSpecifier(python, f.requiresPython) !== false);
    };
    const candidates = info.versions.filter((v) => specifiers.every((s) => matches(v, s)) && usable(v));
    return candidates.find((v) => allowPre || !isPrerelease(v)) ?? candidates[0] ?? null;
  };

  // Each release's Requires-Dist is parsed once, not once per target.
  const dependencies = new Map<string, Requirement[]>();
  const dependenciesOf = (key: string, version: string, requiresDist: string[]): Requirement[] => {
    const k = `${key}==${version}`;
    let deps = dependencies.get(k);
    if (!deps) {
      deps = [];
      for (const text of requiresDist) {
        const dep = parseRequirement(text);
        if (dep.ok) deps.push(dep.value);
        else notes.push(`${key} ${version}: ${dep.error}`);
      }
      dependencies.set(k, deps);
    }
    return deps;
  };

  const envs: Env[] = options.interpreters.flatMap((interp) => options.families.map((family) => ({ interp, family, markers: markerEnvironment(interp, family) })));

  const envOf = new Map(envs.map((e) => [`${e.interp.id} ${e.family.id}`, e]));
  const env = (interp: Interpreter, family: string) => envOf.get(`${interp.id} ${family}`)!;

  /** Dependencies to follow from a node, for some of its platforms and extras. */
  interface Expansion {
    node: Node;
    platforms: string[];
    extras: string[];
  }

  const select = async (interp: Interpreter, selected: Map<string, Node>, item: WalkItem): Promise<Expansion[]> => {
    const { req } = item;
    const key = normalizeProjectName(req.name);
    const existing = selected.get(key);
    if (existing) {
      if (existing.version && req.specifier && !matches(existing.version, req.specifier)) {
        notes.push(`${interp.id}: conflict: ${key} ${existing.version} (for ${existing.path.join(' → ')}) does not satisfy "${req.name}${req.specifier}" from ${item.origin}; ftready does not backtrack, see docs/cli.md`);
      }
      existing.specifiers.push(req.specifier);
      const oldPlatforms = [...existing.platforms];
      const newPlatforms = item.platforms.filter((p) => !existing.platforms.has(p));
      const newExtras = req.extras.filter((e) => !existing.extras.has(e));
      for (const p of newPlatforms) existing.platforms.add(p);
      for (const e of newExtras) existing.extras.add(e);
      if (!existing.version) return [];
      const expansions: Expansion[] = [];
      if (newPlatforms.length > 0) expansions.push({ node: existing, platforms: newPlatforms, extras: ['', ...existing.extras] });
      if (newExtras.length > 0 && oldPlatforms.length > 0) expansions.push({ node: existing, platforms: oldPlatforms, extras: newExtras });
      return expansions;
    }
    const info = await project(key);
    const specifiers = [req.specifier, ...(constraints.get(key) ?? [])].filter(Boolean);
    const node: Node = {
      key, build: false, version: null, problem: null, specifiers, extras: new Set(req.extras),
      path: [...item.path, key], requirement: `${req.name}${req.specifier}`, platforms: new Set(item.platforms),
    };
    if (info.kind !== 'found') node.problem = { status: info.kind, reason: info.reason };
    else {
      node.version = choose(info, specifiers, interp);
      if (!node.version) node.problem = { status: 'unknown', reason: `no release of ${key} matches ${specifiers.join(',') || 'any version'} and Python 3.${interp.minor}` };
    }
    selected.set(key, node);
    return node.version ? [{ node, platforms: item.platforms, extras: ['', ...req.extras] }] : [];
  };

  /**
   * One walk per interpreter: the version chosen does not depend on the
   * platform, so each node carries the set of platforms on which some chain of
   * active edges reaches it, and each edge's marker is evaluated per platform.
   */
  const walk = async (interp: Interpreter, roots: DeclaredRequirement[]): Promise<Map<string, Node>> => {
    const selected = new Map<string, Node>();
    const familyIds = options.families.map((f) => f.id);
    let frontier: WalkItem[] = roots
      .map((d) => ({ req: d.requirement, path: [root], origin: d.origin, build: d.build, platforms: familyIds.filter((f) => declaredApplies(d.requirement, env(interp, f))) }))
      .filter((item) => item.platforms.length > 0);
    while (frontier.length > 0) {
      await Promise.all(frontier.map((f) => project(f.req.name)));
      const expand: Expansion[] = [];
      for (const item of frontier) {
        expand.push(...(await select(interp, selected, item)));
        if (item.build) selected.get(normalizeProjectName(item.req.name))!.build = true;
      }
      const next: WalkItem[] = [];
      await Promise.all(expand.map(async ({ node, platforms, extras }) => {
        const info = (await project(node.key)) as Extract<ProjectInfo, { kind: 'found' }>;
        const meta = await index.metadata(node.key, node.version!, info.byVersion.get(node.version!) ?? []);
        if (meta.kind !== 'found') {
          notes.push(`dependencies of ${node.key} ${node.version} are unknown (${meta.reason}); the closure below it is incomplete`);
          return;
        }
        for (const dep of dependenciesOf(node.key, node.version!, meta.metadata.requiresDist)) {
          if (dep.url) continue;
          const active = dep.marker
            ? platforms.filter((p) => extras.some((extra) => evaluateMarker(dep.marker!.node, { ...env(interp, p).markers, extra })))
            : extras.includes('') ? platforms : [];
          if (active.length > 0) next.push({ req: dep, path: node.path, origin: `${node.key} ${node.version}`, build: false, platforms: active });
        }
      }));
      frontier = next;
    }
    return selected;
  };

  const roots = [...manifest.requirements];
  const entries = manifest.locked
    ? await checkPinned(manifest, root, envs, project, notes)
    : await checkWalked(await walkAll(envs, options.interpreters, (interp) => walk(interp, roots)), envs, project, options);

  for (const e of entries) {
    e.input = manifest.path;
    const problem = e.build && e.version ? buildToolProblem(e.name, e.version) : null;
    if (problem) notes.push(`build requirement ${problem}; building from source for a free-threaded interpreter needs a newer one`);
  }
  const packages = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : compareVersions(a.version, b.version)));
  await addAdvice(packages, project, options);
  return { packages, notes: [...new Set(notes)] };
}

/** The walks of all interpreters, together (they share the memo of pages and metadata), split into one map per target. */
async function walkAll(envs: Env[], interpreters: readonly Interpreter[], walk: (interp: Interpreter) => Promise<Map<string, Node>>): Promise<Map<Env, Map<string, Node>>> {
  const byInterpreter = await Promise.all(interpreters.map(walk));
  const walks = new Map<Env, Map<string, Node>>();
  for (const env of envs) {
    const selected = byInterpreter[interpreters.indexOf(env.interp)]!;
    walks.set(env, new Map([...selected].filter(([, node]) => node.platforms.has(env.family.id))));
  }
  return walks;
}

type Found = Extract<ProjectInfo, { kind: 'found' }>;

/** A result for one release on one target, from the files given (e.g. only hash-matched ones). */
function releaseResult(key: string, version: string, files: IndexFile[], env: Env, pinnedHashes: boolean): PlatformResult {
  const release = prepareRelease(key, version, files);
  if (pinnedHashes && release.wheels.length + release.sdists.length === 0) {
    return { status: 'unknown', readiness: 'unknown', files: [], reason: `no file of ${key} ${version} on the index has one of the pinned hashes` };
  }
  return statusDecider(release, env.interp)(env.family);
}

function fillAbsent(entries: Iterable<PackageReport>, envs: Env[], interpreters: readonly Interpreter[], absentReason: (entry: PackageReport, env: Env) => string): void {
  for (const entry of entries) {
    for (const env of envs) {
      const perFamily = (entry.results[env.interp.id] ??= {});
      if (!perFamily[env.family.id]) perFamily[env.family.id] = { status: 'not-installed', readiness: 'not-installed', files: [], reason: absentReason(entry, env) };
    }
    for (const interp of interpreters) entry.readiness[interp.id] = rollUpReadiness(Object.values(entry.results[interp.id]!).map((r) => r.readiness));
  }
}

/** Every package of the walks, one entry per project and version. */
async function checkWalked(walks: Map<Env, Map<string, Node>>, envs: Env[], project: (name: string) => Promise<ProjectInfo>, options: IndexCheckOptions): Promise<PackageReport[]> {
  const entries = new Map<string, PackageReport>();
  for (const [env, selected] of walks) {
    for (const node of selected.values()) {
      const key = `${node.key}\u0000${node.version ?? ''}`;
      let entry = entries.get(key);
      if (!entry) {
        entry = { name: node.key, version: node.version ?? '', input: '', path: node.path, requirement: node.requirement, results: {}, readiness: {} };
        entries.set(key, entry);
      }
      if (node.build) entry.build = true;
      const result: PlatformResult = node.problem
        ? { status: node.problem.status, readiness: 'unknown', files: [], reason: node.problem.reason }
        : releaseResult(node.key, node.version!, ((await project(node.key)) as Found).byVersion.get(node.version!) ?? [], env, false);
      (entry.results[env.interp.id] ??= {})[env.family.id] = result;
    }
  }
  fillAbsent(entries.values(), envs, options.interpreters, (entry, env) => {
    const other = walks.get(env)!.get(entry.name);
    return other?.version ? `${entry.name} ${other.version} is chosen on this target instead` : 'not required on this target (markers)';
  });
  return [...entries.values()];
}

/**
 * A file that pins the whole closure with hashes (pip-compile --generate-hashes,
 * Pipfile.lock): each pin is checked on its own, at its version, from the
 * files whose hashes it lists, and installed where its marker says.
 */
async function checkPinned(manifest: ProjectManifest, root: string, envs: Env[], project: (name: string) => Promise<ProjectInfo>, notes: string[]): Promise<PackageReport[]> {
  const entries = new Map<string, PackageReport>();
  const versionsByName = new Map<string, Set<string>>();
  await Promise.all(manifest.requirements.map((d) => project(d.requirement.name)));
  for (const d of manifest.requirements) {
    const key = normalizeProjectName(d.requirement.name);
    const version = d.requirement.specifier.replace(/^===?/, '');
    versionsByName.set(key, (versionsByName.get(key) ?? new Set()).add(version));
    const entryKey = `${key}\u0000${version}`;
    let entry = entries.get(entryKey);
    if (!entry) {
      entry = { name: key, version, input: '', path: [root, key], requirement: `${d.requirement.name}${d.requirement.specifier}`, results: {}, readiness: {} };
      entries.set(entryKey, entry);
    }
    const info = await project(key);
    const hashes = new Set(d.hashes);
    for (const env of envs) {
      if (!declaredApplies(d.requirement, env)) continue;
      let result: PlatformResult;
      if (info.kind !== 'found') result = { status: info.kind, readiness: 'unknown', files: [], reason: info.reason };
      else if (!info.byVersion.has(version)) result = { status: 'unknown', readiness: 'unknown', files: [], reason: `${key} ${version} is not on the index` };
      else {
        const files = (info.byVersion.get(version) ?? []).filter((f) => hashes.size === 0 || Object.entries(f.hashes).some(([alg, h]) => hashes.has(`${alg}:${h}`)));
        result = releaseResult(key, version, files, env, hashes.size > 0);
      }
      (entry.results[env.interp.id] ??= {})[env.family.id] = result;
    }
  }
  for (const [name, versions] of versionsByName) {
    if (versions.size > 1) notes.push(`${manifest.path}: ${name} is pinned at ${[...versions].join(' and ')} (e.g. in different sections); each is checked`);
  }
  fillAbsent(entries.values(), envs, [...new Set(envs.map((e) => e.interp))], () => 'not installed on this target: its marker is false here');
  return [...entries.values()];
}

/**
 * When no release is ready on every platform at once, what each platform
 * that is not ready can do, with platforms of the same answer together.
 */
function platformAdvice(pkg: PackageReport, target: string, finals: ReleaseHistory['releases']): string[] {
  const outcomes = new Map<string, string[]>();
  for (const [platform, result] of Object.entries(pkg.results[target] ?? {})) {
    if (result.readiness === 'ready' || result.readiness === 'not-installed') continue;
    const readyHere = finals.filter((r) => r.results[target]?.[platform]?.readiness === 'ready').map((r) => r.version).sort(compareVersions);
    const newer = readyHere.find((v) => compareVersions(v, pkg.version) > 0);
    const older = readyHere.filter((v) => compareVersions(v, pkg.version) < 0).pop();
    const droppedIn = older ? finals.map((r) => r.version).filter((v) => compareVersions(v, older) > 0).sort(compareVersions)[0] : undefined;
    const outcome = newer
      ? `upgrade to >= ${newer}`
      : older
        ? `${older} was the last ready release${droppedIn ? ` (dropped in ${droppedIn})` : ''}`
        : `no release is ready for ${target}`;
    outcomes.set(outcome, [...(outcomes.get(outcome) ?? []), platform]);
  }
  const all = outcomes.size === 1;
  return [...outcomes].map(([outcome, platforms]) => (all ? outcome : `${outcome} on ${platforms.join(', ')}`));
}

/** What to move to, for every package that is not ready on a target. */
async function addAdvice(packages: PackageReport[], project: (name: string) => Promise<ProjectInfo>, options: IndexCheckOptions): Promise<void> {
  const histories = new Map<string, ReleaseHistory>();
  for (const pkg of packages) {
    const needy = options.interpreters.filter((i) => ['blocked', 'needs-build'].includes(pkg.readiness[i.id]!));
    if (needy.length === 0 || pkg.version === '') continue;
    const info = await project(pkg.name);
    if (info.kind !== 'found') continue;
    // History only for the interpreters that need advice.
    const historyKey = `${pkg.name} ${needy.map((i) => i.id).join(' ')}`;
    let history = histories.get(historyKey);
    if (!history) {
      history = releaseHistory(pkg.name, info.byVersion, needy, options.families);
      histories.set(historyKey, history);
    }
    const nightly = await Promise.all(options.nightlyIndexes.map((n) => nightlyOf(n, pkg.name, options)));
    pkg.advice = {};
    const finals = history.releases.filter((r) => r.yanked === false && !r.prerelease);
    const latest = finals[0] ?? null;
    for (const interp of needy) {
      const t = interp.id;
      const ready = finals.filter((r) => r.readiness[t] === 'ready').map((r) => r.version).sort(compareVersions);
      const upgradeTo = ready.find((v) => compareVersions(v, pkg.version) > 0) ?? null;
      const lastReady = ready.filter((v) => compareVersions(v, pkg.version) < 0).pop() ?? null;
      const dropped = [...(history.targets[t]?.events ?? [])].reverse().find((e) => e.kind === 'dropped')?.version ?? null;
      const night = nightly.find((n) => n.version !== null && n.readiness[t] === 'ready') ?? null;
      const outside = upgradeTo && pkg.requirement ? !matches(upgradeTo, pkg.requirement.replace(/^[A-Za-z0-9._-]+/, '')) : false;
      const parts: string[] = [];
      if (upgradeTo) {
        parts.push(`upgrade to >= ${upgradeTo}${outside ? ` (outside your requirement ${pkg.requirement})` : ''}${latest && latest.readiness[t] === 'ready' ? '' : `; the latest release ${latest?.version ?? ''} is not ready`}`);
      } else {
        parts.push(...platformAdvice(pkg, t, finals));
      }
      if (night) parts.push(`nightly wheels: ${night.version} on ${night.index}`);
      const advice: Advice = {
        upgradeTo,
        latest: latest ? { version: latest.version, ready: latest.readiness[t] === 'ready' } : null,
        droppedIn: dropped,
        lastReady,
        nightly: night ? { index: night.index, version: night.version! } : null,
        summary: parts.join('; '),
      };
      pkg.advice[t] = advice;
    }
  }
}

