// Fixture descriptions for the test package index (index-server.ts).
//
// Everything here is pure: the same call always gives the same value, so
// tests that describe an index with these helpers are reproducible.

/** One distribution file of a project, as the index announces it. */
export interface FixtureFile {
  /** e.g. 'numpy-2.3.1-cp314-cp314t-manylinux_2_17_x86_64.whl' or 'numpy-2.3.1.tar.gz' */
  filename: string;
  /** Default: sha256 of the filename, which is also what /files/<filename> serves, so it verifies. */
  sha256?: string;
  /** e.g. '>=3.10' */
  requiresPython?: string;
  /** PEP 592: true, or a reason string (any string, even '', means yanked). */
  yanked?: boolean | string;
  /** ISO 8601. Default: derived from the file's position in the project (see defaultUploadTime). */
  uploadTime?: string;
  /** Default: byte length of the served file (the UTF-8 filename). */
  size?: number;
  /** Core metadata text (PEP 658/714) served at the file URL + '.metadata'; false or absent = none. */
  metadata?: string | false;
}

export interface FixtureProject {
  /** The display name; the index keys projects by its PEP 503 normalised form. */
  name: string;
  files: FixtureFile[];
  /** PEP 700; default: the versions parsed from the file names, in order of first appearance. */
  versions?: string[];
}

export interface CoreMetadataOptions {
  name: string;
  version: string;
  requiresDist?: string[];
  requiresPython?: string;
  providesExtra?: string[];
  classifiers?: string[];
  summary?: string;
  /** Rendered as 'Project-URL: label, url' headers. */
  projectUrls?: Record<string, string>;
}

export interface ReleaseOptions {
  requiresDist?: string[];
  requiresPython?: string;
  classifiers?: string[];
  providesExtra?: string[];
  summary?: string;
  projectUrls?: Record<string, string>;
  /** Applied to every file of the release. */
  yanked?: boolean | string;
  /** Applied to every file of the release. */
  uploadTime?: string;
  /** false: no file of the release gets metadata. */
  metadata?: false;
}

/** PEP 503 normalisation: lowercase, runs of '-', '_' and '.' become '-'. */
export function normalizeName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** PEP 427 escaping of the name part of a file name: runs of '-', '_' and '.' become '_'. */
export function escapeFilenameName(name: string): string {
  return name.replace(/[-_.]+/g, '_');
}

const sdistSuffixes = ['.tar.gz', '.tar.bz2', '.tar.xz', '.tgz', '.zip', '.tar'];

/** Whether a file name is a wheel. */
export function isWheel(filename: string): boolean {
  return filename.endsWith('.whl');
}

/**
 * The version in a wheel or sdist file name, or undefined when it has none.
 * For sdists of legacy names containing '-', pass the project name so the
 * split point can be found.
 */
export function versionFromFilename(filename: string, projectName?: string): string | undefined {
  if (isWheel(filename)) {
    const parts = filename.slice(0, -'.whl'.length).split('-');
    return parts.length === 5 || parts.length === 6 ? parts[1] : undefined;
  }
  const suffix = sdistSuffixes.find((s) => filename.endsWith(s));
  if (suffix === undefined) return undefined;
  const stem = filename.slice(0, -suffix.length);
  if (projectName !== undefined) {
    const wanted = normalizeName(projectName);
    for (let i = stem.indexOf('-'); i !== -1; i = stem.indexOf('-', i + 1)) {
      if (normalizeName(stem.slice(0, i)) === wanted) return stem.slice(i + 1) || undefined;
    }
  }
  const dash = stem.indexOf('-');
  return dash === -1 ? undefined : stem.slice(dash + 1) || undefined;
}

/** The versions of a project: its explicit list, else parsed from file names in order of first appearance. */
export function projectVersions(project: FixtureProject): string[] {
  if (project.versions !== undefined) return [...project.versions];
  const seen: string[] = [];
  for (const f of project.files) {
    const v = versionFromFilename(f.filename, project.name);
    if (v !== undefined && !seen.includes(v)) seen.push(v);
  }
  return seen;
}

/**
 * The default upload time of the fileIndex-th file of the versionIndex-th
 * version: releases 30 days apart from 2020-01-01, files a minute apart,
 * in PEP 700's 'yyyy-mm-ddThh:mm:ss.ffffffZ' form.
 */
export function defaultUploadTime(versionIndex: number, fileIndex: number): string {
  const ms = Date.UTC(2020, 0, 1) + versionIndex * 30 * 86_400_000 + fileIndex * 60_000 + 123;
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1456Z');
}

/** Renders a core metadata (METADATA) file, Metadata-Version 2.4. */
export function coreMetadata(options: CoreMetadataOptions): string {
  const lines = ['Metadata-Version: 2.4', `Name: ${options.name}`, `Version: ${options.version}`];
  if (options.summary !== undefined) lines.push(`Summary: ${options.summary}`);
  for (const c of options.classifiers ?? []) lines.push(`Classifier: ${c}`);
  for (const [label, url] of Object.entries(options.projectUrls ?? {})) lines.push(`Project-URL: ${label}, ${url}`);
  if (options.requiresPython !== undefined) lines.push(`Requires-Python: ${options.requiresPython}`);
  for (const r of options.requiresDist ?? []) lines.push(`Requires-Dist: ${r}`);
  for (const e of options.providesExtra ?? []) lines.push(`Provides-Extra: ${e}`);
  return lines.join('\n') + '\n';
}

/**
 * Expands short file specs into the files of one release. A spec is a wheel
 * tag triple ('cp314-cp314t-manylinux_2_17_x86_64', 'py3-none-any',
 * 'cp39-abi3-win_amd64') or the word 'sdist'. Every wheel gets the same
 * generated metadata unless options.metadata === false; sdists get none.
 */
export function release(name: string, version: string, files: string[], options: ReleaseOptions = {}): FixtureFile[] {
  const escaped = escapeFilenameName(name);
  const metadata =
    options.metadata === false
      ? undefined
      : coreMetadata({
          name,
          version,
          ...(options.summary !== undefined && { summary: options.summary }),
          ...(options.requiresDist !== undefined && { requiresDist: options.requiresDist }),
          ...(options.requiresPython !== undefined && { requiresPython: options.requiresPython }),
          ...(options.providesExtra !== undefined && { providesExtra: options.providesExtra }),
          ...(options.classifiers !== undefined && { classifiers: options.classifiers }),
          ...(options.projectUrls !== undefined && { projectUrls: options.projectUrls }),
        });
  return files.map((spec): FixtureFile => {
    const wheel = spec !== 'sdist';
    if (wheel && spec.split('-').length !== 3) throw new Error(`release(): bad wheel tag triple '${spec}'`);
    const file: FixtureFile = {
      filename: wheel ? `${escaped}-${version}-${spec}.whl` : `${escaped}-${version}.tar.gz`,
    };
    if (options.requiresPython !== undefined) file.requiresPython = options.requiresPython;
    if (options.yanked !== undefined) file.yanked = options.yanked;
    if (options.uploadTime !== undefined) file.uploadTime = options.uploadTime;
    if (wheel && metadata !== undefined) file.metadata = metadata;
    return file;
  });
}

/** A project made of releases (each the result of release()). */
export function project(name: string, ...releases: FixtureFile[][]): FixtureProject {
  return { name, files: releases.flat() };
}

const linux = 'manylinux_2_17_x86_64.manylinux2014_x86_64';
const mac = 'macosx_11_0_arm64';
const win = 'win_amd64';

/** Wheels for one CPython ABI on the three main platforms, e.g. abiWheels('cp313t') */
function abiWheels(abi: string): string[] {
  const python = abi.replace(/t$/, '');
  return [linux, mac, win].map((p) => `${python}-${abi}-${p}`);
}

/** cp39-abi3 wheels on the three main platforms. */
function abi3Wheels(): string[] {
  return [linux, mac, win].map((p) => `cp39-abi3-${p}`);
}

/** The hostile text used in the 'hostile' fixture's metadata. */
export const hostileSummary = 'Totally safe <script>alert(1)</script> see javascript:alert(document.cookie)';
export const hostileYankReason = '"><script>alert("yank")</script><a href="javascript:alert(2)">';

/**
 * Realistic histories, by (normalised) name:
 * - late-ft: cp313t wheels first appear in 1.2 (1.0 and 1.1 are GIL-only);
 * - dropped-ft: cp313t/cp314t wheels in 1.1 and 1.2, 1.3 ships only abi3 wheels;
 * - pure: py3-none-any only (plus sdists);
 * - abi3only: cp39-abi3 wheels on linux/mac/windows;
 * - sdistonly: only sdists;
 * - yanked-ready: 1.1, the only free-threaded release, is yanked with a reason;
 * - prerelease-ft: 2.0.0rc1 is the only release with cp314t wheels;
 * - Zope.Interface (normalised 'zope-interface'): file names use 'Zope_Interface';
 * - hostile: metadata summary holds <script> and a javascript: URL, the
 *   yank reason and requires-python hold HTML metacharacters.
 */
export function historyFixtures(): FixtureProject[] {
  const gil = [...abiWheels('cp312'), ...abiWheels('cp313')];
  return [
    project(
      'late-ft',
      release('late-ft', '1.0', [...gil, 'sdist'], { requiresPython: '>=3.9' }),
      release('late-ft', '1.1', [...gil, 'sdist'], { requiresPython: '>=3.9' }),
      release('late-ft', '1.2', [...gil, ...abiWheels('cp313t'), 'sdist'], { requiresPython: '>=3.10' }),
      release('late-ft', '1.3', [...gil, ...abiWheels('cp313t'), ...abiWheels('cp314'), ...abiWheels('cp314t'), 'sdist'], {
        requiresPython: '>=3.10',
        classifiers: ['Programming Language :: Python :: Free Threading :: 2 - Beta'],
      }),
    ),
    project(
      'dropped-ft',
      release('dropped-ft', '1.0', [...gil, 'sdist']),
      release('dropped-ft', '1.1', [...gil, ...abiWheels('cp313t'), ...abiWheels('cp314'), ...abiWheels('cp314t'), 'sdist']),
      release('dropped-ft', '1.2', [...gil, ...abiWheels('cp313t'), ...abiWheels('cp314'), ...abiWheels('cp314t'), 'sdist']),
      release('dropped-ft', '1.3', [...abi3Wheels(), 'sdist']),
    ),
    project(
      'pure',
      release('pure', '0.9', ['py3-none-any', 'sdist'], { requiresPython: '>=3.8' }),
      release('pure', '1.0', ['py3-none-any', 'sdist'], {
        requiresPython: '>=3.9',
        requiresDist: ['typing-extensions>=4; python_version < "3.11"', 'rich; extra == "cli"'],
        providesExtra: ['cli'],
      }),
    ),
    project(
      'abi3only',
      release('abi3only', '3.0', [...abi3Wheels(), 'sdist'], {
        requiresPython: '>=3.9',
      }),
    ),
    project(
      'sdistonly',
      release('sdistonly', '0.1', ['sdist']),
      release('sdistonly', '0.2', ['sdist']),
      release('sdistonly', '1.0', ['sdist'], { requiresPython: '>=3.8' }),
    ),
    project(
      'yanked-ready',
      release('yanked-ready', '1.0', [...gil, 'sdist']),
      release('yanked-ready', '1.1', [...gil, ...abiWheels('cp313t'), ...abiWheels('cp314t'), 'sdist'], {
        yanked: 'segfaults on free-threaded builds',
      }),
    ),
    project(
      'prerelease-ft',
      release('prerelease-ft', '1.9.0', [...gil, ...abiWheels('cp314'), 'sdist']),
      release('prerelease-ft', '2.0.0rc1', [...abiWheels('cp313'), ...abiWheels('cp314'), ...abiWheels('cp314t'), 'sdist']),
    ),
    project(
      'Zope.Interface',
      release('Zope.Interface', '6.4', [...gil, 'sdist'], { requiresPython: '>=3.8' }),
      release('Zope.Interface', '7.0', [...gil, ...abiWheels('cp313t'), 'sdist'], { requiresPython: '>=3.8' }),
    ),
    project(
      'hostile',
      release('hostile', '0.1', ['py3-none-any', 'sdist'], {
        summary: hostileSummary,
        requiresPython: '>=3.9,<4',
        projectUrls: { Homepage: 'javascript:alert(document.cookie)', 'Source <b>': 'https://example.invalid/"x"' },
      }),
      release('hostile', '0.2', [...abiWheels('cp313t'), 'sdist'], {
        summary: hostileSummary,
        requiresPython: '>=3.9,<4',
        yanked: hostileYankReason,
      }),
    ),
  ];
}
