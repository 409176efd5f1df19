import type { Node } from 'web-tree-sitter';
import type { Analyzer, AnalyzerContext, FileAnalysis, RawFinding, SourceFile } from '../analyzer.js';
import { compareVersions, isVersion } from '../build/cargo.js';
import { literalTables } from '../literal-tables.js';
import { parse } from '../parsers.js';

// PyO3 (Rust) hazards, read from the tree-sitter Rust tree:
//   FT006 a #[pymodule] that keeps the GIL, given the crate's pyo3 version;
//   FT501 GILProtected, FT502 GILOnceCell;
//   FT503 #[pyclass(unsendable)];
//   FT504 unsafe impl Send/Sync for a type Python code can reach.
// Attributes are sibling attribute_item nodes before the item they annotate,
// and their arguments are flat token trees, so they are read token by token.

/** PyO3 0.28 made `gil_used = false` the default of #[pymodule] (guide, free-threading chapter). */
const DEFAULT_DECLARES_FROM = '0.28';

/** PyO3 types that hand a #[pyclass] value to Python or hold one Python shares: their type argument is Python-facing. */
const PYTHON_HANDLES = new Set(['Py', 'Bound', 'Borrowed', 'PyRef', 'PyRefMut']);

const GIL_TYPES: Record<string, string> = { GILProtected: 'FT501', GILOnceCell: 'FT502' };

/** With `skipTables: false` generated tables are parsed too: the tests check that leaving them out changes no finding. */
export function rustAnalyzer(options: { skipTables: boolean }): Analyzer {
  return (file, context) => analyze(file, context, options.skipTables);
}

export const analyzeRust: Analyzer = rustAnalyzer({ skipTables: true });

async function analyze(file: SourceFile, context: AnalyzerContext, skipTables: boolean): Promise<FileAnalysis> {
  try {
    const tree = await parse('rust', file.text, skipTables ? literalTables(file.text, 'rust') : []);
    try {
      return analyzeTree(tree.rootNode, file.path, file.text, context);
    } finally {
      tree.delete();
    }
  } catch (err) {
    return { findings: [], declaresFreeThreading: null, notes: [`could not analyse ${file.path} as Rust: ${(err as Error).message}`] };
  }
}

function analyzeTree(root: Node, path: string, text: string, context: AnalyzerContext): FileAnalysis {
  // Identifiers are most of a tree: collect them only when a GIL type is mentioned at all.
  const mentionsGilTypes = Object.keys(GIL_TYPES).some((name) => text.includes(name));
  const found = byType(root, [
    'attribute_item',
    'impl_item',
    'generic_type',
    ...(mentionsGilTypes ? ['use_as_clause', 'identifier', 'type_identifier'] : []),
  ]);
  const attributes = found('attribute_item');
  const modules = moduleFindings(attributes, pyo3VersionFor(path, context));
  const findings = [
    ...modules.findings,
    ...(mentionsGilTypes ? gilTypeFindings(found('use_as_clause'), [...found('identifier'), ...found('type_identifier')]) : []),
    ...unsendableFindings(attributes),
    ...unsafeSendSyncFindings(found('impl_item'), attributes, found('generic_type')),
  ];
  findings.sort((a, b) => a.line - b.line || a.column - b.column);
  return { findings, declaresFreeThreading: modules.declaresFreeThreading, notes: [] };
}

// ---- tree helpers ----

function nodes(root: Node, types: string | string[]): Node[] {
  // descendantsOfType walks in C, so deeply nested input cannot overflow the JS stack.
  return root.descendantsOfType(types).filter((n): n is Node => n !== null);
}

/** One walk of a large tree for several node types (each walk of a big file costs the same, found or not). */
function byType(root: Node, types: string[]): (type: string) => Node[] {
  const groups = new Map<string, Node[]>();
  for (const node of nodes(root, types)) {
    const group = groups.get(node.type);
    if (group) group.push(node);
    else groups.set(node.type, [node]);
  }
  return (type) => groups.get(type) ?? [];
}

function at(node: Node): { line: number; column: number } {
  return { line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
}

function isComment(node: Node): boolean {
  return node.type === 'line_comment' || node.type === 'block_comment';
}

/** The item an attribute annotates: the next sibling that is neither an attribute nor a comment. */
function annotatedItem(attribute: Node): Node | null {
  let next = attribute.nextNamedSibling;
  while (next && (next.type === 'attribute_item' || isComment(next))) next = next.nextNamedSibling;
  return next;
}

/** All outer attributes of an item: the attribute_item siblings right before it. */
function itemAttributes(item: Node): Node[] {
  const out: Node[] = [];
  for (let prev = item.previousNamedSibling; prev && (prev.type === 'attribute_item' || isComment(prev)); prev = prev.previousNamedSibling) {
    if (prev.type === 'attribute_item') out.push(prev);
  }
  return out;
}

/** The last segment of a path or type: `pyo3::pymodule` → pymodule, `Foo<T>` → Foo. */
function lastSegment(node: Node | null): string | null {
  if (!node) return null;
  switch (node.type) {
    case 'identifier':
    case 'type_identifier':
      return node.text;
    case 'scoped_identifier':
    case 'scoped_type_identifier':
      return node.childForFieldName('name')?.text ?? null;
    case 'generic_type':
      return lastSegment(node.childForFieldName('type'));
    default:
      return null;
  }
}

// ---- attributes ----

/** One attribute as PyO3 sees it: its name and its comma-separated argument groups. */
interface Meta {
  name: string;
  args: Node[][];
}

/** The tokens of a token tree between its brackets, split at top-level commas. */
function argGroups(tokenTree: Node | null): Node[][] {
  if (!tokenTree) return [];
  const groups: Node[][] = [[]];
  for (const token of tokenTree.children.slice(1, -1)) {
    if (!token) continue;
    if (token.type === ',') groups.push([]);
    else groups[groups.length - 1]!.push(token);
  }
  return groups.filter((g) => g.length > 0);
}

/**
 * The attributes an attribute_item applies. `#[cfg_attr(cond, a, b(...))]`
 * applies a and b when cond holds; crates with an optional Python feature
 * write `#[cfg_attr(feature = "python", pyclass(unsendable))]`.
 */
function metas(attributeItem: Node): Meta[] {
  const attribute = attributeItem.namedChildren.find((c) => c?.type === 'attribute');
  if (!attribute) return [];
  const name = lastSegment(attribute.firstNamedChild);
  if (!name) return [];
  const args = argGroups(attribute.childForFieldName('arguments'));
  if (name !== 'cfg_attr') return [{ name, args }];
  return args.slice(1).flatMap((group) => {
    // A path (identifiers and `::`), then optionally a token tree of arguments.
    const tree = group[group.length - 1]?.type === 'token_tree' ? group[group.length - 1]! : null;
    const path = tree ? group.slice(0, -1) : group;
    const last = path[path.length - 1];
    return last?.type === 'identifier' ? [{ name: last.text, args: argGroups(tree) }] : [];
  });
}

function findMeta(attributeItem: Node, name: string): Meta | undefined {
  return metas(attributeItem).find((m) => m.name === name);
}

function hasFlag(meta: Meta, flag: string): boolean {
  return meta.args.some((g) => g.length === 1 && g[0]!.type === 'identifier' && g[0]!.text === flag);
}

/** `key = value` among the arguments: the value's text. */
function argValue(meta: Meta, key: string): string | undefined {
  const group = meta.args.find((g) => g.length === 3 && g[0]!.text === key && g[1]!.type === '=');
  return group?.[2]!.text;
}

/** The name of the struct, enum or other item an attribute annotates. */
function itemName(item: Node | null): string {
  return item?.childForFieldName('name')?.text ?? '(unnamed)';
}

// ---- FT006 ----

interface Pyo3Version {
  version: string | null;
  cargoToml: string | null;
}

/** The pyo3 version of the closest Cargo.toml above the file: the entry whose dir is the longest prefix of the file's directory. */
function pyo3VersionFor(path: string, context: AnalyzerContext): Pyo3Version {
  const fileDir = normaliseDir(path.slice(0, Math.max(0, path.lastIndexOf('/'))));
  let best: { dir: string; version: string | null; cargoToml: string } | undefined;
  for (const entry of context.build.pyo3) {
    const dir = normaliseDir(entry.dir);
    const contains = dir === '' || fileDir === dir || fileDir.startsWith(`${dir}/`);
    if (contains && (!best || dir.length > normaliseDir(best.dir).length)) best = entry;
  }
  return best ? { version: best.version, cargoToml: best.cargoToml } : { version: null, cargoToml: null };
}

function normaliseDir(dir: string): string {
  return dir.replace(/^(\.\/)+/, '').replace(/\/+$/, '').replace(/^\.$/, '');
}

/** `gil_used = ...` as written in #[pymodule(...)] or #[pyo3(...)] on the module (PyO3 reads both). */
function declaredGilUsed(item: Node): string | undefined {
  for (const attribute of itemAttributes(item)) {
    for (const meta of metas(attribute)) {
      if (meta.name !== 'pymodule' && meta.name !== 'pyo3') continue;
      const value = argValue(meta, 'gil_used');
      if (value !== undefined) return value;
    }
  }
  return undefined;
}

/** `m.gil_used(false)` or `PyModule::gil_used(m, false)` in the module's body: the builder form of the declaration. */
function callsGilUsedFalse(item: Node): boolean {
  return nodes(item, 'call_expression').some((call) => {
    const fn = call.childForFieldName('function');
    const name = fn?.type === 'field_expression' ? fn.childForFieldName('field')?.text : lastSegment(fn);
    if (name !== 'gil_used') return false;
    const args = call.childForFieldName('arguments')?.namedChildren ?? [];
    return args[args.length - 1]?.text === 'false';
  });
}

/** Why a bare #[pymodule] keeps the GIL, or null when the crate's PyO3 declares free-threading by default. */
function bareModuleReason(pyo3: Pyo3Version): { reason: string; severity?: 'info' } | null {
  const { version, cargoToml } = pyo3;
  if (version !== null && isVersion(version)) {
    if (compareVersions(version, DEFAULT_DECLARES_FROM) >= 0) return null;
    return { reason: `PyO3 ${version} (before 0.28) keeps the GIL for a bare #[pymodule]` };
  }
  // Unknown: it may well be 0.28+, so this is a hint rather than a warning.
  const why = cargoToml === null ? 'no Cargo.toml found' : `${cargoToml} does not pin a pyo3 version`;
  return { reason: `the PyO3 version is unknown (${why}); before 0.28 a bare #[pymodule] keeps the GIL`, severity: 'info' };
}

function moduleFindings(attributes: Node[], pyo3: Pyo3Version): { findings: RawFinding[]; declaresFreeThreading: boolean | null } {
  const findings: RawFinding[] = [];
  const seen = new Set<number>();
  let modules = 0;
  let declared = 0;
  for (const attribute of attributes) {
    if (!findMeta(attribute, 'pymodule')) continue;
    const item = annotatedItem(attribute);
    if (!item || (item.type !== 'function_item' && item.type !== 'mod_item') || seen.has(item.id)) continue;
    seen.add(item.id);
    modules++;
    const gilUsed = declaredGilUsed(item);
    let problem: { reason: string; severity?: 'info' } | null;
    if (gilUsed === 'false') problem = null;
    else if (gilUsed === 'true') {
      // An explicit opt-out: the author says the module needs the GIL. That is
      // safe and deliberate, so it is shown as info (catalogue 0.2: "deliberate
      // opt-outs" are info) rather than failing CI.
      problem = { reason: 'gil_used = true', severity: 'info' };
    } else problem = callsGilUsedFalse(item) ? null : bareModuleReason(pyo3);
    if (!problem) {
      declared++;
      continue;
    }
    findings.push({
      rule: 'FT006',
      ...at(attribute),
      params: { name: itemName(item), reason: problem.reason },
      ...(problem.severity ? { severity: problem.severity } : {}),
    });
  }
  return { findings, declaresFreeThreading: modules === 0 ? null : declared === modules };
}

// ---- FT501, FT502 ----

/** Every mention of GILProtected or GILOnceCell (or a `use ... as` alias of one), at most one finding per rule and line. */
function gilTypeFindings(useAsClauses: Node[], identifiers: Node[]): RawFinding[] {
  const ruleByName = new Map(Object.entries(GIL_TYPES));
  for (const clause of useAsClauses) {
    const rule = GIL_TYPES[lastSegment(clause.childForFieldName('path')) ?? ''];
    const alias = clause.childForFieldName('alias')?.text;
    if (rule && alias) ruleByName.set(alias, rule);
  }
  const findings: RawFinding[] = [];
  const seen = new Set<string>();
  // In source order, so that a line's finding points at its first mention.
  for (const id of [...identifiers].sort((a, b) => a.startIndex - b.startIndex)) {
    const rule = ruleByName.get(id.text);
    if (!rule) continue;
    const { line, column } = at(id);
    const key = `${rule}:${line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push({ rule, line, column });
  }
  return findings;
}

// ---- FT503 ----

function unsendableFindings(attributes: Node[]): RawFinding[] {
  return attributes.flatMap((attribute) => {
    const pyclass = findMeta(attribute, 'pyclass');
    if (!pyclass || !hasFlag(pyclass, 'unsendable')) return [];
    return [{ rule: 'FT503', ...at(attribute), params: { name: itemName(annotatedItem(attribute)) } }];
  });
}

// ---- FT504 ----

/**
 * Types Python code can reach: #[pyclass] types and the types of their
 * fields (a wrong Send/Sync on a field type is as shared as the class),
 * #[pymethods] impl types, and T in Py<T>, Bound<'_, T> and the like.
 */
function pythonFacingTypes(attributes: Node[], genericTypes: Node[]): Set<string> {
  const names = new Set<string>();
  for (const attribute of attributes) {
    const item = annotatedItem(attribute);
    if (!item) continue;
    if (findMeta(attribute, 'pyclass')) {
      const name = item.childForFieldName('name')?.text;
      if (name) names.add(name);
      const body = item.childForFieldName('body');
      if (body) for (const t of nodes(body, 'type_identifier')) names.add(t.text);
    } else if (findMeta(attribute, 'pymethods') && item.type === 'impl_item') {
      const name = lastSegment(item.childForFieldName('type'));
      if (name) names.add(name);
    }
  }
  for (const generic of genericTypes) {
    if (!PYTHON_HANDLES.has(lastSegment(generic) ?? '')) continue;
    const args = generic.childForFieldName('type_arguments')?.namedChildren ?? [];
    // The class is the last argument; the ones before it are lifetimes.
    const name = lastSegment(args[args.length - 1] ?? null);
    if (name) names.add(name);
  }
  return names;
}

/** A `// SAFETY:` comment in the comment block right above an unsafe impl: the invariant is written down (catalogue FT504: info). */
function hasSafetyComment(impl: Node): boolean {
  let below = impl;
  for (let prev = impl.previousNamedSibling; prev && isComment(prev); prev = prev.previousNamedSibling) {
    if (prev.endPosition.row < below.startPosition.row - 1) break;
    if (prev.text.includes('SAFETY:')) return true;
    below = prev;
  }
  return false;
}

function unsafeSendSyncFindings(implItems: Node[], attributes: Node[], genericTypes: Node[]): RawFinding[] {
  const impls = implItems.filter((impl) => impl.children.some((c) => c?.type === 'unsafe'));
  if (impls.length === 0) return [];
  const facing = pythonFacingTypes(attributes, genericTypes);
  return impls.flatMap((impl): RawFinding[] => {
    const api = lastSegment(impl.childForFieldName('trait'));
    const name = lastSegment(impl.childForFieldName('type'));
    if ((api !== 'Send' && api !== 'Sync') || !name || !facing.has(name)) return [];
    const finding: RawFinding = { rule: 'FT504', ...at(impl), params: { api, name } };
    if (hasSafetyComment(impl)) {
      finding.severity = 'info';
      finding.detail = 'a // SAFETY: comment above states the invariant';
    }
    return [finding];
  });
}
