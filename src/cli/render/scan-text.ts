import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ruleById, type Severity } from '../../scan/rules.js';
import type { Finding, ScanResult } from '../../scan/scan-run.js';
import type { Colors } from '../terminal.js';
import { forTerminal as t } from './escape.js';

// `ftready scan` as text: one block per finding, as compilers and ruff
// print them (path:line:col, severity, rule), with the line of code and a
// caret, the message, and the fix.

function paint(colors: Colors, severity: Severity, text: string): string {
  return severity === 'error' ? colors.red(colors.bold(text)) : severity === 'warning' ? colors.yellow(text) : colors.cyan(text);
}

function codeFrame(lines: readonly string[] | null, f: Finding, colors: Colors): string[] {
  const line = lines?.[f.line - 1];
  if (line === undefined) return [];
  const gutter = String(f.line).length;
  const shown = t(line.replace(/\t/g, '    ')).slice(0, 200);
  const caretAt = Math.max(0, t(line.slice(0, f.column - 1).replace(/\t/g, '    ')).length);
  return [colors.dim(`  ${String(f.line).padStart(gutter)} | `) + shown, colors.dim(`  ${' '.repeat(gutter)} | `) + colors.red(`${' '.repeat(caretAt)}^`)];
}

export function renderScanText(result: ScanResult, options: { colors: Colors; cwd: string }): string {
  const { colors } = options;
  const out: string[] = [];
  const cache = new Map<string, string[] | null>();
  const linesOf = (path: string) => {
    if (!cache.has(path)) {
      try {
        cache.set(path, readFileSync(resolve(options.cwd, path), 'utf8').split('\n'));
      } catch {
        cache.set(path, null);
      }
    }
    return cache.get(path)!;
  };
  for (const f of result.findings) {
    out.push(`${colors.bold(`${t(f.path)}:${f.line}:${f.column}`)}: ${paint(colors, f.severity, f.severity)} ${colors.bold(f.rule)} ${colors.dim(`[${f.name}]`)}`);
    out.push(`  ${t(f.message)}`);
    out.push(...codeFrame(linesOf(f.path), f, colors));
    out.push(`  ${colors.green('fix:')} ${t(f.fix)}`);
    if (f.detail) out.push(colors.dim(`  note: ${t(f.detail)}`));
    const rule = ruleById(f.rule);
    out.push(colors.dim(`  see: docs/rules/${f.rule}.md${rule ? ` and guide/${rule.guide}` : ''}`));
    out.push('');
  }
  for (const note of result.notes) out.push(colors.dim(`note: ${t(note)}`));
  if (result.notes.length > 0) out.push('');
  const count = (s: Severity) => result.findings.filter((f) => f.severity === s).length;
  const parts = (['error', 'warning', 'info'] as const).map((s) => `${count(s)} ${s === 'info' ? 'info' : `${s}${count(s) === 1 ? '' : 's'}`}`);
  const files = new Set(result.findings.map((f) => f.path)).size;
  out.push(`${result.findings.length === 0 ? colors.green('No findings') : `Found ${result.findings.length} finding${result.findings.length === 1 ? '' : 's'}`} (${parts.join(', ')}) in ${files} of ${result.files} file${result.files === 1 ? '' : 's'} scanned.`);
  if (result.findings.length > 0) out.push(colors.dim('Suppress one line with a comment "ftready: ignore[FTnnn] reason".'));
  return `${out.join('\n')}\n`;
}
