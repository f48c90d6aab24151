// gridlock as a library: read a goroutine dump, analyse it against its Go source, render the report.
//
//   const input = readDumpText(text);
//   const { report, excerpts } = await analyzeDump(input, { sourceRoots: ['/src/app'], cwd: process.cwd(), env: process.env, cacheDir: null });
//   console.log(renderText(report, { color: false }));

export { analyzeDump, chooseSnapshot, UnusableInputError, type AnalyzeOptions, type AnalyzeResult } from './analyze.js';
export { readDumpBytes, readDumpStream, readDumpText, groupGoroutines, type Similarity } from './dump/index.js';
export type { DumpReadResult, Snapshot, Goroutine, Frame, WaitClass } from './dump/types.js';
export { CONTRACT_VERSION } from './analysis/types.js';
export type * from './analysis/types.js';
export { renderDot, renderHtml, renderJson, renderMarkdown, renderMermaid, renderText } from './report/index.js';
export { startServer, type ServeOptions } from './serve/index.js';
export { watch, runWatch, type WatchOptions, type WatchEvent } from './watch/index.js';
