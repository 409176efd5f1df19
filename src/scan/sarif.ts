import { pathToFileURL } from 'node:url';
import { RULES, type Severity } from './rules.js';
import type { ScanResult } from './scan-run.js';

// SARIF 2.1.0, as GitHub code scanning reads it: one run, every rule with
// its help, results with file regions relative to the working directory (SRCROOT), and
// the scan's notes as tool notifications.

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export function toSarif(result: ScanResult, options: { version: string; cwd: string }): object {
  const index = new Map(RULES.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ftready',
            version: options.version,
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.message.replace(/\{(\w+)\}/g, '$1') },
              // The rule pages ship with ftready (docs/rules/); the tracker serves them under /guide/rules/.
              help: { text: `Fix: ${r.fix.replace(/\{(\w+)\}/g, '$1')} (see docs/rules/${r.id}.md and guide/${r.guide})`, markdown: `**Fix:** ${r.fix.replace(/\{(\w+)\}/g, '`$1`')}\n\nSee \`docs/rules/${r.id}.md\` and \`guide/${r.guide}\`.` },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { tags: ['free-threading', ...r.languages] },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: `${pathToFileURL(options.cwd).href.replace(/\/?$/, '/')}` } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: result.notes.map((text) => ({ level: 'note', message: { text } })),
          },
        ],
        results: result.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: index.get(f.rule) ?? -1,
          level: LEVEL[f.severity],
          message: { text: `${f.message}. Fix: ${f.fix}${f.detail ? ` (${f.detail})` : ''}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: f.path.startsWith('/') ? { uri: pathToFileURL(f.path).href } : { uri: encodeURI(f.path), uriBaseId: 'SRCROOT' },
                region: {
                  startLine: f.line,
                  startColumn: f.column,
                  ...(f.endLine !== undefined && { endLine: f.endLine }),
                  ...(f.endColumn !== undefined && { endColumn: f.endColumn }),
                },
              },
            },
          ],
          partialFingerprints: { ruleLine: `${f.rule}:${f.path}:${f.line}` },
          ...(f.escalated && { properties: { escalated: true } }),
        })),
      },
    ],
  };
}
