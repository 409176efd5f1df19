// Exit codes, documented in docs/cli.md. CI pipelines depend on them.
export const EXIT = {
  /** Nothing reached the --fail-on level. */
  ok: 0,
  /** Something reached the --fail-on level. */
  failed: 1,
  /** Bad command line or unusable input file. */
  usage: 2,
  /** A package index or the tracker's database could not be reached. */
  network: 3,
  /** A bug in ftready: please report it. */
  internal: 4,
  /** Stopped by Ctrl-C (128 + SIGINT, as shells report it). */
  interrupted: 130,
} as const;
