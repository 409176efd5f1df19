import type { ScanLanguage, Severity } from './rules.js';

// What every language analyzer receives and returns. Analyzers are pure:
// text and build facts in, findings out. Reading files, suppressions,
// escalation and reporting are the engine's (scan-file.ts, scan-run.ts).

export interface SourceFile {
  /** As shown to the user: relative to the working directory when inside it. */
  path: string;
  language: ScanLanguage;
  text: string;
}

/** Facts read from build configuration (build-facts.ts), keyed by the directory they apply to. */
export interface BuildFacts {
  /** The pyo3 version each Cargo.toml pins, by the Cargo.toml's directory; null when it cannot be told. */
  pyo3: Array<{ dir: string; version: string | null; cargoToml: string }>;
  /** Cython directives set in setup.py, pyproject.toml, meson.build or CMakeLists.txt, by their directory. */
  cythonDirectives: Array<{ dir: string; directives: Record<string, string>; file: string }>;
}

export const NO_BUILD_FACTS: BuildFacts = { pyo3: [], cythonDirectives: [] };

export interface RawFinding {
  rule: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  endLine?: number;
  endColumn?: number;
  /** Values for the rule's message and fix placeholders: {api}, {name}, {how}, {reason}. */
  params?: Record<string, string>;
  /** When the finding is graded (e.g. a static container is more dangerous than an argument). */
  severity?: Severity;
  /** Why this severity, e.g. "the dict is a static global". Shown after the message. */
  detail?: string;
}

export interface FileAnalysis {
  findings: RawFinding[];
  /**
   * Whether a module defined in this file declares that it runs without the
   * GIL. That declaration is a promise, so the engine raises its hazards from
   * warning to error. null when the file defines no module.
   */
  declaresFreeThreading: boolean | null;
  /** Problems reading the file: shown as notes, never fatal. */
  notes: string[];
  /**
   * Files this one includes textually (Cython `include "x.pxi"`), as paths
   * relative to this file's directory: this file's declaration covers them.
   */
  includes?: string[];
}

export interface AnalyzerContext {
  build: BuildFacts;
}

export type Analyzer = (file: SourceFile, context: AnalyzerContext) => Promise<FileAnalysis> | FileAnalysis;
