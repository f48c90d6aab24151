// Worker thread for the cold parse: extracts the files it is sent and packs their facts in the
// cache's wire form (codec.ts), which is both what the main thread unpacks and what it stores.
// Says `ready` once its parser is loaded: only then is it fed, so a worker that starts slowly
// holds no file back. The parser's modules come compiled from the main thread (ParseWorkerData).
import { parentPort, workerData } from 'node:worker_threads';
import { packWire, toWire } from './codec.js';
import { extractFacts, loadGoParser, type GoWasm } from './extract.js';

/** One file, as the main thread read it: the facts are of the content it hashed. */
export interface ParseTask { id: number; source: string }
/** The facts' wire form packed (packWire). */
export interface ParseResult { id: number; packed: Uint8Array | null; error: string | null }
export type ParseMessage = { ready: true } | ParseResult;
/** What the worker is started with: the parser's modules as the main thread compiled them, if it could. */
export interface ParseWorkerData { wasm: GoWasm | null }

const port = parentPort;
if (port) {
  loadGoParser((workerData as ParseWorkerData | undefined)?.wasm ?? undefined).then((parser) => {
    port.on('message', (task: ParseTask) => {
      let result: ParseResult;
      try {
        result = { id: task.id, packed: packWire(toWire(extractFacts(parser, task.source))), error: null };
      } catch (e) {
        result = { id: task.id, packed: null, error: e instanceof Error ? e.message : String(e) };
      }
      port.postMessage(result, result.packed ? [result.packed.buffer as ArrayBuffer] : []);
    });
    port.postMessage({ ready: true } satisfies ParseMessage);
  }, (e: unknown) => {
    // No parser here: the main thread parses everything itself.
    throw e instanceof Error ? e : new Error(String(e));
  });
}
