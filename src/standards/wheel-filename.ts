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

const COMPONENT = /^[A-Za-z0-9_.+!]+$/;
const TAG = /^[A-Za-z0-9_]+$/;
const BUILD = /^(\d+)([A-Za-z0-9_.]*)$/;

export function parseWheelFilename(filename: string): ParseResult<WheelFilename> {
  if (!filename.endsWith('.whl')) return { ok: false, error: `"${filename}" does not end in .whl` };
  const parts = filename.slice(0, -4).split('-');
  if (parts.length !== 5 && parts.length !== 6) {
    return { ok: false, error: `"${filename}" has ${parts.length} dash-separated parts; a wheel name has 5 or 6` };
  }
  const [name, version] = parts as [string, string];
  const [pyPart, abiPart, platPart] = parts.slice(-3) as [string, string, string];
  if (!COMPONENT.test(name) || !COMPONENT.test(version)) {
    return { ok: false, error: `"${filename}" has an invalid name or version part` };
  }
  let build: WheelFilename['build'] = null;
  if (parts.length === 6) {
    const m = BUILD.exec(parts[2]!);
    if (!m) return { ok: false, error: `"${filename}" has a build tag that does not start with a digit` };
    build = { number: Number(m[1]), suffix: m[2]! };
  }
  const pythonTags = pyPart.split('.');
  const abiTags = abiPart.split('.');
  const platformTags = platPart.split('.');
  for (const t of [...pythonTags, ...abiTags, ...platformTags]) {
    if (!TAG.test(t)) return { ok: false, error: `"${filename}" has an empty or invalid tag "${t}"` };
  }
  const tags: WheelTag[] = [];
  for (const python of pythonTags) {
    for (const abi of abiTags) {
      for (const platform of platformTags) tags.push({ python, abi, platform });
    }
  }
  return { ok: true, value: { filename, name, version, build, pythonTags, abiTags, platformTags, tags } };
}
