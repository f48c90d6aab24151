// Worker thread for the cold parse: reads and extracts the files it is sent, one at a time.
import { parentPort } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { extractFacts, loadGoParser } from './extract.js';
import type { FileFacts } from './facts.js';

export interface ParseTask { id: number; path: string }
export interface ParseResult { id: number; facts: FileFacts | null; error: string | null }

const port = parentPort;
if (port) {
  const parser = loadGoParser();
  port.on('message', (task: ParseTask) => {
    parser.then((p) => {
      let result: ParseResult;
      try {
        result = { id: task.id, facts: extractFacts(p, readFileSync(task.path, 'utf8')), error: null };
      } catch (e) {
        result = { id: task.id, facts: null, error: e instanceof Error ? e.message : String(e) };
      }
      port.postMessage(result);
    }, (e: unknown) => port.postMessage({ id: task.id, facts: null, error: String(e) }));
  });
}
