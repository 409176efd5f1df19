import { createRequire } from 'node:module';
import type { Language, Parser, Range, Tree } from 'web-tree-sitter';
import { LineIndex } from './line-index.js';
import { checkDirectWalk, useModuleExports } from './cursor-walk.js';

// tree-sitter parsers for the languages that have a grammar on npm, loaded
// once per thread from the grammars' own .wasm files. Cython has none; it
// has a token scanner of its own (cython/tokens.ts).

export type GrammarName = 'c' | 'cpp' | 'rust' | 'python';

const GRAMMAR_FILES: Record<GrammarName, string> = {
  c: 'tree-sitter-c/tree-sitter-c.wasm',
  cpp: 'tree-sitter-cpp/tree-sitter-cpp.wasm',
  rust: 'tree-sitter-rust/tree-sitter-rust.wasm',
  python: 'tree-sitter-python/tree-sitter-python.wasm',
};

const require = createRequire(import.meta.url);

/** C that the fast cursor walk must read exactly as the public API does before it is trusted. */
const WALK_SAMPLE = 'static PyObject *f(PyObject *a, int n) {\n  for (int i = 0; i < n; i++) a = g(a, "x", i ? 1 : 2);\n  return a;\n}\n';

let ready: Promise<typeof import('web-tree-sitter')> | null = null;
const languages = new Map<GrammarName, Promise<Language>>();
const parsers = new Map<GrammarName, Promise<Parser>>();

function runtime(): Promise<typeof import('web-tree-sitter')> {
  ready ??= import('web-tree-sitter').then(async (mod) => {
    // Emscripten fills this object with the module's exports: cursor-walk.ts walks trees through them.
    const moduleObject: Record<string, unknown> = {};
    await mod.Parser.init(moduleObject);
    useModuleExports(moduleObject);
    return mod;
  });
  return ready;
}

async function language(name: GrammarName): Promise<Language> {
  let lang = languages.get(name);
  if (!lang) {
    lang = runtime().then((mod) => mod.Language.load(require.resolve(GRAMMAR_FILES[name])));
    languages.set(name, lang);
  }
  return lang;
}

/** A parser for the grammar, created once per thread. */
export function parserFor(name: GrammarName): Promise<Parser> {
  let parser = parsers.get(name);
  if (!parser) {
    parser = createParser(name);
    parsers.set(name, parser);
  }
  return parser;
}

async function createParser(name: GrammarName): Promise<Parser> {
  const mod = await runtime();
  const parser = new mod.Parser();
  parser.setLanguage(await language(name));
  if (name === 'c' || name === 'cpp') {
    const sample = parser.parse(WALK_SAMPLE);
    if (sample) {
      checkDirectWalk(sample.rootNode);
      sample.delete();
    }
  }
  return parser;
}

/**
 * Parses text; tree-sitter recovers from errors, so any text gives a tree
 * (with ERROR nodes where it could not). With `skip`, the parser does not
 * see those [start, end) offset ranges, and the tree keeps the text's offsets
 * (`lines` is the text's line index, when the caller has one).
 */
export async function parse(name: GrammarName, text: string, skip: ReadonlyArray<readonly [number, number]> = [], lines?: LineIndex): Promise<Tree> {
  const parser = await parserFor(name);
  const tree = skip.length === 0 ? parser.parse(text) : parser.parse(text, null, { includedRanges: includedRanges(skip, text.length, lines ?? new LineIndex(text)) });
  if (!tree) throw new Error(`tree-sitter returned no tree for ${name}`);
  return tree;
}

/** The complement of sorted, disjoint ranges, as tree-sitter wants included ranges. */
function includedRanges(skip: ReadonlyArray<readonly [number, number]>, length: number, lines: LineIndex): Range[] {
  const range = (startIndex: number, endIndex: number): Range => ({ startIndex, endIndex, startPosition: lines.position(startIndex), endPosition: lines.position(endIndex) });
  const out: Range[] = [];
  let at = 0;
  for (const [start, end] of skip) {
    if (start > at) out.push(range(at, start));
    at = Math.max(at, end);
  }
  out.push(range(at, length));
  return out;
}
