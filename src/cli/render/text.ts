import type { CheckReport, PackageReport } from '../../project/check-report.js';
import { statusGuide } from '../../status/guide-links.js';
import { readinessInfo, type Readiness } from '../../status/vocabulary.js';
import type { Colors } from '../terminal.js';
import { forTerminal as t } from './escape.js';
import { explanations, failingPackages, isReadyish, orderedPackages, overallReadiness, readyLabel, shortFiles, summaryParts } from '../../project/report-view.js';
import type { RenderOptions } from './renderers.js';

function paint(colors: Colors, readiness: Readiness, text: string): string {
  switch (readiness) {
    case 'blocked': return colors.red(text);
    case 'needs-build': return colors.yellow(text);
    case 'unknown': return colors.magenta(text);
    case 'ready': return colors.green(text);
    default: return colors.dim(text);
  }
}

const cell = (r: Readiness) => `${readinessInfo(r).symbol} ${r}`;

export function renderText(report: CheckReport, { colors, failOn }: RenderOptions): string {
  const out: string[] = [];
  out.push(colors.bold(`ftready check: ${report.inputs.map(t).join(', ')}`));
  out.push(colors.dim(`targets ${report.targets.join(', ')} · platforms ${report.platforms.join(', ')}`));
  out.push('');
  const packages = orderedPackages(report);
  const nameWidth = Math.max(7, ...packages.map((p) => t(p.name).length));
  const versionWidth = Math.max(7, ...packages.map((p) => t(p.version).length));
  const cellWidth = 'not-checkable'.length + 2;
  out.push(colors.dim(`  ${'package'.padEnd(nameWidth)}  ${'version'.padEnd(versionWidth)}  ${report.targets.map((x) => x.padEnd(cellWidth)).join('  ')}`));
  for (const pkg of packages) out.push(...packageLines(pkg, report, colors, nameWidth, versionWidth, cellWidth));
  out.push('');
  for (const note of report.notes) out.push(colors.dim(`note: ${t(note)}`));
  // Each status shown above, with the guide section that explains it and what to do.
  const shown = new Set(packages.flatMap((pkg) => explanations(pkg, (r) => !isReadyish(r) && r.readiness !== 'not-installed').map((e) => e.result.status)));
  if (shown.size > 0) out.push(colors.dim(`what these mean: ${[...shown].map((s) => `${s} ${statusGuide(s)}`).join(', ')}`));
  for (const target of report.targets) out.push(`${target}: ${summaryParts(report.summary[target]!).join(' · ')}`);
  const failing = failingPackages(report, failOn);
  if (failOn !== 'never') {
    out.push(failing.length > 0
      ? colors.red(`✗ ${failing.length} package${failing.length === 1 ? '' : 's'} at or above --fail-on ${failOn}`)
      : colors.green(`✓ no package at or above --fail-on ${failOn}`));
  }
  return `${out.join('\n')}\n`;
}

function packageLines(pkg: PackageReport, report: CheckReport, colors: Colors, nameWidth: number, versionWidth: number, cellWidth: number): string[] {
  const overall = overallReadiness(pkg);
  const cells = report.targets.map((target) => {
    const r = pkg.readiness[target]!;
    return paint(colors, r, cell(r).padEnd(cellWidth));
  });
  let tail = '';
  if (overall === 'ready') tail = colors.dim(readyLabel(pkg));
  if (overall === 'not-checkable' || overall === 'not-installed') {
    const first = Object.values(Object.values(pkg.results)[0] ?? {})[0];
    tail = colors.dim(t(first?.reason ?? ''));
  }
  const lines = [`${paint(colors, overall, readinessInfo(overall).symbol)} ${t(pkg.name).padEnd(nameWidth)}  ${t(pkg.version).padEnd(versionWidth)}  ${cells.join('  ')}${tail ? `  ${tail}` : ''}`.trimEnd()];
  if (pkg.ignored !== undefined) lines.push(colors.dim(`    ignored by [tool.ftready]: ${t(pkg.ignored)}`));
  if (overall === 'ready' || overall === 'not-checkable' || overall === 'not-installed') return lines;
  if (pkg.path && pkg.path.length > 1) lines.push(colors.dim(`    via ${pkg.path.map(t).join(' → ')}`));
  for (const e of explanations(pkg, (r) => !isReadyish(r) && r.readiness !== 'not-installed')) {
    lines.push(`    ${paint(colors, e.result.readiness, `${e.target} ${e.platforms.join(', ')}`)}: ${e.result.status}: ${t(e.result.reason)}`);
    for (const f of shortFiles(e.result.files)) lines.push(colors.dim(`        ${t(f)}`));
  }
  for (const [target, advice] of Object.entries(pkg.advice ?? {})) lines.push(`    ${colors.cyan(`advice ${target}`)}: ${t(advice.summary)}`);
  return lines;
}
