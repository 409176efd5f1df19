import type { Token } from './tokens.js';
import { isName, isOp, rangesTop, type Stmt } from './statements.js';

// What a Cython statement writes to: the targets of an assignment, `del` or
// `for`, and the receiver of a method call that changes it in place. The
// state rules (state-rules.ts) judge these places at the end of the file.

/** Something written to: `x`, `x.a.b`, `x[i]`, `x.a[i]`; or, for `x.append(...)`, the receiver `x`. */
export interface Place {
  kind: 'name' | 'attr' | 'subscript' | 'method';
  root: Token;
  /** The last attribute name, for `self.lock = Lock()`. */
  attr: string | null;
  /** An attribute comes before the end: `self.d[k]`, `self.a.b`. */
  viaAttr: boolean;
}

const MUTATORS = new Set([
  'append', 'extend', 'insert', 'pop', 'remove', 'clear', 'update', 'add', 'discard', 'setdefault', 'popitem',
  'sort', 'reverse', 'appendleft', 'extendleft', 'popleft', '__setitem__', '__delitem__',
]);

/** How far back a method call's receiver is followed (`a.b[c].d.append`); longer chains are left alone. */
const MAX_CHAIN = 64;

/** The places written by a target list (`a, (b, c.d), *e[0]`); calls and other expressions give none. */
export function places(s: Stmt, from: number, to: number): Place[] {
  const out: Place[] = [];
  const work: Array<[number, number]> = [[from, to]];
  while (work.length > 0) {
    const [f, t] = work.pop()!;
    for (let [a, b] of rangesTop(s, f, t, isOp(','))) {
      while (a < b && (s.tokens[a]!.text === '*' || s.tokens[a]!.text === '**')) a++;
      if (a >= b) continue;
      const open = s.tokens[a]!;
      if ((open.text === '(' || open.text === '[') && s.pair[a] === b - 1) {
        work.push([a + 1, b - 1]);
        continue;
      }
      const place = singlePlace(s, a, b);
      if (place) out.push(place);
    }
  }
  return out;
}

/** The place tokens[from, to) names when it is exactly one: `x`, `x.a`, `x[i].a`. */
export function singlePlace(s: Stmt, from: number, to: number): Place | null {
  const root = s.tokens[from]!;
  if (!isName(root)) return null;
  let kind: 'name' | 'attr' | 'subscript' = 'name';
  let attr: string | null = null;
  let attrs = 0;
  let k = from + 1;
  while (k < to) {
    const t = s.tokens[k]!;
    if (t.text === '.' && isName(s.tokens[k + 1])) {
      kind = 'attr';
      attr = s.tokens[k + 1]!.text;
      attrs++;
      k += 2;
    } else if (t.text === '[' && s.pair[k]! > k) {
      kind = 'subscript';
      k = s.pair[k]! + 1;
    } else {
      return null; // a call or an operator: not a place
    }
  }
  return { kind, root, attr, viaAttr: kind === 'attr' ? attrs > 1 : attrs > 0 };
}

/** For a method call whose name is tokens[k] (after a '.'), the receiver it changes when the method is one that changes it. */
export function mutatedReceiver(s: Stmt, k: number): Place | null {
  if (!MUTATORS.has(s.tokens[k]!.text)) return null;
  const r = receiver(s, k - 1);
  return r ? { kind: 'method', root: r.root, attr: null, viaAttr: r.viaAttr } : null;
}

/** The receiver of the method whose '.' is tokens[dot]: `x.append`, `self.items.append`, `cache[k].append`. */
export function receiver(s: Stmt, dot: number): { root: Token; viaAttr: boolean } | null {
  let j = dot - 1;
  let attrs = 0;
  for (let steps = 0; j >= 0 && steps < MAX_CHAIN; steps++) {
    const t = s.tokens[j]!;
    if (t.kind === 'op' && t.text === ']' && s.pair[j]! >= 0) {
      j = s.pair[j]! - 1;
    } else if (isName(t)) {
      if (s.tokens[j - 1]?.text !== '.') return { root: t, viaAttr: attrs > 0 };
      attrs++;
      j -= 2;
    } else {
      return null;
    }
  }
  return null;
}

/** A place as a finding's detail shows it: `d`, `self.….d`, `cache[…]`, `self.items (by a method call)`. */
export function describePlace(place: Place): string {
  const root = place.root.text;
  switch (place.kind) {
    case 'name':
      return root;
    case 'attr':
      return `${root}.${place.viaAttr ? '….' : ''}${place.attr}`;
    case 'subscript':
      return `${root}${place.viaAttr ? '.…' : ''}[…]`;
    case 'method':
      return `${root}${place.viaAttr ? '.…' : ''} (by a method call)`;
  }
}
