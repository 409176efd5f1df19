import { memoize } from './memoize.js';

// ABI tags: "cp313t" (free-threaded 3.13), "cp314td" (debug free-threaded),
// "cp37m", "abi3" (stable ABI), "abi3t" (PEP 803 stable ABI for free-threaded
// builds), "none" (no Python ABI) and other implementations' tags.

export type AbiTag =
  | { kind: 'none' }
  | { kind: 'abi3' }
  | { kind: 'abi3t' }
  | { kind: 'cpython'; major: number; minor: number; freeThreaded: boolean; debug: boolean; flags: string }
  | { kind: 'other'; tag: string };

const CPYTHON_ABI = /^cp(\d)(\d+)([a-z]*)$/;
const KNOWN_FLAGS = /^[tdmu]*$/;

/** Memoised: a lockfile has thousands of wheels but only a few dozen distinct ABI tags. */
export const parseAbiTag: (tag: string) => AbiTag = memoize(parse);

function parse(tag: string): AbiTag {
  if (tag === 'none') return { kind: 'none' };
  if (tag === 'abi3') return { kind: 'abi3' };
  if (tag === 'abi3t') return { kind: 'abi3t' };
  const m = CPYTHON_ABI.exec(tag);
  if (m && KNOWN_FLAGS.test(m[3]!)) {
    const flags = m[3]!;
    return {
      kind: 'cpython',
      major: Number(m[1]),
      minor: Number(m[2]),
      freeThreaded: flags.includes('t'),
      debug: flags.includes('d'),
      flags,
    };
  }
  return { kind: 'other', tag };
}
