import type { GuideBook } from './guide-book.js';

// Search across the guide, on the server, so it works without JavaScript:
// every section (the text under one heading) is scored by how often the
// query's words appear in it, in its heading and in its page's title, with
// a bonus when the whole query appears as written.

export interface SearchResult {
  title: string;
  heading: string;
  href: string;
  /** Text around the first match. */
  snippet: string;
  score: number;
}

const MAX_RESULTS = 30;

function count(haystack: string, needle: string): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) n++;
  return n;
}

export function searchGuide(book: GuideBook, query: string): SearchResult[] {
  const phrase = query.trim().toLowerCase().slice(0, 200);
  const words = [...new Set(phrase.split(/[^\p{L}\p{N}_.:-]+/u).filter((w) => w.length >= 2))];
  if (words.length === 0) return [];
  const results: SearchResult[] = [];
  for (const page of book.pages) {
    const title = page.title.toLowerCase();
    for (const section of page.sections) {
      const text = section.text.toLowerCase();
      const heading = section.heading.toLowerCase();
      // Every word must appear somewhere: in the text, the heading or the page title.
      if (!words.every((w) => text.includes(w) || heading.includes(w) || title.includes(w))) continue;
      let score = 0;
      for (const w of words) score += Math.min(count(text, w), 10) + 5 * count(heading, w) + 3 * count(title, w);
      if (words.length > 1 && (text.includes(phrase) || heading.includes(phrase))) score += 10;
      const raw = section.text.replace(/\s+/g, ' ');
      const start = Math.max(0, raw.toLowerCase().indexOf(words[0]!) - 80);
      results.push({
        title: page.title,
        heading: section.heading,
        href: `/guide/${page.slug}${section.id ? `#${section.id}` : ''}`,
        snippet: `${start > 0 ? '…' : ''}${raw.slice(start, start + 220).trim()}${raw.length > start + 220 ? '…' : ''}`,
        score,
      });
    }
  }
  return results.sort((a, b) => b.score - a.score || (a.href < b.href ? -1 : 1)).slice(0, MAX_RESULTS);
}
