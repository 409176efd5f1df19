import { memoize } from './memoize.js';

// Interpreter tags (PEP 425): "py3", "py310", "cp314", "pp311", "graalpy311".

export interface PythonTag {
  tag: string;
  /** "py" means any implementation. */
  implementation: string;
  major: number | null;
  /** null for major-only tags such as "py3", which mean "any 3.x". */
  minor: number | null;
}

const PYTHON_TAG = /^([a-z]+?)(\d)(\d*)$/;
const MAJOR_ONLY = /^([a-z]+)$/;

/** Memoised, like parseAbiTag: few distinct tags, many wheels. */
export const parsePythonTag: (tag: string) => PythonTag = memoize(parse);

function parse(tag: string): PythonTag {
  const m = PYTHON_TAG.exec(tag);
  if (m) {
    return { tag, implementation: m[1]!, major: Number(m[2]), minor: m[3] === '' ? null : Number(m[3]) };
  }
  return { tag, implementation: MAJOR_ONLY.test(tag) ? tag : 'unknown', major: null, minor: null };
}
