import { compareVersions } from '../standards/versions.js';
import { normalizeProjectName } from '../standards/project-name.js';

// Build requirements decide whether building from source on a free-threaded
// interpreter can work at all: these tools gained free-threading support in
// the release given. The table is data; a new tool is one more row.

export interface BuildTool {
  name: string;
  /** The first release that supports free-threaded builds. */
  since: string;
  why: string;
}

export const BUILD_TOOLS: readonly BuildTool[] = [
  { name: 'cython', since: '3.1.0', why: 'the first Cython that can declare free-threading support (the freethreading_compatible directive)' },
  { name: 'cffi', since: '2.0.0', why: 'the first CFFI that supports free-threaded CPython' },
  { name: 'pybind11', since: '2.13.0', why: 'the first pybind11 with py::mod_gil_not_used()' },
  { name: 'nanobind', since: '2.2.0', why: 'the first nanobind with the FREE_THREADED option' },
  { name: 'numpy', since: '2.1.0', why: 'the first NumPy whose C API and f2py (--freethreading-compatible) support free-threaded builds' },
];

/** Why a build requirement's version cannot build for a free-threaded interpreter; null when it can or is not a known tool. */
export function buildToolProblem(name: string, version: string): string | null {
  const tool = BUILD_TOOLS.find((t) => t.name === normalizeProjectName(name));
  if (!tool || compareVersions(version, tool.since) >= 0) return null;
  return `${tool.name} ${version} is older than ${tool.since}, ${tool.why}`;
}
