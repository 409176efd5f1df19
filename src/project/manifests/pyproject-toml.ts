import { redactUrl } from '../../index-client/errors.js';
import { isValidProjectName, normalizeProjectName } from '../../standards/project-name.js';
import { parseRequirement } from '../../standards/requirement.js';
import type { ParseResult } from '../../standards/wheel-filename.js';
import { isTable, stringOr, tableOr, type TomlTable } from '../lockfiles/toml-fields.js';
import { emptyManifest, type ProjectManifest } from '../manifest.js';
import { parseTomlInput } from '../toml-input.js';

// pyproject.toml: PEP 621 [project] dependencies and extras, PEP 735
// [dependency-groups], PEP 518 [build-system].requires, and Poetry's own
// [tool.poetry] tables, whose constraints (^1.2, ~1.2, 1.*) are turned into
// PEP 440 specifiers here. The helpers shared with the Pipfile readers live
// here too: declaring one requirement, and notes.

// ---------------------------------------------------------------------------
// Shared by the manifest readers


/** Adds a note once, on one line: TOML strings may hold line breaks. */
export function addNote(m: ProjectManifest, text: string): void {
  const line = text.replace(/[\r\n\u2028\u2029]+\s*/g, ' ');
  if (!m.notes.includes(line)) m.notes.push(line);
}

/**
 * An entry in its table form ({ version = "…", … }); a direct reference goes
 * to notCheckable and an entry of the wrong shape to the notes, and then
 * there is nothing more to read (null).
 */
export function entryTable(m: ProjectManifest, name: string, value: unknown, origin: string, allowString: boolean, directReference: (t: TomlTable) => string | null): TomlTable | null {
  const t: TomlTable | undefined = typeof value === 'string' && allowString ? { version: value } : tableOr(value);
  if (!t) {
    addNote(m, `${origin} ${name}: is ${allowString ? 'neither a version string nor a table' : 'not an object'}`);
    return null;
  }
  const reason = directReference(t);
  if (reason !== null) {
    m.notCheckable.push({ name, origin, reason });
    return null;
  }
  return t;
}

export interface Declaration {
  /** "pyproject.toml [project.dependencies]" */
  origin: string;
  /** How a note names the entry after the origin: "item 3", "requests". */
  entry: string;
  group: string | null;
  build?: boolean;
  hashes?: string[];
}

/**
 * Parses one PEP 508 string and files it: a requirement, a direct reference
 * (not checkable against an index), or a note when it does not parse.
 */
export function declareRequirement(m: ProjectManifest, text: string, d: Declaration): void {
  const parsed = parseRequirement(text);
  if (!parsed.ok) {
    addNote(m, `${d.origin} ${d.entry}: ${parsed.error}`);
    return;
  }
  const requirement = parsed.value;
  if (requirement.url !== null) {
    m.notCheckable.push({ name: requirement.name, origin: d.origin, reason: `a direct URL reference (${redactUrl(requirement.url)})` });
    return;
  }
  m.requirements.push({ requirement, origin: d.origin, hashes: d.hashes ?? [], build: d.build ?? false, group: d.group });
}

/**
 * Builds the PEP 508 string for a table-form entry (Poetry, Pipfile) from its
 * parts. The name and extras are checked first, so that a crafted key cannot
 * turn into a different requirement once the parts are joined.
 */
export function composeRequirement(name: string, extras: string[], specifier: string, markers: string[]): ParseResult<string> {
  if (!isValidProjectName(name)) return { ok: false, error: `"${name}" is not a valid project name` };
  const badExtra = extras.find((e) => !isValidProjectName(e));
  if (badExtra !== undefined) return { ok: false, error: `extra "${badExtra}" is not a valid name` };
  if (/[;@[\]]/.test(specifier)) return { ok: false, error: `"${specifier}" is not a version specifier` };
  const marker = markers.length === 1 ? markers[0]! : markers.map((x) => `(${x})`).join(' and ');
  const text = `${name}${extras.length > 0 ? `[${extras.join(',')}]` : ''}${specifier ? ` ${specifier}` : ''}${marker ? ` ; ${marker}` : ''}`;
  return { ok: true, value: text };
}

/** `extras = ["a", "b"]` of a table-form entry; a wrong type is reported through `problems`. */
export function extrasOf(v: unknown, problems: string[]): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((e) => typeof e !== 'string')) {
    problems.push('"extras" is not an array of strings');
    return [];
  }
  return v as string[];
}

// ---------------------------------------------------------------------------
// Poetry version constraints

const CLAUSE_OP = /^(\^|~=|~|===|==|!=|<=|>=|<|>|=)?(.*)$/;
const RELEASE_PREFIX = /^(\d+(?:\.\d+)*)(.*)$/;

/** The upper bound of ^ and ~: bump release component `at`, zero the ones after it, keep the length. */
function bump(release: number[], at: number): string {
  return release.map((n, i) => (i < at ? n : i === at ? n + 1 : 0)).join('.');
}

function semverRange(op: '^' | '~', version: string): ParseResult<string[]> {
  const m = RELEASE_PREFIX.exec(version);
  const release = m ? m[1]!.split('.').map(Number) : [];
  if (!m || release.some((n) => !Number.isSafeInteger(n)) || m[2]!.includes('*')) {
    return { ok: false, error: `"${op}${version}" is not a Poetry version constraint` };
  }
  let at: number;
  if (op === '^') {
    // The left-most non-zero component may not change; ^0.0 and ^0 bump their last one.
    at = release.findIndex((n) => n !== 0);
    if (at === -1) at = release.length - 1;
  } else {
    // ~1.2.3 and ~1.2 allow patch updates, ~1 minor ones.
    at = release.length >= 2 ? 1 : 0;
  }
  return { ok: true, value: [`>=${version}`, `<${bump(release, at)}`] };
}

function convertClause(clause: string): ParseResult<string[]> {
  const [, op = '', version = ''] = CLAUSE_OP.exec(clause)!;
  if (version === '') return { ok: false, error: `"${clause}" is not a Poetry version constraint` };
  if (op === '^' || op === '~') return semverRange(op, version);
  if (version === '*' && (op === '' || op === '=' || op === '==')) return { ok: true, value: [] };
  // A bare version or `=` is exact; a bare wildcard (1.2.*) is PEP 440's ==1.2.*.
  if (op === '' || op === '=') return { ok: true, value: [`==${version}`] };
  return { ok: true, value: [`${op}${version}`] };
}

/**
 * A Poetry constraint as PEP 440 clauses: one list per `||` alternative, each
 * list ANDed; an empty list means any version.
 *   "^1.2.3" -> [[">=1.2.3", "<2.0.0"]]    ">= 1.2, < 1.5" -> [[">=1.2", "<1.5"]]
 *   "^1.0 || ^3.0" -> [[">=1.0", "<2.0"], [">=3.0", "<4.0"]]
 * The clauses are checked against PEP 440 later, by parseRequirement.
 */
export function poetryConstraint(text: string): ParseResult<string[][]> {
  const branches: string[][] = [];
  for (const branch of text.split(/\|\|?/)) {
    // Poetry allows space after an operator, and spaces as well as commas between clauses.
    const clauses = branch.trim().replace(/(\^|~=|~|===|==|!=|<=|>=|<|>|=)\s+/g, '$1').split(/[\s,]+/).filter(Boolean);
    if (clauses.length === 0) return { ok: false, error: `"${text}" has an empty alternative` };
    const converted: string[] = [];
    for (const clause of clauses) {
      const c = convertClause(clause);
      if (!c.ok) return c;
      converted.push(...c.value);
    }
    // One alternative that allows anything makes the whole constraint allow anything.
    if (converted.length === 0) return { ok: true, value: [[]] };
    branches.push(converted);
  }
  return { ok: true, value: branches };
}

/** Poetry's `python = "^3.10"` as a marker: python_version for X.Y, python_full_version otherwise. */
export function poetryPythonMarker(text: string): ParseResult<string | null> {
  const c = poetryConstraint(text);
  if (!c.ok) return c;
  if (c.value.some((b) => b.length === 0)) return { ok: true, value: null };
  const branches = c.value.map((clauses) =>
    clauses
      .map((clause) => {
        const [, op = '', version = ''] = /^(===|==|!=|<=|>=|~=|<|>)(.*)$/.exec(clause) ?? [];
        const variable = /^\d+(\.\d+)?(\.\*)?$/.test(version) ? 'python_version' : 'python_full_version';
        return `${variable} ${op} "${version}"`;
      })
      .join(' and '),
  );
  return { ok: true, value: branches.length === 1 ? branches[0]! : branches.map((b) => `(${b})`).join(' or ') };
}

// ---------------------------------------------------------------------------
// pyproject.toml

function readStringList(m: ProjectManifest, value: unknown, origin: string, group: string | null, build = false): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    addNote(m, `${origin}: is not an array of requirement strings`);
    return;
  }
  value.forEach((item, i) => {
    if (typeof item !== 'string') addNote(m, `${origin} item ${i + 1}: is not a string`);
    else declareRequirement(m, item, { origin, entry: `item ${i + 1}`, group, build });
  });
}

function readProject(doc: TomlTable, m: ProjectManifest, path: string): void {
  if (doc.project === undefined) return;
  const project = tableOr(doc.project);
  if (!project) {
    addNote(m, `${path} [project]: is not a table`);
    return;
  }
  m.projectName = stringOr(project.name) ?? null;
  readStringList(m, project.dependencies, `${path} [project.dependencies]`, null);
  const optional = project['optional-dependencies'];
  if (optional !== undefined && !isTable(optional)) addNote(m, `${path} [project.optional-dependencies]: is not a table`);
  for (const [extra, list] of Object.entries(tableOr(optional) ?? {})) {
    readStringList(m, list, `${path} [project.optional-dependencies.${extra}]`, extra);
  }
  const dynamic = Array.isArray(project.dynamic) ? project.dynamic : [];
  for (const field of ['dependencies', 'optional-dependencies']) {
    if (dynamic.includes(field) && project[field] === undefined && tableOr(tableOr(doc.tool)?.poetry)?.dependencies === undefined) {
      addNote(m, `${path} [project]: "${field}" is dynamic, filled in by the build backend; ftready cannot see those requirements`);
    }
  }
}

function readDependencyGroups(doc: TomlTable, m: ProjectManifest, path: string): void {
  const table = doc['dependency-groups'];
  if (table === undefined) return;
  if (!isTable(table)) {
    addNote(m, `${path} [dependency-groups]: is not a table`);
    return;
  }
  // PEP 735: names are compared normalised; duplicates after normalisation are an error.
  const groups = new Map<string, { name: string; items: unknown }>();
  for (const [name, items] of Object.entries(table)) {
    const key = normalizeProjectName(name);
    const first = groups.get(key);
    if (first) addNote(m, `${path} [dependency-groups.${name}]: the same group as [dependency-groups.${first.name}] once names are normalised; only the first is read`);
    else groups.set(key, { name, items });
  }
  const cyclesReported = new Set<string>();
  for (const [rootKey, root] of groups) {
    const included = new Set<string>([rootKey]);
    const expand = (key: string, stack: string[]): void => {
      const g = groups.get(key)!;
      const origin = `${path} [dependency-groups.${g.name}]`;
      if (!Array.isArray(g.items)) {
        addNote(m, `${origin}: is not an array`);
        return;
      }
      g.items.forEach((item, i) => {
        if (typeof item === 'string') {
          // Declared in group g; it belongs to every group that includes g.
          declareRequirement(m, item, { origin, entry: `item ${i + 1}`, group: root.name });
          return;
        }
        const t = tableOr(item);
        const target = t && Object.keys(t).length === 1 ? stringOr(t['include-group']) : undefined;
        if (target === undefined) {
          addNote(m, `${origin} item ${i + 1}: is neither a requirement string nor {include-group = "…"}`);
          return;
        }
        const targetKey = normalizeProjectName(target);
        if (!groups.has(targetKey)) {
          addNote(m, `${origin} item ${i + 1}: includes group "${target}", which [dependency-groups] does not define`);
          return;
        }
        const at = stack.indexOf(targetKey);
        if (at !== -1) {
          const cycle = [...stack.slice(at), targetKey];
          const id = [...new Set(cycle)].sort().join('\u0000');
          if (!cyclesReported.has(id)) {
            cyclesReported.add(id);
            addNote(m, `${path} [dependency-groups]: include-group cycle ${cycle.map((k) => groups.get(k)!.name).join(' -> ')}; the include that closes it is skipped`);
          }
          return;
        }
        if (included.has(targetKey)) return;
        included.add(targetKey);
        expand(targetKey, [...stack, targetKey]);
      });
    };
    expand(rootKey, [rootKey]);
  }
}

function directReference(t: TomlTable): string | null {
  const git = stringOr(t.git);
  if (git !== undefined) return `a VCS reference (git: ${redactUrl(git)})`;
  const path = stringOr(t.path);
  if (path !== undefined) return t.develop === true ? `an editable install of a local path (${path})` : `a local path (${path})`;
  const url = stringOr(t.url);
  if (url !== undefined) return `a direct URL reference (${redactUrl(url)})`;
  if (t.develop === true) return 'an editable install';
  return null;
}

interface PoetrySection {
  origin: string;
  group: string | null;
  /** [tool.poetry.dependencies]: `optional = true` entries belong to the extras that name them. */
  main: boolean;
}

function readPoetryDependency(
  m: ProjectManifest,
  name: string,
  value: unknown,
  section: PoetrySection,
  extrasNaming: Map<string, string[]>,
): void {
  const { origin } = section;
  const t = entryTable(m, name, value, origin, true, directReference);
  if (!t) return;
  const problems: string[] = [];
  const version = t.version === undefined ? '*' : stringOr(t.version);
  if (version === undefined) problems.push('"version" is not a string');
  let specifier = '';
  const constraint = poetryConstraint(version ?? '*');
  if (!constraint.ok) problems.push(constraint.error);
  else if (constraint.value.length > 1) {
    addNote(m, `${origin} ${name}: "${version}" allows several version ranges (||), which one PEP 440 specifier cannot express; any version is checked`);
  } else specifier = constraint.value[0]!.join(',');
  const extras = extrasOf(t.extras, problems);
  const markers: string[] = [];
  if (t.python !== undefined) {
    const python = stringOr(t.python);
    const marker = python === undefined ? null : poetryPythonMarker(python);
    if (!marker || !marker.ok) problems.push(marker ? `python: ${marker.error}` : '"python" is not a string');
    else if (marker.value) markers.push(marker.value);
  }
  if (t.platform !== undefined) {
    const platform = stringOr(t.platform);
    if (platform === undefined || /["\\]/.test(platform)) problems.push('"platform" is not a platform name');
    else markers.push(`sys_platform == "${platform}"`);
  }
  if (t.markers !== undefined) {
    const text = stringOr(t.markers);
    if (text === undefined) problems.push('"markers" is not a string');
    else if (text.trim() !== '') markers.push(text);
  }
  const composed = composeRequirement(name, extras, specifier, markers);
  if (!composed.ok) problems.push(composed.error);
  if (problems.length > 0 || !composed.ok) {
    addNote(m, `${origin} ${name}: ${problems.join('; ')}`);
    return;
  }
  let groups: (string | null)[] = [section.group];
  if (section.main && t.optional === true) {
    groups = extrasNaming.get(normalizeProjectName(name)) ?? [];
    if (groups.length === 0) {
      addNote(m, `${origin} ${name}: optional = true, but no [tool.poetry.extras] entry names it, so it is never installed`);
      return;
    }
  }
  for (const group of groups) declareRequirement(m, composed.value, { origin, entry: name, group });
}

function readPoetryTable(
  m: ProjectManifest,
  value: unknown,
  section: PoetrySection,
  extrasNaming: Map<string, string[]>,
  skip: ReadonlySet<string>,
): void {
  if (value === undefined) return;
  const table = tableOr(value);
  if (!table) {
    addNote(m, `${section.origin}: is not a table`);
    return;
  }
  for (const [name, spec] of Object.entries(table)) {
    if (name.toLowerCase() === 'python') continue;
    if (section.main && skip.has(normalizeProjectName(name))) continue;
    // Multiple-constraint dependencies: a list of tables, each with its own markers.
    const specs = Array.isArray(spec) ? spec : [spec];
    for (const s of specs) readPoetryDependency(m, name, s, section, extrasNaming);
  }
}

function readPoetrySources(m: ProjectManifest, value: unknown, path: string): void {
  if (value === undefined) return;
  const origin = `${path} [[tool.poetry.source]]`;
  if (!Array.isArray(value)) {
    addNote(m, `${origin}: is not an array of tables`);
    return;
  }
  const first: string[] = [];
  const primary: string[] = [];
  const others: string[] = [];
  value.forEach((entry, i) => {
    const t = tableOr(entry);
    const name = stringOr(t?.name);
    // `poetry source add pypi` writes a PyPI source without a url.
    const url = stringOr(t?.url) ?? (name?.toLowerCase() === 'pypi' ? 'https://pypi.org/simple' : undefined);
    if (!t || url === undefined) {
      addNote(m, `${origin} #${i + 1}${name ? ` (${name})` : ''}: has no url`);
      return;
    }
    // Poetry ≥1.5 `priority`; before it `default = true` and `secondary = true`; no priority means primary.
    const priority = stringOr(t.priority) ?? (t.default === true ? 'default' : t.secondary === true ? 'secondary' : 'primary');
    (priority === 'default' ? first : priority === 'primary' ? primary : others).push(url);
  });
  const ordered = [...first, ...primary];
  if (ordered.length > 0) m.indexUrl = ordered[0]!;
  m.extraIndexUrls.push(...ordered.slice(1), ...others);
}

function readPoetry(doc: TomlTable, m: ProjectManifest, path: string): void {
  const tool = tableOr(doc.tool);
  if (tool?.poetry === undefined) return;
  const poetry = tableOr(tool.poetry);
  if (!poetry) {
    addNote(m, `${path} [tool.poetry]: is not a table`);
    return;
  }
  m.projectName ??= stringOr(poetry.name) ?? null;

  const extrasNaming = new Map<string, string[]>();
  if (poetry.extras !== undefined && !isTable(poetry.extras)) addNote(m, `${path} [tool.poetry.extras]: is not a table`);
  for (const [extra, names] of Object.entries(tableOr(poetry.extras) ?? {})) {
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
      addNote(m, `${path} [tool.poetry.extras] ${extra}: is not an array of package names`);
      continue;
    }
    for (const n of names as string[]) {
      const key = normalizeProjectName(n.replace(/\[.*$/s, '').trim());
      extrasNaming.set(key, [...(extrasNaming.get(key) ?? []), extra]);
    }
  }

  // Poetry 2: with a static [project].dependencies, [tool.poetry.dependencies]
  // only adds locking details (source, develop) to the same packages.
  const projectOrigin = `${path} [project.dependencies]`;
  const declared = new Set(
    [...m.requirements.filter((r) => r.origin === projectOrigin).map((r) => r.requirement.name), ...m.notCheckable.filter((n) => n.origin === projectOrigin).map((n) => n.name)].map(
      normalizeProjectName,
    ),
  );

  readPoetryTable(m, poetry.dependencies, { origin: `${path} [tool.poetry.dependencies]`, group: null, main: true }, extrasNaming, declared);
  readPoetryTable(m, poetry['dev-dependencies'], { origin: `${path} [tool.poetry.dev-dependencies]`, group: 'dev', main: false }, extrasNaming, declared);
  if (poetry.group !== undefined && !isTable(poetry.group)) addNote(m, `${path} [tool.poetry.group]: is not a table`);
  for (const [group, g] of Object.entries(tableOr(poetry.group) ?? {})) {
    const origin = `${path} [tool.poetry.group.${group}.dependencies]`;
    if (!isTable(g)) addNote(m, `${path} [tool.poetry.group.${group}]: is not a table`);
    else readPoetryTable(m, g.dependencies, { origin, group, main: false }, extrasNaming, declared);
  }
  readPoetrySources(m, poetry.source, path);
}

export function readPyproject(text: string, path: string): ProjectManifest {
  const doc = parseTomlInput(text, path);
  const m = emptyManifest(path, 'pyproject.toml');
  readProject(doc, m, path);
  readDependencyGroups(doc, m, path);
  const buildSystem = doc['build-system'];
  if (buildSystem !== undefined && !isTable(buildSystem)) addNote(m, `${path} [build-system]: is not a table`);
  readStringList(m, tableOr(buildSystem)?.requires, `${path} [build-system.requires]`, null, true);
  readPoetry(doc, m, path);
  if (m.requirements.length === 0 && m.notCheckable.length === 0 && m.notes.length === 0) {
    addNote(m, `${path}: declares no dependencies ([project], [dependency-groups], [build-system] or [tool.poetry])`);
  }
  return m;
}
