// The shape of a C or C++ file's top level, read from its text before it is
// parsed: where each function body is, and which names are declared at file
// scope. Parsing is most of a C file's scan time, and the rules report only
// on functions that use an API they know or file-scope state, so the bodies
// of the other functions need not be parsed (c-relevance.ts).
//
// The text must be code only (comments and strings blanked) with the
// preprocessor's choices made and hidden-brace macros turned into braces.
// The reading is cautious both ways: a brace block counts as a function
// body only when a parameter list ends its header, and the names are a
// superset of the variables the parser will find.

export interface FunctionBody {
  /** Where the header starts: after the previous declaration or body. */
  headerStart: number;
  /** The offsets of the body's `{` and `}`. */
  open: number;
  close: number;
  /** The identifier before the parameter list, when there is one. */
  name: string | null;
  /** The parameters' names in order; null when they cannot be told (K&R, a macro, a function pointer). */
  params: string[] | null;
  isStatic: boolean;
}

export interface TopLevelText {
  bodies: FunctionBody[];
  /** Variables declared at file scope (arrays left out): a superset of what the parser finds. */
  names: Set<string>;
  /**
   * The insides, [start, end), of file-scope initialisers that hold only
   * literals (`= { 1, 2, "a" }`): generated tables of many megabytes name
   * nothing a rule reads, and parsing them would be most of the scan.
   */
  tables: Array<[number, number]>;
}

/** The matching `}` of the `{` at `open`, or the end of the text when it is never closed. */
function closingBrace(code: string, open: number, end: number): number {
  let depth = 0;
  const braces = /[{}]/g;
  braces.lastIndex = open;
  for (let m = braces.exec(code); m && m.index < end; m = braces.exec(code)) {
    if (m[0] === '{') depth++;
    else if (--depth === 0) return m.index;
  }
  return end - 1;
}

/** The text with every bracketed group's inside blanked, brackets kept: what is left is the declaration's top level. */
function flatten(text: string): string {
  let depth = 0;
  return text.replace(/[([{]|[)\]}]|[^()[\]{}]+/g, (piece) => {
    if (piece === '(' || piece === '[' || piece === '{') return ++depth === 1 ? piece : ' ';
    if (piece === ')' || piece === ']' || piece === '}') {
      depth = Math.max(0, depth - 1);
      return depth === 0 ? piece : ' ';
    }
    return depth === 0 ? piece : ' '.repeat(piece.length);
  });
}

/** The variables a file-scope declaration declares: the last identifier of each declarator, before any initialiser. */
function declaredNames(statement: string, names: Set<string>): void {
  if (/^\s*typedef\b/.test(statement)) return;
  for (const m of statement.matchAll(/\(\s*\*\s*([A-Za-z_]\w*)\s*\)/g)) names.add(m[1]!);
  for (const part of flatten(statement).split(',')) {
    const declarator = part.split('=')[0]!.trimEnd();
    // A prototype declares a function, not a variable; an array is a table, not state a rule follows.
    if (declarator.endsWith(')') || (declarator.endsWith(']') && !declarator.includes('*'))) continue;
    const last = /([A-Za-z_]\w*)\s*(\[\s*\])?$/.exec(declarator);
    if (last) names.add(last[1]!);
  }
}

/** The names in the parameter list whose `)` is at `close` in the header (`(void)` has none). */
function parameterNames(header: string, close: number): string[] | null {
  let depth = 0;
  let open = close;
  for (; open >= 0; open--) {
    if (header[open] === ')') depth++;
    else if (header[open] === '(' && --depth === 0) break;
  }
  const list = header.slice(open + 1, close);
  if (/^\s*(void)?\s*$/.test(list)) return [];
  const names: string[] = [];
  for (const param of flatten(list).split(',')) {
    const name = /([A-Za-z_]\w*)\s*(\[\s*\])?\s*$/.exec(param.split('=')[0]!);
    if (!name) return null;
    names.push(name[1]!);
  }
  return names;
}

const CONTAINER_HEADER = /\b(extern|namespace(\s+[\w:]+)?)\s*$/;
/** A parameter list, maybe followed by C++ qualifiers or a trailing return type, ends a function's header (and a constructor's initialiser list ends with one). */
const FUNCTION_HEADER = /\)\s*((const|volatile|noexcept|override|final|&&?|->\s*[\w:<>*&]+)\s*)*$/;

function scanScope(code: string, from: number, to: number, out: TopLevelText): void {
  let statementStart = from;
  let parens = 0;
  const marks = /[(){;]/g;
  marks.lastIndex = from;
  for (let m = marks.exec(code); m && m.index < to; m = marks.exec(code)) {
    const i = m.index;
    const c = code.charCodeAt(i);
    if (c === 40) parens++;
    else if (c === 41) parens = Math.max(0, parens - 1);
    else if (c === 59 && parens === 0) {
      declaredNames(code.slice(statementStart, i), out.names);
      statementStart = i + 1;
    } else if (c === 123) {
      const close = closingBrace(code, i, to);
      const header = code.slice(statementStart, i);
      if (parens === 0 && CONTAINER_HEADER.test(header)) {
        scanScope(code, i + 1, close, out);
        statementStart = close + 1;
      } else if (parens === 0 && code.charCodeAt(close) === 125 && FUNCTION_HEADER.test(header.slice(-200))) {
        const flat = flatten(header);
        // `= … {` is an initialiser, or a lambda: parsed whole, to be safe.
        if (!/=[^=]*$/.test(flat)) {
          const named = [...flat.matchAll(/([A-Za-z_]\w*)\s*\(\s*\)/g)].pop();
          out.bodies.push({ headerStart: statementStart, open: i, close, name: named?.[1] ?? null, params: named ? parameterNames(header, named.index! + named[0].length - 1) : null, isStatic: /\bstatic\b/.test(header) });
          statementStart = close + 1;
        }
      }
      // Any other block (a struct, an enum, an initialiser) belongs to the declaration around it.
      if (parens === 0 && code.charCodeAt(close) === 125 && /=\s*$/.test(header) && literalsOnly(code, i + 1, close)) out.tables.push([i + 1, close]);
      marks.lastIndex = close + 1;
    }
  }
}

/** A letter that starts a word, not one inside a number (0x1F, 1e5, 2.0f): a name, or a designated field (`.x`). */
const NAME_START = /(?<!\w)[A-Za-z_]/g;

/** Whether [from, to) of the code names nothing: numbers, blanked strings and characters, punctuation. */
function literalsOnly(code: string, from: number, to: number): boolean {
  NAME_START.lastIndex = from;
  const m = NAME_START.exec(code);
  return m === null || m.index >= to;
}

export function readTopLevel(code: string): TopLevelText {
  const out: TopLevelText = { bodies: [], names: new Set(), tables: [] };
  scanScope(code, 0, code.length, out);
  return out;
}
