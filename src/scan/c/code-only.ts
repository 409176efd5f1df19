// C and C++ text with comments and string and character literals blanked,
// same length and newlines kept, so that a search for braces, names or
// calls sees only code and its offsets still match the file. Every C pass
// that reads text (the preprocessor's branch check, hidden braces, module
// declarations, relevance) reads this.

/** Spaces for a piece of text, its newlines kept: offsets and lines stay where they were. */
export function blank(text: string): string {
  return text.includes('\n') ? text.split('\n').map((line) => ' '.repeat(line.length)).join('\n') : ' '.repeat(text.length);
}

const isLineEnd = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/** Where a literal opened by the quote at `open` ends: after its closing quote, or where the line ends without one. */
function literalEnd(text: string, open: number): number {
  const quote = text.charCodeAt(open);
  for (let j = open + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === quote) return j + 1;
    if (c === 10) return j;
    if (c === 92) {
      // A backslash before a line end (a continuation) ends the literal's blanking there.
      if (j + 1 >= text.length || isLineEnd(text.charCodeAt(j + 1))) return j;
      j++;
    }
  }
  return text.length;
}

export function codeOnly(text: string): string {
  const parts: string[] = [];
  let kept = 0;
  // Jumping from one possible start to the next with a regex, rather than looking at every character, is what makes this fast.
  const starts = /\/[*/]|["']/g;
  for (let m = starts.exec(text); m; m = starts.exec(text)) {
    const i = m.index;
    let end: number;
    if (m[0] === '/*') {
      const close = text.indexOf('*/', i + 2);
      end = close === -1 ? text.length : close + 2;
    } else if (m[0] === '//') {
      const newline = text.indexOf('\n', i + 2);
      end = newline === -1 ? text.length : newline;
    } else {
      end = literalEnd(text, i);
    }
    parts.push(text.slice(kept, i), blank(text.slice(i, end)));
    kept = starts.lastIndex = end;
  }
  parts.push(text.slice(kept));
  return parts.join('');
}
