import { dirname, posix } from 'node:path';
import type { FileAnalysis, RawFinding, SourceFile } from './analyzer.js';
import { readBuildFacts, type BuildFile } from './build-facts.js';
import { ruleById, type Severity, type SourceLanguage } from './rules.js';
import { DEFAULT_EXCLUDES, findFiles, readSource, type FoundFile } from './source-files.js';
import { findSuppressions, isSuppressed } from './suppressions.js';
import { analyzeAll, IN_PROCESS_BYTES, WorkerPool } from './worker-pool.js';

// A scan: find the files, read the build facts, analyse every source (in
// parallel), then apply what is the engine's to decide: rule selection,
// inline suppressions, and escalation of hazards in modules that declare
// they run without the GIL.

export interface Finding {
  rule: string;
  name: string;
  severity: Severity;
  path: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  fix: string;
  /** Why this severity, and whether it was raised because the module declares free-threading. */
  detail?: string;
  escalated: boolean;
}

export interface ScanOptions {
  paths: string[];
  cwd: string;
  /** Globs, added to the default excludes unless noDefaultExcludes. */
  excludes: string[];
  noDefaultExcludes?: boolean;
  /** Leave out what .gitignore files ignore (default true). */
  respectGitignore?: boolean;
  /** Rule ids or prefixes ("FT1"), or rule names; null selects every rule. */
  select: string[] | null;
  ignore: string[];
  threads: number;
  onProgress?: (done: number, total: number, path: string) => void;
}

export interface ScanResult {
  findings: Finding[];
  notes: string[];
  files: number;
  bytes: number;
  lines: number;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export function severityAtLeast(severity: Severity, level: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[level];
}

/** Whether a rule matches a --select/--ignore entry: its id, an id prefix such as FT1, or its name. */
export function ruleMatches(rule: string, entry: string): boolean {
  const e = entry.trim();
  return rule.startsWith(e.toUpperCase()) || ruleById(rule)?.name === e;
}

function fill(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => params[key] ?? key);
}

/** The declaration rules: escalation raises hazards, not the absence of a declaration. */
const DECLARATION_RULE = /^FT00\d$/;

/** Files whose module declares free-threading: per file, plus crate-wide for Rust and through `include` for Cython. */
function promisedFiles(files: readonly SourceFile[], analyses: readonly FileAnalysis[], crates: readonly string[]): Set<string> {
  const promised = new Set<string>();
  const crateOf = (path: string) => crates.filter((d) => d === '' || path.startsWith(`${d}/`)).sort((a, b) => b.length - a.length)[0];
  const declaringCrates = new Set<string>();
  files.forEach((f, i) => {
    if (analyses[i]!.declaresFreeThreading !== true) return;
    promised.add(f.path);
    if (f.language === 'rust') {
      const crate = crateOf(f.path);
      if (crate !== undefined) declaringCrates.add(crate);
    }
    for (const inc of analyses[i]!.includes ?? []) promised.add(posix.normalize(posix.join(dirname(f.path), inc)));
  });
  for (const f of files) if (f.language === 'rust' && declaringCrates.has(crateOf(f.path) ?? '\u0000')) promised.add(f.path);
  return promised;
}

export async function runScan(options: ScanOptions): Promise<ScanResult> {
  const notes: string[] = [];
  const excludes = [...(options.noDefaultExcludes ? [] : DEFAULT_EXCLUDES), ...options.excludes];
  // Workers start as soon as the sources found make the scan large: they
  // load their grammars while the rest is found and read.
  let pool = null as WorkerPool | null;
  let sourceBytes = 0;
  const languages = new Set<SourceLanguage>();
  try {
    const found = findFiles(options.paths, excludes, options.cwd, notes, options.respectGitignore ?? true, (f) => {
      if (f.language === null) return;
      sourceBytes += f.size;
      languages.add(f.language);
      if (!pool && options.threads > 1 && sourceBytes >= IN_PROCESS_BYTES) pool = new WorkerPool(options.threads, [...languages]);
    });
    return await scanFound(found, pool, notes, options);
  } finally {
    // Live workers would keep the process from exiting, whatever went wrong.
    await pool?.close();
  }
}

async function scanFound(found: readonly FoundFile[], pool: WorkerPool | null, notes: string[], options: ScanOptions): Promise<ScanResult> {
  const sources: SourceFile[] = [];
  const buildFiles: BuildFile[] = [];
  let bytes = 0;
  let lines = 0;
  for (const f of found) {
    const read = readSource(f);
    if ('skipped' in read) {
      notes.push(read.skipped);
      continue;
    }
    if (read.note) notes.push(read.note);
    if (f.build) buildFiles.push({ path: f.path, text: read.text });
    if (f.language === null) continue;
    sources.push({ path: f.path, language: f.language, text: read.text });
    bytes += Buffer.byteLength(read.text);
    for (let i = read.text.indexOf('\n'); i !== -1; i = read.text.indexOf('\n', i + 1)) lines++;
  }
  const build = readBuildFacts(buildFiles);
  notes.push(...build.notes);
  const analyses = await analyzeAll(sources, { build: build.facts }, pool, options.onProgress);
  const promised = promisedFiles(sources, analyses, build.facts.pyo3.map((c) => c.dir));

  const selected = (rule: string) => (options.select === null || options.select.some((s) => ruleMatches(rule, s))) && !options.ignore.some((s) => ruleMatches(rule, s));
  const findings: Finding[] = [];
  const resolve = (path: string, raw: RawFinding, suppressions: ReturnType<typeof findSuppressions>) => {
    const rule = ruleById(raw.rule);
    if (!rule || !selected(rule.id) || isSuppressed(suppressions, raw.line, rule.id)) return;
    let severity = raw.severity ?? rule.severity;
    let detail = raw.detail;
    let escalated = false;
    if (severity === 'warning' && !DECLARATION_RULE.test(rule.id) && promised.has(path)) {
      severity = 'error';
      escalated = true;
      detail = [detail, 'raised to error: this module declares that it runs without the GIL'].filter(Boolean).join('; ');
    }
    findings.push({
      rule: rule.id,
      name: rule.name,
      severity,
      path,
      line: raw.line,
      column: raw.column,
      ...(raw.endLine !== undefined && { endLine: raw.endLine }),
      ...(raw.endColumn !== undefined && { endColumn: raw.endColumn }),
      message: fill(rule.message, raw.params),
      fix: fill(rule.fix, raw.params),
      ...(detail !== undefined && { detail }),
      escalated,
    });
  };
  sources.forEach((file, i) => {
    const analysis = analyses[i]!;
    notes.push(...analysis.notes);
    const suppressions = findSuppressions(file.text);
    for (const raw of analysis.findings) resolve(file.path, raw, suppressions);
  });
  for (const [path, raws] of build.findings) {
    const suppressions = findSuppressions(buildFiles.find((b) => b.path === path)?.text ?? '');
    for (const raw of raws) resolve(path, raw, suppressions);
  }
  findings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : 1)));
  return { findings, notes, files: sources.length + buildFiles.filter((b) => !sources.some((s) => s.path === b.path)).length, bytes, lines };
}
