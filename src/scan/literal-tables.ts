// Long bracketed runs of literals, found from the text before parsing:
// generated tables such as `TABLE = [0x00, 0x01, …]` or
// `static DATA: [u8; 65536] = [ … ];`. Such a table names nothing a rule
// reads, yet parsing it can take seconds and gigabytes. The parser is given
// its first and last items only, so the tree keeps a list, dict, set, tuple
// or array of the same kind, and every offset after it.
//
// The reading is cautious: a bracket counts only when everything inside it
// is numbers, strings, comments, a few constant keywords, signs, commas,
// colons and other such brackets. One name, call, operator or f-string and
// it is left alone.

/** A table shorter than this is parsed as it is: only big ones cost anything. */
export const MIN_TABLE_CHARS = 4096;

export type TableLanguage = 'python' | 'rust';

interface LiteralSyntax {
  /**
   * What the reader jumps between, as one global alternation of named
   * groups: `quiet`, a string or comment with no code in it; `code`, one
   * that holds code (a Python f-string); `bracket`.
   */
  marks: RegExp;
  /** Sticky: what may stand between marks inside a table. */
  gap: RegExp;
}

// A quote always opens a string; a letter before it is a prefix only when it starts a word.
const PY_QUOTED = String.raw`(?:'''[^]*?'''|"""[^]*?"""|'(?:\\[^]|[^'\\\n])*'|"(?:\\[^]|[^"\\\n])*")`;
const PY_PREFIX = '(?:[rRbBuU]|[rR][bB]|[bB][rR])';
const PY_CODE_PREFIX = '(?:[fFtT]|[rR][fFtT]|[fFtT][rR])';

const SYNTAX: Record<TableLanguage, LiteralSyntax> = {
  python: {
    marks: new RegExp(String.raw`(?<quiet>#[^\n]*|(?:(?<!\w)${PY_PREFIX})?${PY_QUOTED})|(?<code>(?<!\w)${PY_CODE_PREFIX}${PY_QUOTED})|(?<bracket>[()[\]{}])`, 'g'),
    gap: /(?:\s|\\\n|[,:+-]|\d[\w.]*|\.\d\w*|None\b|True\b|False\b)*/y,
  },
  rust: {
    // Raw strings (r#"…"#), strings, byte strings and characters. A lifetime ('a) is none of these, and stops a table.
    marks: /(?<quiet>\/\/[^\n]*|\/\*[^]*?\*\/|(?<!\w)b?r(?<hashes>#*)"[^]*?"\k<hashes>|(?:(?<!\w)b)?"(?:\\[^]|[^"\\])*"|(?:(?<!\w)b)?'(?:\\(?:'|[^']{1,10})|[^'\\\n])')|(?<bracket>[()[\]{}])/g,
    gap: /(?:\s|[,:+-]|\d[\w.]*|\.\d\w*|true\b|false\b)*/y,
  },
};

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

interface OpenBracket {
  char: string;
  at: number;
  literal: boolean;
  /** The first and last commas directly inside it, or -1. */
  firstComma: number;
  lastComma: number;
}

/**
 * [start, end) ranges to leave out of the parse: in each table of at least
 * MIN_TABLE_CHARS, the items between its first and its last (`[1, 2, 3, 9]`
 * is parsed as `[1, 9]`; `[1, 2, 3,]` as `[1,]`). Sorted by start; a table
 * inside another may overlap it.
 */
export function literalTables(text: string, language: TableLanguage): Array<[number, number]> {
  if (text.length < MIN_TABLE_CHARS) return [];
  const { marks, gap } = SYNTAX[language];
  const out: Array<[number, number]> = [];
  const stack: OpenBracket[] = [];
  // The text between two marks belongs to the innermost open bracket.
  const readGap = (from: number, to: number) => {
    const top = stack[stack.length - 1];
    if (!top?.literal || from >= to) return;
    gap.lastIndex = from;
    gap.exec(text);
    if (gap.lastIndex < to) {
      top.literal = false;
      return;
    }
    const first = text.indexOf(',', from);
    if (first === -1 || first >= to) return;
    if (top.firstComma === -1) top.firstComma = first;
    top.lastComma = text.lastIndexOf(',', to - 1);
  };
  let last = 0;
  marks.lastIndex = 0;
  for (let m = marks.exec(text); m; m = marks.exec(text)) {
    readGap(last, m.index);
    last = marks.lastIndex;
    const top = stack[stack.length - 1];
    const bracket = m.groups!.bracket;
    if (bracket === undefined) {
      if (top && m.groups!.code !== undefined) top.literal = false;
      continue;
    }
    if (bracket in CLOSER) {
      stack.push({ char: bracket, at: m.index, literal: true, firstComma: -1, lastComma: -1 });
      continue;
    }
    const closed = stack.pop();
    if (!closed) continue;
    const parent = stack[stack.length - 1];
    // A mismatched bracket means the text is not what it seems: nothing around it counts.
    if (CLOSER[closed.char] !== bracket || !closed.literal) {
      if (parent) parent.literal = false;
    } else if (m.index - closed.at >= MIN_TABLE_CHARS && closed.firstComma < closed.lastComma) {
      out.push([closed.firstComma + 1, closed.lastComma + 1]);
    }
  }
  return out.sort((a, b) => a[0] - b[0]);
}
