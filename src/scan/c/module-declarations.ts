import type { RawFinding } from '../analyzer.js';
import type { CModel, FunctionExtent } from './c-model.js';
import { escapeRegExp } from '../escape-regexp.js';
import { LineIndex } from '../line-index.js';
import { expandMacros, type PreprocessedFile } from './preprocessor.js';
import { topLevelPieces } from './top-level-commas.js';

// Whether each extension module a C or C++ file defines declares that it
// runs without the GIL: the Py_mod_gil slot (multi-phase init),
// PyUnstable_Module_SetGIL (single-phase init) or py::mod_gil_not_used()
// (pybind11). Module code is full of macros, so this works on the text
// with the file's own macros expanded, and only on lines a free-threaded
// build compiles (e.g. under #ifdef Py_GIL_DISABLED).

export interface ModuleDeclarations {
  findings: RawFinding[];
  /** null when the file defines no module. */
  declaresFreeThreading: boolean | null;
  /** Functions that run at import: one-time setup there is not a race. */
  initFunctions: Set<string>;
}

/** A macro's arguments or an initialiser's items, trimmed: the text is what is inside its brackets. */
function topLevelArgs(text: string): string[] {
  const args = topLevelPieces(text, 0, text.length).map(([start, end]) => text.slice(start, end).trim());
  return args[args.length - 1] === '' ? args.slice(0, -1) : args;
}

/** How deep PyInit_'s calls are followed into the file's own functions. */
const INIT_CALL_DEPTH = 3;

/** A PyInit_ function and the functions of this file that it calls, and they call, a few levels deep. */
function importTimeFunctions(init: FunctionExtent, byName: ReadonlyMap<string, FunctionExtent>, bodyOf: (fn: FunctionExtent) => string): FunctionExtent[] {
  const reached = [init];
  let level = [init];
  for (let depth = 0; depth < INIT_CALL_DEPTH && level.length > 0; depth++) {
    const next: FunctionExtent[] = [];
    for (const fn of level) {
      for (const call of bodyOf(fn).matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) {
        const callee = byName.get(call[1]!);
        if (callee && !reached.includes(callee)) {
          reached.push(callee);
          next.push(callee);
        }
      }
    }
    level = next;
  }
  return reached;
}

/**
 * Whether a function runs only where the given functions call it: every
 * use of its name is inside one of their bodies, or is a prototype at file
 * scope. One taken as a pointer (a method table) or called elsewhere may
 * run at any time.
 */
function onlyUsedBy(fn: FunctionExtent, callers: readonly FunctionExtent[], extents: readonly FunctionExtent[], code: string): boolean {
  const inBody = (offset: number, f: FunctionExtent) => offset > f.bodyStart && offset < f.bodyEnd;
  for (const use of code.matchAll(new RegExp(`\\b${escapeRegExp(fn.name)}\\b`, 'g'))) {
    const at = use.index!;
    if (at >= fn.start && at < fn.bodyStart) continue;
    if (callers.some((f) => f !== fn && inBody(at, f))) continue;
    const prototype = !extents.some((f) => inBody(at, f)) && /^\s*\(/.test(code.slice(at + fn.name.length, at + fn.name.length + 64));
    if (!prototype) return false;
  }
  return true;
}

/** The balanced `{ … }` starting at or after `from`. */
function braceBlock(text: string, from: number): { start: number; end: number } | null {
  const start = text.indexOf('{', from);
  if (start === -1) return null;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return { start, end: i + 1 };
  }
  return null;
}

/** `code` is the preprocessed text with comments and strings blanked. */
export function moduleDeclarations(original: string, pre: PreprocessedFile, code: string, model: CModel, lines = new LineIndex(original)): ModuleDeclarations {
  const lineOf = (offset: number) => lines.lineColumn(offset);
  const findings: RawFinding[] = [];
  const initFunctions = new Set<string>();
  let modules = 0;
  let declared = 0;

  // Multi-phase init: slot arrays, and the PyModuleDef that points at each.
  const slotArrays = new Map<string, { offset: number; hasGil: boolean; gilUsed: boolean }>();
  for (const m of code.matchAll(/\bPyModuleDef_Slot\s+(\w+)\s*\[[^\]=;]*\]\s*=/g)) {
    const block = braceBlock(code, m.index! + m[0].length);
    if (!block) continue;
    const body = expandMacros(code.slice(block.start, block.end), pre.macros);
    slotArrays.set(m[1]!, { offset: m.index!, hasGil: /\bPy_mod_gil\b/.test(body), gilUsed: /\bPy_MOD_GIL_USED\b/.test(body) });
    for (const exec of body.matchAll(/\{\s*Py_mod_exec\s*,\s*(?:\([^)]*\)\s*)?&?\s*(\w+)/g)) initFunctions.add(exec[1]!);
  }
  const referenced = new Set<string>();
  for (const m of code.matchAll(/\bPyModuleDef\s+(\w+)\s*=/g)) {
    const block = braceBlock(code, m.index! + m[0].length);
    if (!block) continue;
    const inner = expandMacros(code.slice(block.start + 1, block.end - 1), pre.macros);
    const named = /\.m_slots\s*=\s*(\w+)/.exec(inner)?.[1] ?? topLevelArgs(inner)[5];
    const slots = named ? slotArrays.get(named.replace(/^\(.*\)\s*/, '').trim()) : undefined;
    const nameLiteral = /"([^"]*)"/.exec(original.slice(block.start, block.end))?.[1] ?? m[1]!;
    if (!slots || !named) {
      // A definition with no slot array that PyModuleDef_Init hands to the import system is multi-phase without Py_mod_gil.
      if (new RegExp(`\\bPyModuleDef_Init\\s*\\(\\s*&\\s*${m[1]!}\\b`).test(code)) {
        modules++;
        findings.push({ rule: 'FT001', ...lineOf(m.index!), params: { name: nameLiteral } });
      }
      continue;
    }
    referenced.add(named.trim());
    modules++;
    if (slots.hasGil && !slots.gilUsed) declared++;
    else if (!slots.hasGil) findings.push({ rule: 'FT001', ...lineOf(m.index!), params: { name: nameLiteral } });
  }
  for (const [name, slots] of slotArrays) {
    if (referenced.has(name)) continue;
    modules++;
    if (slots.hasGil && !slots.gilUsed) declared++;
    else if (!slots.hasGil) findings.push({ rule: 'FT001', ...lineOf(slots.offset), params: { name } });
  }

  // Single-phase init: a PyInit_ function (often written through macros) that creates the module itself.
  // Directly, or through one of the file's macros that the code uses.
  const setsGilWord = /\bPyUnstable_Module_SetGIL\s*\(/;
  const setsGil = setsGilWord.test(code) || [...pre.macros.values()].some((m) => setsGilWord.test(expandMacros(m.body, pre.macros)) && new RegExp(`\\b${m.name}\\b`).test(code));
  // Expanded once each: following PyInit_'s calls and matching the module's creation read the same bodies.
  const expanded = new Map<FunctionExtent, string>();
  const bodyOf = (fn: FunctionExtent) => expanded.get(fn) ?? expanded.set(fn, expandMacros(code.slice(fn.bodyStart, fn.bodyEnd), pre.macros)).get(fn)!;
  const byName = new Map(model.extents.map((fn) => [fn.name, fn]));
  for (const fn of model.extents) {
    const header = expandMacros(code.slice(fn.start, fn.bodyStart), pre.macros);
    const init = /\bPyInit_(\w+)/.exec(header);
    if (!init) continue;
    // PyInit_ often hands the work to a helper (`return moduleinit();`), which then creates the module.
    const reached = importTimeFunctions(fn, byName, bodyOf);
    initFunctions.add(fn.name);
    for (const f of reached) if (onlyUsedBy(f, reached, model.extents, code)) initFunctions.add(f.name);
    const bodies = reached.map(bodyOf);
    if (bodies.some((b) => /\bPyModuleDef_Init\s*\(/.test(b))) continue;
    if (!bodies.some((b) => /\b(PyModule_Create2?|PyModule_FromDefAndSpec2?|Py_InitModule\w*)\s*\(/.test(b))) continue;
    modules++;
    if (setsGil) declared++;
    else findings.push({ rule: 'FT002', ...lineOf(fn.start), params: { name: init[1]! } });
  }

  // pybind11.
  for (const m of code.matchAll(/\bPYBIND11_MODULE\s*\(/g)) {
    const open = m.index! + m[0].length - 1;
    let depth = 0;
    let end = open;
    for (; end < code.length; end++) {
      if (code[end] === '(') depth++;
      else if (code[end] === ')' && --depth === 0) break;
    }
    const args = topLevelArgs(code.slice(open + 1, end));
    modules++;
    if (args.slice(2).some((a) => /mod_gil_not_used\s*\(/.test(a))) declared++;
    else findings.push({ rule: 'FT007', ...lineOf(m.index!), params: { name: args[0] ?? '' } });
  }

  // Inactive lines were blanked before matching: nothing here comes from a branch a free-threaded build skips.
  return { findings, declaresFreeThreading: modules === 0 ? null : declared === modules, initFunctions };
}
