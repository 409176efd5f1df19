// A tokenizer for Cython (.pyx, .pxd, .pxi), which has no tree-sitter grammar.
// It follows Python's tokenizer where Cython does: NEWLINE ends a logical line
// only outside brackets, a backslash before the line end joins two lines,
// INDENT and DEDENT come from the indentation of the first line of each
// logical line, and blank or comment-only lines change nothing. Comments are
// kept as tokens: directives and suppressions live in them.
//
// Source files are untrusted: every character is consumed exactly once, no
// recursion, and anything that is not Cython (binary junk, an unterminated
// string, a stray closing bracket) becomes a token or a problem, never an
// exception.

export type TokenKind = 'name' | 'number' | 'string' | 'comment' | 'op' | 'newline' | 'indent' | 'dedent';

export interface Token {
  kind: TokenKind;
  /** The source text; strings keep prefix and quotes, comments start at '#'. Empty for newline, indent and dedent. */
  text: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units; a tab counts as one column. */
  column: number;
  /** For strings: what is between the quotes, escapes left as written. */
  value?: string;
  /** For strings: the prefix letters (r, b, f, u, c, t and combinations), lower-cased. */
  prefix?: string;
}

export interface Tokenized {
  tokens: Token[];
  /** The first few things Python would reject, e.g. "line 3: unterminated string"; the tokens are still usable. */
  problems: string[];
  /** How many there were in all: junk input has one per line. */
  problemCount: number;
}

/** A logical line: its tokens without comments, and how many blocks deep it is. */
export interface LogicalLine {
  tokens: Token[];
  depth: number;
}

const THREE_CHAR_OPS = new Set(['**=', '//=', '>>=', '<<=', '...']);
const TWO_CHAR_OPS = new Set([
  '==', '!=', '<=', '>=', '<<', '>>', '**', '//', '->', ':=',
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=',
]);
const OPENERS = '([{';
const CLOSERS = ')]}';
/** Python's string prefixes, and Cython's c/C for char literals (c'x'). */
const PREFIX_LETTERS = /^[rRbBuUfFcCtT]{1,3}$/;
/** Python rounds a tab up to the next multiple of eight columns. */
const TAB_SIZE = 8;
/** Problems kept as text; the rest are only counted. */
const MAX_PROBLEMS = 20;

const CR = 13;
const LF = 10;

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function tokenize(text: string): Tokenized {
  const tokens: Token[] = [];
  const problems: string[] = [];
  let problemCount = 0;
  const problem = (message: string): void => {
    if (problemCount++ < MAX_PROBLEMS) problems.push(message);
  };
  const n = text.length;
  const indents = [0];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark is not code, nor a column
  let line = 1;
  let lineStart = i;
  let brackets = 0;
  let atLineStart = true;
  let joined = false; // the previous physical line ended with a backslash
  let lineHasCode = false;

  const push = (kind: TokenKind, start: number, end: number, startLine = line, startColumn = start - lineStart + 1): Token => {
    const token: Token = { kind, text: text.slice(start, end), line: startLine, column: startColumn };
    tokens.push(token);
    if (kind !== 'comment') lineHasCode = true;
    return token;
  };
  const marker = (kind: 'newline' | 'indent' | 'dedent', column: number): void => {
    tokens.push({ kind, text: '', line, column });
  };
  /** Steps over a line end at i (\n, \r\n or \r) and starts the next line. */
  const newline = (): void => {
    i += text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    line++;
    lineStart = i;
  };

  /** Sets the indentation of a new logical line; returns the index of its first character. */
  const indentation = (): number => {
    let j = i;
    let width = 0;
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 32) width++;
      else if (c === 9) width = Math.floor(width / TAB_SIZE) * TAB_SIZE + TAB_SIZE;
      else if (c === 12) width = 0; // form feed resets the column, as in Python
      else break;
    }
    const c = text.charCodeAt(j);
    if (j >= n || c === LF || c === CR || c === 35 /* # */) return j; // blank or comment-only
    const column = j - lineStart + 1;
    if (width > indents[indents.length - 1]!) {
      indents.push(width);
      marker('indent', column);
    } else {
      while (width < indents[indents.length - 1]!) {
        indents.pop();
        marker('dedent', column);
      }
      // A dedent to a width no enclosing block has: Python rejects it; keep
      // the line in the block it fell back to.
      if (width !== indents[indents.length - 1]!) problem(`line ${line}: unindent does not match any outer indentation level`);
    }
    return j;
  };

  const string = (start: number, quoteAt: number): void => {
    const startLine = line;
    const startColumn = start - lineStart + 1;
    const q = text.charCodeAt(quoteAt);
    const triple = text.charCodeAt(quoteAt + 1) === q && text.charCodeAt(quoteAt + 2) === q;
    const open = quoteAt + (triple ? 3 : 1);
    let j = open;
    let close = -1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 92 /* \ */) {
        // A backslash keeps the next character, also in raw strings, where \" does not end the string.
        const next = text.charCodeAt(j + 1);
        if (next === CR || next === LF) {
          i = j + 1;
          newline();
          j = i;
        } else {
          j += 2;
        }
      } else if (c === q && (!triple || (text.charCodeAt(j + 1) === q && text.charCodeAt(j + 2) === q))) {
        close = j;
        j += triple ? 3 : 1;
        break;
      } else if (c === CR || c === LF) {
        if (!triple) break; // an unterminated one-line string ends with its line
        i = j;
        newline();
        j = i;
      } else {
        j++;
      }
    }
    j = Math.min(j, n);
    if (close < 0) problem(`line ${startLine}: unterminated ${triple ? 'triple-quoted ' : ''}string`);
    const token = push('string', start, j, startLine, startColumn);
    token.value = text.slice(open, close < 0 ? j : close);
    token.prefix = text.slice(start, quoteAt).toLowerCase();
    i = j;
  };

  while (i < n) {
    if (atLineStart) {
      atLineStart = false;
      if (brackets === 0 && !joined) i = indentation();
      joined = false;
      if (i >= n) break;
    }
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 12) {
      i++;
    } else if (c === LF || c === CR) {
      if (brackets === 0 && lineHasCode) {
        marker('newline', i - lineStart + 1);
        lineHasCode = false;
      }
      newline();
      atLineStart = true;
    } else if (c === 35 /* # */) {
      let j = i;
      while (j < n && text.charCodeAt(j) !== LF && text.charCodeAt(j) !== CR) j++;
      push('comment', i, j);
      i = j;
    } else if (c === 92 /* \ */ && (text.charCodeAt(i + 1) === LF || text.charCodeAt(i + 1) === CR)) {
      i++;
      newline();
      atLineStart = true;
      joined = true;
    } else if (c === 34 || c === 39 /* " ' */) {
      string(i, i);
    } else if (isNameStart(c)) {
      let j = i + 1;
      while (j < n && isNameChar(text.charCodeAt(j))) j++;
      const q = text.charCodeAt(j);
      if ((q === 34 || q === 39) && PREFIX_LETTERS.test(text.slice(i, j))) {
        string(i, j);
      } else {
        push('name', i, j);
        i = j;
      }
    } else if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      const hex = c === 48 && (text.charCodeAt(i + 1) | 32) === 120; // 0x: an e is a digit, not an exponent
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        const exponentSign = (d === 43 || d === 45) && !hex && (text.charCodeAt(j - 1) | 32) === 101;
        if (isNameChar(d) || d === 46 || exponentSign) j++;
        else break;
      }
      push('number', i, j);
      i = j;
    } else {
      const three = text.slice(i, i + 3);
      const two = text.slice(i, i + 2);
      const len = THREE_CHAR_OPS.has(three) ? 3 : TWO_CHAR_OPS.has(two) ? 2 : 1;
      const ch = text[i]!;
      if (OPENERS.includes(ch)) brackets++;
      else if (CLOSERS.includes(ch)) {
        if (brackets === 0) problem(`line ${line}: unmatched '${ch}'`);
        brackets = Math.max(0, brackets - 1);
      }
      push('op', i, i + len);
      i += len;
    }
  }
  if (brackets > 0) problem(`line ${line}: ${brackets} bracket(s) never closed`);
  if (lineHasCode) marker('newline', i - lineStart + 1);
  while (indents.length > 1) {
    indents.pop();
    marker('dedent', i - lineStart + 1);
  }
  return { tokens, problems, problemCount };
}

/** Groups tokens into logical lines (comments dropped), each with its block depth from INDENT and DEDENT. */
export function logicalLines(tokens: readonly Token[]): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let depth = 0;
  let current: Token[] = [];
  let currentDepth = 0;
  for (const token of tokens) {
    switch (token.kind) {
      case 'indent':
        depth++;
        break;
      case 'dedent':
        depth = Math.max(0, depth - 1);
        break;
      case 'comment':
        break;
      case 'newline':
        if (current.length > 0) lines.push({ tokens: current, depth: currentDepth });
        current = [];
        break;
      default:
        if (current.length === 0) currentDepth = depth;
        current.push(token);
    }
  }
  if (current.length > 0) lines.push({ tokens: current, depth: currentDepth });
  return lines;
}

/** For every bracket token, the index of its partner; -1 for other tokens and unmatched brackets. */
export function matchBrackets(tokens: readonly Token[]): Int32Array {
  const pair = new Int32Array(tokens.length).fill(-1);
  const open: number[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'op') continue;
    if (OPENERS.includes(t.text)) open.push(k);
    else if (CLOSERS.includes(t.text) && open.length > 0) {
      const o = open.pop()!;
      pair[o] = k;
      pair[k] = o;
    }
  }
  return pair;
}

/** Where a token is, as a finding's 1-based range: one line, its text's width. */
export function tokenSpan(token: Token): { line: number; column: number; endLine: number; endColumn: number } {
  return { line: token.line, column: token.column, endLine: token.line, endColumn: token.column + token.text.length };
}
