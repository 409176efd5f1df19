import { createHash } from 'node:crypto';

// A realistic uv.lock of a given size, for timing `ftready check` at the
// budget's scale (700 KB, about 1,900 wheels) without shipping such a file.

const PLATFORMS = [
  'manylinux_2_17_x86_64.manylinux2014_x86_64', 'manylinux_2_17_aarch64.manylinux2014_aarch64',
  'musllinux_1_2_x86_64', 'musllinux_1_2_aarch64', 'macosx_10_13_x86_64', 'macosx_11_0_arm64',
  'win_amd64', 'win_arm64', 'win32',
];

function rng(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function fileEntry(filename: string): string {
  const h = sha(filename);
  return `{ url = "https://files.pythonhosted.org/packages/${h.slice(0, 2)}/${h.slice(2, 4)}/${h.slice(4, 60)}/${filename}", hash = "sha256:${h}", size = ${10000 + (parseInt(h.slice(0, 6), 16) % 900000)}, upload-time = "2025-09-08T23:23:00.000Z" }`;
}

export function generateUvLock(packageCount: number, seed = 7): { text: string; wheels: number } {
  const rand = rng(seed);
  const names = Array.from({ length: packageCount }, (_, i) => `pkg-${i.toString(36)}-${['core', 'utils', 'ext', 'io', 'fast'][i % 5]}`);
  const out = ['version = 1', 'revision = 3', 'requires-python = ">=3.10"', ''];
  out.push('[[package]]', 'name = "bench-app"', 'version = "0.1.0"', 'source = { editable = "." }', 'dependencies = [');
  for (const n of names) out.push(`    { name = "${n}" },`);
  out.push(']', '');
  let wheels = 0;
  for (const name of names) {
    const version = `${1 + Math.floor(rand() * 5)}.${Math.floor(rand() * 20)}.${Math.floor(rand() * 10)}`;
    const dist = name.replace(/-/g, '_');
    out.push('[[package]]', `name = "${name}"`, `version = "${version}"`, 'source = { registry = "https://pypi.org/simple" }');
    if (rand() < 0.3) {
      const dep = names[Math.floor(rand() * names.length)]!;
      out.push('dependencies = [', `    { name = "${dep}", marker = "python_full_version < '3.12' or sys_platform == 'win32'" },`, ']');
    }
    out.push(`sdist = ${fileEntry(`${dist}-${version}.tar.gz`)}`);
    const files: string[] = [];
    const kind = rand();
    if (kind < 0.6) {
      files.push(`${dist}-${version}-py3-none-any.whl`);
    } else {
      const abis = kind < 0.75 ? [['cp39', 'abi3']] : [['cp312', 'cp312'], ['cp313', 'cp313'], ['cp313', 'cp313t'], ['cp314', 'cp314'], ['cp314', 'cp314t']];
      for (const [py, abi] of abis) for (const p of PLATFORMS) files.push(`${dist}-${version}-${py}-${abi}-${p}.whl`);
    }
    wheels += files.length;
    out.push('wheels = [', ...files.map((f) => `    ${fileEntry(f)},`), ']', '');
  }
  return { text: `${out.join('\n')}\n`, wheels };
}

/** The smallest generated lockfile of at least `bytes` bytes. */
export function generateUvLockOfSize(bytes: number): { text: string; wheels: number; packages: number } {
  for (let n = 50; ; n += 10) {
    const lock = generateUvLock(n);
    if (lock.text.length >= bytes) return { ...lock, packages: n };
  }
}
