import type { RawFinding } from '../analyzer.js';

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
  const modules: NanobindModules['modules'] = [];
  for (const m of code.matchAll(/\bnanobind_add_module\s*\(([^)]*)\)/gi)) {
    const args = m[1]!.trim().split(/\s+/).filter(Boolean);
    const name = args[0] ?? '';
    const freeThreaded = args.slice(1).includes('FREE_THREADED');
    modules.push({ name, freeThreaded });
    if (freeThreaded) continue;
    const before = code.slice(0, m.index);
    const line = before.split('\n').length;
    findings.push({ rule: 'FT008', line, column: m.index! - before.lastIndexOf('\n'), params: { name } });
  }
  return { findings, modules };
}
