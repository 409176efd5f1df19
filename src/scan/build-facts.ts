import { dirname } from 'node:path';
import type { BuildFacts, RawFinding } from './analyzer.js';
import { readCargoPyo3, readWorkspacePyo3 } from './build/cargo.js';
import { nanobindModules } from './build/cmake.js';
import { f2pyFindings } from './build/f2py.js';
import { readCythonDirectives } from './cython/directives.js';

// Build configuration, read before the sources: which pyo3 each crate pins,
// which Cython directives the build sets, and nanobind modules built
// without FREE_THREADED and f2py runs without --freethreading-compatible
// (findings of their own, in the build files).

export interface BuildFile {
  path: string;
  text: string;
}

export interface BuildResult {
  facts: BuildFacts;
  /** Findings in build files (FT008), by file. */
  findings: Map<string, RawFinding[]>;
  notes: string[];
}

const dirOf = (path: string) => {
  const d = dirname(path);
  return d === '.' ? '' : d;
};

export function readBuildFacts(files: readonly BuildFile[]): BuildResult {
  const facts: BuildFacts = { pyo3: [], cythonDirectives: [] };
  const findings = new Map<string, RawFinding[]>();
  const notes: string[] = [];
  const workspaces = new Map<string, string | null>();
  for (const f of files) if (f.path.endsWith('Cargo.toml') && /^\s*\[workspace/m.test(f.text)) workspaces.set(dirOf(f.path), readWorkspacePyo3(f.text, f.path).version);
  for (const f of files) {
    const name = f.path.split('/').pop()!;
    if (name === 'Cargo.toml') {
      const cargo = readCargoPyo3(f.text, f.path);
      if (cargo.problem) notes.push(cargo.problem);
      let version = cargo.version;
      if (version === null && cargo.workspace) {
        // The closest workspace root above this crate says which version `workspace = true` means.
        const roots = [...workspaces.keys()].filter((d) => d === '' || dirOf(f.path) === d || dirOf(f.path).startsWith(`${d}/`)).sort((a, b) => b.length - a.length);
        version = roots.length > 0 ? (workspaces.get(roots[0]!) ?? null) : null;
      }
      facts.pyo3.push({ dir: dirOf(f.path), version, cargoToml: f.path });
    }
    const found = [...(name === 'CMakeLists.txt' ? nanobindModules(f.text).findings : []), ...(name === 'Cargo.toml' ? [] : f2pyFindings(f.text))];
    if (found.length > 0) findings.set(f.path, found);
    if (name !== 'Cargo.toml') {
      const directives = readCythonDirectives(f.text, f.path);
      if (Object.keys(directives).length > 0) facts.cythonDirectives.push({ dir: dirOf(f.path), directives, file: f.path });
    }
  }
  return { facts, findings, notes };
}
