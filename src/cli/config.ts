import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../project/input-error.js';
import { readTextInput } from '../project/read-input.js';
import { parseTomlInput } from '../project/toml-input.js';

// [tool.ftready] in the project's pyproject.toml: the defaults a project
// wants for every run. The command line overrides each key.

export interface IgnoreEntry {
  name: string;
  reason: string;
}

/** [tool.ftready.scan]: the scanner's defaults, as ruff's [tool.ruff.lint]. */
export interface ScanConfig {
  select?: string[];
  ignore?: string[];
  exclude?: string[];
  failOn?: string;
}

const SCAN_KEYS = ['select', 'ignore', 'exclude', 'fail-on'];

export interface FtreadyConfig {
  path: string | null;
  python?: string[];
  platforms?: string[];
  failOn?: string;
  indexUrl?: string;
  extraIndexUrls?: string[];
  nightlyIndexUrls?: string[];
  ignore: IgnoreEntry[];
  scan?: ScanConfig;
}

const KEYS = ['python', 'platforms', 'fail-on', 'index-url', 'extra-index-urls', 'nightly-index-urls', 'ignore', 'scan'];

/** The pyproject.toml that configures a run: beside the first PATH, or in it when it is a directory. */
export function configFileFor(paths: readonly string[]): string | null {
  const first = resolve(paths[0] ?? '.');
  let dir = first;
  try {
    if (!statSync(first).isDirectory()) dir = dirname(first);
  } catch {
    dir = dirname(first);
  }
  const candidate = join(dir, 'pyproject.toml');
  return existsSync(candidate) ? candidate : null;
}

function strings(path: string, key: string, v: unknown): string[] {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) throw new InputError(path, `[tool.ftready] ${key} must be a string or a list of strings`);
  return list as string[];
}

export function loadConfig(path: string | null): FtreadyConfig {
  if (!path) return { path: null, ignore: [] };
  const doc = parseTomlInput(readTextInput(path), path);
  const tool = doc.tool as Record<string, unknown> | undefined;
  const section = tool?.ftready as Record<string, unknown> | undefined;
  if (section === undefined) return { path: null, ignore: [] };
  if (typeof section !== 'object' || section === null || Array.isArray(section)) throw new InputError(path, '[tool.ftready] must be a table');
  for (const key of Object.keys(section)) {
    if (!KEYS.includes(key)) throw new InputError(path, `[tool.ftready] has an unknown key "${key}" (known: ${KEYS.join(', ')})`);
  }
  const config: FtreadyConfig = { path, ignore: [] };
  if (section.python !== undefined) config.python = strings(path, 'python', section.python);
  if (section.platforms !== undefined) config.platforms = strings(path, 'platforms', section.platforms);
  if (section['fail-on'] !== undefined) config.failOn = strings(path, 'fail-on', section['fail-on'])[0];
  if (section['index-url'] !== undefined) config.indexUrl = strings(path, 'index-url', section['index-url'])[0];
  if (section['extra-index-urls'] !== undefined) config.extraIndexUrls = strings(path, 'extra-index-urls', section['extra-index-urls']);
  if (section['nightly-index-urls'] !== undefined) config.nightlyIndexUrls = strings(path, 'nightly-index-urls', section['nightly-index-urls']);
  if (section.scan !== undefined) config.scan = scanConfig(path, section.scan);
  if (section.ignore !== undefined) {
    if (!Array.isArray(section.ignore)) throw new InputError(path, '[tool.ftready] ignore must be a list of { name, reason } tables');
    section.ignore.forEach((entry, i) => {
      const e = entry as Record<string, unknown>;
      if (typeof e !== 'object' || e === null || typeof e.name !== 'string' || e.name.trim() === '') {
        throw new InputError(path, `[tool.ftready] ignore entry ${i + 1} needs a "name"`);
      }
      if (typeof e.reason !== 'string' || e.reason.trim() === '') {
        throw new InputError(path, `[tool.ftready] ignore entry ${i + 1} (${e.name}) needs a "reason": say why it is safe to ignore`);
      }
      config.ignore.push({ name: e.name, reason: e.reason.trim() });
    });
  }
  return config;
}

function scanConfig(path: string, value: unknown): ScanConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(path, '[tool.ftready.scan] must be a table');
  const section = value as Record<string, unknown>;
  for (const key of Object.keys(section)) {
    if (!SCAN_KEYS.includes(key)) throw new InputError(path, `[tool.ftready.scan] has an unknown key "${key}" (known: ${SCAN_KEYS.join(', ')})`);
  }
  const scan: ScanConfig = {};
  if (section.select !== undefined) scan.select = strings(path, 'scan.select', section.select);
  if (section.ignore !== undefined) scan.ignore = strings(path, 'scan.ignore', section.ignore);
  if (section.exclude !== undefined) scan.exclude = strings(path, 'scan.exclude', section.exclude);
  if (section['fail-on'] !== undefined) scan.failOn = strings(path, 'scan.fail-on', section['fail-on'])[0];
  return scan;
}
