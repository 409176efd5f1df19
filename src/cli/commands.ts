import type { CliIO } from './io.js';

// The command table. Each command's module is loaded only when it runs, so
// `ftready check` does not pay for what `ftready serve` will need.

export interface Command {
  summary: string;
  load(): Promise<{ run(args: string[], io: CliIO): Promise<number> }>;
}

export const COMMANDS: Record<string, Command> = {
  check: {
    summary: "Check a project's dependencies: lockfiles offline, manifests through the index",
    load: () => import('./commands/check.js'),
  },
  status: {
    summary: "One package's free-threading status on an index, release by release",
    load: () => import('./commands/status.js'),
  },
  scan: {
    summary: 'Find free-threading hazards in C/C++, Cython, Rust (PyO3) and Python sources',
    load: () => import('./commands/scan.js'),
  },
  sync: {
    summary: 'Sync projects from an index into the tracker database (SQLite or PostgreSQL)',
    load: () => import('./commands/sync.js'),
  },
  worker: {
    summary: 'Take sync jobs from the PostgreSQL job queue (see sync --enqueue)',
    load: () => import('./commands/worker.js'),
  },
  serve: {
    summary: 'Serve the tracker website, JSON API and badges',
    load: () => import('./commands/serve.js'),
  },
};
