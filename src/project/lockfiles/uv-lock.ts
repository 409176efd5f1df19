import { normalizeProjectName } from '../../standards/project-name.js';
import { sameVersion } from '../../standards/versions.js';
import { InputError } from '../input-error.js';
import type { LockedPackage, Lockfile } from '../lockfile.js';
import { arrayOr, hashFromString, isTable, lockMarker, fileReader, sdistAndWheels, startEntry, stringOr, tableOr, type TomlTable } from './toml-fields.js';

// uv.lock, version 1, revisions 1 to 3 (docs.astral.sh/uv/concepts/resolution).
// Dependencies are edges with markers; the project itself is the editable or
// virtual package at the root of the graph.

const NEWEST_REVISION = 3;

interface RawEdge {
  from: number;
  table: TomlTable;
}

const fileOf = fileReader('filename', (t) => hashFromString(t.hash));

function notCheckableReason(source: TomlTable | undefined, hasFiles: boolean): string | null {
  if (!source) return null;
  const editable = stringOr(source.editable);
  if (editable !== undefined) return editable === '.' ? 'the project itself (editable)' : `editable install from ${editable}`;
  const virtual = stringOr(source.virtual);
  if (virtual !== undefined) return virtual === '.' ? 'the project itself (virtual workspace root)' : `virtual workspace member ${virtual}`;
  const git = stringOr(source.git);
  if (git !== undefined) return `from git: ${git}`;
  const path = stringOr(source.path) ?? stringOr(source.directory);
  if (path !== undefined) return `from a local path: ${path}`;
  if (stringOr(source.url) !== undefined && !hasFiles) return `from a direct URL: ${stringOr(source.url)}`;
  return null;
}

function sameSource(a: unknown, b: unknown): boolean {
  const key = (v: unknown) => (isTable(v) ? JSON.stringify(Object.entries(v).sort()) : '');
  return key(a) === key(b);
}

export function readUvLock(doc: TomlTable, path: string): Lockfile {
  const version = doc.version;
  if (version === undefined) throw new InputError(path, 'not a uv.lock: there is no top-level "version"');
  if (version !== 1) throw new InputError(path, `uv.lock version ${String(version)} is not supported; ftready reads version 1`);
  const notes: string[] = [];
  const revision = typeof doc.revision === 'number' ? doc.revision : 1;
  if (revision > NEWEST_REVISION) notes.push(`${path}: uv.lock revision ${revision} is newer than ftready knows (${NEWEST_REVISION}); reading it as revision ${NEWEST_REVISION}`);
  if (doc.package !== undefined && !Array.isArray(doc.package)) throw new InputError(path, '"package" must be an array of tables ([[package]])');

  const packages: LockedPackage[] = [];
  const edges: RawEdge[] = [];
  const sources: unknown[] = [];
  const roots: number[] = [];
  arrayOr(doc.package).forEach((entry, i) => {
    const { t, name, label, problems } = startEntry(entry, i);
    const pkgVersion = stringOr(t.version) ?? '';
    const source = tableOr(t.source);
    const files = sdistAndWheels(t, fileOf, problems);
    const resolutionMarkers = arrayOr(t['resolution-markers'])
      .map((m, k) => lockMarker(m, `resolution marker #${k + 1}`, problems))
      .filter((m) => m !== null);
    const index = packages.length;
    for (const dep of arrayOr(t.dependencies)) if (isTable(dep)) edges.push({ from: index, table: dep });
    for (const groupKey of ['optional-dependencies', 'dev-dependencies']) {
      for (const group of Object.values(tableOr(t[groupKey]) ?? {})) {
        for (const dep of arrayOr(group)) if (isTable(dep)) edges.push({ from: index, table: dep });
      }
    }
    if (source && (source.editable !== undefined || source.virtual !== undefined)) roots.push(index);
    sources.push(t.source);
    packages.push({
      name: name ?? label,
      version: pkgVersion,
      files,
      notCheckable: notCheckableReason(source, files.length > 0),
      problem: problems.length > 0 ? problems.join('; ') : null,
      markers: resolutionMarkers,
      dependencies: [],
    });
  });

  const byName = new Map<string, number[]>();
  packages.forEach((p, i) => {
    const key = normalizeProjectName(p.name);
    byName.set(key, [...(byName.get(key) ?? []), i]);
  });
  for (const { from, table } of edges) {
    const depName = stringOr(table.name);
    if (!depName) continue;
    let candidates = byName.get(normalizeProjectName(depName)) ?? [];
    const wantVersion = stringOr(table.version);
    if (candidates.length > 1 && wantVersion) candidates = candidates.filter((c) => sameVersion(packages[c]!.version, wantVersion));
    if (candidates.length > 1 && table.source !== undefined) candidates = candidates.filter((c) => sameSource(sources[c], table.source));
    if (candidates.length === 0) {
      notes.push(`${path}: ${packages[from]!.name} depends on ${depName}, which the lockfile does not list`);
      continue;
    }
    const problems: string[] = [];
    const marker = lockMarker(table.marker, `dependency ${depName} of ${packages[from]!.name}`, problems);
    notes.push(...problems.map((p) => `${path}: ${p} (treated as always true)`));
    for (const to of candidates) packages[from]!.dependencies.push({ to, marker });
  }

  // With a graph, reachability decides installation; resolution markers only
  // matter for lockfiles without a project root (e.g. from `uv pip compile`).
  if (roots.length > 0) for (const p of packages) p.markers = [];
  return {
    format: 'uv.lock',
    path,
    packages,
    roots: roots.length > 0 ? roots : null,
    requiresPython: stringOr(doc['requires-python']) ?? null,
    notes,
  };
}
