import type { CheckReport, PackageReport } from '../../project/check-report.js';
import { readinessInfo } from '../../status/vocabulary.js';
import { forMarkdown as md } from './escape.js';
import { explanations, isReadyish, orderedPackages, overallReadiness, readyLabel, summaryParts } from '../../project/report-view.js';
import type { RenderOptions } from './renderers.js';

// For pull-request comments: a headline, the packages that need attention in
// a table, their explanations, and the ready ones folded away.

function row(pkg: PackageReport, targets: string[], why: string): string {
  const cells = targets.map((target) => {
    const r = pkg.readiness[target]!;
    return `${readinessInfo(r).symbol} ${r}`;
  });
  return `| ${md(pkg.name)} | ${md(pkg.version)} | ${cells.join(' | ')} | ${why} |`;
}

export function renderMarkdown(report: CheckReport, { failOn }: RenderOptions): string {
  const packages = orderedPackages(report);
  const attention = packages.filter((p) => ['blocked', 'needs-build', 'unknown'].includes(overallReadiness(p)));
  const rest = packages.filter((p) => !attention.includes(p));
  const header = `| Package | Version | ${report.targets.join(' | ')} | Why |\n|---|---|${report.targets.map(() => '---|').join('')}---|`;
  const out: string[] = [];
  const blocked = packages.filter((p) => overallReadiness(p) === 'blocked').length;
  out.push(`### ftready: ${attention.length === 0 ? '✓ every locked package is ready' : `${attention.length} package${attention.length === 1 ? '' : 's'} need attention${blocked ? ` (${blocked} blocked)` : ''}`}`);
  out.push('');
  out.push(`Free-threaded CPython ${report.targets.join(', ')} on ${report.platforms.join(', ')} · ${report.inputs.map((i) => `\`${i.replace(/`/g, "'")}\``).join(', ')}`);
  out.push('');
  for (const target of report.targets) out.push(`- **${target}**: ${summaryParts(report.summary[target]!).join(' · ')}`);
  out.push('');
  if (attention.length > 0) {
    out.push(header);
    for (const pkg of attention) {
      const why = explanations(pkg, (r) => !isReadyish(r) && r.readiness !== 'not-installed')
        .map((e) => `**${e.target}** ${md(e.platforms.join(', '))}: ${md(e.result.reason)}`)
        .join('<br>');
      const advice = Object.entries(pkg.advice ?? {}).map(([target, a]) => `**advice ${target}**: ${md(a.summary)}`);
      if (pkg.ignored !== undefined) advice.push(`**ignored**: ${md(pkg.ignored)}`);
      out.push(row(pkg, report.targets, [why, ...advice].filter(Boolean).join('<br>')));
    }
    out.push('');
  }
  if (rest.length > 0) {
    out.push(`<details><summary>${rest.length} other package${rest.length === 1 ? '' : 's'}</summary>`, '', header);
    for (const pkg of rest) {
      const overall = overallReadiness(pkg);
      const first = Object.values(Object.values(pkg.results)[0] ?? {})[0];
      out.push(row(pkg, report.targets, overall === 'ready' ? md(readyLabel(pkg)) : md(first?.reason ?? '')));
    }
    out.push('', '</details>', '');
  }
  for (const note of report.notes) out.push(`> ${md(note)}`);
  if (failOn !== 'never') out.push('', `<sub>Fails at --fail-on ${md(failOn)}.</sub>`);
  return `${out.join('\n').trimEnd()}\n`;
}
