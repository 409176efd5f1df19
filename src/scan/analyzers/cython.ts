import type { Analyzer, RawFinding } from '../analyzer.js';
import { moduleDeclaration } from '../cython/module-declaration.js';
import { statements } from '../cython/statements.js';
import { tokenize, type Token } from '../cython/tokens.js';
import { walkStatements } from '../cython/walk.js';

// Cython hazards, read from tokens (Cython has no tree-sitter grammar):
//   FT005      a .pyx module that does not declare freethreading_compatible=True
//              (cython/module-declaration.ts);
//   FT101–107  borrowed-reference C API calls, when the file cimports or
//              declares the function (cython/borrowed-calls.ts);
//   FT602      "with gil:" in nogil code around changes to shared state;
//   FT605      module-level state changed inside a function without a lock
//              (both cython/state-rules.ts).
// The file is split into statements (cython/statements.ts) and walked once
// (cython/walk.ts), which collects the rules' candidates; what a name refers
// to is only known at the end of the file, so they are judged after the walk.

/** Tokenizer problems shown as notes; the rest are counted. */
const MAX_PROBLEM_NOTES = 3;

export const analyzeCython: Analyzer = (file, context) => {
  let tokens: Token[] = [];
  const notes: string[] = [];
  try {
    const tokenized = tokenize(file.text);
    tokens = tokenized.tokens;
    notes.push(...problemNotes(file.path, tokenized.problems, tokenized.problemCount));
  } catch (err) {
    notes.push(`${file.path}: could not tokenize (${(err as Error).message}); reading it as empty`);
  }
  const declaration = moduleDeclaration(file, tokens, context.build);
  notes.push(...declaration.notes);
  const findings: RawFinding[] = declaration.finding ? [declaration.finding] : [];
  let includes: string[] = [];
  try {
    const found = walkStatements(statements(tokens), /\.pxi$/i.test(file.path));
    const judged = [...found.borrowed.findings(found.names), ...found.state.findings(found.names)];
    // One at a time: a generated file can have more findings than push() takes arguments.
    for (const f of judged) findings.push(f);
    includes = found.includes;
  } catch (err) {
    notes.push(`${file.path}: could not analyse the code (${(err as Error).message}); only the module declaration was checked`);
  }
  findings.sort((a, b) => a.line - b.line || a.column - b.column);
  return { findings, declaresFreeThreading: declaration.declares, notes, includes };
};

function problemNotes(path: string, problems: readonly string[], count: number): string[] {
  const shown = problems.slice(0, MAX_PROBLEM_NOTES).map((p) => `${path}: ${p}`);
  if (count > shown.length) shown.push(`${path}: ${count - shown.length} more syntax problems`);
  return shown;
}
