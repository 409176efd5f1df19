import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { renderMarkdown, type Heading } from './markdown.js';
import { slugOf } from './slugs.js';

// The guide as the tracker serves it: the Markdown pages in guide/ (which
// read well on GitHub too), the CLI and JSON references from docs/, and the
// scanner's rule pages in docs/rules/,
// rendered once at start-up, with their headings, neighbours and dates.

export interface GuidePage {
  /** URL path under /guide/, e.g. "porting-c" or "rules/FT101". */
  slug: string;
  /** Path in the repository, e.g. "guide/04-porting-c.md". */
  file: string;
  title: string;
  html: string;
  headings: Heading[];
  /** Plain text per section, for search. */
  sections: Array<{ heading: string; id: string; text: string }>;
  /** ISO date of the last commit that changed the file, or its modification time. */
  updated: string | null;
  kind: 'guide' | 'rule';
}

function lastUpdated(root: string, files: readonly string[]): Map<string, string> {
  const dates = new Map<string, string>();
  try {
    // One git call for every file: newest commit first, so the first date seen per file is its last change.
    const log = execFileSync('git', ['log', '--format=@%cI', '--name-only', '--', 'guide', 'docs/rules', 'docs/cli.md', 'docs/json-schema.md'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 16 * 1024 * 1024 });
    let date = '';
    for (const line of log.split('\n')) {
      if (line.startsWith('@')) date = line.slice(1);
      else if (line.trim() !== '' && !dates.has(line.trim())) dates.set(line.trim(), date);
    }
  } catch {
    // Not a git checkout (an installed package): file times below.
  }
  for (const f of files) if (!dates.has(f)) dates.set(f, statSync(join(root, f)).mtime.toISOString());
  return dates;
}

/** The web address to edit a file, from the checkout's git remote (GitHub or GitLab); null when there is none. */
function editBase(root: string): string | null {
  try {
    const remote = execFileSync('git', ['config', '--get', 'remote.origin.url'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const m = /^(?:https:\/\/|git@)(github\.com|gitlab\.com)[/:]([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(remote);
    return m ? `https://${m[1]}/${m[2]}/edit/main/` : null;
  } catch {
    return null;
  }
}

export class GuideBook {
  readonly bySlug: Map<string, GuidePage>;
  private constructor(
    /** Guide pages in reading order, then the rule index and rule pages by id. */
    readonly pages: GuidePage[],
    readonly editUrlBase: string | null,
  ) {
    this.bySlug = new Map(pages.map((p) => [p.slug, p]));
  }

  static load(root: string): GuideBook {
    const files = [
      ...(existsSync(join(root, 'guide')) ? readdirSync(join(root, 'guide')).filter((f) => f.endsWith('.md')).sort().map((f) => `guide/${f}`) : []),
      // The command-line and JSON references, which the guide's pages point to.
      ...['docs/cli.md', 'docs/json-schema.md'].filter((f) => existsSync(join(root, f))),
      ...(existsSync(join(root, 'docs', 'rules')) ? readdirSync(join(root, 'docs', 'rules')).filter((f) => f.endsWith('.md')).sort((a, b) => (a === 'README.md' ? -1 : b === 'README.md' ? 1 : a < b ? -1 : 1)).map((f) => `docs/rules/${f}`) : []),
    ].filter((f) => slugOf(f) !== null);
    const dates = lastUpdated(root, files);
    const pages = files.map((file): GuidePage => {
      const rendered = renderMarkdown(readFileSync(join(root, file), 'utf8'), (href) => guideHref(file, href));
      return { slug: slugOf(file)!, file, ...rendered, updated: dates.get(file) ?? null, kind: file.startsWith('docs/rules/') ? 'rule' : 'guide' };
    });
    return new GuideBook(pages, editBase(root));
  }

  neighbours(page: GuidePage): { previous: GuidePage | null; next: GuidePage | null } {
    const same = this.pages.filter((p) => p.kind === page.kind);
    const i = same.indexOf(page);
    return { previous: same[i - 1] ?? null, next: same[i + 1] ?? null };
  }
}

/**
 * Where a link in a page goes on the site: another page of the guide or a
 * rule page (the .md link GitHub follows becomes its /guide/ address, the
 * anchor kept), an example file, or an outside address unchanged.
 */
export function guideHref(file: string, href: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#') || href.startsWith('/')) return href;
  const [path, anchor] = href.split('#', 2) as [string, string | undefined];
  const target = posix.normalize(posix.join(posix.dirname(file), path));
  const hash = anchor === undefined ? '' : `#${anchor}`;
  // docs/status-vocabulary.md is the guide's two reference pages in one.
  if (target === 'docs/status-vocabulary.md') return `/guide/${anchor && !/^(status|readiness)/.test(anchor) ? 'wheel-tags' : 'status-vocabulary'}${hash}`;
  const slug = slugOf(target);
  if (slug) return `/guide/${slug}${hash}`;
  if (/^guide\/examples\/[\w.-]+$/.test(target)) return `/guide/${target.slice('guide/'.length)}`;
  if (/^docs\/schemas\/[\w.-]+\.json$/.test(target)) return `/guide/${target.slice('docs/'.length)}`;
  return href;
}
