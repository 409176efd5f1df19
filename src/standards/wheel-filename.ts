// Wheel file names: the binary distribution format (PEP 427, packaging.python.org
// "Binary distribution format"), including compressed tag sets (PEP 425).

export interface WheelTag {
  python: string;
  abi: string;
  platform: string;
}

export interface WheelFilename {
  filename: string;
  /** As written in the file name (escaped, not normalised). */
  name: string;
  version: string;
  build: { number: number; suffix: string } | null;
  pythonTags: string[];
  abiTags: string[];
  platformTags: string[];
  /** Every combination of the compressed tag sets. */
  tags: WheelTag[];
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

// One pass for the common case; the slower checks below only run to explain a failure.
const WHEEL = /^([A-Za-z0-9_.+!]+)-([A-Za-z0-9_.+!]+)(?:-(\d+)([A-Za-z0-9_.]*))?-([A-Za-z0-9_.]+)-([A-Za-z0-9_.]+)-([A-Za-z0-9_.]+)\.whl$/;
const TAG_SET = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

function explainFailure(filename: string): string {
  if (!filename.endsWith('.whl')) return `"${filename}" does not end in .whl`;
  const parts = filename.slice(0, -4).split('-');
  if (parts.length !== 5 && parts.length !== 6) return `"${filename}" has ${parts.length} dash-separated parts; a wheel name has 5 or 6`;
  if (parts.length === 6 && !/^\d/.test(parts[2]!)) return `"${filename}" has a build tag that does not start with a digit`;
  if (parts.slice(-3).some((p) => !TAG_SET.test(p))) return `"${filename}" has an empty or invalid tag`;
  return `"${filename}" has an invalid name or version part`;
}

export function parseWheelFilename(filename: string): ParseResult<WheelFilename> {
  const m = WHEEL.exec(filename);
  if (!m || !TAG_SET.test(m[5]!) || !TAG_SET.test(m[6]!) || !TAG_SET.test(m[7]!)) return { ok: false, error: explainFailure(filename) };
  const pythonTags = m[5]!.split('.');
  const abiTags = m[6]!.split('.');
  const platformTags = m[7]!.split('.');
  const tags: WheelTag[] = [];
  for (const python of pythonTags) {
    for (const abi of abiTags) {
      for (const platform of platformTags) tags.push({ python, abi, platform });
    }
  }
  const build = m[3] === undefined ? null : { number: Number(m[3]), suffix: m[4]! };
  return { ok: true, value: { filename, name: m[1]!, version: m[2]!, build, pythonTags, abiTags, platformTags, tags } };
}
