import type { RawFinding } from '../analyzer.js';
import { tokenSpan, type Token } from './tokens.js';
import { isLocal, type FuncInfo, type ModuleNames } from './names.js';
import { receiver } from './places.js';
import { isName, skipCasts, type Stmt } from './statements.js';

// FT101–FT107 in Cython: calls to C API functions that return a borrowed
// reference. A name like PyDict_GetItem is the C API only when the file
// cimports it or declares it in a `cdef extern` block (a .pxi sees its
// includer's cimports), and which it is may be settled after the call, so
// calls are collected during the walk and judged at the end of the file.
// The list and dict APIs are graded by where their container comes from.

// Maps, not objects: a name such as `constructor` must not look like an API.
const BORROWED = new Map<string, string>(Object.entries({
  PyList_GetItem: 'FT101',
  PyList_GET_ITEM: 'FT101',
  PyDict_GetItem: 'FT102',
  PyDict_GetItemWithError: 'FT102',
  PyDict_GetItemString: 'FT103',
  PyDict_SetDefault: 'FT104',
  PyWeakref_GetObject: 'FT105',
  PyWeakref_GET_OBJECT: 'FT105',
  PyImport_AddModule: 'FT106',
  PyCell_GET: 'FT107',
}));

/** The APIs whose first argument is a list or dict: only these are graded by where that container comes from. */
const CONTAINER_RULES = new Set(['FT101', 'FT102', 'FT103', 'FT104']);

/** What `from <module> cimport *` brings in, per Cython/Includes/cpython (cpython/__init__.pxd cimports all but cellobject). */
const STAR_CIMPORTS = new Map<string, readonly string[]>(Object.entries({
  'cpython.list': ['PyList_GetItem', 'PyList_GET_ITEM'],
  'cpython.dict': ['PyDict_GetItem', 'PyDict_GetItemWithError', 'PyDict_GetItemString', 'PyDict_SetDefault'],
  'cpython.weakref': ['PyWeakref_GetObject', 'PyWeakref_GET_OBJECT'],
  'cpython.module': ['PyImport_AddModule'],
  'cpython.cellobject': ['PyCell_GET'],
}));
STAR_CIMPORTS.set('cpython', [...STAR_CIMPORTS].flatMap(([m, names]) => (m === 'cpython.cellobject' ? [] : names)));

interface ApiCall {
  /** The name called: the API itself or a cimport alias. */
  local: string;
  token: Token;
  func: FuncInfo | null;
  /** The first argument when it is a plain name (casts skipped). */
  arg: string | null;
  /** `cpython.dict.PyDict_GetItem(...)`: the first segment, which must be a cimported module. */
  qualifiedRoot: string | null;
}

export class BorrowedCalls {
  /** Local name → C API, from cimports and extern declarations. */
  private readonly apis = new Map<string, string>();
  private readonly cimportRoots = new Set<string>();
  private readonly calls: ApiCall[] = [];

  /** In a .pxi, the including module's cimports are in force: a borrowed API called there is the C API. */
  constructor(private readonly isPxi: boolean) {}

  /** `from <module> cimport <name> as <alias>`, and `from <module> cimport *`. */
  cimport(module: string, name: string, alias: string): void {
    if (name === '*') for (const api of STAR_CIMPORTS.get(module) ?? []) this.apis.set(api, api);
    else if (BORROWED.get(name)) this.apis.set(alias, name);
  }

  /** `cimport cpython.dict as d`: the name a qualified call starts with. */
  cimportModule(name: string): void {
    this.cimportRoots.add(name);
  }

  /** A declaration in a `cdef extern` block (from tokens[from]): `PyObject* PyDict_GetItem(object, object)`, or `T name "CName"(...)`. */
  externDeclaration(s: Stmt, from: number): void {
    const open = s.tokens.findIndex((t, k) => k > from && t.text === '(');
    if (open < 1) return;
    const before = s.tokens[open - 1]!;
    if (before.kind === 'string' && BORROWED.get(before.value ?? '') && isName(s.tokens[open - 2])) this.apis.set(s.tokens[open - 2]!.text, before.value!);
    else if (isName(before) && BORROWED.get(before.text)) this.apis.set(before.text, before.text);
  }

  /** For the name tokens[k] called in func: records it when it may be a borrowed API, and says whether it was taken as one. */
  call(s: Stmt, k: number, func: FuncInfo | null): boolean {
    const t = s.tokens[k]!;
    if (s.tokens[k - 1]?.text !== '.') {
      if (!BORROWED.get(t.text) && !this.apis.has(t.text)) return false;
      this.calls.push({ local: t.text, token: t, func, arg: firstArgName(s, k + 1), qualifiedRoot: null });
      return true;
    }
    if (!BORROWED.get(t.text)) return false;
    const r = receiver(s, k - 1);
    if (r) this.calls.push({ local: t.text, token: t, func, arg: firstArgName(s, k + 1), qualifiedRoot: r.root.text });
    return true;
  }

  /** The calls that are the C API, less those on a container private to the call; those on a module-level one are errors. */
  findings(names: ModuleNames): RawFinding[] {
    const out: RawFinding[] = [];
    for (const call of this.calls) {
      const api = call.qualifiedRoot !== null
        ? (this.cimportRoots.has(call.qualifiedRoot) ? call.local : undefined)
        : (this.apis.get(call.local) ?? (this.isPxi && BORROWED.get(call.local) ? call.local : undefined));
      if (!api) continue;
      const rule = BORROWED.get(api)!;
      const finding: RawFinding = { ...tokenSpan(call.token), rule, params: { api } };
      const { func, arg } = call;
      if (CONTAINER_RULES.has(rule) && func && arg) {
        const isPrivate = func.starstar.has(arg) || (isLocal(func, arg) && func.fresh.get(arg) === true && !func.escaped.has(arg));
        if (isPrivate) continue;
        if (names.isModuleLevel(func, arg)) {
          finding.severity = 'error';
          finding.detail = `${arg} is a module-level global`;
        }
      }
      out.push(finding);
    }
    return out;
  }
}

/** The first argument of the call whose '(' is tokens[open], when it is a plain name (after casts). */
function firstArgName(s: Stmt, open: number): string | null {
  const close = s.pair[open]!;
  if (close <= open) return null;
  const k = skipCasts(s, open + 1, close);
  const end = s.tokens[k + 1];
  return isName(s.tokens[k]) && (k + 1 === close || end?.text === ',') ? s.tokens[k]!.text : null;
}
