// The guide's addresses on the site, from the files they come from.

/** "guide/04-porting-c.md" → "porting-c"; "docs/cli.md" → "cli"; "docs/rules/FT101.md" → "rules/FT101"; "docs/rules/README.md" → "rules". */
export function slugOf(file: string): string | null {
  const guide = /^guide\/(?:\d+-)?([\w-]+)\.md$/.exec(file);
  if (guide) return guide[1]!;
  if (file === 'docs/rules/README.md') return 'rules';
  if (file === 'docs/cli.md') return 'cli';
  if (file === 'docs/json-schema.md') return 'json-schema';
  const rule = /^docs\/rules\/(FT\d{3})\.md$/.exec(file);
  return rule ? `rules/${rule[1]}` : null;
}
