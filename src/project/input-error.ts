/**
 * A problem with something the user gave us: a file, a directory, a value.
 * Shown as one line, "file:line:column: message", never with a stack trace.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line ? `:${line}${column ? `:${column}` : ''}` : ''}: ${detail}`);
    this.name = 'InputError';
  }
}
