// The renderers: each reads only the Report (and, for HTML, the source excerpts beside it).
export { renderText, type TextOptions } from './text.js';
export { renderJson } from './json.js';
export { renderMarkdown } from './markdown.js';
export { renderMermaid, findingMermaid } from './mermaid.js';
export { renderDot, findingDot } from './dot.js';
export { renderHtml, type HtmlOptions } from './html.js';
export { shortenPath, shortFunction, shortResource } from './paths.js';
export { buildWaitGraph, type WaitGraph, type PartyNode, type WaitEdge } from './graph.js';
