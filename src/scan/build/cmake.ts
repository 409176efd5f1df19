import type { RawFinding } from '../analyzer.js';
import { LineIndex } from '../line-index.js';

// nanobind declares free-threading support in the build, not in the source:
// nanobind_add_module(name FREE_THREADED ...) defines NB_FREE_THREADED, and
// NB_MODULE then adds the Py_mod_gil slot (nanobind 2.2+).

export interface NanobindModules {
  findings: RawFinding[];
  /** Module targets, and whether each declares FREE_THREADED. */
  modules: Array<{ name: string; freeThreaded: boolean }>;
}

export function nanobindModules(text: string): NanobindModules {
  const code = text.replace(/#[^\n]*/g, (m) => ' '.repeat(m.length));
  const findings: RawFinding[] = [];
  const lines = new LineIndex(text);
  const modules: NanobindModules['modules'] = [];
  for (const m of code.matchAll(/\bnanobind_add_module\s*\(([^)]*)\)/gi)) {
    const args = m[1]!.trim().split(/\s+/).filter(Boolean);
    const name = args[0] ?? '';
    const freeThreaded = args.slice(1).includes('FREE_THREADED');
    modules.push({ name, freeThreaded });
    if (freeThreaded) continue;
    findings.push({ rule: 'FT008', ...lines.lineColumn(m.index!), params: { name } });
  }
  return { findings, modules };
}
