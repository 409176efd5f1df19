import { satisfiesSpecifier } from './versions.js';
import type { ParseResult } from './wheel-filename.js';

// PEP 508 environment markers, with the PEP 751 set-valued variables
// `extras` and `dependency_groups`.

export type MarkerNode =
  | { type: 'and' | 'or'; left: MarkerNode; right: MarkerNode }
  | { type: 'compare'; left: MarkerOperand; op: string; right: MarkerOperand };

export type MarkerOperand = { kind: 'variable'; name: string } | { kind: 'literal'; value: string };

export const MARKER_VARIABLES: ReadonlySet<string> = new Set([
  'python_version', 'python_full_version', 'os_name', 'sys_platform', 'platform_release',
  'platform_system', 'platform_version', 'platform_machine', 'platform_python_implementation',
  'implementation_name', 'implementation_version', 'extra', 'extras', 'dependency_groups',
]);

/**
 * Values for the variables. `undefined` (or a variable left out) means
 * "whatever the user selects": every comparison that reads it is true. That is
 * how ftready treats extras and dependency groups when checking a whole
 * lockfile, where any of them may be installed.
 */
export type MarkerEnvironment = Readonly<Record<string, string | undefined>>;

type Token = { kind: 'str' | 'ident' | 'op' | 'lparen' | 'rparen'; text: string; pos: number };

const TOKEN = /\s*(?:("[^"]*"|'[^']*')|(===|==|!=|<=|>=|~=|<|>)|([A-Za-z_][A-Za-z0-9_.]*)|(\()|(\)))/y;

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const pos = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) return `unexpected character at position ${pos + 1}`;
    const start = m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? '').length;
    if (m[1] !== undefined) tokens.push({ kind: 'str', text: m[1].slice(1, -1), pos: start });
    else if (m[2] !== undefined) tokens.push({ kind: 'op', text: m[2], pos: start });
    else if (m[3] !== undefined) tokens.push({ kind: 'ident', text: m[3], pos: start });
    else if (m[4] !== undefined) tokens.push({ kind: 'lparen', text: '(', pos: start });
    else tokens.push({ kind: 'rparen', text: ')', pos: start });
  }
  return tokens;
}

class MarkerParser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): MarkerNode {
    const node = this.or();
    const extra = this.tokens[this.i];
    if (extra) throw new Error(`unexpected "${extra.text}" at position ${extra.pos + 1}`);
    return node;
  }

  private peekWord(word: string): boolean {
    const t = this.tokens[this.i];
    return t?.kind === 'ident' && t.text === word;
  }

  private or(): MarkerNode {
    let left = this.and();
    while (this.peekWord('or')) {
      this.i++;
      left = { type: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): MarkerNode {
    let left = this.atom();
    while (this.peekWord('and')) {
      this.i++;
      left = { type: 'and', left, right: this.atom() };
    }
    return left;
  }

  private atom(): MarkerNode {
    const t = this.tokens[this.i];
    if (t?.kind === 'lparen') {
      this.i++;
      const inner = this.or();
      if (this.tokens[this.i]?.kind !== 'rparen') throw new Error(`missing ")" for "(" at position ${t.pos + 1}`);
      this.i++;
      return inner;
    }
    const left = this.operand();
    const op = this.operator();
    const right = this.operand();
    return { type: 'compare', left, op, right };
  }

  private operand(): MarkerOperand {
    const t = this.tokens[this.i++];
    if (!t) throw new Error('marker ends where a value was expected');
    if (t.kind === 'str') return { kind: 'literal', value: t.text };
    if (t.kind === 'ident' && MARKER_VARIABLES.has(t.text)) return { kind: 'variable', name: t.text };
    throw new Error(`"${t.text}" at position ${t.pos + 1} is not a marker variable or quoted string`);
  }

  private operator(): string {
    const t = this.tokens[this.i++];
    if (t?.kind === 'op') return t.text;
    if (t?.kind === 'ident' && t.text === 'in') return 'in';
    if (t?.kind === 'ident' && t.text === 'not' && this.peekWord('in')) {
      this.i++;
      return 'not in';
    }
    throw new Error(t ? `expected a comparison operator at position ${t.pos + 1}, found "${t.text}"` : 'marker ends where an operator was expected');
  }
}

export function parseMarker(text: string): ParseResult<MarkerNode> {
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return { ok: false, error: `invalid marker "${text}": ${tokens}` };
  if (tokens.length === 0) return { ok: false, error: 'empty marker' };
  try {
    return { ok: true, value: new MarkerParser(tokens).parse() };
  } catch (e) {
    return { ok: false, error: `invalid marker "${text}": ${(e as Error).message}` };
  }
}

const STRING_OPS: Record<string, (l: string, r: string) => boolean> = {
  '==': (l, r) => l === r,
  '!=': (l, r) => l !== r,
  '===': (l, r) => l === r,
  '<': (l, r) => l < r,
  '<=': (l, r) => l <= r,
  '>': (l, r) => l > r,
  '>=': (l, r) => l >= r,
  '~=': () => false,
  in: (l, r) => r.includes(l),
  'not in': (l, r) => !r.includes(l),
};

const SET_VARIABLES = new Set(['extras', 'dependency_groups']);

// Lockfiles repeat the same few comparisons thousands of times, and PEP 440
// parsing dominates evaluation, so results are remembered.
const comparisons = new Map<string, boolean>();

function compare(lhs: string, op: string, rhs: string): boolean {
  const key = `${lhs}\u0000${op}\u0000${rhs}`;
  let result = comparisons.get(key);
  if (result === undefined) {
    // As packaging does: a version comparison when "op rhs" is a valid
    // specifier, a string comparison otherwise.
    const asVersions = op === 'in' || op === 'not in' || op === '===' ? null : satisfiesSpecifier(lhs, op + rhs);
    result = asVersions ?? STRING_OPS[op]!(lhs, rhs);
    comparisons.set(key, result);
  }
  return result;
}

function value(operand: MarkerOperand, env: MarkerEnvironment): string | undefined {
  return operand.kind === 'literal' ? operand.value : env[operand.name];
}

function normalizeName(s: string): string {
  return s.replace(/[-_.]+/g, '-').toLowerCase();
}

export function evaluateMarker(node: MarkerNode, env: MarkerEnvironment): boolean {
  switch (node.type) {
    case 'and':
      return evaluateMarker(node.left, env) && evaluateMarker(node.right, env);
    case 'or':
      return evaluateMarker(node.left, env) || evaluateMarker(node.right, env);
    case 'compare': {
      let lhs = value(node.left, env);
      let rhs = value(node.right, env);
      if (lhs === undefined || rhs === undefined) return true;
      const names = [node.left, node.right].map((o) => (o.kind === 'variable' ? o.name : ''));
      if (names.some((n) => n === 'extra' || SET_VARIABLES.has(n))) {
        lhs = normalizeName(lhs);
        rhs = normalizeName(rhs);
      }
      if (names.some((n) => SET_VARIABLES.has(n))) {
        const set = new Set(rhs.split(',').filter(Boolean));
        if (node.op === 'in') return set.has(lhs);
        if (node.op === 'not in') return !set.has(lhs);
      }
      return compare(lhs, node.op, rhs);
    }
  }
}

export function markerToString(node: MarkerNode): string {
  const operand = (o: MarkerOperand) => (o.kind === 'variable' ? o.name : JSON.stringify(o.value));
  switch (node.type) {
    case 'compare':
      return `${operand(node.left)} ${node.op} ${operand(node.right)}`;
    case 'and':
    case 'or': {
      const wrap = (n: MarkerNode) => (n.type === 'or' && node.type === 'and' ? `(${markerToString(n)})` : markerToString(n));
      return `${wrap(node.left)} ${node.type} ${wrap(node.right)}`;
    }
  }
}
