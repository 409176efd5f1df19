import { parseAbiTag } from '../standards/abi-tag.js';
import type { DistFile } from '../standards/dist-file.js';
import { fullVersion, type Interpreter } from '../standards/interpreters.js';
import { satisfiesSpecifier } from '../standards/versions.js';
import { PLATFORM_FAMILIES, type PlatformFamily } from '../standards/platform-families.js';
import { ABI_FIT_ORDER, abiFit, type AbiFit } from '../standards/tag-compatibility.js';
import type { WheelTag } from '../standards/wheel-filename.js';
import type { PreparedRelease, ReleaseWheel } from './release-files.js';
import type { Readiness, Status } from './vocabulary.js';

// The status engine: one release, one target, one answer, with the files that
// decided it and a sentence a person understands.

export interface Target {
  interpreter: Interpreter;
  family: PlatformFamily;
}

export interface PlatformResult {
  status: Status;
  readiness: Readiness;
  files: string[];
  reason: string;
}

interface FittedTag {
  tag: WheelTag;
  fit: AbiFit;
  /** Position of `fit` in ABI_FIT_ORDER: lower is better. */
  rank: number;
  accepts: ReadonlySet<string>;
}

interface WheelOnTarget {
  rw: ReleaseWheel;
  fit: AbiFit;
  tag: WheelTag;
}

const FIT_RANK = new Map(ABI_FIT_ORDER.map((f, i) => [f, i]));
const isFreeThreaded = (fit: AbiFit) => fit === 'free-threaded' || fit === 'abi3t';

const tagText = (t: WheelTag) => `${t.python}-${t.abi}-${t.platform}`;
const names = (ws: WheelOnTarget[]) => ws.map((w) => w.rw.file.filename);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function listFamilies(ids: string[]): string {
  return ids.length <= 4 ? ids.join(', ') : `${ids.slice(0, 4).join(', ')} and ${ids.length - 4} more`;
}

function sdistClause(release: PreparedRelease): string {
  const sdist = release.sdists[0];
  return sdist ? `pip would build ${sdist.filename} from source` : 'there is no sdist to build from';
}

function fallback(release: PreparedRelease, status: Status, files: string[], reason: string): PlatformResult {
  const hasSdist = release.sdists.length > 0;
  return {
    status,
    readiness: hasSdist ? 'needs-build' : 'blocked',
    files: [...files, ...release.sdists.map((s) => s.filename)],
    reason: `${reason}; ${sdistClause(release)}`,
  };
}

/** Why no wheel fits, in the words a maintainer would look for. */
function nearMisses(onFamily: WheelOnTarget[], ftElsewhere: ReadonlySet<string>, target: Target): { hints: string[]; files: string[] } {
  const { interpreter: interp, family } = target;
  const hints: string[] = [];
  const files: string[] = [];
  const otherFt = new Set<string>();
  for (const w of onFamily) {
    const abi = parseAbiTag(w.tag.abi);
    if (abi.kind === 'cpython' && abi.freeThreaded && !abi.debug && abi.minor !== interp.minor) {
      otherFt.add(w.tag.abi);
      files.push(w.rw.file.filename);
    }
  }
  if (otherFt.size > 0) hints.push(`free-threaded wheels for ${family.id} are only for ${[...otherFt].sort().join(', ')}`);
  const debug = onFamily.filter((w) => w.fit === 'debug');
  if (debug.length > 0) {
    hints.push(`${debug[0]!.tag.abi} is a debug build`);
    files.push(...names(debug));
  }
  const gil = onFamily.filter((w) => w.fit === 'gil');
  if (gil.length > 0) {
    hints.push(`${gil[0]!.tag.abi} wheels are for the GIL-enabled build`);
    files.push(...names(gil));
  }
  const others = PLATFORM_FAMILIES.filter((f) => f.id !== family.id && ftElsewhere.has(f.id)).map((f) => f.id);
  if (others.length > 0) hints.push(`cp3${interp.minor}t wheels exist for ${listFamilies(others)}`);
  return { hints, files };
}

/**
 * Prepares the decision for every platform of one interpreter: tag fits are
 * worked out once per release and interpreter, then each platform only filters.
 */
const deciders = new WeakMap<PreparedRelease, Map<string, (family: PlatformFamily) => PlatformResult>>();

export function statusDecider(release: PreparedRelease, interp: Interpreter): (family: PlatformFamily) => PlatformResult {
  let byInterpreter = deciders.get(release);
  if (!byInterpreter) {
    byInterpreter = new Map();
    deciders.set(release, byInterpreter);
  }
  let decider = byInterpreter.get(interp.id);
  if (!decider) {
    // Results are never modified after they are made, so one per platform is enough.
    const decide = makeDecider(release, interp);
    const results = new Map<string, PlatformResult>();
    decider = (family) => {
      let result = results.get(family.id);
      if (!result) {
        result = decide(family);
        results.set(family.id, result);
      }
      return result;
    };
    byInterpreter.set(interp.id, decider);
  }
  return decider;
}

function makeDecider(release: PreparedRelease, interp: Interpreter): (family: PlatformFamily) => PlatformResult {
  if (release.distrust) {
    const result: PlatformResult = { status: 'unknown', readiness: 'unknown', files: [], reason: release.distrust };
    return () => result;
  }
  // pip passes over files whose Requires-Python excludes the interpreter.
  const python = fullVersion(interp);
  const allows = (f: DistFile) => !f.requiresPython || satisfiesSpecifier(python, f.requiresPython) !== false;
  const wheels = release.wheels.filter((rw) => allows(rw.file));
  const sdists = release.sdists.filter(allows);
  if (wheels.length + sdists.length === 0 && release.wheels.length + release.sdists.length > 0) {
    const spec = [...release.wheels.map((w) => w.file), ...release.sdists].find((f) => f.requiresPython)?.requiresPython;
    const result: PlatformResult = { status: 'no-compatible-wheel', readiness: 'blocked', files: [], reason: `every file requires Python ${spec}, which excludes 3.${interp.minor}` };
    return () => result;
  }
  if (wheels.length !== release.wheels.length || sdists.length !== release.sdists.length) release = { ...release, wheels, sdists };
  const fitted = release.wheels.map((rw) => ({
    rw,
    tags: rw.wheel.tags.map((tag, i): FittedTag => {
      const fit = abiFit(tag, interp);
      return { tag, fit, rank: FIT_RANK.get(fit)!, accepts: rw.accepts[i]! };
    }),
  }));
  const ftFamilies = new Set<string>();
  for (const w of fitted) for (const t of w.tags) if (isFreeThreaded(t.fit)) for (const f of t.accepts) ftFamilies.add(f);
  return (family) => decide(release, { interpreter: interp, family }, fitted, ftFamilies);
}

export function decideStatus(release: PreparedRelease, target: Target): PlatformResult {
  return statusDecider(release, target.interpreter)(target.family);
}

function decide(
  release: PreparedRelease,
  target: Target,
  fitted: { rw: ReleaseWheel; tags: FittedTag[] }[],
  ftFamilies: ReadonlySet<string>,
): PlatformResult {
  const { interpreter: interp, family } = target;
  // For each wheel, the best fit among the tags this family's installers
  // accept, sorted into the buckets the rules below look at.
  const onFamily: WheelOnTarget[] = [];
  const ft: WheelOnTarget[] = [];
  const noAbi: WheelOnTarget[] = [];
  const abi3: WheelOnTarget[] = [];
  let gil = false;
  for (const { rw, tags } of fitted) {
    let best: FittedTag | null = null;
    for (const t of tags) {
      if ((!best || t.rank < best.rank) && t.accepts.has(family.id)) best = t;
    }
    if (!best) continue;
    const w = { rw, fit: best.fit, tag: best.tag };
    onFamily.push(w);
    if (isFreeThreaded(best.fit)) ft.push(w);
    else if (best.fit === 'no-abi') noAbi.push(w);
    else if (best.fit === 'abi3') abi3.push(w);
    else if (best.fit === 'gil') gil = true;
  }

  if (ft.length > 0) {
    const first = ft[0]!;
    const what = first.fit === 'abi3t'
      ? `an abi3t wheel (PEP 803 stable ABI for free-threaded builds, ${first.tag.python}+)`
      : `a ${first.tag.abi} wheel`;
    return { status: 'free-threaded-wheel', readiness: 'ready', files: names(ft), reason: `ships ${what} for ${family.id}` };
  }

  if (noAbi.length > 0) {
    const t = noAbi[0]!.tag;
    const reason = t.platform === 'any'
      ? `pure-Python wheel (${tagText(t)}): no compiled code, installs on any interpreter`
      : `wheel with no Python ABI (${tagText(t)}): its binary does not use the CPython ABI`;
    return { status: 'compatible-wheel', readiness: 'ready', files: names(noAbi), reason };
  }

  if (abi3.length > 0 && !gil) {
    return fallback(release, 'abi3-only', names(abi3),
      `only stable-ABI (abi3) wheels for ${family.id}, which free-threaded 3.${interp.minor} cannot load`);
  }

  if (release.wheels.length > 0) {
    const { hints, files } = nearMisses(onFamily, ftFamilies, target);
    const base = onFamily.length === 0
      ? `none of the ${plural(release.wheels.length, 'wheel')} is for ${family.id}`
      : `none of the ${plural(release.wheels.length, 'wheel')} is for cp3${interp.minor}t on ${family.id}`;
    return fallback(release, 'no-compatible-wheel', files, [base, ...hints].join('; '));
  }

  if (release.sdists.length > 0) {
    return {
      status: 'source-only',
      readiness: 'needs-build',
      files: release.sdists.map((s) => s.filename),
      reason: `no wheels at all; ${sdistClause(release)}`,
    };
  }
  return { status: 'unknown', readiness: 'unknown', files: [], reason: 'no wheel or sdist is listed for this release' };
}
