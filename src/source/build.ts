// buildIndex: read files, extract phase-1 facts (from the cache by content hash, else by parsing,
// on worker threads when there is enough to parse), then link them. The parser (tree-sitter) and
// the worker threads are loaded only when a file's facts are not in the cache.
import { readFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { FactsStore } from './cache.js';
import { isBuilt } from './constraints.js';
import { FACTS_VERSION, type FileFacts } from './facts.js';
import type { LinkInput } from './link.js';
import { importPathOf } from './locate.js';
import type { ParseResult, ParseTask } from './parse-worker.js';
import type { SourceIndex } from './types.js';

/** The parser, loaded on first need: importing tree-sitter costs a run that parses nothing. */
async function parserModule() {
  return import('./extract.js');
}

export interface IndexOptions {
  /** Directory for cached per-file facts (e.g. `~/.cache/gridlock`), or null for none. */
  cacheDir: string | null;
  /** Cap on the cache's size in bytes (least recently used entries go first). Default 256 MB. */
  cacheMaxBytes?: number;
  onProgress?: (done: number, total: number) => void;
  /** Worker threads for the cold parse; default 2 when there is much to parse, 0 to parse here. */
  workers?: number;
}

/**
 * Below this many bytes to parse, starting workers costs more than it saves. Run from TypeScript
 * sources each worker must first load the TypeScript loader (about half a second), so the bar is higher.
 */
const WORKER_THRESHOLD_BYTES = extname(fileURLToPath(import.meta.url)) === '.ts' ? 8_000_000 : 2_000_000;

interface Loaded {
  file: string;
  source: string;
  hash: string;
  facts: FileFacts | null;
}

export async function buildIndex(files: string[], options: IndexOptions): Promise<SourceIndex> {
  // Loaded here, not on import: a run without source never needs them.
  const [{ createHash }, { FactsStore: Store }, { fromWire, toWire }, { link }] = await Promise.all([
    import('node:crypto'), import('./cache.js'), import('./codec.js'), import('./link.js'),
  ]);
  const decodeCached = (wire: unknown): FileFacts | null => {
    try {
      return fromWire(wire);
    } catch {
      return null; // a damaged entry is parsed again
    }
  };
  const warnings: string[] = [];
  const loaded: Loaded[] = [];
  const store: FactsStore | null = options.cacheDir ? new Store(options.cacheDir, FACTS_VERSION, { maxBytes: options.cacheMaxBytes }) : null;
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      warnings.push(`${file}: cannot read (${e instanceof Error ? e.message : String(e)})`);
      continue;
    }
    const hash = createHash('sha1').update(bytes).digest('hex');
    const source = bytes.toString('utf8');
    const wire = store?.get(hash);
    loaded.push({ file, source, hash, facts: wire === undefined ? null : decodeCached(wire) });
  }
  const missing = loaded.filter((l) => l.facts === null);
  const total = loaded.length;
  let done = total - missing.length;
  const progress = () => options.onProgress?.(done, total);
  if (missing.length > 0) {
    const bytes = missing.reduce((n, l) => n + l.source.length, 0);
    const workers = options.workers ?? (bytes > WORKER_THRESHOLD_BYTES ? 2 : 0);
    const onParsed = (l: Loaded, facts: FileFacts | null, error: string | null) => {
      l.facts = facts;
      if (error) warnings.push(`${l.file}: not parsed (${error})`);
      done++;
      progress();
    };
    if (workers > 0) await parseOnWorkers(missing, workers, onParsed);
    else {
      const { extractFacts, loadGoParser } = await parserModule();
      const parser = await loadGoParser();
      for (const l of missing) {
        try {
          onParsed(l, extractFacts(parser, l.source), null);
        } catch (e) {
          onParsed(l, null, e instanceof Error ? e.message : String(e));
        }
      }
    }
    if (store) {
      const stored = new Set<string>();
      for (const l of missing) {
        if (!l.facts || stored.has(l.hash)) continue;
        stored.add(l.hash);
        store.put(l.hash, toWire(l.facts));
      }
      store.finish();
    }
  }
  const inputs: LinkInput[] = [];
  // Files a default build leaves out go first, so the built file's declarations win on a clash.
  const built = new Map(loaded.map((l) => [l, isBuilt(basename(l.file), l.source)]));
  const ordered = [...loaded.filter((l) => !built.get(l)), ...loaded.filter((l) => built.get(l))];
  for (const l of ordered) {
    if (!l.facts) continue;
    if (l.facts.errors > 0) warnings.push(`${l.file}: syntax errors; facts are partial`);
    if (!l.facts.pkg) continue;
    const dir = dirname(l.file);
    const lines = l.source.split('\n');
    for (let i = 0; i < lines.length; i++) if (lines[i].endsWith('\r')) lines[i] = lines[i].slice(0, -1);
    inputs.push({ file: l.file, pkgPath: importPathOf(dir, l.facts.pkg), pkgDir: dir, lines, facts: l.facts });
  }
  return link(inputs, warnings);
}

/**
 * A worker running parse-worker. Built, this module is `.js` and the worker file loads directly;
 * run from TypeScript sources (tests, benchmarks) the worker must register the same loader first,
 * since loader hooks do not reach worker threads.
 */
function startWorker(WorkerClass: typeof Worker): Worker {
  const ext = extname(fileURLToPath(import.meta.url));
  const url = new URL(`./parse-worker${ext}`, import.meta.url);
  if (ext !== '.ts') return new WorkerClass(url);
  const loaderApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(loaderApi)}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); });`;
  return new WorkerClass(bootstrap, { eval: true });
}

async function parseOnWorkers(
  todo: Loaded[], count: number, onParsed: (l: Loaded, facts: FileFacts | null, error: string | null) => void,
): Promise<void> {
  const { Worker: WorkerClass } = await import('node:worker_threads');
  let next = 0;
  // A few tasks in flight per worker, so it never waits on a message round trip.
  const inFlightPerWorker = 4;
  const runWorker = () => new Promise<void>((resolveWorker) => {
    const worker = startWorker(WorkerClass);
    const pending = new Set<number>();
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      void worker.terminate().then(() => resolveWorker());
    };
    const feed = () => {
      while (pending.size < inFlightPerWorker && next < todo.length) {
        const task: ParseTask = { id: next, path: todo[next].file };
        pending.add(next++);
        worker.postMessage(task);
      }
      if (pending.size === 0) finish();
    };
    worker.on('message', (result: ParseResult) => {
      pending.delete(result.id);
      onParsed(todo[result.id], result.facts, result.error);
      feed();
    });
    worker.on('error', () => {
      // What this worker held is parsed on this thread below.
      for (const id of pending) orphaned.push(todo[id]);
      pending.clear();
      finish();
    });
    feed();
  });
  const orphaned: Loaded[] = [];
  await Promise.all(Array.from({ length: Math.min(count, todo.length) }, runWorker));
  // Anything a failed worker left behind is parsed here.
  const left = [...orphaned, ...todo.slice(next)].filter((l) => l.facts === null);
  if (left.length > 0) {
    const { extractFacts, loadGoParser } = await parserModule();
    const parser = await loadGoParser();
    for (const l of left) {
      try {
        onParsed(l, extractFacts(parser, l.source), null);
      } catch (e) {
        onParsed(l, null, e instanceof Error ? e.message : String(e));
      }
    }
  }
}
