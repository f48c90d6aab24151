// The renderers: each reads only the Report (and, for HTML, the source excerpts beside it).
export { renderText, type TextOptions } from './text.js';
export { renderJson } from './json.js';
export { renderMarkdown } from './markdown.js';
export { renderMermaid, findingMermaid } from './mermaid.js';
export { renderDot, findingDot } from './dot.js';
export type { HtmlOptions } from './html.js';

/** The HTML report (see html.ts), loaded on first use: most runs print text and never need it. */
export async function renderHtml(...args: Parameters<typeof import('./html.js').renderHtml>): Promise<string> {
  const html = await import('./html.js');
  return html.renderHtml(...args);
}
export { shortenPath, shortFunction, shortResource } from './paths.js';
export { buildWaitGraph, type WaitGraph, type PartyNode, type WaitEdge } from './graph.js';
