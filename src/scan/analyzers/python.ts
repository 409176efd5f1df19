import type { Node } from 'web-tree-sitter';
import type { Analyzer, FileAnalysis, RawFinding, SourceFile } from '../analyzer.js';
import { literalTables } from '../literal-tables.js';
import { parse } from '../parsers.js';
import { collectFacts } from '../python/file-facts.js';
import { containerMutations, lazyInits } from '../python/module-state-rules.js';

// Pure-Python hazards, read from the tree-sitter Python tree:
//   FT801 a module-level mutable container mutated inside a function;
//   FT803 a `global` initialised lazily with check-then-set
//   (both python/module-state-rules.ts).
// Both are warnings about state that *may* be shared between threads, so the
// analyzer leans to silence: it reports only names that resolve to the
// module (Python's scoping rules, including closures: python/scopes.ts),
// skips code under a lock (python/locks.ts), code that runs at import time
// or under `__main__` (python/file-facts.ts), and test code.
//
// Every traversal is iterative: tree-sitter recovers from any input, and a
// file of 10,000 nested parentheses must not overflow the JS stack.

/** With `skipTables: false` generated tables are parsed too: the tests check that leaving them out changes no finding. */
export function pythonAnalyzer(options: { skipTables: boolean }): Analyzer {
  return (file) => analyze(file, options.skipTables);
}

export const analyzePython: Analyzer = pythonAnalyzer({ skipTables: true });

async function analyze(file: SourceFile, skipTables: boolean): Promise<FileAnalysis> {
  // Test suites are single-threaded unless they opt into pytest-run-parallel;
  // reporting their fixtures' module state would only be noise.
  if (isTestFile(file.path)) return { findings: [], declaresFreeThreading: null, notes: [] };
  try {
    const tree = await parse('python', file.text, skipTables ? literalTables(file.text, 'python') : []);
    try {
      return analyzeTree(tree.rootNode, file.path);
    } finally {
      tree.delete();
    }
  } catch (err) {
    return { findings: [], declaresFreeThreading: null, notes: [`could not analyse ${file.path} as Python: ${(err as Error).message}`] };
  }
}

/** `test_*.py`, `*_test.py` and `conftest.py`, pytest's default discovery names. */
function isTestFile(path: string): boolean {
  const base = path.split(/[\\/]/).pop() ?? '';
  return /^test_.*\.py$/.test(base) || /_test\.py$/.test(base) || base === 'conftest.py';
}

function analyzeTree(root: Node, path: string): FileAnalysis {
  const facts = collectFacts(root);
  const findings: RawFinding[] = [];
  for (const scope of facts.scopes) {
    if (scope.skipped) continue;
    findings.push(...containerMutations(scope, facts), ...lazyInits(scope, facts));
  }
  findings.sort((a, b) => a.line - b.line || a.column - b.column);
  const notes: string[] = [];
  const error = firstSyntaxError(root);
  if (error) notes.push(`${path}: could not parse line ${error.startPosition.row + 1} as Python; findings near it may be missing`);
  return { findings, declaresFreeThreading: null, notes };
}

/** The first ERROR or MISSING node, found by descending only into subtrees that contain one. */
function firstSyntaxError(root: Node): Node | null {
  let node: Node | null = root.hasError ? root : null;
  while (node && !node.isError && !node.isMissing) {
    node = node.children.find((c): c is Node => c !== null && (c.hasError || c.isMissing)) ?? null;
  }
  return node;
}
