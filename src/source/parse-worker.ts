// Worker thread for the cold parse: parses the files it is sent and reads each tree out of
// tree-sitter (syntax-tree.ts), and sends the reading back, its buffers moved with the message.
// The main thread extracts the facts: the extractor and the codec then run hot, and are
// optimised, in one thread only. Says `ready` once its parser is loaded: only then is it fed, so
// a worker that starts slowly holds no file back. The parser's modules come compiled from the
// main thread (ParseWorkerData).
import { parentPort, workerData } from 'node:worker_threads';
import { loadGoParser, readingBuffers, type GoWasm, type ReadTree } from './syntax-tree.js';

/** One file, as the main thread read it: the tree is of the content it hashed. */
export interface ParseTask { id: number; source: string }
/** The file's tree as read (null when tree-sitter gave none), or why it could not be parsed. */
export interface ParseResult { id: number; read: ReadTree | null; error: string | null }
export type ParseMessage = { ready: true } | ParseResult;
/** What the worker is started with: the parser's modules as the main thread compiled them, if it could. */
export interface ParseWorkerData { wasm: GoWasm | null }

const port = parentPort;
if (port) {
  loadGoParser((workerData as ParseWorkerData | undefined)?.wasm ?? undefined).then((parser) => {
    port.on('message', (task: ParseTask) => {
      let result: ParseResult;
      try {
        result = { id: task.id, read: parser.read(task.source), error: null };
      } catch (e) {
        result = { id: task.id, read: null, error: e instanceof Error ? e.message : String(e) };
      }
      port.postMessage(result, result.read ? readingBuffers(result.read) : []);
    });
    port.postMessage({ ready: true } satisfies ParseMessage);
  }, (e: unknown) => {
    // No parser here: the main thread parses everything itself.
    throw e instanceof Error ? e : new Error(String(e));
  });
}
