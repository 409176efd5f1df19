import { writeFileSync } from 'node:fs';

// Preloaded with `node --import` by the bench: records the process's peak
// resident memory when it exits, without touching ftready's own code.
const out = process.env.FTREADY_BENCH_RSS_FILE;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
