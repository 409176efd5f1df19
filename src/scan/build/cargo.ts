import { parse as parseToml } from 'smol-toml';

// The pyo3 version a Cargo.toml asks for. FT006 needs it because a bare
// #[pymodule] keeps the GIL before PyO3 0.28 and declares free-threading
// from 0.28 on. Cargo.toml is untrusted input: a malformed one gives null
// and a problem for the engine's note, never an exception.

export interface CargoPyo3 {
  /** The lowest pyo3 version the requirement allows ("0.26", "0.27.1"); null when it cannot be told. */
  version: string | null;
  /** `pyo3 = { workspace = true }` that this file could not resolve: look in the workspace root's [workspace.dependencies]. */
  workspace: boolean;
  /** Why nothing could be read, e.g. invalid TOML, naming the file. */
  problem?: string;
}

type Table = Record<string, unknown>;

function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function parseCargoToml(text: string, path: string): Table | string {
  try {
    return parseToml(text);
  } catch (err) {
    // TomlError for syntax; smol-toml signals pathological nesting with a RangeError.
    return `${path} is not valid TOML: ${(err as Error).message.split('\n', 1)[0]}`;
  }
}

/** The pyo3 entry of a dependency table, also when renamed (`py = { package = "pyo3" }`); pyo3-ffi is not pyo3. */
function pyo3Entry(deps: unknown): unknown {
  if (!isTable(deps)) return undefined;
  for (const [key, spec] of Object.entries(deps)) {
    const pkg = isTable(spec) && typeof spec.package === 'string' ? spec.package : key;
    if (pkg === 'pyo3') return spec;
  }
  return undefined;
}

/** [dependencies] first, then the target-specific tables (`[target.'cfg(...)'.dependencies]`). */
function findPyo3(doc: Table): unknown {
  const direct = pyo3Entry(doc.dependencies);
  if (direct !== undefined) return direct;
  if (!isTable(doc.target)) return undefined;
  for (const target of Object.values(doc.target)) {
    const entry = isTable(target) ? pyo3Entry(target.dependencies) : undefined;
    if (entry !== undefined) return entry;
  }
  return undefined;
}

/**
 * A dependency spec's version. A git or path dependency without `version`
 * follows whatever that checkout holds, so it is unknown; with `version`,
 * Cargo checks the checkout against the requirement, so the requirement holds.
 */
function specVersion(spec: unknown): string | null {
  if (typeof spec === 'string') return lowestAllowedVersion(spec);
  if (isTable(spec) && typeof spec.version === 'string') return lowestAllowedVersion(spec.version);
  return null;
}

/** The pyo3 version a crate's Cargo.toml asks for. */
export function readCargoPyo3(text: string, path: string): CargoPyo3 {
  const doc = parseCargoToml(text, path);
  if (typeof doc === 'string') return { version: null, workspace: false, problem: doc };
  const spec = findPyo3(doc);
  if (isTable(spec) && spec.workspace === true) {
    // A workspace root may also be a member of its own workspace.
    const own = workspacePyo3(doc);
    return own === undefined ? { version: null, workspace: true } : { version: specVersion(own), workspace: false };
  }
  return { version: specVersion(spec), workspace: false };
}

function workspacePyo3(doc: Table): unknown {
  return isTable(doc.workspace) ? pyo3Entry(doc.workspace.dependencies) : undefined;
}

/** The pyo3 version a workspace root's [workspace.dependencies] asks for, to resolve members' `workspace = true`. */
export function readWorkspacePyo3(text: string, path: string): { version: string | null; problem?: string } {
  const doc = parseCargoToml(text, path);
  if (typeof doc === 'string') return { version: null, problem: doc };
  return { version: specVersion(workspacePyo3(doc)) };
}

// One comparator of a Cargo version requirement: an operator, then 1–3
// components of which the later ones may be wildcards, then an optional
// pre-release and build metadata.
const COMPARATOR =
  /^(\^|~|=|>=|>|<=|<)?\s*v?(\d+)(?:\.(\d+|[*xX]))?(?:\.(\d+|[*xX]))?(-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * The lowest version a Cargo requirement allows: "^0.26" and "0.26" → "0.26",
 * "~0.27.1" → "0.27.1", ">=0.23, <0.28" → "0.23", "=0.28.0" → "0.28.0",
 * ">0.27" → "0.28". Null for "*", for only upper bounds, and for anything
 * that is not a requirement.
 */
export function lowestAllowedVersion(requirement: string): string | null {
  let lowest: string | null = null;
  for (const part of requirement.split(',')) {
    const comparator = part.trim();
    if (comparator === '*') continue;
    const m = COMPARATOR.exec(comparator);
    if (!m) return null;
    const op = m[1] ?? '^';
    if (op === '<' || op === '<=') continue;
    // Components up to the first wildcard: "0.26.*" allows 0.26.0 and up.
    const given: number[] = [];
    for (const c of [m[2], m[3], m[4]]) {
      if (c === undefined || !/^\d+$/.test(c)) break;
      given.push(Number(c));
    }
    let bound: string;
    if (op === '>') {
      // ">0.27" means above every 0.27.x; ">0.27.1-rc.1" is passed by 0.27.1 itself.
      if (m[5] === undefined) given[given.length - 1]! += 1;
      bound = given.join('.');
    } else {
      bound = given.join('.') + (m[5] ?? '');
    }
    if (lowest === null || compareVersions(bound, lowest) > 0) lowest = bound;
  }
  return lowest;
}

/**
 * Compares dotted versions numerically, missing components being 0
 * ("0.28" = "0.28.0"). A pre-release counts as its release: a 0.28 release
 * candidate already behaves as 0.28 for the questions asked here.
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[-+]/, 1)[0]!.split('.').map(Number);
  const pb = b.split(/[-+]/, 1)[0]!.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** Whether the text is a version compareVersions can read: "0.26", "0.27.1", "0.28.0-rc.1". */
export function isVersion(text: string): boolean {
  return /^\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?$/.test(text);
}
