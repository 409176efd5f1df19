import { firstTokenFrom, type Token } from './followed-names.js';
import type { FunctionBody } from './top-level-text.js';

// The code inside a function that names nothing the rules follow there
// (followed-names.ts), found from its text: the blocks, and the runs of
// simple statements, that can be left out of the parse without changing
// the shape of what is left.

/** The outermost blocks inside a body that name nothing followed, as [start, end) of their insides. */
export function quietBlocks(code: string, body: FunctionBody, hits: readonly Token[]): Array<[number, number]> {
  // `hits` are where followed names occur, in order: a block is quiet when none falls inside it.
  const out: Array<[number, number]> = [];
  const open: number[] = [];
  for (let i = body.open + 1; i < body.close; i++) {
    const c = code.charCodeAt(i);
    if (c === 123) open.push(i);
    else if (c === 125 && open.length > 0) {
      const start = open.pop()! + 1;
      const hit = hits[firstTokenFrom(hits, start)];
      if (hit && hit.at < i) continue;
      // An outer block that is quiet too replaces the ones inside it.
      while (out.length > 0 && out[out.length - 1]![0] > start) out.pop();
      out.push([start, i]);
    }
  }
  return out;
}

/** Statements that hold other statements; a block under one of them (or a bare block) holds statements too. */
const CONTROL = /^\s*(if|else|for|while|do|switch|case|default)\b|^\s*[A-Za-z_]\w*\s*:(?!:)/;

/** Not empty, and neither a control statement (if, a label, …) nor a typedef, which later declarations need. */
const isSimpleStatement = (text: string) => /\S/.test(text) && !CONTROL.test(text) && !/^\s*typedef\b/.test(text);

/**
 * Runs of simple statements inside a body's statement blocks that name
 * nothing followed, as [start, end) ranges: they can go without changing
 * the shape of what is left. A statement that controls another (if, for,
 * a label, a case) stays, and so do the insides of structs, initialisers
 * and macro blocks, and anything after one of their closing braces.
 */
export function quietStatements(code: string, body: FunctionBody, hits: readonly Token[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const blocks: boolean[] = [true];
  let parens = 0;
  let inExpression = 0;
  let segment = body.open + 1;
  let mayStart = true;
  let run = -1;
  const flush = (end: number) => {
    if (run !== -1) out.push([run, end]);
    run = -1;
  };
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
      const hit = hits[firstTokenFrom(hits, segment)];
      const quiet = mayStart && blocks[blocks.length - 1]! && !(hit && hit.at < i) && isSimpleStatement(code.slice(segment, i));
      if (quiet) run = run === -1 ? segment : run;
      else flush(segment);
      segment = i + 1;
      mayStart = blocks[blocks.length - 1]!;
    } else if (c === '{') {
      flush(segment);
      const header = code.slice(segment, i);
      blocks.push(mayStart && blocks[blocks.length - 1]! && (!/\S/.test(header) || CONTROL.test(header)));
      segment = i + 1;
      mayStart = blocks[blocks.length - 1]!;
    } else {
      flush(segment);
      const closed = blocks.length > 1 ? blocks.pop()! : false;
      segment = i + 1;
      mayStart = closed && blocks[blocks.length - 1]!;
    }
  }
  flush(segment);
  return out;
}

