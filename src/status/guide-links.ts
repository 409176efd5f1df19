import type { Readiness, Status } from './vocabulary.js';

// Where the guide explains each status and readiness: the tracker, the CLI
// and the JSON output all link here, and a test checks every anchor exists.

export const STATUS_GUIDE_PAGE = 'guide/12-status-vocabulary.md';

export function statusGuide(status: Status): string {
  return `${STATUS_GUIDE_PAGE}#status-${status}`;
}

export function readinessGuide(readiness: Readiness): string {
  return `${STATUS_GUIDE_PAGE}#readiness-${readiness}`;
}
