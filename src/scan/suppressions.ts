// Inline suppressions: `// ftready: ignore[FT101] reason` or
// `# ftready: ignore[FT801,FT803] reason` on the finding's line or on a
// comment line just above it; a bare `ftready: ignore` covers every rule.
// NumPy's `// noqa: borrowed-ref OK` markers (from its C API usage checker)
// cover the borrowed-reference rules, so projects that already audited
// their calls need not mark them twice.

const MARKER = /(?:\/\/|\/\*|#)\s*ftready:\s*ignore(?:\[([^\]]*)\])?/;
const NUMPY = /\/\/\s*noqa:\s*borrowed-ref\b/;
const BORROWED = /^FT10\d$/;

export type Suppressions = Map<number, Set<string> | 'all'>;

function rulesOf(line: string): Set<string> | 'all' | null {
  const m = MARKER.exec(line);
  if (m) {
    if (m[1] === undefined) return 'all';
    return new Set(m[1].split(',').map((r) => r.trim().toUpperCase()).filter(Boolean));
  }
  return NUMPY.test(line) ? new Set(['FT101', 'FT102', 'FT103', 'FT104', 'FT105', 'FT106', 'FT107']) : null;
}

export function findSuppressions(text: string): Suppressions {
  const out: Suppressions = new Map();
  if (!text.includes('ftready:') && !text.includes('noqa:')) return out;
  const lines = text.split('\n');
  const add = (line: number, rules: Set<string> | 'all') => {
    const had = out.get(line);
    if (had === 'all' || rules === 'all') out.set(line, 'all');
    else out.set(line, new Set([...(had ?? []), ...rules]));
  };
  lines.forEach((line, i) => {
    const rules = rulesOf(line);
    if (!rules) return;
    add(i + 1, rules);
    // A comment alone on its line covers the next line.
    if (/^\s*(\/\/|\/\*|#)/.test(line)) add(i + 2, rules);
  });
  return out;
}

export function isSuppressed(suppressions: Suppressions, line: number, rule: string): boolean {
  const rules = suppressions.get(line);
  if (rules === undefined) return false;
  return rules === 'all' || rules.has(rule) || (BORROWED.test(rule) && rules.has('BORROWED-REF'));
}
