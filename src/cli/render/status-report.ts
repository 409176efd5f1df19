import type { StatusReport } from '../../project/project-status.js';
import type { HistoryEvent, TargetHistory } from '../../status/release-history.js';
import { readinessInfo, type Readiness } from '../../status/vocabulary.js';
import type { Colors } from '../terminal.js';
import { forMarkdown as md, forTerminal as t } from './escape.js';
import { explanations, isReadyish, shortFiles } from '../../project/report-view.js';

// `ftready status` as text (a terminal) and Markdown (an issue or PR).

export interface StatusRenderOptions {
  colors: Colors;
}

function paint(colors: Colors, r: Readiness, text: string): string {
  const by: Partial<Record<Readiness, (s: string) => string>> = { blocked: colors.red, 'needs-build': colors.yellow, unknown: colors.magenta, ready: colors.green };
  return (by[r] ?? colors.dim)(text);
}

/** Platforms grouped by the same history: "ready since 1.1, dropped in 1.3 (ready in 1.2)". */
function platformStories(h: TargetHistory, platforms: readonly string[]): Map<string, string[]> {
  const stories = new Map<string, string[]>();
  for (const p of platforms) {
    const events = h.platforms[p]?.events ?? [];
    const story = events.length === 0 ? 'never ready' : events.map(eventText).join(', ');
    stories.set(story, [...(stories.get(story) ?? []), p]);
  }
  return stories;
}

const eventText = (e: HistoryEvent) =>
  e.kind === 'first-ready' ? `ready since ${e.version}` : e.kind === 'dropped' ? `dropped in ${e.version} (ready in ${e.previous})` : `restored in ${e.version}`;

function headline(report: StatusReport): string[] {
  if (!report.found) return [report.problem ? `${report.project}: unknown: ${report.problem}` : `${report.project}: not found on ${report.indexes.join(', ')}`];
  const lines = [`${report.project} · ${report.indexes.join(', ')} · ${report.releases.length} release${report.releases.length === 1 ? '' : 's'}${report.latest ? ` · latest ${report.latest}` : ''}`];
  if (report.problem) lines.push(`problem: ${report.problem}`);
  lines.push(report.classifier ? `classifier: Free Threading :: ${report.classifier.label} (${report.classifier.version})` : 'classifier: no free-threading classifier on the latest release');
  if (report.metadata && 'problem' in report.metadata) lines.push(`metadata: ${report.metadata.problem}`);
  for (const n of report.nightly) {
    if (n.problem) lines.push(`nightly: unknown (${n.problem})`);
    else if (n.version) lines.push(`nightly: ${n.version} on ${n.index}: ${report.targets.map((x) => `${x} ${n.readiness[x]}`).join(', ')}`);
    else lines.push(`nightly: none on ${n.index}`);
  }
  return lines;
}

export function renderStatusText(report: StatusReport, { colors }: StatusRenderOptions): string {
  const out = headline(report).map((l, i) => (i === 0 ? colors.bold(t(l)) : t(l)));
  if (!report.found || report.releases.length === 0) return `${out.join('\n')}\n`;
  out.push('');
  for (const x of report.targets) {
    const h = report.history[x];
    if (!h) continue;
    const latest = h.latest ? paint(colors, h.latest.readiness, `${readinessInfo(h.latest.readiness).symbol} ${h.latest.readiness}`) : '–';
    out.push(`${colors.bold(x)}  latest ${h.latest?.version ?? '–'}: ${latest}`);
    for (const [story, platforms] of platformStories(h, report.platforms)) out.push(`       ${platforms.join(', ')}: ${t(story)}`);
  }

  const vWidth = Math.max(8, ...report.releases.map((r) => t(r.version).length));
  const glyphs = report.platforms.length;
  out.push('', colors.dim(`${'release'.padEnd(vWidth)}  uploaded    ${report.targets.map((x) => x.padEnd(Math.max(glyphs, x.length) + 2)).join('')}`));
  for (const r of report.releases) {
    const cells = report.targets.map((x) => {
      const perPlatform = r.results[x] ?? {};
      const row = report.platforms.map((p) => paint(colors, perPlatform[p]!.readiness, readinessInfo(perPlatform[p]!.readiness).symbol)).join('');
      return row + ' '.repeat(Math.max(glyphs, x.length) + 2 - glyphs);
    });
    const flags = [r.yanked !== false ? `yanked${r.yanked ? `: ${t(r.yanked)}` : ''}` : '', r.prerelease ? 'pre-release' : ''].filter(Boolean).join(', ');
    out.push(`${t(r.version).padEnd(vWidth)}  ${(r.uploadTime ?? '').slice(0, 10).padEnd(10)}  ${cells.join('')}${flags ? colors.dim(flags) : ''}`.trimEnd());
  }
  out.push(colors.dim(`columns per target: ${report.platforms.join(', ')}`));

  const focus = report.releases.find((r) => r.version === report.latest) ?? report.releases[0]!;
  const why = explanations(focus, (res) => !isReadyish(res));
  out.push('', `${focus.version}: ${why.length === 0 ? 'ready on every target and platform' : 'why it is not ready'}`);
  for (const e of why) {
    out.push(`  ${paint(colors, e.result.readiness, `${e.target} ${e.platforms.join(', ')}`)}: ${e.result.status}: ${t(e.result.reason)}`);
    for (const f of shortFiles(e.result.files)) out.push(colors.dim(`      ${t(f)}`));
  }
  return `${out.join('\n')}\n`;
}

export function renderStatusMarkdown(report: StatusReport): string {
  const out = [`### ${md(headline(report)[0]!)}`, '', ...headline(report).slice(1).map((l) => `- ${md(l)}`)];
  if (!report.found || report.releases.length === 0) return `${out.join('\n')}\n`;
  out.push('', '| target | latest | history per platform |', '|---|---|---|');
  for (const x of report.targets) {
    const h = report.history[x];
    if (!h) continue;
    const latest = h.latest ? `${md(h.latest.version)}: ${readinessInfo(h.latest.readiness).symbol} ${h.latest.readiness}` : '–';
    const stories = [...platformStories(h, report.platforms)].map(([story, ps]) => `${md(ps.join(', '))}: ${md(story)}`).join('<br>');
    out.push(`| ${x} | ${latest} | ${stories} |`);
  }
  out.push('', `<details><summary>${report.releases.length} releases × ${report.platforms.join(', ')}</summary>`, '');
  out.push(`| release | ${report.targets.join(' | ')} |`, `|---|${report.targets.map(() => '---|').join('')}`);
  for (const r of report.releases) {
    const cells = report.targets.map((x) => report.platforms.map((p) => readinessInfo(r.results[x]![p]!.readiness).symbol).join(''));
    out.push(`| ${md(r.version)}${r.yanked !== false ? ` (yanked${r.yanked ? `: ${md(r.yanked)}` : ''})` : ''} | ${cells.join(' | ')} |`);
  }
  out.push('', '</details>');
  return `${out.join('\n')}\n`;
}
