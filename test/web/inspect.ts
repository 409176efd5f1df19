import assert from 'node:assert/strict';
import { DomUtils, parseDocument } from 'htmlparser2';
import { READINESS } from '../../src/status/vocabulary.js';

// Checks every rendered page must pass, on the parsed markup rather than on
// substrings: escaped text such as "onerror=" is harmless, an attribute is not.

type Node = ReturnType<typeof parseDocument>['children'][number];
export type Element = ReturnType<typeof DomUtils.findAll>[number];

export function elements(markup: string, xmlMode = false): Element[] {
  return DomUtils.findAll(() => true, parseDocument(markup, { xmlMode }).children as Node[]);
}

export const text = (e: Element) => DomUtils.textContent(e);
const classes = (e: Element) => (e.attribs.class ?? '').split(/\s+/);

const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href'];

/** No script but app.js, no inline styles or handlers, no dangerous URLs, no raw bidi overrides. */
export function assertInert(markup: string): void {
  const all = elements(markup);
  for (const e of all) {
    for (const name of Object.keys(e.attribs)) {
      assert.ok(!/^on/i.test(name), `event handler attribute ${name} on <${e.name}>`);
      assert.notEqual(name, 'style', `style attribute on <${e.name}>`);
    }
    for (const name of URL_ATTRIBUTES) {
      const value = e.attribs[name];
      if (value !== undefined) assert.match(value.trim(), /^(https?:\/\/|\/|#)/i, `<${e.name} ${name}="${value}">`);
    }
    assert.notEqual(e.name, 'style', 'a <style> element');
    assert.notEqual(e.name, 'iframe', 'an <iframe> element');
  }
  const scripts = all.filter((e) => e.name === 'script');
  for (const s of scripts) {
    assert.equal(s.attribs.src, '/static/app.js', 'the only script is /static/app.js');
    assert.equal(text(s), '', 'scripts have no inline body');
  }
  assert.ok(!markup.includes('<script>'), 'no <script> from data');
  assert.ok(!/<img src=x/i.test(markup), 'no <img> from data');
  assert.ok(!/[\u202a-\u202e\u2066-\u2069]/.test(markup), 'no raw bidi control characters');
}

const LABELS = new Set(READINESS.map((r) => r.id.replace('-', ' ')));
const SYMBOLS = new Set(READINESS.map((r) => r.symbol));

/** Every status chip shows an icon hidden from screen readers and a text label. */
export function assertStatusesLabelled(markup: string): number {
  const chips = elements(markup).filter((e) => classes(e).includes('st'));
  for (const chip of chips) {
    const icon = DomUtils.findOne((e) => classes(e).includes('st-icon'), chip.children as Node[]);
    assert.ok(icon, `status without icon: ${text(chip)}`);
    assert.equal(icon.attribs['aria-hidden'], 'true');
    const label = text(chip).replace(text(icon), '').trim();
    assert.ok(label.length > 0, `status without label: ${text(chip)}`);
    if (SYMBOLS.has(text(icon)) && !['first ready', 'ready again', 'support dropped'].includes(label)) assert.ok(LABELS.has(label), `unknown label "${label}"`);
  }
  return chips.length;
}

/** Ids are unique and what ARIA and labels point at exists; controls are labelled; tables have captions and scoped headers. */
export function assertAccessible(markup: string): void {
  const all = elements(markup);
  const ids = all.map((e) => e.attribs.id).filter((id): id is string => id !== undefined);
  assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids.filter((id, i) => ids.indexOf(id) !== i).join(', ')}`);
  const idSet = new Set(ids);
  for (const e of all) {
    for (const attr of ['aria-labelledby', 'aria-describedby']) {
      for (const ref of (e.attribs[attr] ?? '').split(/\s+/).filter(Boolean)) assert.ok(idSet.has(ref), `${attr}="${ref}" points nowhere`);
    }
  }
  const labelled = new Set(all.filter((e) => e.name === 'label' && e.attribs.for).map((e) => e.attribs.for));
  for (const control of all.filter((e) => ['input', 'select', 'textarea'].includes(e.name))) {
    if (['hidden', 'submit'].includes(control.attribs.type ?? '')) continue;
    assert.ok(labelled.has(control.attribs.id) || control.attribs['aria-label'], `unlabelled <${control.name} name="${control.attribs.name}">`);
  }
  for (const table of all.filter((e) => e.name === 'table')) {
    assert.ok(DomUtils.findOne((e) => e.name === 'caption', table.children as Node[]), 'a table without caption');
    for (const th of DomUtils.findAll((e) => e.name === 'th', table.children as Node[])) assert.ok(th.attribs.scope, `<th> without scope: ${text(th)}`);
  }
  for (const a of all.filter((e) => e.name === 'a')) assert.ok(text(a).trim() !== '' || DomUtils.findOne((e) => e.name === 'title', a.children as Node[]), 'a link without text');
}

/** The document shell: one h1, landmarks, the skip link. */
export function assertPageShell(markup: string): void {
  assert.match(markup, /^<!DOCTYPE html>\n<html lang="en">/);
  const all = elements(markup);
  assert.equal(all.filter((e) => e.name === 'h1').length, 1, 'exactly one h1');
  assert.equal(all.filter((e) => e.name === 'main' && e.attribs.id === 'main').length, 1);
  assert.ok(all.some((e) => e.name === 'a' && e.attribs.href === '#main'), 'skip link');
  assert.ok(all.some((e) => e.name === 'nav'), 'nav');
  assert.ok(all.some((e) => e.name === 'footer'), 'footer');
  assert.ok(all.some((e) => e.name === 'link' && e.attribs.href === '/static/app.css'), 'stylesheet');
}
