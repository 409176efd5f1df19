import { realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseRequirement } from '../../standards/requirement.js';
import { InputError } from '../input-error.js';
import { emptyManifest, type DeclaredRequirement, type NotCheckableRequirement, type ProjectManifest } from '../manifest.js';
import { readTextInput } from '../read-input.js';

// pip's requirements file format (pip.pypa.io "Requirements File Format"):
// one requirement or option per line, "\" continuations, "#" comments,
// ${VAR} expansion, -r/-c includes, -e, index options and per-requirement
// --hash options.

interface Line {
  text: string;
  /** The physical line the logical line starts on. */
  number: number;
}

/** Joins "\" continuations and strips comments, keeping each line's starting number. */
export function logicalLines(text: string): Line[] {
  const out: Line[] = [];
  let pending: Line | null = null;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '');
    const continued = /\\$/.test(line);
    const body = continued ? line.slice(0, -1) : line;
    pending = pending ? { text: `${pending.text} ${body}`, number: pending.number } : { text: body, number: i + 1 };
    if (!continued) {
      if (pending.text.trim() !== '') out.push({ text: pending.text.trim(), number: pending.number });
      pending = null;
    }
  });
  const last = pending as Line | null;
  if (last && last.text.trim() !== '') out.push({ text: last.text.trim(), number: last.number });
  return out;
}

const OPTION = /^(-[rcefi])\s*(\S.*)?$|^(--[a-z][a-z-]*)(?:(?:=|\s+)(\S.*))?$/;
const TAKES_VALUE = new Set(['-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '--trusted-host', '--no-binary', '--only-binary', '--use-feature', '--config-settings']);
const FLAGS = new Set(['--pre', '--prefer-binary', '--no-index', '--require-hashes']);

/** A line that names a file, directory or URL rather than a project on an index. */
function directReference(text: string): NotCheckableRequirement['reason'] | null {
  if (/^(git|hg|svn|bzr)\+/.test(text)) return `a VCS reference (${text})`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return `a direct URL (${text})`;
  if (/^(\.|\/|~|[A-Za-z]:\\)/.test(text) || /\.(whl|zip|tar\.gz|tgz|tar\.bz2)$/i.test(text)) return `a local path (${text})`;
  return null;
}

function nameOfReference(text: string): string {
  const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(text);
  if (egg) return egg[1]!;
  const file = text.split(/[\\/]/).pop() ?? text;
  return file.split('-')[0] || text;
}

function expandVariables(text: string, env: Readonly<Record<string, string | undefined>>): string {
  // pip expands only ${NAME} with upper-case letters, digits and underscores.
  return text.replace(/\$\{([A-Z0-9_]+)\}/g, (whole, name: string) => env[name] ?? whole);
}

interface ReadState {
  env: Readonly<Record<string, string | undefined>>;
  manifest: ProjectManifest;
  /** Real paths of the files being read, to detect -r cycles. */
  stack: string[];
  requireHashes: boolean;
  /** False for text that did not come from the user's disk (an upload): -r/-c must not read the machine's files. */
  includes: boolean;
}

function readInto(path: string, state: ReadState, asConstraints: boolean, given?: string): void {
  const real = (() => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  })();
  if (state.stack.includes(real)) throw new InputError(path, `-r/-c include cycle: ${[...state.stack, real].join(' -> ')}`);
  state.stack.push(real);
  const text = given ?? readTextInput(path);
  const { manifest } = state;
  for (const { text: raw, number } of logicalLines(text)) {
    const line = expandVariables(raw, state.env);
    const origin = `${path}:${number}`;
    const option = line.startsWith('-') ? OPTION.exec(line) : null;
    if (line.startsWith('-')) {
      if (!option) throw new InputError(path, `cannot read "${line}"`, number);
      const name = option[1] ?? option[3]!;
      const value = (option[2] ?? option[4])?.trim();
      if (!TAKES_VALUE.has(name) && !FLAGS.has(name) && name !== '--hash') {
        manifest.notes.push(`${origin}: option ${name} is not used by ftready`);
        continue;
      }
      if (TAKES_VALUE.has(name) && !value) throw new InputError(path, `${name} needs a value`, number);
      switch (name) {
        case '-r':
        case '--requirement':
        case '-c':
        case '--constraint': {
          if (!state.includes) {
            manifest.notes.push(`${origin}: ${name} ${value} not followed: only the uploaded file is read`);
            break;
          }
          const target = resolve(dirname(path), value!);
          try {
            readInto(target, state, asConstraints || name === '-c' || name === '--constraint');
          } catch (err) {
            if (err instanceof InputError && err.file === target && /no such file/.test(err.detail)) {
              throw new InputError(path, `${name} ${value}: no such file`, number);
            }
            throw err;
          }
          break;
        }
        case '-e':
        case '--editable':
          manifest.notCheckable.push({ name: nameOfReference(value!), origin, reason: `an editable install (${value})` });
          break;
        case '-i':
        case '--index-url':
          manifest.indexUrl = value!;
          break;
        case '--extra-index-url':
          manifest.extraIndexUrls.push(value!);
          break;
        case '--require-hashes':
          state.requireHashes = true;
          break;
        case '--no-index':
          manifest.notes.push(`${origin}: --no-index: ftready still reads the index to check the packages`);
          break;
        default:
          break;
      }
      continue;
    }
    // A requirement, possibly followed by per-requirement options such as --hash.
    const split = line.search(/\s--[a-z]/);
    const spec = (split === -1 ? line : line.slice(0, split)).trim();
    const options = split === -1 ? '' : line.slice(split);
    const hashes = [...options.matchAll(/--hash(?:=|\s+)([a-z0-9]+:[0-9a-fA-F]+)/g)].map((m) => m[1]!.toLowerCase());
    const reference = directReference(spec);
    if (reference) {
      manifest.notCheckable.push({ name: nameOfReference(spec), origin, reason: reference });
      continue;
    }
    const parsed = parseRequirement(spec);
    if (!parsed.ok) throw new InputError(path, parsed.error, number);
    if (parsed.value.url) {
      manifest.notCheckable.push({ name: parsed.value.name, origin, reason: `a direct URL reference (${parsed.value.url})` });
      continue;
    }
    const declared: DeclaredRequirement = { requirement: parsed.value, origin, hashes, build: false, group: null };
    (asConstraints ? manifest.constraints : manifest.requirements).push(declared);
  }
  state.stack.pop();
}

export function readRequirementsTxt(path: string, env: Readonly<Record<string, string | undefined>> = {}): ProjectManifest {
  return requirementsManifest(path, { env, includes: true });
}

/** A requirements file given as text: its -r/-c includes are noted, not read. */
export function parseRequirementsTxt(text: string, path: string): ProjectManifest {
  return requirementsManifest(path, { env: {}, includes: false }, text);
}

function requirementsManifest(path: string, options: { env: Readonly<Record<string, string | undefined>>; includes: boolean }, text?: string): ProjectManifest {
  const manifest = emptyManifest(path, 'requirements.txt');
  const state: ReadState = { env: options.env, manifest, stack: [], requireHashes: false, includes: options.includes };
  readInto(path, state, false, text);
  const pinned = (d: DeclaredRequirement) => /^===?[^,*]+$/.test(d.requirement.specifier);
  // pip-compile --generate-hashes output: everything pinned and hashed is the whole closure.
  manifest.locked = manifest.requirements.length > 0 && (state.requireHashes || manifest.requirements.every((d) => d.hashes.length > 0)) && manifest.requirements.every(pinned);
  return manifest;
}
