import type { Analyzer } from '../analyzer.js';
import type { SourceLanguage } from '../rules.js';

// The analyzer for each language, loaded when a file of that language is
// first scanned: a Python-only tree never loads the C grammar.

export const ANALYZERS: Record<SourceLanguage, () => Promise<Analyzer>> = {
  c: () => import('./c.js').then((m) => m.analyzeC),
  cpp: () => import('./c.js').then((m) => m.analyzeC),
  cython: () => import('./cython.js').then((m) => m.analyzeCython),
  rust: () => import('./rust.js').then((m) => m.analyzeRust),
  python: () => import('./python.js').then((m) => m.analyzePython),
};
