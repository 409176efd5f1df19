import { html } from '../html.js';
import { page } from '../layout.js';

// Pages for the errors the server answers with. The message is shown
// escaped; for a 500 the server should pass a generic one, not the stack.

const TITLES: Record<number, string> = {
  400: 'Bad request',
  404: 'Not found',
  413: 'Too large',
  429: 'Too many requests',
  500: 'Something went wrong',
};

const NEXT_STEPS: Record<number, string> = {
  404: 'Check the address, or search the package list.',
  413: 'Try a smaller file: a lockfile or manifest, not an archive.',
  429: 'Wait a minute and try again.',
  500: 'This is a bug in ftready. Try again later.',
};

export function errorPage(status: number, message: string): string {
  const title = TITLES[status] ?? `Error ${status}`;
  const body = html`<h1>${title}</h1>
<p>${message}</p>
${NEXT_STEPS[status] && html`<p>${NEXT_STEPS[status]!}</p>`}
<p><a href="/">Overview</a> · <a href="/packages">Packages</a></p>
<p class="muted">HTTP status ${status}</p>`;
  return page({ title, path: '', body });
}
