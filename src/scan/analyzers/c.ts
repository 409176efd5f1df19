import type { Analyzer, FileAnalysis, SourceFile } from '../analyzer.js';
import { buildModel } from '../c/c-model.js';
import { borrowedReferences, criticalSectionExits, mutexCopies, mutexNotUnlocked, staticState, unlockedIteration, type CContext } from '../c/c-rules.js';
import { planSkips, type SkipPlan } from '../c/c-relevance.js';
import { hiddenBraces } from '../c/hidden-braces.js';
import { moduleDeclarations } from '../c/module-declarations.js';
import { preprocess } from '../c/preprocessor.js';
import { SharednessClassifier } from '../c/sharedness.js';
import { LineIndex } from '../line-index.js';
import { parse } from '../parsers.js';

// C and C++ sources: preprocess (keep the lines a free-threaded build
// compiles), turn hidden-brace macros into braces, parse with tree-sitter
// all but the bodies no rule needs, then run the rules on the model.

/** With `skip: false` the whole file is parsed and modelled: the tests check that skipping changes no finding. */
export function cAnalyzer(options: { skip: boolean }): Analyzer {
  return (file) => analyze(file, options.skip);
}

export const analyzeC: Analyzer = cAnalyzer({ skip: true });

async function analyze(file: SourceFile, skip: boolean): Promise<FileAnalysis> {
  const pre = preprocess(file.text);
  const code = pre.parseCode;
  const { parseText, parseCode, regions } = hiddenBraces(pre.parseText, code);
  const skips: SkipPlan = skip ? planSkips(parseCode, regions) : { functions: new Set(), ranges: [] };
  // Blanking keeps every newline where it was: one line index serves the file and every text made from it.
  const lines = new LineIndex(file.text);
  const tree = await parse(file.language === 'cpp' ? 'cpp' : 'c', parseText, skips.ranges, lines);
  try {
    const model = buildModel(tree, parseText, skips.functions, lines);
    const declarations = moduleDeclarations(file.text, pre, code, model, lines);
    const ctx: CContext = { model, sharedness: new SharednessClassifier(model), regions, initFunctions: declarations.initFunctions };
    const notes: string[] = [];
    for (const r of regions) if (!r.closed) notes.push(`${file.path}:${lines.lineColumn(r.start).line}: ${r.opener} has no matching end macro`);
    const result: FileAnalysis = {
      findings: [
        ...declarations.findings,
        ...borrowedReferences(ctx),
        ...unlockedIteration(ctx),
        ...criticalSectionExits(ctx),
        ...mutexCopies(ctx),
        ...mutexNotUnlocked(ctx),
        ...staticState(ctx),
      ],
      declaresFreeThreading: declarations.declaresFreeThreading,
      notes,
    };
    return result;
  } finally {
    tree.delete();
  }
}
