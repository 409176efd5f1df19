import { isUtf8 } from 'node:buffer';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync, type Dirent } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { SourceLanguage } from './rules.js';

// Which files a scan reads, and how: the language by extension, build
// files by name, default excludes (vendored pythoncapi_compat.h, build and
// environment directories), the user's --exclude globs. Unreadable files,
// symlink loops, binary and oversized files become notes, never errors.

export const DEFAULT_EXCLUDES = [
  '**/pythoncapi_compat.h',
  '**/pythoncapi-compat/**',
  '**/build/**',
  '**/dist/**',
  '**/target/**',
  '**/.git/**',
  '**/node_modules/**',
  '**/.venv/**',
  '**/venv/**',
  '**/.tox/**',
  '**/.nox/**',
  '**/__pycache__/**',
  '**/*.egg-info/**',
];

/** Files this large are generated or vendored amalgamations, not code a person ports by hand. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

const BY_EXTENSION: Record<string, SourceLanguage> = {
  '.c': 'c',
  '.h': 'c',
  '.cc': 'cpp',
  '.cpp': 'cpp',
  '.cxx': 'cpp',
  '.hpp': 'cpp',
  '.hh': 'cpp',
  '.hxx': 'cpp',
  '.pyx': 'cython',
  '.pxd': 'cython',
  '.pxi': 'cython',
  '.rs': 'rust',
  '.py': 'python',
  '.pyi': 'python',
};

export const BUILD_FILES = new Set(['Cargo.toml', 'setup.py', 'pyproject.toml', 'meson.build', 'CMakeLists.txt']);

export interface FoundFile {
  /** As shown: relative to the working directory when inside it. */
  path: string;
  absolute: string;
  language: SourceLanguage | null;
  /** A build file (Cargo.toml, setup.py, …) read for build facts. */
  build: boolean;
  /** In bytes, when it was found. */
  size: number;
}

export function languageOf(path: string): SourceLanguage | null {
  const dot = path.lastIndexOf('.');
  return dot === -1 ? null : (BY_EXTENSION[path.slice(dot).toLowerCase()] ?? null);
}

export function displayPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  return (rel === '' || rel.startsWith('..') ? absolute : rel).split(sep).join('/');
}

/** A directory's .gitignore, applied to the paths below it. */
interface IgnoreFile {
  base: string;
  rules: Ignore;
}

function readIgnoreFile(dir: string, keep: readonly string[] = []): IgnoreFile | null {
  const file = join(dir, '.gitignore');
  if (!existsSync(file)) return null;
  try {
    return { base: dir, rules: ignore().add(readFileSync(file, 'utf8')).add(keep.map((d) => `!/${d.replace(/[\\*?[\] ]/g, '\\$&')}/`)) };
  } catch {
    return null;
  }
}

/**
 * The .gitignore files above a path, from the repository's root down (as
 * git applies them). A path given on the command line is scanned even if
 * they ignore it, as ruff does: each file re-includes the directories from
 * its own down to the path, so only what is ignored below the path is left
 * out.
 */
function ancestorIgnores(path: string): IgnoreFile[] {
  const chain: IgnoreFile[] = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const between = relative(dir, path).split(sep);
    const found = readIgnoreFile(dir, between.map((_, i) => between.slice(0, i + 1).join('/')));
    if (found) chain.unshift(found);
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) return chain;
  }
}

function gitIgnored(files: readonly IgnoreFile[], absolute: string, isDirectory: boolean): boolean {
  return files.some((f) => {
    const rel = relative(f.base, absolute).split(sep).join('/');
    return rel !== '' && !rel.startsWith('..') && f.rules.ignores(isDirectory ? `${rel}/` : rel);
  });
}

/** `onFound` hears of each file as it is found, before the search ends. */
export function findFiles(paths: readonly string[], excludes: readonly string[], cwd: string, notes: string[], respectGitignore = true, onFound?: (file: FoundFile) => void): FoundFile[] {
  const isExcluded = picomatch([...excludes], { dot: true });
  const out: FoundFile[] = [];
  const seen = new Set<string>();
  /** `entry` is what the directory listing said it is: a plain file that is not a source is not looked at. */
  const visit = (absolute: string, explicit: boolean, depth: number, ignores: IgnoreFile[], entry?: Dirent) => {
    if (entry?.isFile() && languageOf(entry.name) === null && !BUILD_FILES.has(entry.name)) return;
    const shown = displayPath(absolute, cwd);
    if (!explicit && (isExcluded(shown) || (!entry?.isFile() && isExcluded(`${shown}/`)))) return;
    let info;
    try {
      info = statSync(absolute);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      notes.push(`${shown}: ${code === 'ELOOP' ? 'symbolic link loop' : code === 'ENOENT' ? (explicit ? 'no such file or directory' : 'broken symbolic link') : `cannot read (${code ?? 'error'})`}; skipped`);
      return;
    }
    // The same file or directory reached again (through a symbolic link, or a path given twice), told by device and inode.
    const identity = `${info.dev}:${info.ino}`;
    if (seen.has(identity)) {
      if (info.isDirectory()) notes.push(`${shown}: already scanned (a symbolic link loop or repeated path); skipped`);
      return;
    }
    seen.add(identity);
    // What git ignores (build output, vendored environments) is not the project's source, as for ruff.
    if (!explicit && respectGitignore && gitIgnored(ignores, absolute, info.isDirectory())) return;
    if (info.isDirectory()) {
      if (depth > 64) {
        notes.push(`${shown}: nested too deeply; skipped`);
        return;
      }
      let entries: Dirent[];
      try {
        entries = readdirSync(absolute, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      } catch (err) {
        notes.push(`${shown}: cannot list (${(err as NodeJS.ErrnoException).code ?? 'error'}); skipped`);
        return;
      }
      const own = respectGitignore ? readIgnoreFile(absolute) : null;
      const below = own ? [...ignores, own] : ignores;
      for (const entry of entries) visit(join(absolute, entry.name), false, depth + 1, below, entry);
      return;
    }
    if (!info.isFile()) {
      if (explicit) notes.push(`${shown}: not a regular file; skipped`);
      return;
    }
    const language = languageOf(absolute);
    const build = BUILD_FILES.has(basename(absolute));
    if (language === null && !build) {
      if (explicit) notes.push(`${shown}: not a C, C++, Cython, Rust or Python source; skipped`);
      return;
    }
    const file: FoundFile = { path: shown, absolute, language, build, size: info.size };
    out.push(file);
    onFound?.(file);
  };
  for (const p of paths) {
    const absolute = resolve(cwd, p);
    visit(absolute, true, 0, respectGitignore ? ancestorIgnores(absolute) : []);
  }
  return out;
}

export type ReadResult = { text: string; note?: string } | { skipped: string };

/** Reads a source for scanning: binary and oversized files are skipped; bad UTF-8 is scanned as far as it decodes. */
export function readSource(file: FoundFile): ReadResult {
  let buf: Buffer;
  try {
    // The size seen when the file was found: a file that grows meanwhile is read up to it.
    const size = file.size;
    if (size > MAX_FILE_BYTES) return { skipped: `${file.path}: ${(size / 1048576).toFixed(1)} MB, over the ${MAX_FILE_BYTES / 1048576} MB limit for a source file; skipped` };
    const fd = openSync(file.absolute, 'r');
    try {
      buf = Buffer.alloc(size);
      let filled = 0;
      for (let n = -1; n !== 0 && filled < size; filled += n) n = readSync(fd, buf, filled, size - filled, filled);
      buf = buf.subarray(0, filled);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    return { skipped: `${file.path}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'}); skipped` };
  }
  if (buf.subarray(0, 8192).includes(0)) return { skipped: `${file.path}: binary data; skipped` };
  const text = buf.toString('utf8');
  if (isUtf8(buf)) return { text };
  return { text, note: `${file.path}:${text.slice(0, firstReplacement(buf, text)).split('\n').length}: not valid UTF-8; scanned with the bad bytes replaced` };
}

/**
 * Where, in the decoded text, the first invalid byte was replaced: a U+FFFD
 * can also be in the file itself (click documents it), as the bytes EF BF BD.
 */
function firstReplacement(buf: Buffer, text: string): number {
  let byte = 0;
  let from = 0;
  for (let at = text.indexOf('\uFFFD'); at !== -1; at = text.indexOf('\uFFFD', at + 1)) {
    // Everything before the first bad byte decoded as it was, so the byte offset follows the text.
    byte += Buffer.byteLength(text.slice(from, at));
    if (buf[byte] !== 0xef || buf[byte + 1] !== 0xbf || buf[byte + 2] !== 0xbd) return at;
    byte += 3;
    from = at + 1;
  }
  return 0;
}
