import { Worker } from 'node:worker_threads';
import type { AnalyzerContext, FileAnalysis, SourceFile } from './analyzer.js';
import { scanFile } from './scan-file.js';
import type { WorkerResult, WorkerTask } from './scan-worker.js';

// Files are analysed in parallel on worker threads. Starting a worker and
// loading its grammars costs a few hundred milliseconds, so small scans run
// in this thread instead.

const IN_PROCESS_BYTES = 512 * 1024;
/** A file that takes longer than this is not worth a stuck scan. */
const FILE_TIMEOUT_MS = 60_000;

export interface PoolOptions {
  threads: number;
  onDone?: (done: number, total: number, path: string) => void;
}

export async function analyzeAll(files: readonly SourceFile[], context: AnalyzerContext, options: PoolOptions): Promise<FileAnalysis[]> {
  const total = files.reduce((n, f) => n + f.text.length, 0);
  const results: FileAnalysis[] = new Array(files.length);
  let done = 0;
  const finish = (i: number, analysis: FileAnalysis) => {
    results[i] = analysis;
    options.onDone?.(++done, files.length, files[i]!.path);
  };
  const threads = Math.min(options.threads, files.length);
  if (threads <= 1 || total < IN_PROCESS_BYTES) {
    for (let i = 0; i < files.length; i++) finish(i, await scanFile(files[i]!, context));
    return results;
  }
  // Largest files first, so one big file does not finish last on its own.
  const order = files.map((_, i) => i).sort((a, b) => files[b]!.text.length - files[a]!.text.length);
  let next = 0;
  const url = new URL('./scan-worker.js', import.meta.url);
  const lane = async () => {
    let worker = new Worker(url);
    while (next < order.length) {
      const id = order[next++]!;
      const analysis = await new Promise<FileAnalysis>((resolve) => {
        // A file that crashes or hangs its worker costs that file, not the scan: the worker is replaced.
        const fail = (why: string) => {
          cleanup();
          void worker.terminate();
          worker = new Worker(url);
          resolve({ findings: [], declaresFreeThreading: null, notes: [`${files[id]!.path}: could not be analysed (${why}); skipped`] });
        };
        const timer = setTimeout(() => fail(`no result after ${FILE_TIMEOUT_MS / 1000} s`), FILE_TIMEOUT_MS);
        const onMessage = (result: WorkerResult) => {
          cleanup();
          resolve(result.analysis);
        };
        const onError = (err: Error) => fail(err.message.split('\n')[0]!);
        const onExit = (code: number) => fail(`the worker exited with code ${code}`);
        const cleanup = () => {
          clearTimeout(timer);
          worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        };
        worker.on('message', onMessage).on('error', onError).on('exit', onExit);
        worker.postMessage({ id, file: files[id]!, context } satisfies WorkerTask);
      });
      finish(id, analysis);
    }
    await worker.terminate();
  };
  await Promise.all(Array.from({ length: threads }, lane));
  return results;
}
