import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { InputError } from './input-error.js';

/** Lockfiles of the largest real projects are a few MB; anything this big is not one. */
export const MAX_INPUT_BYTES = 50 * 1024 * 1024;

function describeFsError(path: string, err: NodeJS.ErrnoException): InputError {
  const why: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'is a directory',
    ELOOP: 'too many levels of symbolic links',
    ENAMETOOLONG: 'file name too long',
    ENOTDIR: 'a part of the path is not a directory',
  };
  return new InputError(path, why[err.code ?? ''] ?? `cannot read (${err.code ?? err.message})`);
}

// Synchronous on purpose: a command reads a handful of files, and each
// asynchronous call costs a thread-pool round trip that a CLI's start-up feels.
export function statInput(path: string) {
  try {
    return statSync(path);
  } catch (err) {
    throw describeFsError(path, err as NodeJS.ErrnoException);
  }
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Reads a user's text file whole, refusing what cannot be one: devices and
 * FIFOs (which never end), huge files, binary data and text that is not UTF-8.
 */
export function readTextInput(path: string, limit = MAX_INPUT_BYTES): string {
  const info = statInput(path);
  if (!info.isFile()) throw new InputError(path, info.isDirectory() ? 'is a directory' : 'not a regular file');
  if (info.size > limit) {
    throw new InputError(path, `file is ${(info.size / 1048576).toFixed(1)} MB; the limit for input files is ${limit / 1048576} MB`);
  }
  let buf: Buffer;
  try {
    const fd = openSync(path, 'r');
    try {
      // Read at most limit + 1 bytes: the file may grow after stat().
      buf = Buffer.alloc(Math.min(info.size, limit) + 1);
      let filled = 0;
      for (let n = -1; n !== 0 && filled < buf.length; filled += n) n = readSync(fd, buf, filled, buf.length - filled, filled);
      buf = buf.subarray(0, filled);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw describeFsError(path, err as NodeJS.ErrnoException);
  }
  if (buf.length > limit) throw new InputError(path, `file is larger than the ${limit / 1048576} MB limit for input files`);
  return textOf(buf, path);
}

/** Bytes that must be a text file (from disk or an upload): not empty, no NUL, valid UTF-8; a BOM is dropped. */
export function textOf(buf: Buffer, path: string): string {
  if (buf.length === 0) throw new InputError(path, 'file is empty');
  const nul = buf.indexOf(0);
  if (nul !== -1) throw new InputError(path, `binary data (a NUL byte at offset ${nul}), not a text file`);
  if (!isUtf8(buf)) {
    const text = buf.toString('utf8');
    throw new InputError(path, 'not valid UTF-8 text', lineAt(text, text.indexOf('\uFFFD')));
  }
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
