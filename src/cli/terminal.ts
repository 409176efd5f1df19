import picocolors from 'picocolors';
import type { CliIO } from './io.js';

export type Colors = ReturnType<typeof picocolors.createColors>;

/** Colour only on a terminal, never with NO_COLOR (no-color.org), always with FORCE_COLOR. */
export function colorsFor(io: CliIO, choice: 'auto' | 'always' | 'never'): Colors {
  let enabled = io.stdoutIsTTY;
  if (io.env.NO_COLOR) enabled = false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') enabled = true;
  if (choice !== 'auto') enabled = choice === 'always';
  return picocolors.createColors(enabled);
}
