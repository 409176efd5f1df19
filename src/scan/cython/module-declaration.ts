import { posix } from 'node:path';
import type { BuildFacts, RawFinding, SourceFile } from '../analyzer.js';
import { directiveFlag, readDirectiveComments } from './directives.js';
import type { Token } from './tokens.js';

// FT005: whether a .pyx module declares freethreading_compatible=True, in a
// directive comment or in the compiler directives its build sets.

export interface Declaration {
  finding?: RawFinding;
  declares: boolean | null;
  notes: string[];
}

export function moduleDeclaration(file: SourceFile, tokens: readonly Token[], facts: BuildFacts): Declaration {
  // .pxd declares, .pxi is pasted into a .pyx: only a .pyx is a module.
  if (!/\.pyx$/i.test(file.path)) return { declares: null, notes: [] };
  const comments = readDirectiveComments(tokens);
  const notes = comments.problems.map((p) => `${file.path}: ${p}`);
  // A directive comment overrides the build's compiler_directives for its file.
  let flag = directiveFlag(comments.directives.freethreading_compatible, false);
  let where = 'its directive comment';
  if (flag === null) {
    const build = buildSetting(file.path, facts);
    flag = directiveFlag(build?.value, true);
    if (build) where = build.file;
  }
  if (flag === true) return { declares: true, notes };
  const name = posix.basename(file.path.replace(/\\/g, '/')).replace(/\.pyx$/i, '');
  const finding: RawFinding = { rule: 'FT005', line: 1, column: 1, params: { name } };
  if (flag === false) {
    // An explicit False is a decision, not an oversight (the catalogue's
    // FT004 treats explicit GIL opt-outs as info): keep it visible, don't fail CI.
    finding.severity = 'info';
    finding.detail = `freethreading_compatible=False is set explicitly in ${where}`;
  }
  return { finding, declares: false, notes };
}

/**
 * freethreading_compatible as the build sets it for the file: from the
 * entries whose dir is the longest prefix of the file's directory (several
 * build files can share a directory, e.g. setup.py and pyproject.toml).
 */
function buildSetting(path: string, build: BuildFacts): { value: string; file: string } | undefined {
  const dir = trimDir(posix.dirname(path.replace(/\\/g, '/')));
  let longest = -1;
  let setting: { value: string; file: string } | undefined;
  for (const entry of build.cythonDirectives) {
    const d = trimDir(entry.dir.replace(/\\/g, '/'));
    const covers = d === '' ? !dir.startsWith('/') : dir === d || dir.startsWith(`${d}/`);
    if (!covers || d.length < longest) continue;
    if (d.length > longest) setting = undefined;
    longest = d.length;
    const value = entry.directives.freethreading_compatible;
    if (value !== undefined) setting = { value, file: entry.file };
  }
  return setting;
}

/** '.', './a/' and 'a' → '', 'a', 'a'. */
function trimDir(dir: string): string {
  const d = dir.replace(/^\.\/+/, '').replace(/\/+$/, '');
  return d === '.' ? '' : d;
}
