// Worker thread that writes a cold build's facts entries while the main thread links and
// diagnoses. Hundreds of small files cost a few tenths of a second in system calls; written on
// the main thread they came after the answer and held up the command's exit, and written through
// libuv's pool they stall there too, since each step's continuation waits for the main thread.
// Here they run start to end on the core the parse has just left.
import { parentPort, workerData } from 'node:worker_threads';
import { FactsStore } from './cache.js';

/** A facts entry to write: the Go file's content hash and its facts packed (codec.ts, packWire). */
export interface PackedEntry {
  hash: string;
  packed: Uint8Array;
}

/** The store and the entries to write into it. */
export interface StoreWorkerData {
  cacheDir: string;
  version: number;
  maxBytes: number | undefined;
  entries: PackedEntry[];
}

if (parentPort) {
  const data = workerData as StoreWorkerData;
  const store = new FactsStore(data.cacheDir, data.version, { maxBytes: data.maxBytes });
  for (const entry of data.entries) store.putPacked(entry.hash, entry.packed);
  store.finish();
}
