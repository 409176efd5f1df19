import { blank, codeOnly } from './code-only.js';
import { braceDelta } from './hidden-braces.js';

// The C preprocessor, as far as the scanner needs it: which lines are
// compiled on a free-threaded CPython build, and what the file's own macros
// expand to. Conditions are judged under the assumptions below; a condition
// that depends on anything else (the platform, the compiler, options) is
// "unknown" and both of its branches are kept, for the parser too, unless
// the branches are alternatives that each open a brace or a parenthesis the
// other also opens (`#ifdef _WIN32 for (…) { #else while (…) { #endif`):
// kept together they would unbalance the rest of the file and the parser
// would lose every function after them, so only the largest is parsed.

/** What is known on a free-threaded build of a CPython version that has the free-threading API. */
const KNOWN_DEFINED: ReadonlyMap<string, number> = new Map([
  ['Py_GIL_DISABLED', 1],
  ['Py_mod_gil', 4],
  ['Py_MOD_GIL_NOT_USED', 1],
  ['Py_BEGIN_CRITICAL_SECTION', 1],
  ['PY_MAJOR_VERSION', 3],
  ['PY_MINOR_VERSION', 14],
  ['PY_VERSION_HEX', 0x030e00f0],
]);
/** Macros a free-threaded build never defines (the stable ABI is refused before abi3t). */
const KNOWN_UNDEFINED = new Set(['Py_LIMITED_API', 'PYPY_VERSION', 'GRAALVM_PYTHON']);

export type Truth = boolean | null;

export interface Macro {
  name: string;
  /** null for an object-like macro. */
  params: string[] | null;
  body: string;
  line: number;
}

export interface PreprocessedFile {
  /** For each 1-based line: whether it is compiled on a free-threaded build (null: depends on something else). */
  lineActive: Truth[];
  /** Macros defined on active or unknown lines, by name; the last definition wins, as for the compiler. */
  macros: Map<string, Macro>;
  /**
   * The text with directive lines and lines of branches that are not
   * compiled blanked out (same length, newlines kept), for the parser:
   * positions still match the original.
   */
  parseText: string;
  /**
   * The parse text's code: comments and string literals blanked too. They
   * were found in the whole file, as the compiler does before it reads
   * directives, so a comment that starts in a skipped branch still ends
   * where it ends.
   */
  parseCode: string;
}

type Tok = { kind: 'num'; value: number } | { kind: 'id'; value: string } | { kind: 'op'; value: string };

function tokenizeCondition(text: string): Tok[] | null {
  const tokens: Tok[] = [];
  const re = /\s*(?:(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|([A-Za-z_]\w*)|(&&|\|\||==|!=|<=|>=|<<|>>|[!<>()+\-*/%&|^~?:]))/y;
  let i = 0;
  while (i < text.length) {
    if (/^\s*$/.test(text.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return null;
    if (m[1] !== undefined) tokens.push({ kind: 'num', value: Number(m[1].startsWith('0') && m[1].length > 1 && !/^0[xX]/.test(m[1]) ? parseInt(m[1], 8) : m[1]) });
    else if (m[2] !== undefined) tokens.push({ kind: 'id', value: m[2] });
    else tokens.push({ kind: 'op', value: m[3]! });
    i = re.lastIndex;
  }
  return tokens;
}

/** A three-valued evaluator of #if expressions: numbers, or null when unknown. */
function evaluate(tokens: Tok[], definedInFile: ReadonlySet<string>): number | null {
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (v: string) => peek()?.kind === 'op' && peek()!.value === v;
  // Binary operators by precedence, loosest first.
  const BINARY: string[][] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];
  const apply = (op: string, a: number, b: number): number => {
    switch (op) {
      case '||': return a || b ? 1 : 0;
      case '&&': return a && b ? 1 : 0;
      case '|': return a | b;
      case '^': return a ^ b;
      case '&': return a & b;
      case '==': return a === b ? 1 : 0;
      case '!=': return a !== b ? 1 : 0;
      case '<': return a < b ? 1 : 0;
      case '<=': return a <= b ? 1 : 0;
      case '>': return a > b ? 1 : 0;
      case '>=': return a >= b ? 1 : 0;
      case '<<': return a << b;
      case '>>': return a >> b;
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      case '/': return b === 0 ? 0 : Math.trunc(a / b);
      default: return b === 0 ? 0 : a % b;
    }
  };
  const unary = (): number | null => {
    const t = peek();
    if (!t) throw new Error('end');
    pos++;
    if (t.kind === 'num') return t.value;
    if (t.kind === 'id') {
      if (t.value === 'defined') {
        const paren = isOp('(');
        if (paren) pos++;
        const name = peek();
        if (name?.kind !== 'id') throw new Error('defined');
        pos++;
        if (paren) {
          if (!isOp(')')) throw new Error(')');
          pos++;
        }
        if (KNOWN_DEFINED.has(name.value)) return 1;
        if (KNOWN_UNDEFINED.has(name.value)) return 0;
        return definedInFile.has(name.value) ? 1 : null;
      }
      if (KNOWN_DEFINED.has(t.value)) return KNOWN_DEFINED.get(t.value)!;
      if (KNOWN_UNDEFINED.has(t.value)) return 0;
      // A function-like macro call: skip its arguments; its value is unknown.
      if (isOp('(')) {
        let depth = 0;
        do {
          if (isOp('(')) depth++;
          else if (isOp(')')) depth--;
          pos++;
        } while (depth > 0 && pos < tokens.length);
      }
      return null;
    }
    if (t.value === '(') {
      const v = ternary();
      if (!isOp(')')) throw new Error(')');
      pos++;
      return v;
    }
    const v = unary();
    if (t.value === '!') return v === null ? null : v ? 0 : 1;
    if (t.value === '-') return v === null ? null : -v;
    if (t.value === '+') return v;
    if (t.value === '~') return v === null ? null : ~v;
    throw new Error(t.value);
  };
  const binary = (level: number): number | null => {
    if (level === BINARY.length) return unary();
    let left = binary(level + 1);
    for (let t = peek(); t?.kind === 'op' && BINARY[level]!.includes(t.value); t = peek()) {
      const op = t.value;
      pos++;
      const right = binary(level + 1);
      // Short-circuit with an unknown side: `0 && ?` is 0, `1 || ?` is 1.
      if (op === '&&' && (left === 0 || right === 0)) left = 0;
      else if (op === '||' && ((left !== null && left !== 0) || (right !== null && right !== 0))) left = 1;
      else left = left === null || right === null ? null : apply(op, left, right);
    }
    return left;
  };
  const ternary = (): number | null => {
    const cond = binary(0);
    if (!isOp('?')) return cond;
    pos++;
    const a = ternary();
    if (!isOp(':')) throw new Error(':');
    pos++;
    const b = ternary();
    return cond === null ? (a === b ? a : null) : cond ? a : b;
  };
  try {
    const v = ternary();
    return pos === tokens.length ? v : null;
  } catch {
    return null;
  }
}

function truthOf(expr: string, definedInFile: ReadonlySet<string>): Truth {
  const tokens = tokenizeCondition(expr.replace(/\/\*.*?\*\/|\/\/.*$/g, ' '));
  if (!tokens || tokens.length === 0) return null;
  const v = evaluate(tokens, definedInFile);
  return v === null ? null : v !== 0;
}

const and = (a: Truth, b: Truth): Truth => (a === false || b === false ? false : a === null || b === null ? null : true);
const not = (a: Truth): Truth => (a === null ? null : !a);

/** A span of the text, [start, end) offsets. */
type Span = [number, number];

interface Branch {
  /** Its text, after the directive that opens it, up to the one that closes it. */
  start: number;
  end: number;
  truth: Truth;
}

interface Frame {
  /** Whether the enclosing text is compiled. */
  outer: Truth;
  /** The chain's branches so far; the last is still open. */
  branches: Branch[];
  /** Whether some earlier branch of this #if chain was taken (true), maybe taken (null) or not (false). */
  taken: Truth;
  /** This branch's own condition. */
  current: Truth;
  /** How many spans were blanked before the chain began: those after are the only ones inside it. */
  blankedBefore: number;
}

/** A directive line, with the lines it continues over with backslashes. */
const DIRECTIVE = /^[ \t]*#[ \t]*(\w*)((?:[^\\\n]|\\\r?\n|\\[^])*)/gm;

/** The text with the spans (sorted by start; they may overlap) blanked. */
function blankSpans(text: string, spans: readonly Span[]): string {
  const parts: string[] = [];
  let kept = 0;
  for (const [start, end] of spans) {
    if (end <= kept) continue;
    const from = Math.max(start, kept);
    parts.push(text.slice(kept, from), blank(text.slice(from, end)));
    kept = end;
  }
  parts.push(text.slice(kept));
  return parts.join('');
}

/** The pieces of [start, end) outside the spans (sorted by start) that are blanked: what the parser sees of it. */
function* keptPieces(code: string, start: number, end: number, spans: readonly Span[]): Generator<string> {
  let at = start;
  for (const [s, e] of spans) {
    if (e <= at || s >= end) continue;
    if (s > at) yield code.slice(at, s);
    at = Math.max(at, e);
  }
  if (end > at) yield code.slice(at, end);
}

/** Braces (hidden-brace macros among them) and parentheses that a branch leaves open, or closes that it did not open. */
function unbalanced(pieces: Iterable<string>): boolean {
  let parens = 0;
  let braces = 0;
  for (const piece of pieces) {
    for (const m of piece.matchAll(/[()]/g)) parens += m[0] === '(' ? 1 : -1;
    braces += braceDelta(piece);
  }
  return parens !== 0 || braces !== 0;
}

/**
 * A chain's unknown branches that are not parsed: all but the largest, when
 * they cannot all be parsed together. `blanked` are the spans blanked inside
 * the chain: each branch is judged as the parser would see it, with what
 * nested chains left of it.
 */
function droppedAlternatives(branches: readonly Branch[], code: string, blanked: readonly Span[]): Span[] {
  const unknown = branches.filter((b) => b.truth === null);
  if (unknown.length < 2) return [];
  const spans = [...blanked].sort((x, y) => x[0] - y[0]);
  const seen = (b: Branch) => keptPieces(code, b.start, b.end, spans);
  if (!unknown.some((b) => unbalanced(seen(b)))) return [];
  const sizes = unknown.map((b) => [...seen(b)].reduce((n, piece) => n + piece.replace(/\s+/g, '').length, 0));
  const keep = sizes.reduce((best, n, i) => (n > sizes[best]! ? i : best), 0);
  return unknown.filter((_, i) => i !== keep).map((b): Span => [b.start, b.end]);
}

export function preprocess(text: string): PreprocessedFile {
  const code = codeOnly(text);
  const macros = new Map<string, Macro>();
  const definedInFile = new Set<string>();
  const stack: Frame[] = [];
  /** Directives and text a free-threaded build does not compile, in order; chains' dropped alternatives are added as they close. */
  const blanked: Span[] = [];
  /** Text and directives with the truth of their lines. */
  const truths: Array<{ start: number; end: number; truth: Truth }> = [];
  const active = (): Truth => (stack.length === 0 ? true : and(stack[stack.length - 1]!.outer, stack[stack.length - 1]!.current));
  const closeBranch = (frame: Frame, at: number) => {
    frame.branches[frame.branches.length - 1]!.end = at;
  };
  let textStart = 0;
  let line = 1;
  let lineAt = 0;
  const lineOf = (offset: number) => {
    for (let i = text.indexOf('\n', lineAt); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      lineAt = i + 1;
    }
    return line;
  };
  for (const m of text.matchAll(DIRECTIVE)) {
    const start = m.index!;
    // A `#` at the start of a line inside a comment is not a directive.
    if (code[text.indexOf('#', start)] !== '#') continue;
    const end = start + m[0].length;
    const before = active();
    truths.push({ start: textStart, end: start, truth: before }, { start, end, truth: before });
    if (before === false) blanked.push([textStart, start]);
    blanked.push([start, end]);
    textStart = end;
    const name = m[1]!;
    const body = m[2]!.replace(/\\\r?\n/g, ' ').trim();
    switch (name) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        const word = body.split(/\s/)[0];
        const cond = name === 'if' ? truthOf(body, definedInFile) : name === 'ifdef' ? truthOf(`defined(${word})`, definedInFile) : not(truthOf(`defined(${word})`, definedInFile));
        stack.push({ outer: before, taken: cond, current: cond, branches: [{ start: end, end: -1, truth: and(before, cond) }], blankedBefore: blanked.length });
        break;
      }
      case 'elif':
      case 'else': {
        const top = stack[stack.length - 1];
        if (!top) break;
        const cond = name === 'else' ? true : truthOf(body, definedInFile);
        top.current = and(not(top.taken), cond);
        top.taken = top.taken === true || cond === true ? true : top.taken === false && cond === false ? false : null;
        closeBranch(top, start);
        top.branches.push({ start: end, end: -1, truth: and(top.outer, top.current) });
        break;
      }
      case 'endif': {
        const top = stack.pop();
        if (!top) break;
        closeBranch(top, start);
        blanked.push(...droppedAlternatives(top.branches, code, blanked.slice(top.blankedBefore)));
        break;
      }
      case 'define': {
        if (before === false) break;
        const d = /^([A-Za-z_]\w*)(\(([^)]*)\))?\s*(.*)$/.exec(body);
        if (d) {
          definedInFile.add(d[1]!);
          macros.set(d[1]!, { name: d[1]!, params: d[2] === undefined ? null : d[3]!.split(',').map((p) => p.trim()).filter(Boolean), body: d[4]!, line: lineOf(start) });
        }
        break;
      }
      case 'undef':
        if (before !== false) {
          macros.delete(body);
          definedInFile.delete(body);
        }
        break;
      default:
        break;
    }
  }
  const last = active();
  truths.push({ start: textStart, end: text.length, truth: last });
  if (last === false) blanked.push([textStart, text.length]);
  blanked.sort((a, b) => a[0] - b[0]);
  return {
    // Only tests read it: worked out when asked for.
    get lineActive() {
      return lineTruths(text, truths);
    },
    macros,
    parseText: blankSpans(text, blanked),
    parseCode: blankSpans(code, blanked),
  };
}

/** Each line's truth, from the truths of the spans that start on it (a directive's line takes the directive's). */
function lineTruths(text: string, spans: ReadonlyArray<{ start: number; end: number; truth: Truth }>): Truth[] {
  const out: Truth[] = [null];
  let next = 0;
  for (let lineStart = 0; lineStart <= text.length; ) {
    while (next + 1 < spans.length && spans[next]!.end <= lineStart && spans[next + 1]!.start <= lineStart) next++;
    out.push(next < spans.length ? spans[next]!.truth : true);
    const newline = text.indexOf('\n', lineStart);
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  return out;
}

/**
 * Expands the file's own macros in a piece of text, a few levels deep, so
 * that `MODULE_CREATE(m, …)` is seen to call PyModule_Create. Only what
 * the scanner looks for needs to survive: names and calls, not exact C.
 */
export function expandMacros(text: string, macros: ReadonlyMap<string, Macro>, depth = 4): string {
  if (depth === 0 || macros.size === 0) return text;
  let changed = false;
  const expanded = text.replace(/\b([A-Za-z_]\w*)\b(\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\))?/g, (whole, name: string, call: string | undefined, args: string | undefined) => {
    const macro = macros.get(name);
    if (!macro) return whole;
    if (macro.params === null) {
      changed = true;
      return `${macro.body}${call ?? ''}`;
    }
    if (call === undefined) return whole;
    const values = (args ?? '').split(',').map((a) => a.trim());
    let body = macro.body;
    macro.params.forEach((p, i) => {
      body = body.replace(new RegExp(`##\\s*\\b${p}\\b|\\b${p}\\b\\s*##|\\b${p}\\b`, 'g'), values[i] ?? '');
    });
    changed = true;
    return body.replace(/\s*##\s*/g, '');
  });
  return changed ? expandMacros(expanded, macros, depth - 1) : expanded;
}
