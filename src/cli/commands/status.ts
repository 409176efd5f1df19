import { parseRequest, projectStatus } from '../../project/project-status.js';
import { EXIT } from '../exit-codes.js';
import { INDEX_HELP, INDEX_OPTIONS, type IndexValues } from '../index-option-names.js';
import { withIndexes } from '../index-options.js';
import { UsageError, type CliIO } from '../io.js';
import { interpretersFrom, oneOf, parseCommandLine, platformsFrom } from '../options.js';
import { renderStatusMarkdown, renderStatusText } from '../render/status-report.js';
import { colorsFor } from '../terminal.js';

const HELP = `Usage: ftready status NAME[==VERSION] [options]

One project's free-threading picture on a package index: every release ×
interpreter × platform, the first ready release and dropped support per
interpreter and platform, yanked releases, the Free Threading trove
classifier of the latest release, and nightly wheels.

Options:
  --python VERSION     Free-threaded interpreter, repeatable (default: 3.14t, 3.15t)
  --platform FAMILY    Platform family, repeatable, or "all"
  --format FORMAT      text, json or markdown (default: text)
  --color WHEN         auto, always or never
  -h, --help           Show this help

${INDEX_HELP}
Exit codes: 0 found, 1 not found or unknown, 2 usage error, 3 index unreachable.
`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine('status', args, {
    python: { type: 'string', multiple: true },
    platform: { type: 'string', multiple: true },
    format: { type: 'string' },
    color: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
    ...INDEX_OPTIONS,
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('status: give exactly one NAME or NAME==VERSION');
  const request = positionals[0]!;
  if (!parseRequest(request)) throw new UsageError(`status: "${request}" is not NAME or NAME==VERSION`);
  const format = oneOf('--format', values.format as string | undefined, ['text', 'json', 'markdown'], 'text');
  const color = oneOf('--color', values.color as string | undefined, ['auto', 'always', 'never'], 'auto');
  const interpreters = interpretersFrom(values.python as string[] | undefined);
  const families = platformsFrom(values.platform as string[] | undefined);

  const report = await withIndexes(values as IndexValues, io, (setup) =>
    projectStatus(setup.index, request, { interpreters, families, nightlyIndexes: setup.nightly }));
  if (format === 'json') io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === 'markdown') io.stdout(renderStatusMarkdown(report));
  else io.stdout(renderStatusText(report, { colors: colorsFor(io, color) }));
  return report.found && !report.problem ? EXIT.ok : EXIT.failed;
}
