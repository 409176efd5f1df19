import { parseAbiTag } from './abi-tag.js';
import type { Interpreter } from './interpreters.js';
import { parsePythonTag } from './python-tag.js';
import type { WheelTag } from './wheel-filename.js';

// How one wheel tag's python and ABI parts relate to one CPython interpreter,
// following what pip (packaging.tags) accepts, extended with PEP 803 abi3t.
// Platforms are handled separately (platform-tag.ts).

export type AbiFit =
  | 'free-threaded'
  | 'abi3t'
  | 'no-abi'
  | 'abi3'
  | 'gil'
  | 'debug'
  | 'other-version'
  | 'other-implementation';

/** Every fit with its meaning, best first: when a wheel carries several tags, the best fit counts. */
export const ABI_FITS: readonly { id: AbiFit; example: string; meaning: string }[] = [
  { id: 'free-threaded', example: 'cp314-cp314t', meaning: 'built for exactly this free-threaded version (cp3Y-cp3Yt)' },
  { id: 'abi3t', example: 'cp315-abi3.abi3t', meaning: 'the PEP 803 stable ABI for free-threaded builds: cp3V-abi3t with V ≤ Y, on 3.15 and later' },
  { id: 'no-abi', example: 'py3-none-any', meaning: 'ABI "none" with a python tag the interpreter accepts (py3, py3Z with Z ≤ Y, or exactly cp3Y): pure Python, or a binary that does not use the CPython ABI' },
  { id: 'abi3', example: 'cp39-abi3', meaning: 'the stable ABI (cp3V-abi3, V ≤ Y), which only GIL-enabled builds load' },
  { id: 'gil', example: 'cp314-cp314', meaning: 'the GIL-enabled build of the same version' },
  { id: 'debug', example: 'cp314-cp314td', meaning: 'a debug build of the same version, which a release interpreter does not load' },
  { id: 'other-version', example: 'cp313-cp313t on 3.14t', meaning: 'a CPython ABI or python tag of another version' },
  { id: 'other-implementation', example: 'pp311-pypy311_pp73', meaning: 'another implementation (PyPy, GraalPy) or Python 2' },
];

export const ABI_FIT_ORDER: readonly AbiFit[] = ABI_FITS.map((f) => f.id);

const ABI3T_FIRST_MINOR = 15;

const fits = new Map<string, AbiFit>();

/** How a tag's python and ABI parts fit an interpreter (memoised: wheels repeat the same few pairs). */
export function abiFit(tag: WheelTag, interp: Interpreter): AbiFit {
  const key = `${tag.python}-${tag.abi}-${interp.id}`;
  let fit = fits.get(key);
  if (fit === undefined) {
    fit = computeFit(tag, interp);
    fits.set(key, fit);
  }
  return fit;
}

function computeFit(tag: WheelTag, interp: Interpreter): AbiFit {
  const py = parsePythonTag(tag.python);
  const abi = parseAbiTag(tag.abi);
  const generic = py.implementation === 'py';
  const cpython = py.implementation === 'cp';
  if (!(generic || cpython) || py.major !== 3) return 'other-implementation';

  switch (abi.kind) {
    case 'none':
      // pip accepts cp3Y-none only for exactly 3.Y, but py3Z-none for any Z <= Y.
      if (cpython) return py.minor === interp.minor ? 'no-abi' : 'other-version';
      return py.minor === null || py.minor <= interp.minor ? 'no-abi' : 'other-version';
    case 'abi3':
    case 'abi3t': {
      if (!cpython || py.minor === null || py.minor > interp.minor) return 'other-version';
      if (abi.kind === 'abi3') return 'abi3';
      return interp.minor >= ABI3T_FIRST_MINOR ? 'abi3t' : 'other-version';
    }
    case 'cpython': {
      if (!cpython || abi.major !== 3 || abi.minor !== interp.minor || py.minor !== interp.minor) return 'other-version';
      if (abi.debug) return 'debug';
      return abi.freeThreaded ? 'free-threaded' : 'gil';
    }
    case 'other':
      return 'other-implementation';
  }
}

/** Whether an interpreter can install and load a wheel with this fit. */
export function fitIsUsable(fit: AbiFit, interp: Interpreter): boolean {
  if (fit === 'no-abi') return true;
  return interp.freeThreaded ? fit === 'free-threaded' || fit === 'abi3t' : fit === 'gil' || fit === 'abi3';
}
