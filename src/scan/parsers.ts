import { createRequire } from 'node:module';
import type { Language, Parser, Tree } from 'web-tree-sitter';

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

let ready: Promise<typeof import('web-tree-sitter')> | null = null;
const languages = new Map<GrammarName, Promise<Language>>();
const parsers = new Map<GrammarName, Parser>();

function runtime(): Promise<typeof import('web-tree-sitter')> {
  ready ??= import('web-tree-sitter').then(async (mod) => {
    await mod.Parser.init();
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
export async function parserFor(name: GrammarName): Promise<Parser> {
  let parser = parsers.get(name);
  if (!parser) {
    const mod = await runtime();
    parser = new mod.Parser();
    parser.setLanguage(await language(name));
    parsers.set(name, parser);
  }
  return parser;
}

/** Parses text; tree-sitter recovers from errors, so any text gives a tree (with ERROR nodes where it could not). */
export async function parse(name: GrammarName, text: string): Promise<Tree> {
  const tree = (await parserFor(name)).parse(text);
  if (!tree) throw new Error(`tree-sitter returned no tree for ${name}`);
  return tree;
}
