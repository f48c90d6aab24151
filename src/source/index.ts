// The source stage: locate the Go code behind a dump, index it, and answer lookups on it.
export { locateSource, importPathOf, moduleCacheDir } from './locate.js';
export type { LocateOptions } from './locate.js';
export { buildIndex } from './build.js';
export type { IndexOptions } from './build.js';
export { functionAt, operationsAt, statementAt } from './query.js';
export type * from './types.js';
export { terminalProgress } from './progress.js';
export type { ProgressPrinter, ProgressSink } from './progress.js';
