import type { RawFinding } from '../analyzer.js';
import { tokenSpan } from './tokens.js';
import type { Guard, Guarding } from './blocks.js';
import { isLocal, type FuncInfo, type ModuleNames } from './names.js';
import { describePlace, type Place } from './places.js';

// The Cython rules on state other threads can reach, judged at the end of
// the file from the changes the walk recorded in functions:
//   FT602  "with gil:" in nogil code used as if it were a lock, around
//          changes to shared state;
//   FT605  module-level state changed inside a function without a lock.
// A change under a critical section, a held lock or a `with` on something
// that is (or is named like) a lock is protected. FT605 also leaves alone a
// top-level function that module-level code calls: it runs during import.

/** A `with` on a name like this is taken as a lock even when its construction is out of sight (imported, made by a factory). */
const LOCKISH = /lock|mutex/i;

interface Mutation extends Guarding {
  place: Place;
  func: FuncInfo;
}

export class StateChanges {
  private readonly mutations: Mutation[] = [];
  /** Attribute names assigned a lock, read as `self.<attr>` in a `with`. */
  private readonly lockAttrs = new Set<string>();
  /** Functions that module-level code calls: they run during import, before other threads can call in. */
  private readonly importCalls = new Set<string>();

  change(place: Place, func: FuncInfo, guarding: Guarding): void {
    this.mutations.push({ place, func, ...guarding });
  }

  lockAttribute(attr: string): void {
    this.lockAttrs.add(attr);
  }

  importTimeCall(name: string): void {
    this.importCalls.add(name);
  }

  findings(names: ModuleNames): RawFinding[] {
    const out: RawFinding[] = [];
    const reported = new Map<FuncInfo, Set<string>>(); // FT605 once per name and function
    for (const m of this.mutations) {
      const { place, func } = m;
      const name = place.root.text;
      if (this.isProtected(m.guard, names)) continue;
      if (m.gilBlock) {
        if (!m.gilBlock.reported && sharedByGilBlock(place, func, names)) {
          m.gilBlock.reported = true;
          out.push({ ...tokenSpan(m.gilBlock.token), rule: 'FT602', detail: `it changes ${describePlace(place)}` });
        }
        continue; // a change the "with gil:" is meant to protect is FT602's, not FT605's
      }
      if (func.topLevel && this.importCalls.has(func.name)) continue;
      if (!isModuleState(place, func, names)) continue;
      const changed = reported.get(func) ?? new Set<string>();
      reported.set(func, changed);
      if (changed.has(name)) continue;
      changed.add(name);
      out.push({ ...tokenSpan(place.root), rule: 'FT605', params: { name } });
    }
    return out;
  }

  private isProtected(guard: Guard, names: ModuleNames): boolean {
    if (guard.critical || guard.held) return true;
    return guard.locks.some((l) =>
      l.name !== undefined ? names.kind(l.name) === 'lock' || LOCKISH.test(l.name) : this.lockAttrs.has(l.attr!) || LOCKISH.test(l.attr!),
    );
  }
}

/** FT602: inside `with gil:`, a write to something other threads can reach. */
function sharedByGilBlock(place: Place, func: FuncInfo, names: ModuleNames): boolean {
  const name = place.root.text;
  switch (place.kind) {
    case 'name':
      return func.globals.has(name);
    case 'attr':
    case 'method':
      return !isLocal(func, name);
    case 'subscript':
      // a plain parameter indexed (`out[i] = v`) is usually a buffer each thread writes its own part of
      return names.isModuleLevel(func, name) || (place.viaAttr && !isLocal(func, name));
  }
}

/** FT605: a global rebound, or a module-level container (or C array) changed in place. */
function isModuleState(place: Place, func: FuncInfo, names: ModuleNames): boolean {
  const name = place.root.text;
  if (place.kind === 'name') return func.globals.has(name);
  if (place.kind === 'attr' || place.viaAttr || !names.isModuleLevel(func, name)) return false;
  const kind = names.kind(name);
  return kind === 'container' || (kind === 'cvar' && place.kind === 'subscript');
}
