// Test-index fixtures for every package pinned in two real hash-only lock
// files of the shared corpus:
//   - sigstore__sigstore-python__install__requirements.txt (pip-compile --generate-hashes)
//   - pypa__pipenv__Pipfile.lock (default and develop sections)
//
// Those files pin versions and sha256 hashes but never name a file, so the
// fixtures invent file names: each pinned release gets files chosen by the
// package's Profile, and file i gets the package's i-th real hash. ftready,
// checking a hash-pinned file, keeps only the index files whose sha256 is
// pinned and decides from their names; expectedStatuses() says what that
// decision must be for free-threaded CPython 3.14t.
//
// Every project also gets one or two decoy files whose hashes are not pinned
// (e.g. a cp314t wheel for a GIL-only package), chosen so that, where
// possible, ftready would give a different answer if it used them.
//
// Nothing here reads the corpus when imported: pass the files' text to the
// parsers, or call loadCorpusPinned(dir) from inside a test.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { coreMetadata, escapeFilenameName, isWheel, normalizeName, type FixtureFile, type FixtureProject } from './fixtures.js';

export type Profile = 'free-threaded' | 'pure' | 'abi3' | 'gil-only' | 'sdist-only' | 'linux-ft-only';

export const PROFILES: readonly Profile[] = ['free-threaded', 'pure', 'abi3', 'gil-only', 'sdist-only', 'linux-ft-only'];

export interface PinnedPackage {
  /** As written in the file (e.g. 'jaraco.classes'); compare with normalizeName(). */
  name: string;
  /** As pinned, without '==' (e.g. '2026.1.post1'). */
  version: string;
  /** Lowercase hex sha256 digests, in file order, without duplicates. */
  hashes: string[];
  source: 'requirements' | 'pipfile-lock';
  /** The environment markers, when the file gives any (ignored by expectedStatuses). */
  markers?: string;
}

export type Platform = 'linux-x86_64' | 'windows-amd64';
export const PLATFORMS: readonly Platform[] = ['linux-x86_64', 'windows-amd64'];

export interface ExpectedStatus {
  /** PEP 503 normalised, as ftready reports it. */
  name: string;
  version: string;
  platform: Platform;
  status: string;
  readiness: string;
}

export const REQUIREMENTS_FILE = 'sigstore__sigstore-python__install__requirements.txt';
export const PIPFILE_LOCK_FILE = 'pypa__pipenv__Pipfile.lock';

export const LINUX_TAG = 'manylinux_2_17_x86_64.manylinux2014_x86_64';
export const WINDOWS_TAG = 'win_amd64';

// ---------------------------------------------------------------- parsing

/** Adds a pin, merging an exact repeat of name==version (hash lists are united, in order). */
function addPin(out: PinnedPackage[], pin: PinnedPackage): void {
  const same = out.find((p) => normalizeName(p.name) === normalizeName(pin.name) && p.version === pin.version);
  if (same === undefined) {
    out.push({ ...pin, hashes: [...new Set(pin.hashes)] });
    return;
  }
  for (const h of pin.hashes) if (!same.hashes.includes(h)) same.hashes.push(h);
  // Installed when either entry's markers hold; no markers on either side means always.
  if (same.markers === undefined || pin.markers === undefined) delete same.markers;
  else if (same.markers !== pin.markers) same.markers = `(${same.markers}) or (${pin.markers})`;
}

const requirementPin = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*==\s*([^\s;,]+)\s*(?:;\s*(.*?))?\s*$/;

/**
 * Just enough of the requirements format for pip-compile output:
 * `name==version \` followed by `--hash=sha256:...` lines, backslash
 * continuations, `#` comments. Option lines (-r, --index-url, ...) and
 * requirements that are not `==` pins are skipped.
 */
export function parsePinnedRequirements(text: string): PinnedPackage[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    // pip strips comments before joining continuations: '#' at the start or after whitespace.
    const line = raw.replace(/(^|\s)#.*$/, '');
    if (/\\$/.test(line)) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    logical.push(pending + line);
    pending = '';
  }
  if (pending !== '') logical.push(pending);

  const out: PinnedPackage[] = [];
  for (const line of logical) {
    const hashes: string[] = [];
    const rest = line
      .replace(/--hash[=\s]\s*([A-Za-z0-9]+):([0-9A-Fa-f]+)/g, (_m, alg: string, hex: string) => {
        if (alg.toLowerCase() === 'sha256') hashes.push(hex.toLowerCase());
        return ' ';
      })
      .trim();
    if (rest === '' || rest.startsWith('-')) continue;
    const m = requirementPin.exec(rest);
    if (m === null) continue;
    const pin: PinnedPackage = { name: m[1]!, version: m[2]!, hashes, source: 'requirements' };
    if (m[3]) pin.markers = m[3];
    addPin(out, pin);
  }
  return out;
}

interface PipfileEntry {
  version?: unknown;
  hashes?: unknown;
  markers?: unknown;
}

/**
 * The `default` then `develop` entries of a Pipfile.lock that pin `==version`.
 * A name pinned at the same version in both sections is one PinnedPackage;
 * at different versions, two.
 */
export function parsePinnedPipfileLock(text: string): PinnedPackage[] {
  const lock = JSON.parse(text) as Record<string, unknown>;
  const out: PinnedPackage[] = [];
  for (const section of ['default', 'develop']) {
    const entries = lock[section];
    if (entries === null || typeof entries !== 'object') continue;
    for (const [name, value] of Object.entries(entries as Record<string, PipfileEntry>)) {
      if (typeof value?.version !== 'string' || !value.version.startsWith('==')) continue; // editable, VCS, path
      const hashes = (Array.isArray(value.hashes) ? value.hashes : [])
        .filter((h): h is string => typeof h === 'string' && /^sha256:/i.test(h))
        .map((h) => h.slice('sha256:'.length).toLowerCase());
      const pin: PinnedPackage = { name, version: value.version.slice(2).trim(), hashes, source: 'pipfile-lock' };
      if (typeof value.markers === 'string') pin.markers = value.markers;
      addPin(out, pin);
    }
  }
  return out;
}

/** Reads and parses both corpus files. Call it from a test (it throws when they are absent). */
export function loadCorpusPinned(lockfilesDir: string): { requirements: PinnedPackage[]; pipfileLock: PinnedPackage[] } {
  return {
    requirements: parsePinnedRequirements(readFileSync(join(lockfilesDir, REQUIREMENTS_FILE), 'utf8')),
    pipfileLock: parsePinnedPipfileLock(readFileSync(join(lockfilesDir, PIPFILE_LOCK_FILE), 'utf8')),
  };
}

// ---------------------------------------------------------------- profiles

/**
 * Fixed profiles, by normalised name, so every profile occurs in the corpus
 * and the edge cases are deliberate. Mostly plausible, not the truth on PyPI.
 */
export const PROFILE_OVERRIDES: Readonly<Record<string, Profile>> = {
  cffi: 'free-threaded',
  markupsafe: 'free-threaded',
  coverage: 'free-threaded',
  'pydantic-core': 'linux-ft-only',
  pytokens: 'linux-ft-only',
  cryptography: 'abi3',
  'rfc3161-client': 'abi3',
  nh3: 'abi3',
  'charset-normalizer': 'gil-only',
  pyyaml: 'gil-only',
  black: 'gil-only',
  atomicwrites: 'sdist-only', // its single hash: the only file is an sdist
  stdeb: 'sdist-only',
  pyenchant: 'sdist-only', // four hashes, one file
  'typing-extensions': 'pure',
  requests: 'pure',
  urllib3: 'pure',
  idna: 'pure',
  certifi: 'pure',
  pycparser: 'pure',
};

/** Deterministic: the override table, else the first four bytes of sha256(normalised name) modulo 6. */
export function profileFor(name: string): Profile {
  const normalized = normalizeName(name);
  const fixed = PROFILE_OVERRIDES[normalized];
  if (fixed !== undefined) return fixed;
  const n = createHash('sha256').update(normalized).digest().readUInt32BE(0);
  return PROFILES[n % PROFILES.length]!;
}

/** Release file specs per profile, in the order hashes are handed out ('sdist' or a wheel tag triple). */
export const PROFILE_FILES: Readonly<Record<Profile, readonly string[]>> = {
  'free-threaded': [`cp314-cp314t-${LINUX_TAG}`, `cp314-cp314t-${WINDOWS_TAG}`, 'sdist'],
  'linux-ft-only': [`cp314-cp314t-${LINUX_TAG}`, `cp314-cp314-${WINDOWS_TAG}`],
  pure: ['py3-none-any', 'sdist'],
  abi3: [`cp39-abi3-${LINUX_TAG}`, `cp39-abi3-${WINDOWS_TAG}`, 'sdist'],
  'gil-only': [`cp314-cp314-${LINUX_TAG}`, `cp314-cp314-${WINDOWS_TAG}`],
  'sdist-only': ['sdist'],
};

/** Decoy candidates, in order of preference. */
const DECOY_SPECS = [`cp314-cp314t-${LINUX_TAG}`, `cp314-cp314t-${WINDOWS_TAG}`, 'sdist', 'py3-none-any'];

// ---------------------------------------------------------------- files

/** PEP 427 wheel name (escaped name, version as pinned) or PEP 625 sdist name. */
export function fixtureFilename(name: string, version: string, spec: string): string {
  if (spec === 'sdist') return `${normalizeName(name).replace(/-/g, '_')}-${version}.tar.gz`;
  if (spec.split('-').length !== 3) throw new Error(`fixtureFilename(): bad wheel tag triple '${spec}'`);
  return `${escapeFilenameName(name)}-${version}-${spec}.whl`;
}

function fixtureFile(name: string, version: string, spec: string, sha256: string): FixtureFile {
  const filename = fixtureFilename(name, version, spec);
  const file: FixtureFile = { filename, sha256 };
  if (isWheel(filename)) file.metadata = coreMetadata({ name, version, requiresPython: '>=3.9' });
  return file;
}

/** A made-up hash that no lock file pins: sha256 of the file name, which is also what the index serves. */
function decoyHash(filename: string): string {
  return createHash('sha256').update(filename, 'utf8').digest('hex');
}

interface Release {
  version: string;
  hashes: string[];
}

/** Pins grouped by normalised name (first-seen display name), releases by version with united hash lists. */
function group(pinned: readonly PinnedPackage[]): Map<string, { name: string; releases: Release[] }> {
  const byName = new Map<string, { name: string; releases: Release[] }>();
  for (const p of pinned) {
    const key = normalizeName(p.name);
    let entry = byName.get(key);
    if (entry === undefined) byName.set(key, (entry = { name: p.name, releases: [] }));
    let rel = entry.releases.find((r) => r.version === p.version);
    if (rel === undefined) entry.releases.push((rel = { version: p.version, hashes: [] }));
    for (const h of p.hashes) if (!rel.hashes.includes(h)) rel.hashes.push(h);
  }
  return byName;
}

/** Whether a set of decided results differs. */
function differs(a: readonly FileDecision[], b: readonly FileDecision[]): boolean {
  return a.some((r, i) => r.status !== b[i]?.status || r.readiness !== b[i]?.readiness);
}

/**
 * One project per normalised name (named as first pinned), every pinned
 * version as a release whose files carry that version's pinned hashes, plus
 * one or two decoys (unpinned hashes) on the first pinned version.
 */
export function corpusFixtures(pinned: readonly PinnedPackage[]): FixtureProject[] {
  const projects: FixtureProject[] = [];
  for (const { name, releases } of group(pinned).values()) {
    const specs = PROFILE_FILES[profileFor(name)];
    const files: FixtureFile[] = [];
    releases.forEach((rel, i) => {
      const real = specs.slice(0, rel.hashes.length).map((spec, j) => fixtureFile(name, rel.version, spec, rel.hashes[j]!));
      files.push(...real);
      if (i === 0) files.push(...decoys(name, rel.version, real));
    });
    projects.push({ name, files });
  }
  return projects;
}

/** Up to two decoys that would each change a decision if used; at least one file. */
function decoys(name: string, version: string, real: readonly FixtureFile[]): FixtureFile[] {
  const realNames = real.map((f) => f.filename);
  const baseline = PLATFORMS.map((p) => classifyFiles(realNames, p));
  const candidates = DECOY_SPECS.map((spec) => fixtureFilename(name, version, spec)).filter((f) => !realNames.includes(f));
  const useful = candidates.filter((f) => differs(baseline, PLATFORMS.map((p) => classifyFiles([...realNames, f], p))));
  const chosen = (useful.length > 0 ? useful : candidates).slice(0, useful.length > 0 ? 2 : 1);
  return chosen.map((filename) => {
    const file: FixtureFile = { filename, sha256: decoyHash(filename) };
    if (isWheel(filename)) file.metadata = coreMetadata({ name, version, requiresPython: '>=3.9' });
    return file;
  });
}

// ---------------------------------------------------------------- expected statuses

export interface FileDecision {
  status: 'free-threaded-wheel' | 'compatible-wheel' | 'abi3-only' | 'no-compatible-wheel' | 'source-only';
  readiness: 'ready' | 'needs-build' | 'blocked';
}

function platformFits(tag: string, platform: Platform): boolean {
  return platform === 'windows-amd64' ? tag === 'win_amd64' : /^manylinux(?:1|2010|2014|_\d+_\d+)_x86_64$/.test(tag);
}

/**
 * The rules for CPython 3.14t applied to the file names of one release (the
 * hash-matched files): cp314t wheel for the platform, else py3-none-any,
 * else only abi3 wheels for the platform, else any wheel, else an sdist.
 */
export function classifyFiles(filenames: readonly string[], platform: Platform): FileDecision {
  if (filenames.length === 0) throw new Error('classifyFiles(): no files');
  let ft = false;
  let pure = false;
  let abi3 = false;
  let gil = false;
  let wheels = false;
  let sdist = false;
  for (const filename of filenames) {
    if (!isWheel(filename)) {
      sdist = true;
      continue;
    }
    wheels = true;
    const parts = filename.slice(0, -'.whl'.length).split('-');
    if (parts.length !== 5 && parts.length !== 6) throw new Error(`classifyFiles(): bad wheel name '${filename}'`);
    const [py = '', abi = '', plat = ''] = parts.slice(-3);
    const pys = py.split('.');
    const abis = abi.split('.');
    const plats = plat.split('.');
    const here = plats.some((t) => platformFits(t, platform));
    if (here && pys.includes('cp314') && abis.includes('cp314t')) ft = true;
    if (abis.includes('none') && plats.includes('any') && pys.some((t) => t === 'py3' || t === 'py314')) pure = true;
    if (here && abis.includes('abi3') && pys.some((t) => /^cp3(\d+)$/.test(t) && Number(t.slice(3)) <= 14)) abi3 = true;
    if (here && abis.includes('cp314')) gil = true;
  }
  if (ft) return { status: 'free-threaded-wheel', readiness: 'ready' };
  if (pure) return { status: 'compatible-wheel', readiness: 'ready' };
  const readiness = sdist ? 'needs-build' : 'blocked';
  if (abi3 && !gil) return { status: 'abi3-only', readiness };
  if (wheels) return { status: 'no-compatible-wheel', readiness };
  return { status: 'source-only', readiness: 'needs-build' };
}

/**
 * What corpusFixtures(pinned) dictates for 3.14t: per pin and platform, the
 * decision from the fixture files whose sha256 that pin lists (decoys never
 * match). Pass the same list the index was built from. Rows repeat only when
 * the same name==version gives different answers (different hash lists).
 * Markers are not applied.
 */
export function expectedStatuses(pinned: readonly PinnedPackage[]): ExpectedStatus[] {
  const projects = new Map(corpusFixtures(pinned).map((p) => [normalizeName(p.name), p]));
  const rows: ExpectedStatus[] = [];
  for (const pin of pinned) {
    const name = normalizeName(pin.name);
    const hashes = new Set(pin.hashes);
    const matched = (projects.get(name)?.files ?? []).filter((f) => f.sha256 !== undefined && hashes.has(f.sha256)).map((f) => f.filename);
    if (matched.length === 0) throw new Error(`expectedStatuses(): ${pin.name}==${pin.version} pins no hash`);
    for (const platform of PLATFORMS) {
      const row: ExpectedStatus = { name, version: pin.version, platform, ...classifyFiles(matched, platform) };
      const dup = rows.some((r) => r.name === row.name && r.version === row.version && r.platform === platform && r.status === row.status && r.readiness === row.readiness);
      if (!dup) rows.push(row);
    }
  }
  return rows;
}
