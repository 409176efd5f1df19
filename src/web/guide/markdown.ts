import GithubSlugger from 'github-slugger';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cmake from 'highlight.js/lib/languages/cmake';
import cpp from 'highlight.js/lib/languages/cpp';
import ini from 'highlight.js/lib/languages/ini';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import yaml from 'highlight.js/lib/languages/yaml';
import MarkdownIt from 'markdown-it';

// The guide's Markdown, rendered on the server: GitHub's heading anchors
// (so links written for GitHub work here too), code highlighted without any
// script in the browser, and links mapped to the site by the caller.

hljs.registerLanguage('bash', bash);
hljs.registerLanguage('c', c);
hljs.registerLanguage('cmake', cmake);
hljs.registerLanguage('cpp', cpp);
hljs.registerLanguage('ini', ini);
hljs.registerLanguage('json', json);
hljs.registerLanguage('python', python);
hljs.registerLanguage('rust', rust);
hljs.registerLanguage('yaml', yaml);

/** Fence languages the guide uses, as highlight.js knows them; Cython is close enough to Python to read. */
const LANGUAGES: Record<string, string> = {
  bash: 'bash', sh: 'bash', shell: 'bash', console: 'bash', c: 'c', h: 'c', cpp: 'cpp', 'c++': 'cpp', cmake: 'cmake',
  toml: 'ini', ini: 'ini', json: 'json', python: 'python', py: 'python', pycon: 'python', cython: 'python', pyx: 'python', rust: 'rust', rs: 'rust', yaml: 'yaml', yml: 'yaml',
};

export interface Heading {
  level: number;
  text: string;
  id: string;
}

export interface RenderedMarkdown {
  title: string;
  html: string;
  headings: Heading[];
  sections: Array<{ heading: string; id: string; text: string }>;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function highlight(code: string, info: string): string {
  const lang = LANGUAGES[info.trim().split(/\s+/)[0]?.toLowerCase() ?? ''];
  const body = lang ? hljs.highlight(code, { language: lang, ignoreIllegals: true }).value : escape(code);
  return `<pre class="code"><code class="hljs${lang ? ` language-${lang}` : ''}">${body}</code></pre>`;
}

/** Renders a page; `mapHref` turns each link as written into the site's address. */
export function renderMarkdown(markdown: string, mapHref: (href: string) => string): RenderedMarkdown {
  // The guide is the project's own text, so its HTML (<details>, anchors) is kept.
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false, highlight: (code, info) => highlight(code, info) });
  const slugger = new GithubSlugger();
  const headings: Heading[] = [];
  const sections: RenderedMarkdown['sections'] = [{ heading: '', id: '', text: '' }];
  const tokens = md.parse(markdown, {});
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'heading_open') {
      const inline = tokens[i + 1]!;
      const text = (inline.children ?? []).filter((c) => c.type === 'text' || c.type === 'code_inline').map((c) => c.content).join('');
      const id = slugger.slug(text);
      t.attrSet('id', id);
      headings.push({ level: Number(t.tag.slice(1)), text, id });
      // The text under each heading is a search result of its own.
      sections.push({ heading: text, id, text: '' });
      i++;
      continue;
    }
    const section = sections[sections.length - 1]!;
    if (t.type === 'fence' || t.type === 'code_block') section.text += `${t.content}\n`;
    if (t.type !== 'inline') continue;
    for (const child of t.children ?? []) {
      if (child.type === 'text' || child.type === 'code_inline') section.text += `${child.content} `;
      if (child.type !== 'link_open') continue;
      const href = String(child.attrGet('href') ?? '');
      child.attrSet('href', mapHref(href));
      if (/^https?:/i.test(href)) child.attrSet('rel', 'noopener noreferrer');
    }
    section.text += '\n';
  }
  // Every table gets a caption (the heading it sits under), for screen readers.
  let lastHeading = '';
  tokens.forEach((t, i) => {
    if (t.type === 'heading_open') lastHeading = tokens[i + 1]?.content.replace(/`/g, '') ?? '';
    if (t.type === 'table_open') t.meta = { caption: lastHeading };
  });
  md.renderer.rules.table_open = (list, idx) => `<table>\n<caption>${escape((list[idx]!.meta as { caption?: string } | null)?.caption ?? '')}</caption>\n`;
  // Column alignment as a class, not a style attribute (the CSP forbids inline styles); header cells scoped.
  const cell = (tag: 'th' | 'td') => (list: typeof tokens, idx: number) => {
    const align = /text-align:\s*(left|center|right)/.exec(String(list[idx]!.attrGet('style') ?? ''))?.[1];
    return `<${tag}${tag === 'th' ? ' scope="col"' : ''}${align ? ` class="align-${align}"` : ''}>`;
  };
  md.renderer.rules.th_open = cell('th');
  md.renderer.rules.td_open = cell('td');
  const html = md.renderer.render(tokens, md.options, {});
  const title = headings.find((h) => h.level === 1)?.text ?? 'Guide';
  return { title, html, headings, sections: sections.filter((x) => x.text.trim() !== '') };
}
