import { parentPort } from 'node:worker_threads';
import type { AnalyzerContext, FileAnalysis, SourceFile } from './analyzer.js';
import { scanFile } from './scan-file.js';

// A worker thread of the scan pool: files in, analyses out. Each worker
// loads the tree-sitter grammars once and keeps them.

export interface WorkerTask {
  id: number;
  file: SourceFile;
  context: AnalyzerContext;
}

export interface WorkerResult {
  id: number;
  analysis: FileAnalysis;
}

parentPort?.on('message', (task: WorkerTask) => {
  void scanFile(task.file, task.context).then((analysis) => parentPort!.postMessage({ id: task.id, analysis } satisfies WorkerResult));
});
