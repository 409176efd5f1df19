import { parentPort } from 'node:worker_threads';
import { NO_BUILD_FACTS, type AnalyzerContext, type FileAnalysis, type SourceFile } from './analyzer.js';
import type { SourceLanguage } from './rules.js';
import { scanFile } from './scan-file.js';

// A worker thread of the scan pool: files in, analyses out, one at a time.
// Its first message names the languages to come, so it loads their
// analyzers and grammars while the main thread is still reading files.

export interface WorkerTask {
  id: number;
  file: SourceFile;
  context: AnalyzerContext;
}

export type WorkerMessage = WorkerTask | { warm: SourceLanguage[] };

export interface WorkerResult {
  id: number;
  analysis: FileAnalysis;
}

let queue: Promise<void> = Promise.resolve();

parentPort?.on('message', (message: WorkerMessage) => {
  queue = queue.then(async () => {
    if ('warm' in message) {
      // An empty file of each language goes through the whole path once: modules, grammars, parsers.
      for (const language of message.warm) await scanFile({ path: '', language, text: '' }, { build: NO_BUILD_FACTS });
      return;
    }
    const analysis = await scanFile(message.file, message.context);
    parentPort!.postMessage({ id: message.id, analysis } satisfies WorkerResult);
  });
});
