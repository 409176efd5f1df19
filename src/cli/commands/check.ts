import { assembleReport, checkLockfilePackages, notCheckableReport } from '../../project/check-report.js';
import { loadProjectInputs } from '../../project/project-inputs.js';
import { normalizeProjectName } from '../../standards/project-name.js';
import { configFileFor, loadConfig } from '../config.js';
import { EXIT } from '../exit-codes.js';
import { INDEX_HELP, INDEX_OPTIONS, type IndexValues } from '../index-option-names.js';
import type { CliIO } from '../io.js';
import { interpretersFrom, oneOf, parseCommandLine, platformsFrom } from '../options.js';
import { RENDERERS, type OutputFormat } from '../render/renderers.js';
import { failingPackages } from '../../project/report-view.js';
import { colorsFor } from '../terminal.js';

const HELP = `Usage: ftready check [PATH...] [options]

Checks a project's dependencies against free-threaded CPython. PATH is a
lockfile (uv.lock, poetry.lock, pylock.toml: checked offline), a manifest
(requirements.txt, pyproject.toml, Pipfile, Pipfile.lock: resolved through the
package index), or a directory holding one; default ".".

Options:
  --python VERSION     Free-threaded interpreter, repeatable (default: 3.14t, 3.15t;
                       also 3.13t)
  --platform FAMILY    Platform family, repeatable, or "all" (default: linux-x86_64,
                       linux-aarch64, macos-arm64, macos-x86_64, windows-amd64)
  --format FORMAT      text, json or markdown (default: text)
  --fail-on LEVEL      blocked, needs-build or never (default: blocked)
  --color WHEN         auto, always or never (default: auto; NO_COLOR is honoured)
  --pre                Consider pre-releases, as pip --pre
  --keep-going         When an index cannot be reached, report its packages as
                       unknown instead of stopping with exit code 3
  -q, --quiet          No progress line on stderr
  -h, --help           Show this help

${INDEX_HELP}
Exit codes: 0 nothing reached --fail-on, 1 something did, 2 usage or input
error, 3 index unreachable.
`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine('check', args, {
    python: { type: 'string', multiple: true },
    platform: { type: 'string', multiple: true },
    format: { type: 'string' },
    'fail-on': { type: 'string' },
    color: { type: 'string' },
    pre: { type: 'boolean' },
    'keep-going': { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
    ...INDEX_OPTIONS,
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const paths = positionals.length > 0 ? positionals : ['.'];
  const config = loadConfig(configFileFor(paths));
  const format = oneOf<OutputFormat>('--format', values.format as string | undefined, ['text', 'json', 'markdown'], 'text');
  const failOn = oneOf('--fail-on', (values['fail-on'] as string | undefined) ?? config.failOn, ['blocked', 'needs-build', 'never'], 'blocked');
  const color = oneOf('--color', values.color as string | undefined, ['auto', 'always', 'never'], 'auto');
  const options = {
    interpreters: interpretersFrom((values.python as string[] | undefined) ?? config.python),
    families: platformsFrom((values.platform as string[] | undefined) ?? config.platforms),
  };

  const inputs = loadProjectInputs(paths, io.env);
  const { packages, notes } = checkLockfilePackages(inputs.flatMap((i) => (i.kind === 'lockfile' ? [i.lock] : [])), options);
  for (const input of inputs) {
    if (input.kind !== 'manifest') continue;
    // The network stack is loaded only when a manifest needs it: lockfile checks stay fast.
    const [{ withIndexes, progressLine }, { checkManifest }] = await Promise.all([import('../index-options.js'), import('../../project/index-check.js')]);
    const m = input.manifest;
    // As with pip, an environment variable counts like its option: the command
    // line, then FTREADY_INDEX_URL, then the index the file names.
    const indexValues: IndexValues = {
      ...(values as IndexValues),
      'index-url': (values['index-url'] as string | undefined) ?? io.env.FTREADY_INDEX_URL ?? config.indexUrl ?? m.indexUrl ?? undefined,
      'extra-index-url': [...((values['extra-index-url'] as string[] | undefined) ?? config.extraIndexUrls ?? []), ...m.extraIndexUrls],
      'nightly-index-url': (values['nightly-index-url'] as string[] | undefined) ?? (io.env.FTREADY_NIGHTLY_INDEX_URL === undefined ? config.nightlyIndexUrls : undefined),
    };
    const result = await withIndexes(indexValues, io, (setup) =>
      checkManifest(m, setup.index, {
        ...options,
        nightlyIndexes: setup.nightly,
        keepGoing: values['keep-going'] === true,
        pre: values.pre === true,
        onProgress: progressLine(io, values.quiet === true),
      }));
    packages.push(...result.packages, ...m.notCheckable.map((n) => notCheckableReport(n, m.path, options)));
    notes.push(...m.notes, ...result.notes);
  }
  for (const pkg of packages) {
    const rule = config.ignore.find((i) => normalizeProjectName(i.name) === pkg.name);
    if (rule) pkg.ignored = rule.reason;
  }
  const report = assembleReport(options, inputs.map((i) => (i.kind === 'lockfile' ? i.lock.path : i.manifest.path)), packages, notes);
  io.stdout(RENDERERS[format](report, { colors: colorsFor(io, color), failOn }));
  return failingPackages(report, failOn).length > 0 ? EXIT.failed : EXIT.ok;
}
