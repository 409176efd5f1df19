import { redactUrl } from '../../index-client/errors.js';
import { MARKER_VARIABLES } from '../../standards/markers.js';
import { InputError } from '../input-error.js';
import { isTable, stringOr, tableOr, type TomlTable } from '../lockfiles/toml-fields.js';
import type { ProjectManifest } from '../manifest.js';
import { emptyManifest } from '../manifest.js';
import { parseTomlInput } from '../toml-input.js';
import { addNote, composeRequirement, declareRequirement, entryTable, extrasOf } from './pyproject-toml.js';

// Pipenv's Pipfile (TOML) and Pipfile.lock (JSON). Both name their packages
// by key, with a version string or a table: {version, extras, markers, index}
// or a git/path/file source, which no index can answer for.

/** Top-level Pipfile tables that are not package categories. */
const NOT_CATEGORIES = new Set(['source', 'requires', 'scripts', 'pipenv']);

/** Pipfile shorthand markers: `sys_platform = "== 'win32'"`. Any PEP 508 variable but the extras ones. */
const SHORTHAND_MARKERS = [...MARKER_VARIABLES].filter((v) => v !== 'extra' && v !== 'extras' && v !== 'dependency_groups');

const VCS_KEYS = ['git', 'hg', 'svn', 'bzr'];

function directReference(t: TomlTable): string | null {
  const editable = t.editable === true;
  for (const vcs of VCS_KEYS) {
    const url = stringOr(t[vcs]);
    if (url !== undefined) return `${editable ? 'an editable install of ' : ''}a VCS reference (${vcs}: ${redactUrl(url)})`;
  }
  const path = stringOr(t.path);
  if (path !== undefined) return editable ? `an editable install of a local path (${path})` : `a local path (${path})`;
  const file = stringOr(t.file);
  if (file !== undefined) return `a direct file reference (${redactUrl(file)})`;
  if (editable) return 'an editable install';
  return null;
}

/** "*", "==*" and "" are any version; a bare "1.2" is "==1.2"; anything else is a PEP 440 specifier. */
function pipenvSpecifier(version: string): string {
  const v = version.trim();
  if (v === '' || v === '*' || v === '==*') return '';
  return /^\d/.test(v) ? `==${v}` : v;
}

function readEntry(m: ProjectManifest, name: string, value: unknown, origin: string, group: string | null, lock: boolean): void {
  const t = entryTable(m, name, value, origin, !lock, directReference);
  if (!t) return;
  const problems: string[] = [];
  let version = stringOr(t.version);
  if (t.version !== undefined && version === undefined) problems.push('"version" is not a string');
  else if (version === undefined && lock) problems.push('has no "version"');
  version ??= '*';
  const extras = extrasOf(t.extras, problems);
  const markers: string[] = [];
  if (t.markers !== undefined) {
    const text = stringOr(t.markers);
    if (text === undefined) problems.push('"markers" is not a string');
    else if (text.trim() !== '') markers.push(text);
  }
  for (const variable of SHORTHAND_MARKERS) {
    if (t[variable] === undefined) continue;
    const text = stringOr(t[variable]);
    if (text === undefined) problems.push(`"${variable}" is not a string`);
    else markers.push(`${variable} ${text}`);
  }
  const hashes: string[] = [];
  if (lock && t.hashes !== undefined) {
    if (!Array.isArray(t.hashes)) problems.push('"hashes" is not an array');
    else {
      for (const h of t.hashes) {
        if (typeof h === 'string') hashes.push(h);
        else problems.push('a hash is not a string');
      }
    }
  }
  const composed = composeRequirement(name, extras, pipenvSpecifier(version), markers);
  if (!composed.ok) problems.push(composed.error);
  if (problems.length > 0 || !composed.ok) {
    addNote(m, `${origin} ${name}: ${[...new Set(problems)].join('; ')}`);
    return;
  }
  declareRequirement(m, composed.value, { origin, entry: name, group, hashes });
}

function readCategory(m: ProjectManifest, table: TomlTable, origin: string, group: string | null, lock: boolean): void {
  for (const [name, value] of Object.entries(table)) readEntry(m, name, value, origin, group, lock);
}

/** Source URLs: the first is the index, the others extra indexes. Pipenv expands ${VAR} in them; ftready does not. */
function readSources(m: ProjectManifest, value: unknown, origin: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    addNote(m, `${origin}: is not an array of sources`);
    return;
  }
  const urls: string[] = [];
  value.forEach((s, i) => {
    const url = stringOr(tableOr(s)?.url);
    if (url === undefined) {
      addNote(m, `${origin} #${i + 1}: has no url`);
      return;
    }
    if (/\$\{?\w/.test(url)) addNote(m, `${origin} #${i + 1}: ${redactUrl(url)} names environment variables, which ftready does not expand`);
    urls.push(url);
  });
  if (urls.length > 0) m.indexUrl = urls[0]!;
  m.extraIndexUrls.push(...urls.slice(1));
}

/** [requires] python_version: the interpreter pipenv would use, not the ones ftready checks. */
function noteRequires(m: ProjectManifest, value: unknown, origin: string): void {
  const requires = tableOr(value);
  for (const key of ['python_full_version', 'python_version']) {
    const v = requires?.[key];
    if (v === undefined) continue;
    addNote(m, `${origin}: ${key} = ${JSON.stringify(v)} is the Python pipenv installs for; ftready checks the free-threaded interpreters it is asked to`);
    return;
  }
}

export function readPipfile(text: string, path: string): ProjectManifest {
  const doc = parseTomlInput(text, path);
  if (doc.packages === undefined && doc['dev-packages'] === undefined && doc.source === undefined) {
    throw new InputError(path, 'not a Pipfile: it has no [packages], [dev-packages] or [[source]]');
  }
  const m = emptyManifest(path, 'Pipfile');
  readSources(m, doc.source, `${path} [[source]]`);
  noteRequires(m, doc.requires, `${path} [requires]`);
  for (const [key, value] of Object.entries(doc)) {
    if (NOT_CATEGORIES.has(key)) continue;
    const origin = `${path} [${key}]`;
    if (!isTable(value)) addNote(m, `${origin}: is not a table of packages`);
    else readCategory(m, value, origin, key === 'packages' ? null : key, false);
  }
  return m;
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return { line, column: position - (before.lastIndexOf('\n') + 1) + 1 };
}

/** JSON.parse's message, without the copy of the input some versions of V8 put in it, and the place it names. */
function jsonError(err: unknown, text: string, path: string): InputError {
  const message = (err as Error).message;
  const detail = message
    .replace(/,\s*(\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '')
    .replace(/ (in JSON )?at position \d+.*$/s, '')
    .split('\n', 1)[0]!;
  const lc = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lc) return new InputError(path, `invalid JSON: ${detail}`, Number(lc[1]), Number(lc[2]));
  const at = / at position (\d+)/.exec(message);
  const position = at ? Number(at[1]) : /Unexpected end of JSON input/.test(message) ? text.length : undefined;
  if (position === undefined) return new InputError(path, `invalid JSON: ${detail}`);
  const { line, column } = lineAndColumn(text, position);
  return new InputError(path, `invalid JSON: ${detail}`, line, column);
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw jsonError(err, text, path);
  }
}

export function readPipfileLock(text: string, path: string): ProjectManifest {
  const doc = parseJson(text, path);
  if (!isTable(doc)) throw new InputError(path, 'not a Pipfile.lock: the top level is not a JSON object');
  if (doc._meta === undefined && doc.default === undefined && doc.develop === undefined) {
    throw new InputError(path, 'not a Pipfile.lock: it has no "_meta", "default" or "develop"');
  }
  const m = emptyManifest(path, 'Pipfile.lock');
  m.locked = true;
  if (doc._meta !== undefined && !isTable(doc._meta)) addNote(m, `${path} [_meta]: is not an object`);
  const meta = tableOr(doc._meta);
  readSources(m, meta?.sources, `${path} [_meta.sources]`);
  noteRequires(m, meta?.requires, `${path} [_meta.requires]`);
  // "default" is [packages], "develop" is [dev-packages]; other categories keep their Pipfile names.
  for (const [key, value] of Object.entries(doc)) {
    if (key === '_meta') continue;
    const origin = `${path} [${key}]`;
    if (!isTable(value)) addNote(m, `${origin}: is not an object of packages`);
    else readCategory(m, value, origin, key === 'default' ? null : key, true);
  }
  return m;
}
