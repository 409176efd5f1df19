import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { RULES, type Severity } from '../../scan/rules.js';
import { ruleMatches, runScan, severityAtLeast, type ScanResult } from '../../scan/scan-run.js';
import { toSarif } from '../../scan/sarif.js';
import { configFileFor, loadConfig } from '../config.js';
import { EXIT } from '../exit-codes.js';
import { progressLine } from '../index-options.js';
import { UsageError, type CliIO } from '../io.js';
import { oneOf, parseCommandLine } from '../options.js';
import { renderScanText } from '../render/scan-text.js';
import { colorsFor } from '../terminal.js';
import { version } from '../version.js';

const HELP = `Usage: ftready scan [PATH...] [options]

Finds free-threading hazards and missing declarations in C/C++, Cython,
Rust (PyO3) and Python sources. PATH is a file or a directory (default ".").
Build files beside the sources are read too: Cargo.toml (the pyo3 version),
setup.py, pyproject.toml, meson.build and CMakeLists.txt (Cython directives,
nanobind FREE_THREADED). A module that declares it runs without the GIL has
its hazards raised from warning to error.

Options:
  --format FORMAT      text, json or sarif (SARIF 2.1.0, for GitHub code scanning)
  -o, --output FILE    Write the report to FILE instead of stdout
  --select RULE        Only these rules: ids (FT101), prefixes (FT1) or names;
                       repeatable or comma-separated
  --ignore RULE        Leave these rules out; repeatable or comma-separated
                       (--select and --ignore replace the lists in
                       [tool.ftready.scan])
  --exclude GLOB       Leave matching paths out, repeatable; adds to
                       [tool.ftready.scan] exclude and to the defaults:
                       vendored pythoncapi_compat.h and pythoncapi-compat/,
                       build/, dist/, target/, .git/, node_modules/, .venv/,
                       venv/, .tox/, .nox/, __pycache__/, *.egg-info/
  --no-default-excludes
                       Scan those too
  --no-respect-gitignore
                       Also scan what .gitignore files ignore
  --fail-on LEVEL      error, warning, info or never (default: error)
  --threads N          Worker threads (default: the number of CPUs)
  --color WHEN         auto, always or never
  -q, --quiet          No progress line
  -h, --help           Show this help

Suppress one line with a comment: "// ftready: ignore[FT101] reason" (C, C++,
Rust) or "# ftready: ignore[FT801] reason" (Python, Cython); NumPy's
"// noqa: borrowed-ref OK" marks borrowed-reference calls as checked.
Defaults go in [tool.ftready.scan] in pyproject.toml: select, ignore,
exclude, fail-on. Every rule is explained in docs/rules/FTnnn.md.

Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 usage error
(a bad option, or a PATH that does not exist).
`;

const list = (values: string[] | undefined) => values?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

function checkRules(option: string, entries: readonly string[]): void {
  for (const e of entries) if (!RULES.some((r) => ruleMatches(r.id, e))) throw new UsageError(`${option} "${e}" matches no rule (rules: FT001–FT803; see docs/rules/)`);
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine('scan', args, {
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
    select: { type: 'string', multiple: true },
    ignore: { type: 'string', multiple: true },
    exclude: { type: 'string', multiple: true },
    'no-default-excludes': { type: 'boolean' },
    'no-respect-gitignore': { type: 'boolean' },
    'fail-on': { type: 'string' },
    threads: { type: 'string' },
    color: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const paths = positionals.length > 0 ? positionals : ['.'];
  // A path the user named that is not there is a mistake, not a note.
  for (const p of paths) if (!existsSync(p)) throw new UsageError(`scan: ${p}: no such file or directory`);
  const config = loadConfig(configFileFor(paths)).scan ?? {};
  const format = oneOf('--format', values.format, ['text', 'json', 'sarif'], 'text');
  const failOn = oneOf<Severity | 'never'>('--fail-on', values['fail-on'] ?? config.failOn, ['error', 'warning', 'info', 'never'], 'error');
  const color = oneOf('--color', values.color, ['auto', 'always', 'never'], 'auto');
  const select = list(values.select) ?? config.select ?? null;
  const ignore = list(values.ignore) ?? config.ignore ?? [];
  if (select) checkRules(values.select ? '--select' : '[tool.ftready.scan] select', select);
  checkRules(values.ignore ? '--ignore' : '[tool.ftready.scan] ignore', ignore);
  let threads = availableParallelism();
  if (values.threads !== undefined) {
    if (!/^\d+$/.test(values.threads) || Number(values.threads) < 1) throw new UsageError(`--threads must be a whole number of at least 1; got "${values.threads}"`);
    threads = Number(values.threads);
  }
  const cwd = process.cwd();
  const progress = progressLine(io, values.quiet === true);
  const result: ScanResult = await runScan({
    paths,
    cwd,
    excludes: [...(config.exclude ?? []), ...(values.exclude ?? [])],
    noDefaultExcludes: values['no-default-excludes'] === true,
    respectGitignore: values['no-respect-gitignore'] !== true,
    select,
    ignore,
    threads,
    // A progress line is worth it only for large trees.
    ...(progress && { onProgress: (done: number, total: number, path: string) => total >= 50 && progress(done, total, path) }),
  });
  const rendered =
    format === 'sarif'
      ? `${JSON.stringify(toSarif(result, { version: version(), cwd }), null, 2)}\n`
      : format === 'json'
        ? `${JSON.stringify({ schemaVersion: 1, findings: result.findings, notes: result.notes, files: result.files, bytes: result.bytes, lines: result.lines }, null, 2)}\n`
        : renderScanText(result, { colors: colorsFor(io, values.output ? 'never' : color), cwd });
  if (values.output) {
    try {
      writeFileSync(values.output, rendered);
    } catch (err) {
      throw new UsageError(`--output ${values.output}: cannot write (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  } else {
    io.stdout(rendered);
  }
  return failOn !== 'never' && result.findings.some((f) => severityAtLeast(f.severity, failOn)) ? EXIT.failed : EXIT.ok;
}
