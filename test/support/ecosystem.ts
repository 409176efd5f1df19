// A synthetic but realistic package ecosystem, for tests and benchmarks of
// the tracker (`ftready sync`), which syncs every project of an index.
//
// Names, versions, wheel sets, upload times, metadata and download ranks look
// like PyPI's, and the histories the tracker must recognise all occur: first
// ready release, dropped support, abi3-only, sdist-only, yanked, pre-release
// only, plus a few hostile values for the web pages to escape.
//
// Pure: the same (size, seed) always gives the same value. Project i depends
// only on (seed, i), so a smaller ecosystem's projects are a prefix of a
// larger one's (benchmarks of different sizes see the same projects).

import { normalizeName, project, release, type FixtureFile, type FixtureProject, type ReleaseOptions } from './fixtures.js';

/** A row of the public "top PyPI packages" list (hugovk.github.io/top-pypi-packages). */
export interface TopListRow {
  download_count: number;
  /** The normalised name, as that list gives it. */
  project: string;
}

/** The top-PyPI-packages JSON: rows sorted by decreasing download count. */
export interface TopList {
  last_update: string;
  rows: TopListRow[];
}

export interface Ecosystem {
  projects: FixtureProject[];
  topList: TopList;
}

/** The hostile values placed in the projects at positions 2, 3 (HTML and URL injection) and 5 (unicode). */
export const hostileText = {
  script: '<script>alert(1)</script>',
  attribute: '"><img src=x onerror=alert(1)>',
  javascriptUrl: 'javascript:alert(1)',
  dataUrl: 'data:text/html,<script>alert(1)</script>',
  /** U+202E RIGHT-TO-LEFT OVERRIDE ... U+202C POP DIRECTIONAL FORMATTING, among other non-ASCII text. */
  unicode: 'Ünïcödé 数据 🐍 \u202Egnp.exe\u202C naïve café',
} as const;

/**
 * `size` projects and their download ranks; see the file comment. Projects
 * 2 and 3 carry hostile summaries and URLs, project 5 unicode (hostileText).
 */
export function generateEcosystem(size: number, seed = 7): Ecosystem {
  const projects = Array.from({ length: size }, (_, index) => generateProject(index, seed));
  return { projects, topList: topList(projects, seed) };
}

// ---------------------------------------------------------------- randomness

interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T>(table: ReadonlyArray<readonly [T, number]>): T;
}

/** mulberry32: small, fast, and good enough for fixtures. */
function rng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => at(items, Math.floor(next() * items.length)),
    weighted<T>(table: ReadonlyArray<readonly [T, number]>): T {
      let roll = next() * table.reduce((sum, [, weight]) => sum + weight, 0);
      for (const [value, weight] of table) {
        roll -= weight;
        if (roll < 0) return value;
      }
      return at(table, table.length - 1)[0];
    },
  };
}

/** items[i], which must exist. */
function at<T>(items: readonly T[], i: number): T {
  const item = items[i];
  if (item === undefined) throw new Error(`ecosystem: no item ${i} of ${items.length}`);
  return item;
}

/** A stream per project, so that project i does not depend on the projects before it. */
function projectRng(seed: number, index: number): Rng {
  return rng(Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b));
}

// ---------------------------------------------------------------- time and interpreters

const DAY = 86_400_000;
const START = Date.UTC(2019, 0, 2);
const END = Date.UTC(2026, 0, 31);

/** CPython 3.x minors and their release dates: a compiled release ships wheels for the newest three of its day. */
const CPYTHON: ReadonlyArray<readonly [minor: number, released: number]> = [
  [5, Date.UTC(2015, 8, 13)],
  [6, Date.UTC(2016, 11, 23)],
  [7, Date.UTC(2018, 5, 27)],
  [8, Date.UTC(2019, 9, 14)],
  [9, Date.UTC(2020, 9, 5)],
  [10, Date.UTC(2021, 9, 4)],
  [11, Date.UTC(2022, 9, 24)],
  [12, Date.UTC(2023, 9, 2)],
  [13, Date.UTC(2024, 9, 7)],
  [14, Date.UTC(2025, 9, 7)],
];
/** Free-threaded builds exist from 3.13 on. */
const FIRST_FREE_THREADED = 13;
/** After 3.14.0, with a margin for the time of day that timeline() subtracts. */
const AFTER_314 = Date.UTC(2025, 9, 9);

function gilMinors(time: number): number[] {
  return CPYTHON.filter(([, released]) => released <= time)
    .map(([minor]) => minor)
    .slice(-3);
}

function freeThreadedMinors(time: number): number[] {
  return gilMinors(time).filter((minor) => minor >= FIRST_FREE_THREADED);
}

/** PEP 700's form: yyyy-mm-ddThh:mm:ss.ffffffZ. */
function uploadTime(time: number): string {
  return new Date(time).toISOString().replace(/Z$/, '000Z');
}

/** `count` increasing release times ending between endMin and END, 15 to 200 days apart, none before `from`. */
function timeline(r: Rng, count: number, from: number, endMin: number): number[] {
  const end = r.int(endMin, END);
  const gap = Math.min(r.int(15, 200) * DAY, (end - from) / count);
  return Array.from({ length: count }, (_, k) => Math.round(end - (count - 1 - k) * gap - r.int(0, 86_399) * 1000));
}

// ---------------------------------------------------------------- versions

/** Increasing versions: x.y.z or x.y, with the odd pre-release before a release and post-release after one. */
function versionSequence(r: Rng, count: number): string[] {
  const twoPart = r.chance(0.25);
  let [major, minor, patch] = [r.int(0, 1), r.int(0, 9), 0];
  const out: string[] = [];
  while (out.length < count) {
    const version = twoPart ? `${major}.${minor}` : `${major}.${minor}.${patch}`;
    if (out.length + 2 <= count && r.chance(0.1)) out.push(`${version}${r.pick(['a1', 'b1', 'rc1'])}`);
    out.push(version);
    if (out.length < count && r.chance(0.05)) out.push(`${version}.post1`);
    const bump = r.next();
    if (bump < 0.1) [major, minor, patch] = [major + 1, 0, 0];
    else if (twoPart || bump < 0.4) [minor, patch] = [minor + 1, 0];
    else patch++;
  }
  return out;
}

/** Calendar versions (like certifi's), unique because releases are at least 15 days apart. */
function calendarVersions(times: number[]): string[] {
  return times.map((t) => {
    const d = new Date(t);
    return `${d.getUTCFullYear()}.${d.getUTCMonth() + 1}.${d.getUTCDate()}`;
  });
}

function prereleaseVersions(r: Rng, count: number): string[] {
  const base = `0.${r.int(1, 9)}.0`;
  return ['a1', 'a2', 'b1', 'b2', 'rc1', 'rc2'].slice(0, count).map((suffix) => base + suffix);
}

// ---------------------------------------------------------------- wheels

const LINUX_X86 = 'manylinux_2_17_x86_64.manylinux2014_x86_64';
const LINUX_ARM = 'manylinux_2_17_aarch64.manylinux2014_aarch64';
const MAC_ARM = 'macosx_11_0_arm64';
const WINDOWS = 'win_amd64';
const MUSL = ['musllinux_1_2_x86_64', 'musllinux_1_2_aarch64'];

const gilWheels = (minors: number[], platforms: string[]): string[] =>
  minors.flatMap((m) => platforms.map((p) => `cp3${m}-cp3${m}-${p}`));

const freeThreadedWheels = (minors: number[], platforms: string[]): string[] =>
  minors.flatMap((m) => platforms.map((p) => `cp3${m}-cp3${m}t-${p}`));

const abi3Wheels = (platforms: string[]): string[] => platforms.map((p) => `cp39-abi3-${p}`);

/** Inserts a PEP 427 build tag into the wheel names of one release: name-1.0-1-cp313-cp313-... */
function withBuildTag(files: FixtureFile[], version: string, tag: string): FixtureFile[] {
  return files.map((f) => (f.filename.endsWith('.whl') ? { ...f, filename: f.filename.replace(`-${version}-`, `-${version}-${tag}-`) } : f));
}

// ---------------------------------------------------------------- kinds

/** What one release ships, before metadata is attached. */
interface ReleaseShape {
  specs: string[];
  /** Has free-threaded wheels; only such releases carry the free-threading classifier. */
  freeThreaded?: boolean;
  yanked?: string;
  buildTag?: string;
}

interface ShapeContext {
  r: Rng;
  times: number[];
  /** The five default platforms, with universal2 instead of x86_64 on macOS for some projects. */
  platforms: string[];
  /** Where free-threaded wheels are built: `platforms`, or for some projects all but Windows. */
  freeThreadedPlatforms: string[];
}

interface Kind {
  weight: number;
  minReleases?: number;
  maxReleases?: number;
  /** Earliest first release, e.g. not before the interpreter its wheels need. */
  from?: number;
  /** Earliest newest release. */
  endMin?: number;
  versions?: (r: Rng, count: number) => string[];
  shape: (c: ShapeContext) => ReleaseShape[];
}

/** A random release from which free-threaded wheels can exist, not after `last`; after the first release when possible. */
function firstReadyIndex(c: ShapeContext, last: number): number {
  const candidates = c.times.flatMap((t, k) => (k <= last && freeThreadedMinors(t).length > 0 ? [k] : []));
  const later = candidates.filter((k) => k > 0);
  return c.r.pick(later.length > 0 ? later : candidates);
}

/** A compiled release: wheels for the GIL-enabled interpreters of its day, and when `ready` for the free-threaded ones too. */
function compiledRelease(c: ShapeContext, time: number, ready: boolean): ReleaseShape {
  const gil = gilWheels(gilMinors(time), c.platforms);
  if (!ready) return { specs: [...gil, 'sdist'] };
  return { specs: [...gil, ...freeThreadedWheels(freeThreadedMinors(time), c.freeThreadedPlatforms), 'sdist'], freeThreaded: true };
}

/** GIL-only wheels in old releases, free-threaded ones too from a first-ready release on. */
function gainsFreeThreading(c: ShapeContext): ReleaseShape[] {
  const firstReady = firstReadyIndex(c, c.times.length - 1);
  return c.times.map((t, k) => compiledRelease(c, t, k >= firstReady));
}

/** For kinds whose newest release must have cp314 wheels. */
const RECENT = { endMin: AFTER_314 };

const KINDS = {
  pure: {
    weight: 40,
    // Universal py2.py3 wheels were common until Python 2's end of life.
    shape: (c) => c.times.map((t) => ({ specs: [t < Date.UTC(2020, 0, 1) ? 'py2.py3-none-any' : 'py3-none-any', 'sdist'] })),
  },
  'sdist-only': { weight: 10, shape: (c) => c.times.map(() => ({ specs: ['sdist'] })) },
  'abi3-only': {
    weight: 10,
    from: Date.UTC(2020, 9, 6),
    shape: (c) => {
      // Without an sdist, free-threaded interpreters are blocked; with one, they must build.
      const sdist = c.r.chance(0.5) ? ['sdist'] : [];
      return c.times.map(() => ({ specs: [...abi3Wheels(c.platforms), ...sdist] }));
    },
  },
  'gains-ft': { weight: 25, ...RECENT, shape: gainsFreeThreading },
  'dropped-ft': {
    weight: 5,
    minReleases: 2,
    ...RECENT,
    shape: (c) => {
      const newest = c.times.length - 1;
      const firstReady = firstReadyIndex(c, newest - 1);
      return c.times.map((t, k) => compiledRelease(c, t, k >= firstReady && k < newest));
    },
  },
  'gil-only': { weight: 5, ...RECENT, shape: (c) => c.times.map((t) => compiledRelease(c, t, false)) },
  // The odd ones, 5% in all.
  musllinux: {
    weight: 1,
    ...RECENT,
    shape: (c) => gainsFreeThreading({ ...c, platforms: [...c.platforms, ...MUSL], freeThreadedPlatforms: [...c.freeThreadedPlatforms, ...MUSL] }),
  },
  'cp315t-abi3t': {
    weight: 1,
    ...RECENT,
    from: Date.UTC(2020, 9, 6),
    shape: (c) => {
      const newest = c.times.length - 1;
      return c.times.map((_, k) => {
        // Early wheels for the next interpreter: cp315t in the release before the newest, PEP 803's abi3t in the newest.
        const next = k === newest ? ['cp315-abi3.abi3t-manylinux_2_28_x86_64'] : k === newest - 1 ? ['cp315-cp315t-manylinux_2_28_x86_64'] : [];
        return { specs: [...abi3Wheels(c.platforms), ...next, 'sdist'], freeThreaded: next.length > 0 };
      });
    },
  },
  'yanked-latest': {
    weight: 1,
    ...RECENT,
    shape: (c) => gainsFreeThreading(c).map((shape, k) => (k === c.times.length - 1 ? { ...shape, yanked: 'broken build' } : shape)),
  },
  'build-tag': {
    weight: 1,
    ...RECENT,
    shape: (c) => gainsFreeThreading(c).map((shape, k) => (k === c.times.length - 1 ? { ...shape, buildTag: '1' } : shape)),
  },
  'prerelease-only': { weight: 1, maxReleases: 6, ...RECENT, versions: prereleaseVersions, shape: gainsFreeThreading },
} satisfies Record<string, Kind>;

type KindName = keyof typeof KINDS;

const KIND_TABLE = Object.entries(KINDS).map(([name, kind]) => [name as KindName, kind.weight] as const);

// ---------------------------------------------------------------- projects

const NAME_PATTERNS: ReadonlyArray<(n: string) => string> = [
  (n) => `eco-pkg-${n}`,
  (n) => `Eco_Lib.${n}`,
  (n) => `py-eco${n}`,
  (n) => `eco.tools.${n}`,
  (n) => `EcoKit-${n}`,
  (n) => `eco_${n}_utils`,
  (n) => `ECO-${n}-Bindings`,
];

/** Unique after normalisation: every pattern has its own words around the number. */
function projectName(index: number): string {
  return at(NAME_PATTERNS, index % NAME_PATTERNS.length)(String(index + 1).padStart(4, '0'));
}

const FREE_THREADING_LEVELS = [
  ['1 - Unstable', 2],
  ['2 - Beta', 5],
  ['3 - Stable', 2],
  ['4 - Resilient', 1],
] as const;

const ADJECTIVES = ['Fast', 'Tiny', 'Async', 'Robust', 'Pythonic', 'Typed', 'Lazy', 'Portable'];
const NOUNS = ['parser', 'client', 'bindings', 'toolkit', 'serializer', 'cache', 'validator', 'scheduler'];
const TOPICS = ['JSON', 'YAML', 'HTTP', 'images', 'time zones', 'geometry', 'compression', 'cryptography', 'dataframes'];

/** Forced kinds and texts at fixed positions, so that tests can find them. */
const SPECIAL: Record<number, { kind: KindName; summary: string; urls?: (urls: Record<string, string>) => Record<string, string> }> = {
  2: {
    kind: 'pure',
    summary: `Fast parser ${hostileText.script} ${hostileText.attribute}`,
    urls: (urls) => ({ ...urls, Homepage: hostileText.javascriptUrl, Source: hostileText.dataUrl }),
  },
  3: {
    kind: 'gains-ft',
    summary: `${hostileText.attribute} bindings'; DROP TABLE projects; -- {{7*7}} ${hostileText.script}`,
    urls: (urls) => ({ ...urls, Documentation: hostileText.javascriptUrl, 'Issues"><b>': hostileText.dataUrl }),
  },
  5: { kind: 'pure', summary: `${hostileText.unicode} toolkit` },
};

function generateProject(index: number, seed: number): FixtureProject {
  const r = projectRng(seed, index);
  const name = projectName(index);
  const special = SPECIAL[index];
  const kindName = special?.kind ?? r.weighted(KIND_TABLE);
  const kind: Kind = KINDS[kindName];

  const count = Math.min(kind.maxReleases ?? 12, Math.max(kind.minReleases ?? 1, 1 + Math.floor(12 * r.next() ** 1.6)));
  const from = kind.from ?? START;
  const times = timeline(r, count, from, Math.max(kind.endMin ?? 0, from + 180 * DAY));
  const versions = kind.versions?.(r, count) ?? (r.chance(0.1) ? calendarVersions(times) : versionSequence(r, count));

  const macX86 = r.chance(0.25) ? 'macosx_10_9_universal2' : 'macosx_10_13_x86_64';
  const platforms = [LINUX_X86, LINUX_ARM, MAC_ARM, macX86, WINDOWS];
  const freeThreadedPlatforms = r.chance(0.2) ? platforms.filter((p) => p !== WINDOWS) : platforms;
  const shapes = kind.shape({ r, times, platforms, freeThreadedPlatforms });

  const baseUrl = `https://example.org/eco/${normalizeName(name)}`;
  const defaultUrls = { Homepage: baseUrl, Source: `${baseUrl}/source`, Issues: `${baseUrl}/issues` };
  const projectUrls = special?.urls?.(defaultUrls) ?? defaultUrls;
  const summary = special?.summary ?? `${r.pick(ADJECTIVES)} ${r.pick(NOUNS)} for ${r.pick(TOPICS)}`;
  const classifier = r.chance(1 / 3) ? [`Programming Language :: Python :: Free Threading :: ${r.weighted(FREE_THREADING_LEVELS)}`] : [];
  const requiresDist = dependencies(r, index);

  const releases = shapes.map((shape, k) => {
    const version = at(versions, k);
    const time = at(times, k);
    const options: ReleaseOptions = {
      summary,
      projectUrls,
      requiresPython: `>=3.${at(gilMinors(time), 0)}`,
      uploadTime: uploadTime(time),
      ...(requiresDist.length > 0 && { requiresDist }),
      ...(shape.freeThreaded === true && classifier.length > 0 && { classifiers: classifier }),
      ...(shape.yanked !== undefined && { yanked: shape.yanked }),
    };
    const files = release(name, version, shape.specs, options);
    return shape.buildTag === undefined ? files : withBuildTag(files, version, shape.buildTag);
  });
  return project(name, ...releases);
}

/** Half the projects depend on up to three earlier ones, which keeps the graph acyclic and project i independent of later ones. */
function dependencies(r: Rng, index: number): string[] {
  if (index === 0 || !r.chance(0.5)) return [];
  const targets = new Set(Array.from({ length: r.int(1, 3) }, () => r.int(0, index - 1)));
  return [...targets].map((j) => (r.chance(0.2) ? `${projectName(j)}; python_version < "3.11"` : projectName(j)));
}

// ---------------------------------------------------------------- downloads

/** Every project in a seeded random order, with Zipf-like download counts (rank 1 about 1.5 billion a month). */
function topList(projects: FixtureProject[], seed: number): TopList {
  const r = rng(seed ^ 0x5bd1e995);
  const names = projects.map((p) => normalizeName(p.name));
  for (let i = names.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [names[i], names[j]] = [at(names, j), at(names, i)];
  }
  let previous = Infinity;
  const rows = names.map((name, rank) => {
    // Strictly decreasing, even where the curve flattens out.
    const count = Math.min(previous - 1, Math.floor(1.5e9 / (rank + 1) ** 1.1));
    previous = count;
    return { download_count: count, project: name };
  });
  return { last_update: '2026-01-31 08:00:00', rows };
}
