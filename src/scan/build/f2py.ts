import type { RawFinding } from '../analyzer.js';
import { LineIndex } from '../line-index.js';

// f2py declares free-threading support with a flag at build time:
// `python -m numpy.f2py … --freethreading-compatible` (NumPy 2.1+). A build
// file that runs f2py without it produces a module that re-enables the GIL.

/** The balanced (…) or […] group around an offset: a meson/CMake call or a Python argument list. */
function enclosingGroup(text: string, at: number): { start: number; end: number } {
  let depth = 0;
  let start = 0;
  for (let i = at; i >= 0; i--) {
    const c = text[i];
    if (c === ')' || c === ']') depth++;
    else if (c === '(' || c === '[') {
      if (depth === 0) {
        start = i;
        break;
      }
      depth--;
    }
  }
  depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && --depth === 0) return { start, end: i + 1 };
  }
  return { start, end: text.length };
}

export function f2pyFindings(text: string): RawFinding[] {
  const findings: RawFinding[] = [];
  const lines = new LineIndex(text);
  const seen = new Set<number>();
  for (const m of text.matchAll(/\bf2py\b/g)) {
    const group = enclosingGroup(text, m.index!);
    if (seen.has(group.start)) continue;
    seen.add(group.start);
    const call = text.slice(group.start, group.end);
    // Only a build of a module: f2py run to make a wrapper (-m NAME, -c, or a .pyf signature file).
    if (!/(['"\s]-m['"\s,]|['"\s]-c['"\s,]|\.pyf\b)/.test(call) || /freethreading-compatible/.test(call)) continue;
    const name = /-m['"]?\s*[,\s]\s*['"]?([A-Za-z_][\w]*)/.exec(call)?.[1] ?? 'the f2py module';
    findings.push({ rule: 'FT009', ...lines.lineColumn(m.index!), params: { name } });
  }
  return findings;
}
