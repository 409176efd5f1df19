// Core metadata (METADATA / PKG-INFO, packaging.python.org "Core metadata
// specifications"): RFC 822-style headers, read for the fields ftready uses.

export interface CoreMetadata {
  name: string | null;
  version: string | null;
  summary: string | null;
  requiresDist: string[];
  requiresPython: string | null;
  providesExtra: string[];
  classifiers: string[];
  projectUrls: Array<{ label: string; url: string }>;
  homePage: string | null;
}

/** Parses the header block; the body (the long description) is ignored. */
export function parseCoreMetadata(text: string): CoreMetadata {
  const headers: Array<[string, string]> = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line === '') break;
    if ((line.startsWith(' ') || line.startsWith('\t')) && headers.length > 0) {
      // A folded continuation of the previous header.
      headers[headers.length - 1]![1] += `\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  const all = (key: string) => headers.filter(([k]) => k === key).map(([, v]) => v);
  const one = (key: string) => all(key)[0] ?? null;
  return {
    name: one('name'),
    version: one('version'),
    summary: one('summary'),
    requiresDist: all('requires-dist'),
    requiresPython: one('requires-python'),
    providesExtra: all('provides-extra'),
    classifiers: all('classifier'),
    projectUrls: all('project-url').flatMap((v) => {
      const comma = v.indexOf(',');
      return comma > 0 ? [{ label: v.slice(0, comma).trim(), url: v.slice(comma + 1).trim() }] : [];
    }),
    homePage: one('home-page'),
  };
}
