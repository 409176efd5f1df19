import type { AnalyzerContext, FileAnalysis, SourceFile } from './analyzer.js';
import { ANALYZERS } from './analyzers/index.js';

// One file through its analyzer. Whatever the input, this returns: an
// analyzer that throws (a bug, or input it could not cope with) costs that
// file's findings and leaves a note, never the whole scan.

export async function scanFile(file: SourceFile, context: AnalyzerContext): Promise<FileAnalysis> {
  if (file.language === 'build') return { findings: [], declaresFreeThreading: null, notes: [] };
  try {
    const analyze = await ANALYZERS[file.language]();
    return await analyze(file, context);
  } catch (err) {
    return { findings: [], declaresFreeThreading: null, notes: [`${file.path}: could not be analysed (${(err as Error).message.split('\n')[0]}); skipped`] };
  }
}
