import type { CheckReport } from '../../project/check-report.js';
import type { Colors } from '../terminal.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';

export type OutputFormat = 'text' | 'json' | 'markdown';

export interface RenderOptions {
  colors: Colors;
  failOn: string;
}

export const RENDERERS: Record<OutputFormat, (report: CheckReport, options: RenderOptions) => string> = {
  text: renderText,
  json: (report) => `${JSON.stringify(report, null, 2)}\n`,
  markdown: renderMarkdown,
};
