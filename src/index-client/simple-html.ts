import { Parser } from 'htmlparser2';
import type { IndexListing } from './index-listing.js';
import { MalformedPageError, resolveFileUrl, type IndexFile, type ProjectPage } from './project-page.js';

// PEP 503 HTML project pages, with the PEP 592 (data-yanked), PEP 503
// (data-requires-python) and PEP 658/714 (data-core-metadata) attributes.

function metadataAttr(v: string | undefined): false | Record<string, string> {
  if (v === undefined || v === 'false') return false;
  const m = /^([a-z0-9]+)=([0-9a-fA-F]+)$/.exec(v);
  return m ? { [m[1]!]: m[2]!.toLowerCase() } : {};
}

export function parseHtmlPage(body: string, pageUrl: string, serialHeader: string | null): ProjectPage {
  if (body.includes('\u0000')) throw new MalformedPageError('the HTML page contains NUL bytes');
  const files: IndexFile[] = [];
  let baseUrl = pageUrl;
  let repositoryVersion: string | null = null;
  let anchor: { attrs: Record<string, string>; text: string } | null = null;
  let sawHtml = false;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        sawHtml = true;
        if (name === 'base' && attrs.href) {
          try {
            baseUrl = new URL(attrs.href, pageUrl).toString();
          } catch {
            // An unusable <base> is ignored, as browsers do.
          }
        } else if (name === 'meta' && attrs.name === 'pypi:repository-version') {
          repositoryVersion = attrs.content ?? null;
        } else if (name === 'a') {
          anchor = { attrs, text: '' };
        }
      },
      ontext(text) {
        if (anchor) anchor.text += text;
      },
      onclosetag(name) {
        if (name !== 'a' || !anchor) return;
        const { attrs, text } = anchor;
        anchor = null;
        if (!attrs.href) return;
        const resolved = resolveFileUrl(attrs.href, baseUrl);
        const filename = text.trim();
        if (!resolved || filename === '' || filename.includes('/')) return;
        files.push({
          filename,
          url: resolved.url,
          hashes: resolved.hashes,
          requiresPython: attrs['data-requires-python'] ?? null,
          yanked: attrs['data-yanked'] === undefined ? false : attrs['data-yanked'],
          coreMetadata: metadataAttr(attrs['data-core-metadata'] ?? attrs['data-dist-info-metadata']),
          size: null,
          uploadTime: null,
        });
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(body);
  parser.end();
  if (!sawHtml) throw new MalformedPageError('the HTML page has no markup');
  const rv = repositoryVersion as string | null;
  if (rv !== null && !rv.startsWith('1.')) throw new MalformedPageError(`unsupported repository version ${rv}`);
  return { name: '', files, versions: null, lastSerial: serialHeader !== null && /^\d+$/.test(serialHeader) ? Number(serialHeader) : null };
}

/** A PEP 503 root page lists names only: the anchors' text. */
export function parseHtmlListing(body: string): IndexListing {
  if (body.includes('\u0000')) throw new MalformedPageError('the HTML page contains NUL bytes');
  const projects: IndexListing['projects'] = [];
  let text: string | null = null;
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'a') text = '';
      },
      ontext(chunk) {
        if (text !== null) text += chunk;
      },
      onclosetag(name) {
        if (name !== 'a' || text === null) return;
        const projectName = text.trim();
        text = null;
        if (projectName !== '') projects.push({ name: projectName, serial: null });
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(body);
  parser.end();
  return { projects, lastSerial: null };
}
