import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NO_BUILD_FACTS, type Analyzer, type BuildFacts } from '../../src/scan/analyzer.js';
import { pythonAnalyzer } from '../../src/scan/analyzers/python.js';
import { rustAnalyzer } from '../../src/scan/analyzers/rust.js';
import { literalTables, MIN_TABLE_CHARS, type TableLanguage } from '../../src/scan/literal-tables.js';
import { parse } from '../../src/scan/parsers.js';

// Generated tables are left out of the Python and Rust parses, but for
// their first and last items (literal-tables.ts). That must change no
// finding, keep the kind of each container, and never leave out code.

/** `count` items made by `item(i)`, comma-separated over lines: a table well over MIN_TABLE_CHARS. */
function items(count: number, item: (i: number) => string): string {
  return Array.from({ length: count }, (_, i) => item(i)).join(',\n    ');
}

/** How much of the text the tables leave out. */
function skippedShare(text: string, language: TableLanguage): number {
  let skipped = 0;
  let at = 0;
  for (const [start, end] of literalTables(text, language)) {
    skipped += Math.max(0, end - Math.max(start, at));
    at = Math.max(at, end);
  }
  return skipped / text.length;
}

async function sameFindings(text: string, language: TableLanguage, expected: string[], build: BuildFacts = NO_BUILD_FACTS): Promise<void> {
  const [skipping, whole]: [Analyzer, Analyzer] = language === 'python' ? [pythonAnalyzer({ skipTables: true }), pythonAnalyzer({ skipTables: false })] : [rustAnalyzer({ skipTables: true }), rustAnalyzer({ skipTables: false })];
  const path = language === 'python' ? 'pkg/tables.py' : 'src/lib.rs';
  const run = async (analyzer: Analyzer) => {
    const result = await analyzer({ path, language, text }, { build });
    assert.deepEqual(result.notes, [], 'no syntax errors');
    return result.findings.map((f) => `${f.rule}:${f.line}:${f.column}`).sort();
  };
  const got = await run(skipping);
  assert.deepEqual(got.map((f) => f.split(':').slice(0, 2).join(':')), [...expected].sort());
  assert.deepEqual(got, await run(whole));
}

/** The type of the value of the first assignment (Python) or static (Rust), as the parser sees it with the tables left out. */
async function valueType(text: string, language: TableLanguage): Promise<string> {
  const tree = await parse(language, text, literalTables(text, language));
  try {
    const type = language === 'python' ? 'assignment' : 'static_item';
    const node = tree.rootNode.descendantsOfType(type)[0]!;
    return `${node.childForFieldName(language === 'python' ? 'right' : 'value')!.type}${tree.rootNode.hasError ? ' with errors' : ''}`;
  } finally {
    tree.delete();
  }
}

describe('generated tables left out of the parse', () => {
  test('Python: tables of every kind keep their kind, and findings on them and after them stay', async () => {
    const tables: Record<string, { value: string; type: string }> = {
      NUMBERS: { value: `[\n    ${items(600, (i) => `${i}, -${i}.5e-3, 0x${i.toString(16)}, 1_000j`)},\n]`, type: 'list' },
      NAMES: { value: `{\n    ${items(300, (i) => `${i}: ('[', "]", '#', "it's", """a\nmulti-line ] string""", b'\\x00', None, True)`)}\n}`, type: 'dictionary' },
      WORDS: { value: `{${items(400, (i) => `r'w${i}\\\\'`)}}`, type: 'set' },
      PAIRS: { value: `(${items(400, (i) => `(${i}, '${i}')`)})`, type: 'tuple' },
    };
    for (const [name, { value, type }] of Object.entries(tables)) assert.equal(await valueType(`${name} = ${value}\n`, 'python'), type, name);
    const text = `import threading
CACHE = []
${Object.entries(tables).map(([name, { value }]) => `${name} = ${value}\n`).join('')}
def add(key, value):
    CACHE.append(value)
    NUMBERS.append(key)
    NAMES[key] = value
    WORDS.add(key)
    PAIRS.count(key)
`;
    assert.ok(skippedShare(text, 'python') > 0.9, `${(skippedShare(text, 'python') * 100).toFixed(1)}% was left out`);
    const line = (needle: string) => String(text.slice(0, text.indexOf(needle)).split('\n').length);
    await sameFindings(text, 'python', ['CACHE.append', 'NUMBERS.append', 'NAMES[key]', 'WORDS.add'].map((needle) => `FT801:${line(needle)}`));
  });

  test('Python: a table with code in it is parsed whole', () => {
    const big = (odd: string) => `TABLE = [\n    ${items(800, (i) => (i === 400 ? odd : String(i)))},\n]\n`;
    const cases: Array<[string, string]> = [
      [big('CACHE'), 'CACHE'],
      [big('len("x")'), 'len'],
      [big('2 * 3'), '*'],
      [big('f"{CACHE.pop()}"'), 'f"'],
      [big('lambda: 1'), 'lambda'],
      [big('...'), '...'],
      [`TABLE = [x for x in (${items(800, String)})]\n`, 'for'],
    ];
    for (const [text, odd] of cases) {
      assert.ok(text.length > MIN_TABLE_CHARS, odd);
      const at = text.indexOf(odd);
      assert.ok(!literalTables(text, 'python').some(([start, end]) => start <= at && at < end), `the table around ${odd} was left out`);
    }
    // The comprehension's tuple of literals is itself a table, and may go.
    assert.ok(skippedShare(cases[cases.length - 1]![0], 'python') > 0.8);
  });

  test('Python: a string that only looks like a table, or a small table, is left alone', () => {
    const inString = `DOC = """[${items(800, String)}]"""\n`;
    assert.deepEqual(literalTables(inString, 'python'), []);
    assert.deepEqual(literalTables(`TABLE = [${items(50, String)}]\n`, 'python'), []);
    const unclosed = `TABLE = [${items(800, String)}\n`;
    assert.deepEqual(literalTables(unclosed, 'python'), []);
  });

  test('Rust: arrays of numbers, strings and characters go; lifetimes and findings after them stay', async () => {
    const text = `use pyo3::prelude::*;

static TABLE: [u8; 2400] = [
    ${items(600, (i) => `${i % 256}u8, 0x${(i % 16).toString(16)}, ${i}_u8, 1.5e-3f64`)},
];
static PAIRS: [(&str, char); 500] = [${items(500, (i) => `("s${i}\\"]", '${i % 2 ? "\\'" : ']'}')`)}];
static RAW: [&str; 300] = [${items(300, (i) => `r#"a"]${i}"#, b"[\\x00"`)}];

#[pyclass(unsendable)]
struct Holder<'a> {
    name: &'a str,
}

#[pymodule]
fn tables(m: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}
`;
    assert.ok(skippedShare(text, 'rust') > 0.9, `${(skippedShare(text, 'rust') * 100).toFixed(1)}% was left out`);
    const build: BuildFacts = { pyo3: [{ dir: '', version: '0.26', cargoToml: 'Cargo.toml' }], cythonDirectives: [] };
    const line = (needle: string) => String(text.slice(0, text.indexOf(needle)).split('\n').length);
    await sameFindings(text, 'rust', [`FT503:${line('#[pyclass')}`, `FT006:${line('#[pymodule')}`], build);
    assert.equal(await valueType(text, 'rust'), 'array_expression');
  });

  test('Rust: an array with a name, a call or a lifetime in it is parsed whole', () => {
    for (const odd of ['LIMIT', 'f(1)', "&'static 1", '2 * 3']) {
      const text = `static TABLE: [u32; 801] = [${items(800, (i) => (i === 400 ? odd : String(i)))}];\n`;
      assert.deepEqual(literalTables(text, 'rust'), [], odd);
    }
  });
});
