import { checkLockfiles } from '../../project/check-report.js';
import { loadLockfiles } from '../../project/load-lockfile.js';
import { EXIT } from '../exit-codes.js';
import type { CliIO } from '../io.js';
import { interpretersFrom, oneOf, parseCommandLine, platformsFrom } from '../options.js';
import { RENDERERS, type OutputFormat } from '../render/renderers.js';
import { failingPackages } from '../render/report-view.js';
import { colorsFor } from '../terminal.js';

const HELP = `Usage: ftready check [PATH...] [options]

Checks every package locked in a uv.lock, poetry.lock or pylock.toml (or the
lockfile in a directory; default ".") against free-threaded CPython, offline.

Options:
  --python VERSION     Free-threaded interpreter, repeatable (default: 3.14t, 3.15t;
                       also 3.13t)
  --platform FAMILY    Platform family, repeatable, or "all" (default: linux-x86_64,
                       linux-aarch64, macos-arm64, macos-x86_64, windows-amd64)
  --format FORMAT      text, json or markdown (default: text)
  --fail-on LEVEL      blocked, needs-build or never (default: blocked)
  --color WHEN         auto, always or never (default: auto; NO_COLOR is honoured)
  -h, --help           Show this help

Exit codes: 0 nothing reached --fail-on, 1 something did, 2 usage or input error.
`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine('check', args, {
    python: { type: 'string', multiple: true },
    platform: { type: 'string', multiple: true },
    format: { type: 'string' },
    'fail-on': { type: 'string' },
    color: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const format = oneOf<OutputFormat>('--format', values.format as string | undefined, ['text', 'json', 'markdown'], 'text');
  const failOn = oneOf('--fail-on', values['fail-on'] as string | undefined, ['blocked', 'needs-build', 'never'], 'blocked');
  const color = oneOf('--color', values.color as string | undefined, ['auto', 'always', 'never'], 'auto');
  const interpreters = interpretersFrom(values.python as string[] | undefined);
  const families = platformsFrom(values.platform as string[] | undefined);

  const locks = loadLockfiles(positionals.length > 0 ? positionals : ['.']);
  const report = checkLockfiles(locks, { interpreters, families });
  io.stdout(RENDERERS[format](report, { colors: colorsFor(io, color), failOn }));
  return failingPackages(report, failOn).length > 0 ? EXIT.failed : EXIT.ok;
}
