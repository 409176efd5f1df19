import { COMMANDS } from './commands.js';
import { version } from './version.js';
import { EXIT } from './exit-codes.js';
import { IndexUnreachableError } from '../index-client/errors.js';
import { InputError } from '../project/input-error.js';
import { UsageError, type CliIO } from './io.js';

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `ftready: is it ready for free-threaded CPython?\n\nUsage: ftready <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "ftready <command> --help" for a command's options.\n`;
}

function isUserError(err: unknown): err is Error {
  return err instanceof UsageError || err instanceof InputError;
}

/** Runs one ftready invocation and returns its exit code. Never throws. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
      io.stdout(help());
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    if (name === '--version' || name === '-V') {
      io.stdout(`ftready ${version()}\n`);
      return EXIT.ok;
    }
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
    return await (await command.load()).run(rest, io);
  } catch (err) {
    if (isUserError(err)) {
      io.stderr(`ftready: error: ${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof IndexUnreachableError) {
      io.stderr(`ftready: error: cannot reach the package index: ${err.message}\n`);
      return EXIT.network;
    }
    // By name: importing the store here would load the database code into every command.
    if (err instanceof Error && err.name === 'DatabaseError') {
      io.stderr(`ftready: error: cannot use the database: ${err.message}\n`);
      return EXIT.network;
    }
    if (err instanceof Error && err.name === 'AbortError') {
      io.stderr('ftready: interrupted\n');
      return EXIT.interrupted;
    }
    io.stderr(`ftready: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\nPlease report this with the command line that caused it.\n`);
    return EXIT.internal;
  }
}
