import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { AnalyzerContext, FileAnalysis, SourceFile } from './analyzer.js';
import type { SourceLanguage } from './rules.js';
import { scanFile } from './scan-file.js';
import type { WorkerMessage, WorkerResult } from './scan-worker.js';

// Files are analysed in parallel on worker threads. Starting a worker and
// loading its grammars costs a few hundred milliseconds, so scans under
// IN_PROCESS_BYTES run in this thread instead.

/** Below this many bytes of source, one thread is faster than starting workers. */
export const IN_PROCESS_BYTES = 512 * 1024;
/** A file that takes longer than this is not worth a stuck scan. */
const FILE_TIMEOUT_MS = 60_000;
/**
 * Files sent to a worker ahead of its results, so that it never waits for
 * this thread between files: at least two (one being analysed, one
 * waiting), and more while they are small, since a small file takes less
 * time than the round trip through this thread.
 */
const IN_FLIGHT = { files: 2, maxFiles: 16, bytes: 64 * 1024 };

const WORKER_URL = new URL('./scan-worker.js', import.meta.url);

/** Worker threads, started early and warmed up with the languages a scan will need. */
export class WorkerPool {
  private readonly idle: Worker[] = [];

  constructor(
    size: number,
    private readonly languages: readonly SourceLanguage[],
  ) {
    // A scan's threads live for seconds. V8's optimizing compiler spent more
    // time inlining the analysis functions into each other than that saved:
    // compiling took half of a large scan's CPU time, and without inlining
    // the scan is about a fifth faster. The flag is process-wide and read at
    // each compilation, so it covers the workers started below.
    setFlagsFromString('--no-turbo-inlining');
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_URL);
    worker.postMessage({ warm: [...this.languages] } satisfies WorkerMessage);
    return worker;
  }

  /**
   * Analyses each file on some worker. Each worker has files waiting
   * (IN_FLIGHT), so it never waits for this thread between files. A file that
   * crashes or hangs its worker costs that file: the worker is replaced and
   * the files waiting behind it go to the new one.
   */
  async analyzeAll(files: readonly SourceFile[], context: AnalyzerContext, onDone: (i: number, analysis: FileAnalysis) => void): Promise<void> {
    // Sorted by size. Half the lanes take the largest files first, so one
    // big file does not finish last on its own; the other half take the
    // smallest first. Files of a kind are mostly of a size, so a language a
    // tree has little of (Cython beside C, say) tends to stay in few
    // workers, and fewer workers spend time compiling its analyzer.
    const queue = files.map((_, i) => i).sort((a, b) => files[b]!.text.length - files[a]!.text.length);
    const lane = (first: Worker, index: number) =>
      new Promise<void>((laneDone) => {
        const fromFront = index % 2 === 0;
        let worker = first;
        const inFlight: number[] = [];
        let timer: NodeJS.Timeout | undefined;
        // The worker takes its files in order: the timer runs for the one it is on.
        const arm = () => {
          clearTimeout(timer);
          timer = inFlight.length > 0 ? setTimeout(() => fail(`no result after ${FILE_TIMEOUT_MS / 1000} s`), FILE_TIMEOUT_MS) : undefined;
        };
        const send = () => {
          const bytes = () => inFlight.reduce((n, i) => n + files[i]!.text.length, 0);
          while (queue.length > 0 && (inFlight.length < IN_FLIGHT.files || (inFlight.length < IN_FLIGHT.maxFiles && bytes() < IN_FLIGHT.bytes))) {
            const id = fromFront ? queue.shift()! : queue.pop()!;
            inFlight.push(id);
            worker.postMessage({ id, file: files[id]!, context } satisfies WorkerMessage);
            if (inFlight.length === 1) arm();
          }
          if (inFlight.length === 0) {
            detach();
            this.idle.push(worker);
            laneDone();
          }
        };
        const onMessage = (result: WorkerResult) => {
          inFlight.splice(inFlight.indexOf(result.id), 1);
          onDone(result.id, result.analysis);
          arm();
          send();
        };
        const fail = (why: string) => {
          const lost = inFlight.shift()!;
          detach();
          void worker.terminate();
          const waiting = inFlight.splice(0);
          if (fromFront) queue.unshift(...waiting);
          else queue.push(...waiting.reverse());
          worker = this.spawn();
          attach();
          onDone(lost, { findings: [], declaresFreeThreading: null, notes: [`${files[lost]!.path}: could not be analysed (${why}); skipped`] });
          send();
        };
        const onError = (err: Error) => fail(err.message.split('\n')[0]!);
        const onExit = (code: number) => fail(`the worker exited with code ${code}`);
        const attach = () => worker.on('message', onMessage).on('error', onError).on('exit', onExit);
        const detach = () => {
          clearTimeout(timer);
          worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        };
        attach();
        send();
      });
    const lanes = this.idle.splice(0, Math.min(this.idle.length, files.length));
    await Promise.all(lanes.map((worker, index) => lane(worker, index)));
  }

  async close(): Promise<void> {
    await Promise.all(this.idle.splice(0).map((w) => w.terminate()));
  }
}

/** Analyses every file, on the pool's workers when there is one. */
export async function analyzeAll(files: readonly SourceFile[], context: AnalyzerContext, pool: WorkerPool | null, onDone?: (done: number, total: number, path: string) => void): Promise<FileAnalysis[]> {
  const results: FileAnalysis[] = new Array(files.length);
  let done = 0;
  const finish = (i: number, analysis: FileAnalysis) => {
    results[i] = analysis;
    onDone?.(++done, files.length, files[i]!.path);
  };
  if (pool) await pool.analyzeAll(files, context, finish);
  else for (let i = 0; i < files.length; i++) finish(i, await scanFile(files[i]!, context));
  return results;
}
