import { parse as parseToml } from 'smol-toml';
import { matchBrackets, tokenize, type Token } from './tokens.js';

// Cython compiler directives, from the two places that set them:
//   - the directive comments at the top of a source file, read the way
//     Cython's parser reads them (Parsing.p_compiler_directive_comments);
//   - build files: setup.py (cythonize compiler_directives=, Extension
//     cython_directives=), pyproject.toml (hatch-cython's directives table,
//     aio-libs' in-tree backend [tool.local.cythonize.kwargs.directive]),
//     meson.build and CMakeLists.txt (cython's -X / --directive argument).
// There is no [tool.cython] table: Cython does not read pyproject.toml.
// Build files are untrusted input: nothing here throws.

export interface DirectiveComments {
  /** Directive name → value as written ("True", "3"). */
  directives: Record<string, string>;
  /** Directive comments Cython rejects, e.g. freethreading_compatible=true. */
  problems: string[];
}

/** `#cython: a=1, b=2`: Cython's pattern, anchored at the start of the comment. */
const DIRECTIVE_COMMENT = /^#\s*cython\s*:\s*([\w.]+\s*=.*)$/;

/** Directives of type bool that ftready reads; Cython rejects other values for them. */
const BOOL_DIRECTIVES = new Set(['freethreading_compatible']);

/**
 * True/False for a bool directive value; null when it is neither. Directive
 * comments take exactly True or False; the command line (-X) also takes
 * true/yes and false/no in any case (Options.parse_directive_value, relaxed_bool).
 */
export function directiveFlag(value: string | undefined, relaxed: boolean): boolean | null {
  if (value === 'True') return true;
  if (value === 'False') return false;
  if (relaxed && value !== undefined) {
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === 'yes') return true;
    if (lower === 'false' || lower === 'no') return false;
  }
  return null;
}

/**
 * `name=value, name=value` as Cython's parse_directive_list splits it. Like
 * Cython, one bad item voids the whole list; `relaxed` (command line) also
 * normalises true/yes/false/no to True/False.
 */
function parseDirectiveList(list: string, relaxed: boolean): { directives: Record<string, string>; problem?: string } {
  const directives: Record<string, string> = {};
  for (const raw of list.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq < 0) return { directives: {}, problem: `expected "=" in "${item}"` };
    const name = item.slice(0, eq).trim();
    let value = item.slice(eq + 1).trim();
    const flag = directiveFlag(value, relaxed);
    if (BOOL_DIRECTIVES.has(name) && flag === null) {
      return { directives: {}, problem: `${name}=${value} is not valid: it must be True or False` };
    }
    if (relaxed && flag !== null) value = flag ? 'True' : 'False';
    directives[name] = value;
  }
  return { directives };
}

/**
 * The directive comments of a Cython source: comments that start in column 1
 * before the first token of code (a docstring is code). Indented comments and
 * blank lines are skipped, as Cython's scanner skips them.
 */
export function readDirectiveComments(tokens: readonly Token[]): DirectiveComments {
  const directives: Record<string, string> = {};
  const problems: string[] = [];
  for (const token of tokens) {
    if (token.kind !== 'comment') break;
    if (token.column !== 1) continue;
    const m = DIRECTIVE_COMMENT.exec(token.text);
    if (!m) continue;
    const parsed = parseDirectiveList(m[1]!, false);
    if (parsed.problem) problems.push(`line ${token.line}: Cython rejects this directive comment: ${parsed.problem}`);
    Object.assign(directives, parsed.directives);
  }
  return { directives, problems };
}

// ---- build files ----

/**
 * Directives a build file sets for the Cython sources it builds. Bool values
 * come back as "True" or "False" whatever the file's spelling; an unknown
 * file name or unreadable content gives {}.
 */
export function readCythonDirectives(text: string, path: string): Record<string, string> {
  const name = path.replace(/\\/g, '/').split('/').pop()!.toLowerCase();
  try {
    if (name.endsWith('.py')) return fromPython(text);
    if (name.endsWith('.toml')) return fromToml(text);
    if (name === 'meson.build') return fromArguments(stringValues(tokenize(text).tokens));
    if (name === 'cmakelists.txt' || name.endsWith('.cmake')) return fromArguments(cmakeArguments(text));
  } catch {
    // A bug here must not stop a scan: the file then sets nothing we can see.
  }
  return {};
}

/**
 * Cython's command-line forms in a list of arguments: `-X a=b`, `-Xa=b`,
 * `--directive a=b`, `--directive=a=b`. Meson's cython_args and
 * add_project_arguments, and CMake's cython commands, pass them this way.
 */
function fromArguments(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let k = 0; k < args.length; k++) {
    const arg = args[k]!.trim();
    let list: string | undefined;
    if (arg === '-X' || arg === '--directive') list = args[++k];
    else list = /^-X\s*(.+)$/s.exec(arg)?.[1] ?? /^--directive(?:=|\s+)(.+)$/s.exec(arg)?.[1];
    if (list !== undefined) Object.assign(out, parseDirectiveList(list, true).directives);
  }
  return out;
}

function stringValues(tokens: readonly Token[]): string[] {
  return tokens.filter((t) => t.kind === 'string').map((t) => t.value ?? '');
}

/**
 * CMake arguments, split at whitespace and parentheses: quoted ("..."),
 * bracket ([[...]], [=[...]=]) and unquoted; `;` separates list items
 * inside an argument. Line (#) and bracket (#[[...]]) comments are dropped.
 * A scan, not a regular expression, so an unclosed bracket costs one search.
 */
function cmakeArguments(text: string): string[] {
  const args: string[] = [];
  const add = (value: string) => {
    for (const arg of value.split(';')) args.push(arg);
  };
  /** A bracket `[[`, `[=[`, … opening at i: where its content starts and the text that closes it. */
  const bracket = (i: number): { contentStart: number; close: string } | null => {
    const m = /^\[(=*)\[/.exec(text.slice(i, i + 64));
    return m ? { contentStart: i + m[0].length, close: `]${m[1]}]` } : null;
  };
  /** Where a bracket's content ends (the whole rest when it is never closed). */
  const closeOf = (b: { contentStart: number; close: string }) => {
    const end = text.indexOf(b.close, b.contentStart);
    return end < 0 ? text.length : end;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const b = c === '#' ? bracket(i + 1) : c === '[' ? bracket(i) : null;
    if (b) {
      const end = closeOf(b);
      if (c === '[') add(text.slice(b.contentStart, end));
      i = end + b.close.length;
    } else if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      add(text.slice(i + 1, Math.min(j, text.length)));
      i = j + 1;
    } else if (/[\s()]/.test(c)) {
      i++;
    } else {
      let j = i;
      while (j < text.length && !/[\s()#"]/.test(text[j]!)) j++;
      add(text.slice(i, j));
      i = j;
    }
  }
  return args;
}

type Table = Record<string, unknown>;

function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function lookup(doc: Table, path: string): unknown {
  let node: unknown = doc;
  for (const key of path.split('.')) node = isTable(node) ? node[key] : undefined;
  return node;
}

/** Where pyproject.toml (or hatch.toml) tables of directives live. */
const TOML_DIRECTIVE_TABLES = [
  // hatch-cython's build hook, in pyproject.toml and in hatch.toml
  'tool.hatch.build.targets.wheel.hooks.cython.options.directives',
  'tool.hatch.build.hooks.cython.options.directives',
  'build.targets.wheel.hooks.cython.options.directives',
  'build.hooks.cython.options.directives',
  // the in-tree PEP 517 backend of yarl, multidict, frozenlist, propcache, aiohttp
  'tool.local.cythonize.kwargs.directive',
  'tool.local.cython.kwargs.directive',
];

function fromToml(text: string): Record<string, string> {
  let doc: Table;
  try {
    doc = parseToml(text);
  } catch {
    return {}; // TomlError for syntax; RangeError for pathological nesting
  }
  const out: Record<string, string> = {};
  for (const path of TOML_DIRECTIVE_TABLES) {
    const table = lookup(doc, path);
    if (!isTable(table)) continue;
    for (const [key, value] of Object.entries(table)) {
      if (typeof value === 'boolean') out[key] = value ? 'True' : 'False';
      else if (typeof value === 'string') out[key] = normalised(value);
      else if (typeof value === 'number' || typeof value === 'bigint') out[key] = String(value);
    }
  }
  return out;
}

function normalised(value: string): string {
  const flag = directiveFlag(value, true);
  return flag === null ? value : flag ? 'True' : 'False';
}

// ---- setup.py ----

/** Keywords whose value is a dict of directives: cythonize(compiler_directives=), Extension(cython_directives=). */
const DIRECTIVE_KEYWORDS = new Set(['compiler_directives', 'cython_directives']);

/**
 * Directives from a Python build script: the dict given to a directive
 * keyword, also through a variable (`d = {...}` … `compiler_directives=d`),
 * with its `d.update(...)` and `d["name"] = value` changes; plus -X
 * arguments in any list of strings (a cython command run by the script).
 */
function fromPython(text: string): Record<string, string> {
  const tokens = tokenize(text).tokens.filter((t) => t.kind !== 'comment');
  const pair = matchBrackets(tokens);
  const holders = new Set(DIRECTIVE_KEYWORDS);
  for (let k = 0; k + 2 < tokens.length; k++) {
    const [key, eq, value] = [tokens[k]!, tokens[k + 1]!, tokens[k + 2]!];
    if (DIRECTIVE_KEYWORDS.has(key.text) && eq.text === '=' && value.kind === 'name' && endsArgument(tokens[k + 3])) {
      holders.add(value.text);
    }
  }
  const out = fromArguments(stringValues(tokens));
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'name' || !holders.has(t.text)) continue;
    const next = tokens[k + 1];
    // `d = {...}`, a keyword argument `compiler_directives={...}`, or `ext.cython_directives = {...}`
    if (next?.text === '=') Object.assign(out, dictAt(tokens, pair, k + 2));
    else if (next?.text === '.' && tokens[k + 2]?.text === 'update' && tokens[k + 3]?.text === '(') {
      Object.assign(out, dictAt(tokens, pair, k + 4), keywordItems(tokens, pair, k + 3));
    } else if (next?.text === '[' && tokens[k + 2]?.kind === 'string' && tokens[k + 3]?.text === ']' && tokens[k + 4]?.text === '=') {
      // d["name"] = value, where the value is one token ending the statement
      const end = tokens[k + 6];
      const value = end === undefined || end.kind === 'newline' || end.text === ';' ? valueOf(tokens.slice(k + 5, k + 6)) : null;
      if (value !== null) out[tokens[k + 2]!.value ?? ''] = value;
    }
  }
  return out;
}

/** Whether a plain name value ends at this token: `compiler_directives=d,` or `=d)` or the line's end. */
function endsArgument(token: Token | undefined): boolean {
  return token === undefined || token.kind === 'newline' || token.text === ',' || token.text === ')';
}

/** The items of `{...}`, or of `dict(...)` and `dict({...}, ...)`, starting at tokens[at]; {} for anything else. */
function dictAt(tokens: readonly Token[], pair: Int32Array, at: number): Record<string, string> {
  const literal = (open: number) => (tokens[open]?.text === '{' && pair[open]! > open ? literalItems(tokens, pair, open + 1, pair[open]!) : {});
  if (tokens[at]?.text === 'dict' && tokens[at + 1]?.text === '(') return { ...literal(at + 2), ...keywordItems(tokens, pair, at + 1) };
  return literal(at);
}

/** Splits tokens[from, to) at the commas of its own bracket level. */
function items(tokens: readonly Token[], pair: Int32Array, from: number, to: number): Token[][] {
  const out: Token[][] = [];
  let start = from;
  for (let k = from; k < to; k++) {
    const p = pair[k]!;
    if (p > k) k = Math.min(p, to - 1);
    else if (tokens[k]!.text === ',' && tokens[k]!.kind === 'op') {
      out.push(tokens.slice(start, k));
      start = k + 1;
    }
  }
  out.push(tokens.slice(start, to));
  return out.filter((item) => item.length > 0);
}

/** `"name": value` items of a dict literal; `**other` items are skipped. */
function literalItems(tokens: readonly Token[], pair: Int32Array, from: number, to: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items(tokens, pair, from, to)) {
    const [key, colon] = item;
    if (key?.kind !== 'string' || colon?.text !== ':') continue;
    const value = valueOf(item.slice(2));
    if (value !== null) out[key.value ?? ''] = value;
  }
  return out;
}

/** `name=value` arguments of the call whose '(' is tokens[open]. */
function keywordItems(tokens: readonly Token[], pair: Int32Array, open: number): Record<string, string> {
  const out: Record<string, string> = {};
  const close = pair[open]!;
  if (close <= open) return out;
  for (const item of items(tokens, pair, open + 1, close)) {
    const [key, eq] = item;
    if (key?.kind !== 'name' || eq?.text !== '=') continue;
    const value = valueOf(item.slice(2));
    if (value !== null) out[key.text] = value;
  }
  return out;
}

/** A directive value written in Python: True/False, a number or a string; null for an expression. */
function valueOf(value: readonly Token[]): string | null {
  if (value.length !== 1) return null;
  const t = value[0]!;
  if (t.kind === 'string') return normalised(t.value ?? '');
  if (t.kind === 'number' || (t.kind === 'name' && (t.text === 'True' || t.text === 'False'))) return t.text;
  return null;
}
