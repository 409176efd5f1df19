// What a name in Cython code refers to. Python locals are function-wide and
// module globals may be bound after the functions that use them, so both
// sides are recorded during the walk and a name is resolved only at the end
// of the file.

/** What the walk learns about one function, from its header and its body. */
export interface FuncInfo {
  name: string;
  /** Defined at module level: code at module level may call it during import. */
  topLevel: boolean;
  parent: FuncInfo | null;
  params: Set<string>;
  /** `**kwargs`: a dict private to the call. */
  starstar: Set<string>;
  /** Names bound in the body: locals unless declared global or nonlocal. */
  bound: Set<string>;
  globals: Set<string>;
  nonlocals: Set<string>;
  /** Local → whether every value bound to it is a new list or dict. */
  fresh: Map<string, boolean>;
  /** Locals stored somewhere shared (`self.d = d`): no longer private. */
  escaped: Set<string>;
  nogil: boolean;
  /** Decorated with @cython.critical_section: the whole body holds the section. */
  critical: boolean;
  /** acquire() calls not yet matched by release(), in source order. */
  held: number;
}

/** What a module-level name holds, as far as the rules care. */
export type VarKind = 'other' | 'cvar' | 'container' | 'lock';
const KIND_RANK: Record<VarKind, number> = { other: 0, cvar: 1, container: 2, lock: 3 };

export function isLocal(func: FuncInfo, name: string): boolean {
  return func.bound.has(name) && !func.globals.has(name) && !func.nonlocals.has(name);
}

/** The names bound at module level, and what each holds. */
export class ModuleNames {
  private readonly kinds = new Map<string, VarKind>();

  /** A name bound several times keeps the kind that says the most: a lock over a container over C storage. */
  bind(name: string, kind: VarKind): void {
    const old = this.kinds.get(name);
    if (old === undefined || KIND_RANK[kind] > KIND_RANK[old]) this.kinds.set(name, kind);
  }

  kind(name: string): VarKind | undefined {
    return this.kinds.get(name);
  }

  /** A module-level name as seen from inside func: declared global, or bound at module level and not shadowed. */
  isModuleLevel(func: FuncInfo, name: string): boolean {
    if (func.globals.has(name)) return true;
    for (let f: FuncInfo | null = func; f; f = f.parent) if (f.params.has(name) || isLocal(f, name) || f.nonlocals.has(name)) return false;
    return this.kinds.has(name);
  }
}
