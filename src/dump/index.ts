// The dump reader's public API: goroutine dumps in, Snapshots out.
export type * from './types.js';
export { readDumpText, readDumpBytes, readDumpStream, type ReadOptions } from './reader.js';
export { classifyWaitState } from './waitstate.js';
export { parseFunctionName, type FunctionName } from './funcname.js';
export { groupGoroutines, type GoroutineGroup, type Similarity } from './group.js';
export { isRuntimeFrame, blockingFrameIndex } from './stack.js';
