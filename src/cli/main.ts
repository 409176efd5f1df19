#!/usr/bin/env node
import { run } from './run.js';

// A reader that stops early (`ftready scan | head`) closes the pipe: that is
// the reader's choice, not an error, so end quietly as other tools do.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(0);
});

const code = await run(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env,
});
// Let buffered output to pipes drain instead of calling process.exit().
process.exitCode = code;
