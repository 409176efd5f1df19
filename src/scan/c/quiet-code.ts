import { firstTokenFrom, type Token } from './followed-names.js';
import type { FunctionBody } from './top-level-text.js';

// The code inside a function that names nothing the rules follow there
// (followed-names.ts), found from its text: the blocks, and the runs of
// statements, that can be left out of the parse without changing the
// shape of what is left.

/** Whether [start, end) names nothing followed; `hits` are where followed names occur, in order. */
function quiet(hits: readonly Token[], start: number, end: number): boolean {
  const hit = hits[firstTokenFrom(hits, start)];
  return !(hit && hit.at < end);
}

/** The outermost blocks inside a body that name nothing followed, as [start, end) of their insides. */
export function quietBlocks(code: string, body: FunctionBody, hits: readonly Token[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const open: number[] = [];
  const braces = /[{}]/g;
  braces.lastIndex = body.open + 1;
  for (let m = braces.exec(code); m && m.index < body.close; m = braces.exec(code)) {
    const i = m.index;
    if (m[0] === '{') open.push(i);
    else if (open.length > 0) {
      const start = open.pop()! + 1;
      if (!quiet(hits, start, i)) continue;
      // An outer block that is quiet too replaces the ones inside it.
      while (out.length > 0 && out[out.length - 1]![0] > start) out.pop();
      out.push([start, i]);
    }
  }
  return out;
}

/** Statements that hold other statements; a block under one of them (or a bare block) holds statements too. */
const CONTROL = /^\s*(if|else|for|while|do|switch|case|default)\b|^\s*[A-Za-z_]\w*\s*:(?!:)/;
/** Control statements that can go whole, with their body: not `else`, `do`, a label or a `case`, which belong to something around them. */
const WHOLE = /^\s*(if|for|while|switch)\b/;
/** The head of a statement that would change meaning without the one before it. */
const CONTINUES = /^\s*else\b/;

/** Not empty, and neither a control statement (if, a label, …) nor a typedef, which later declarations need. */
const isSimpleStatement = (text: string) => /\S/.test(text) && !CONTROL.test(text) && !/^\s*typedef\b/.test(text);

interface Block {
  /** Whether it holds statements (a function body, a bare block, the body of an if or a loop), not a struct or an initialiser. */
  statements: boolean;
  /** Where the statement that opens it starts, and whether that statement could go whole (an if, a loop, a switch). */
  start: number;
  whole: boolean;
  /** The quiet run before that statement, to be continued or closed when the block ends. */
  runBefore: number;
  /** It is a `do` block: the `while (…);` after it is its end, not a statement. */
  isDo: boolean;
}

/**
 * Runs of statements inside a body's statement blocks that name nothing
 * followed, as [start, end) ranges: they can go without changing the shape
 * of what is left. A run holds simple statements, and whole if statements
 * (with no else), loops and switches. A label, a case, an else or a do
 * stays, and so do the insides of structs, initialisers and macro blocks,
 * and anything after one of their closing braces.
 */
export function quietStatements(code: string, body: FunctionBody, hits: readonly Token[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const blocks: Block[] = [{ statements: true, start: body.open, whole: false, runBefore: -1, isDo: false }];
  const top = () => blocks[blocks.length - 1]!;
  let parens = 0;
  let inExpression = 0;
  let segment = body.open + 1;
  let mayStart = true;
  let afterDo = false;
  let run = -1;
  const flush = (end: number) => {
    if (run !== -1) out.push([run, end]);
    run = -1;
  };
  // What follows a statement that ends at `end`: an else makes the if before it part of a larger statement.
  const continued = (end: number) => CONTINUES.test(code.slice(end, end + 64));
  const marks = /[{}();]/g;
  marks.lastIndex = body.open + 1;
  for (let m = marks.exec(code); m && m.index < body.close; m = marks.exec(code)) {
    const i = m.index;
    const c = m[0];
    if (c === '(') parens++;
    else if (c === ')') parens = Math.max(0, parens - 1);
    else if (parens > 0 || inExpression > 0) {
      // Braces in an expression: a compound literal, a statement expression.
      if (c === '{') inExpression++;
      else if (c === '}') inExpression--;
    } else if (c === ';') {
      const text = code.slice(segment, i);
      const simple = isSimpleStatement(text) || (WHOLE.test(text) && !afterDo && !continued(i + 1));
      if (mayStart && top().statements && simple && quiet(hits, segment, i)) run = run === -1 ? segment : run;
      else flush(segment);
      segment = i + 1;
      mayStart = top().statements;
      // `do x;` is followed by its `while (…);`.
      afterDo = /^\s*do\b/.test(text);
    } else if (c === '{') {
      const header = code.slice(segment, i);
      const statements: boolean = mayStart && top().statements && (!/\S/.test(header) || CONTROL.test(header));
      blocks.push({ statements, start: segment, whole: statements && WHOLE.test(header) && !afterDo, runBefore: run, isDo: /^\s*do\s*$/.test(header) });
      run = -1;
      segment = i + 1;
      mayStart = statements;
      afterDo = false;
    } else {
      flush(segment);
      const closed = blocks.length > 1 ? blocks.pop()! : null;
      segment = i + 1;
      mayStart = closed !== null && closed.statements && top().statements;
      afterDo = closed?.isDo ?? false;
      if (!closed) continue;
      // The statement this block ends goes whole when nothing in it is followed and no else continues it.
      if (closed.whole && top().statements && quiet(hits, closed.start, i) && !continued(i + 1)) run = closed.runBefore === -1 ? closed.start : closed.runBefore;
      else if (closed.runBefore !== -1) out.push([closed.runBefore, closed.start]);
    }
  }
  flush(segment);
  return out;
}
