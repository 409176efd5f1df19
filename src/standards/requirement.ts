import { validRange } from '@renovatebot/pep440';
import { parseMarker, type MarkerNode } from './markers.js';
import type { ParseResult } from './wheel-filename.js';

// PEP 508 dependency specifiers: name, extras, a version specifier or a
// direct URL, and an environment marker.
//   requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < "2.7"
//   pip @ https://github.com/pypa/pip/archive/1.3.1.zip ; sys_platform == "win32"

export interface Requirement {
  name: string;
  extras: string[];
  /** Comma-separated PEP 440 specifier set, '' for any version. */
  specifier: string;
  /** A direct reference (name @ URL), or null. */
  url: string | null;
  marker: { text: string; node: MarkerNode } | null;
}

const NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*/;
const EXTRAS = /^\[\s*([^\]]*)\]\s*/;
const EXTRA_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const CLAUSE = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*([^\s,;()]+)\s*$/;
/** A comparison with a plain release number is always valid PEP 440; only the rest needs the parser. */
const PLAIN_CLAUSE = /^(==|!=|<=|>=|<|>)\d+(\.\d+)*$/;

function splitMarker(text: string, isUrl: boolean): [string, string | null] {
  // After a URL, the marker's ";" must follow whitespace, because ";" may appear in URLs.
  const at = isUrl ? text.search(/\s;/) : text.indexOf(';');
  if (at === -1) return [text, null];
  return [text.slice(0, isUrl ? at + 1 : at), text.slice((isUrl ? at + 1 : at) + 1)];
}

export function parseRequirement(text: string): ParseResult<Requirement> {
  const fail = (why: string): ParseResult<Requirement> => ({ ok: false, error: `invalid requirement "${text.trim()}": ${why}` });
  const m = NAME.exec(text);
  if (!m) return fail('it does not start with a project name');
  const name = m[1]!;
  let rest = text.slice(m[0].length);
  let extras: string[] = [];
  const e = EXTRAS.exec(rest);
  if (e) {
    extras = e[1]!.split(',').map((x) => x.trim()).filter(Boolean);
    if (extras.some((x) => !EXTRA_NAME.test(x))) return fail('an extra is not a valid name');
    rest = rest.slice(e[0].length);
  } else if (rest.startsWith('[')) {
    return fail('unclosed "[" of extras');
  }
  const isUrl = rest.startsWith('@');
  const [spec, markerText] = splitMarker(rest, isUrl);
  let specifier = '';
  let url: string | null = null;
  if (isUrl) {
    url = spec.slice(1).trim();
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(url)) return fail('the direct reference is not a URL');
  } else {
    let body = spec.trim();
    if (body.startsWith('(')) {
      if (!body.endsWith(')')) return fail('unclosed "(" around the version specifier');
      body = body.slice(1, -1);
    }
    if (body !== '') {
      const clauses = body.split(',');
      for (const clause of clauses) {
        const c = CLAUSE.exec(clause);
        if (!c) return fail(`"${clause.trim()}" is not a version clause`);
        if (c[1] !== '===' && !PLAIN_CLAUSE.test(`${c[1]}${c[2]}`) && !validRange(`${c[1]}${c[2]}`)) return fail(`"${clause.trim()}" is not a valid PEP 440 specifier`);
      }
      specifier = clauses.map((c) => c.replace(/\s+/g, '')).join(',');
    }
  }
  let marker: Requirement['marker'] = null;
  if (markerText !== null) {
    const parsed = parseMarker(markerText);
    if (!parsed.ok) return fail(parsed.error);
    marker = { text: markerText.trim(), node: parsed.value };
  }
  return { ok: true, value: { name, extras, specifier, url, marker } };
}
