// buildIndex: read files; when the cache holds the index of exactly these files, that is the
// index (index-cache.ts). Else extract phase-1 facts (from the cache by content hash, else by
// parsing each distinct content once: here, and on a worker thread per other core when there is
// enough to parse, which hands back its trees for this thread to extract), link them, and cache
// the index. The parser (tree-sitter) and the worker threads are loaded only when a file's facts
// are not in the cache.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker, WorkerOptions } from 'node:worker_threads';
import type { FactsStore } from './cache.js';
import type { KeyedFile } from './index-cache.js';
import { CONSTRAINTS_MODULE, isBuilt } from './constraints.js';
import { FACTS_VERSION, type FileFacts } from './facts.js';
import type { LinkInput } from './link.js';
import { forgetGoMods, importPathOf } from './locate.js';
import type { ParseMessage, ParseTask, ParseWorkerData } from './parse-worker.js';
import type { PackedEntry, StoreWorkerData } from './store-worker.js';
import type { GoParser, ReadTree } from './syntax-tree.js';
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
  /**
   * Worker threads for the cold parse, besides this thread, which parses too. Default: one per
   * other core when there is much to parse, else none; 0 parses here only.
   */
  workers?: number;
  /** Whether this thread parses too while workers run (default true); false leaves every file to them. */
  parseHere?: boolean;
  /**
   * Whether the index may be read from and stored in the cache whole (default true, with a
   * cacheDir); false builds it from the facts entries alone, as a run over changed source would.
   */
  reuseIndex?: boolean;
  /**
   * Given, writing the linked index to the cache is handed to it, to run when the caller likes:
   * the command runs it once its answer is out. The index must not change before (the analysis
   * never changes it: test/diagnosis/index-unchanged.test.ts). The facts of each file it parsed
   * are written meanwhile by a worker thread; the store's promise settles once both are written.
   * Else all is written before buildIndex returns.
   */
  storeLater?: (store: () => Promise<void>) => void;
}

/**
 * Below this many bytes to parse, a worker would not be ready before this thread is done. Run
 * from TypeScript sources each worker must first load the TypeScript loader (a few tenths of a
 * second), so the bar is higher. A worker is fed only once ready, so the bar is only a saving.
 */
const WORKER_THRESHOLD_BYTES = extname(fileURLToPath(import.meta.url)) === '.ts' ? 600_000 : 200_000;

/**
 * File tasks a worker holds at once, so it never waits on this thread: it is fed only between
 * this thread's own files and the extraction of the worker's, which together can take longer
 * than a worker needs for a few files (with 4, a worker idled about a tenth of the parse).
 */
const IN_FLIGHT_PER_WORKER = 12;

interface Loaded {
  file: string;
  source: string;
  hash: string;
  facts: FileFacts | null;
}

/** A parsed file: its facts and their packed wire form (null when they could not be packed), or an error. */
type OnParsed = (l: Loaded, facts: FileFacts | null, packed: Uint8Array | null, error: string | null) => void;

export async function buildIndex(files: string[], options: IndexOptions): Promise<SourceIndex> {
  // Loaded here, not on import: a run without source never needs them.
  const [{ createHash }, { FactsStore: Store }, codec, { link, LINK_MODULES }, { IndexCache }] = await Promise.all([
    import('node:crypto'), import('./cache.js'), import('./codec.js'), import('./link.js'), import('./index-cache.js'),
  ]);
  const decodeCached = (wire: unknown): FileFacts | null => {
    try {
      return codec.fromWire(wire);
    } catch {
      return null; // a damaged entry is parsed again
    }
  };
  // A go.mod may have changed since an earlier build in this process (serve, watch).
  forgetGoMods();
  const warnings: string[] = [];
  /** Warnings of this run only, which a cached index must not repeat. */
  const runWarnings = new Set<string>();
  const loaded: Loaded[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      const warning = `${file}: cannot read (${e instanceof Error ? e.message : String(e)})`;
      warnings.push(warning);
      runWarnings.add(warning);
      continue;
    }
    loaded.push({ file, source: bytes.toString('utf8'), hash: createHash('sha1').update(bytes).digest('hex'), facts: null });
  }
  const indexCache = options.cacheDir && options.reuseIndex !== false ? new IndexCache(options.cacheDir, FACTS_VERSION, [import.meta.url, CONSTRAINTS_MODULE, ...LINK_MODULES]) : null;
  const key = indexCache?.key(keyedFiles(loaded)) ?? null;
  if (indexCache && key) {
    const sources = new Map(loaded.map((l) => [l.file, l.source]));
    const cached = indexCache.get(key, (file) => {
      const source = sources.get(file);
      return source === undefined ? undefined : linesOf(source);
    });
    if (cached) {
      cached.warnings.unshift(...warnings);
      return cached;
    }
  }
  const store: FactsStore | null = options.cacheDir ? new Store(options.cacheDir, FACTS_VERSION, { maxBytes: options.cacheMaxBytes }) : null;
  for (const l of loaded) {
    const wire = store?.get(l.hash);
    if (wire !== undefined) l.facts = decodeCached(wire);
  }
  const missing = loaded.filter((l) => l.facts === null);
  /** Facts entries written while parsing goes on, or (storeLater) kept for a worker to write after it. */
  const writes: Promise<void>[] = [];
  const later: PackedEntry[] = [];
  const total = loaded.length;
  let done = total - missing.length;
  if (missing.length > 0) {
    // One parse per distinct content; copies of a file share it.
    const byHash = new Map<string, Loaded[]>();
    for (const l of missing) {
      const same = byHash.get(l.hash);
      if (same) same.push(l);
      else byHash.set(l.hash, [l]);
    }
    const todo = [...byHash.values()].map((same) => same[0]);
    const onParsed: OnParsed = (l, facts, packed, error) => {
      if (store && packed && facts) {
        if (options.storeLater) later.push({ hash: l.hash, packed });
        else writes.push(store.putPackedAsync(l.hash, packed));
      }
      (byHash.get(l.hash) ?? [l]).forEach((copy, i) => {
        // Each copy its own facts: the linker tells functions apart by their fact objects.
        copy.facts = i === 0 || !facts ? facts : packed ? codec.fromWire(codec.unpackWire(packed)) : structuredClone(facts);
        if (error) warnings.push(`${copy.file}: not parsed (${error})`);
        done++;
        options.onProgress?.(done, total);
      });
    };
    const bytes = todo.reduce((n, l) => n + l.source.length, 0);
    // On one core a worker would only take turns with this thread.
    const workers = options.workers ?? (bytes > WORKER_THRESHOLD_BYTES ? availableParallelism() - 1 : 0);
    await parseMissing(todo, workers, options.parseHere ?? true, codec, onParsed, (w) => {
      warnings.push(w);
      runWarnings.add(w);
    });
    await Promise.all(writes);
  }
  // With storeLater the facts entries are written from now on by a worker, while this thread
  // links and the caller goes on: the parse no longer needs the other core.
  const writtenBehind = store && later.length > 0
    ? writeBehind((await import('node:worker_threads')).Worker, options.cacheDir!, options.cacheMaxBytes, later)
    : null;
  const inputs: LinkInput[] = [];
  // Files a default build leaves out go first, so the built file's declarations win on a clash.
  const built = new Map(loaded.map((l) => [l, isBuilt(basename(l.file), l.source)]));
  const ordered = [...loaded.filter((l) => !built.get(l)), ...loaded.filter((l) => built.get(l))];
  for (const l of ordered) {
    if (!l.facts) continue;
    if (l.facts.errors > 0) warnings.push(`${l.file}: syntax errors; facts are partial`);
    if (!l.facts.pkg) continue;
    const dir = dirname(l.file);
    inputs.push({ file: l.file, pkgPath: importPathOf(dir, l.facts.pkg), pkgDir: dir, lines: linesOf(l.source), facts: l.facts });
  }
  const index = link(inputs, warnings);
  const storeAll = async () => {
    if (indexCache && key) indexCache.put(key, index, runWarnings);
    if (store && !(writtenBehind && (await writtenBehind))) {
      // Entries kept for a worker that could not write them (with none kept, only the sweep).
      for (const entry of later) store.putPacked(entry.hash, entry.packed);
      store.finish();
    }
  };
  if (options.storeLater) options.storeLater(storeAll);
  else await storeAll();
  return index;
}

/**
 * Writes facts entries on a worker thread (store-worker.ts); resolves true once they are written,
 * false when the worker could not do it, and then the caller writes them. A worker that does not
 * start is no error: a cache only saves time.
 */
function writeBehind(
  WorkerClass: typeof Worker, cacheDir: string, maxBytes: number | undefined, entries: PackedEntry[],
): Promise<boolean> {
  const data: StoreWorkerData = { cacheDir, version: FACTS_VERSION, maxBytes, entries };
  return new Promise<boolean>((resolve) => {
    let worker: Worker;
    try {
      worker = startWorker(WorkerClass, 'store-worker', data);
    } catch {
      resolve(false);
      return;
    }
    worker.on('error', () => resolve(false));
    worker.on('exit', (code) => resolve(code === 0));
  });
}

/** A file's lines without their line ends. */
function linesOf(source: string): string[] {
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) if (lines[i].endsWith('\r')) lines[i] = lines[i].slice(0, -1);
  return lines;
}

/**
 * The files as the index cache keys them. Besides its bytes, a file's import path is the one
 * input of the linker that comes from elsewhere (a go.mod, the module cache's layout): once per
 * directory, for a package other than main (main's is always `main`).
 */
function keyedFiles(loaded: Loaded[]): KeyedFile[] {
  const byDir = new Map<string, string>();
  return loaded.map((l) => {
    const dir = dirname(l.file);
    let dirImportPath = byDir.get(dir);
    if (dirImportPath === undefined) byDir.set(dir, (dirImportPath = importPathOf(dir, '')));
    return { file: l.file, hash: l.hash, dirImportPath };
  });
}

/**
 * A worker running parse-worker or store-worker. Built, this module is `.js` and the worker file
 * loads directly; run from TypeScript sources (tests, benchmarks) the worker must register the
 * same loader first, since loader hooks do not reach worker threads.
 */
function startWorker(WorkerClass: typeof Worker, module: 'parse-worker' | 'store-worker', workerData: ParseWorkerData | StoreWorkerData): Worker {
  const ext = extname(fileURLToPath(import.meta.url));
  const url = new URL(`./${module}${ext}`, import.meta.url);
  const start = (options: WorkerOptions) => {
    if (ext !== '.ts') return new WorkerClass(url, { workerData, ...options });
    const loaderApi = import.meta.resolve('tsx/esm/api');
    const bootstrap = `import(${JSON.stringify(loaderApi)}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); });`;
    return new WorkerClass(bootstrap, { eval: true, workerData, ...options });
  };
  const execArgv = withoutPreloads(process.execArgv);
  if (execArgv.length === process.execArgv.length) return start({});
  try {
    return start({ execArgv });
  } catch {
    // Given explicitly, options a worker cannot take (V8's, such as --stack-size) are refused
    // where inherited ones are not: then it inherits them all, preloads too.
    return start({});
  }
}

const PRELOAD_OPTIONS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/**
 * The parent's options without its module preloads. A worker inherits them by default, but it
 * runs only this package's modules (built, or its TypeScript sources through the loader it
 * registers itself), so a preload (a TypeScript loader that a library caller or a test runs
 * under, instrumentation) would only delay the worker's first file: a TypeScript loader, loaded
 * again in the worker with its own hooks thread, cost a cold 700-file index 0.5 s on 2 cores.
 */
export function withoutPreloads(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const option = execArgv[i];
    const equals = option.indexOf('=');
    const name = option.startsWith('--') && equals > 0 ? option.slice(0, equals) : option;
    if (!PRELOAD_OPTIONS.has(name)) kept.push(option);
    else if (name === option) i++; // its value is the next argument
  }
  return kept;
}

type Codec = typeof import('./codec.js');

/**
 * Parses `todo` on this thread and on `count` worker threads at once, all taking files from one
 * queue: this thread starts at once, each worker as soon as its parser is loaded. A worker sends
 * each tree as read out of tree-sitter, and this thread extracts the facts of every file: the
 * extractor and the codec then run hot, and are compiled by the optimiser, in one thread only.
 */
async function parseMissing(
  todo: Loaded[], count: number, parseHereToo: boolean, codec: Codec, onParsed: OnParsed, onFailed: (warning: string) => void,
): Promise<void> {
  const queue = todo.map((_, i) => i);
  let head = 0;
  const take = (): number => (head < queue.length ? queue[head++] : -1);
  const { extractFacts, loadGoParser } = await parserModule();
  let parser: GoParser | null = null;
  /** Extracts a file's facts (from a worker's reading of its tree, or parsed here) and hands them on. */
  const extractHere = (l: Loaded, read?: ReadTree) => {
    let facts: FileFacts | null = null;
    try {
      facts = extractFacts(parser!, l.source, read);
    } catch (e) {
      onParsed(l, null, null, e instanceof Error ? e.message : String(e));
      return;
    }
    // Packed for the cache, and unpacked again: decoded facts share their expressions, which
    // keeps the linker's heap small and its lookups fast.
    let packed: Uint8Array | null = null;
    try {
      packed = codec.packWire(codec.toWire(facts));
      facts = codec.fromWire(codec.unpackWire(packed));
    } catch {
      // not plain data: used as extracted, not cached
    }
    onParsed(l, facts, packed, null);
  };
  const parserLoaded = loadGoParser().then((loaded) => {
    parser = loaded;
  });
  // A failure is thrown by the await below, not first as an unhandled rejection while the workers start.
  parserLoaded.catch(() => {});
  const workers = count > 0 ? await startWorkers(Math.min(count, todo.length), todo, queue, take, parserLoaded, extractHere, onParsed, onFailed) : [];
  await parserLoaded;
  const parseHere = async () => {
    for (let i = take(); i >= 0; i = take()) {
      extractHere(todo[i]);
      // Let the workers' results in, and feed them, between files.
      if (workers.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };
  if (parseHereToo || workers.length === 0) await parseHere();
  // The queue is empty (or left to the workers): wait for what they hold. A worker not yet ready
  // holds nothing, and is not waited for when this thread has parsed the rest.
  await Promise.all(workers.map((w) => w.drain(!parseHereToo)));
  // Anything a failed worker held came back to the queue.
  await parseHere();
}

interface PoolWorker {
  /** Resolves once the worker holds no file and none is left to take, and ends it; `waitForReady`: even one still loading. */
  drain(waitForReady: boolean): Promise<void>;
}

/** Workers that parse and read trees, each fed once it and this thread's parser (`parserLoaded`) are ready. */
async function startWorkers(
  count: number, todo: Loaded[], queue: number[], take: () => number, parserLoaded: Promise<void>,
  extractHere: (l: Loaded, read?: ReadTree) => void, onParsed: OnParsed, onFailed: (warning: string) => void,
): Promise<PoolWorker[]> {
  const { Worker: WorkerClass } = await import('node:worker_threads');
  // Compiled here for this thread's parser anyway; a worker given them compiles nothing.
  const wasm = await (await parserModule()).goWasm().catch(() => null);
  return Array.from({ length: count }, () => {
    const worker = startWorker(WorkerClass, 'parse-worker', { wasm });
    const pending = new Set<number>();
    let ready = false;
    let draining: (() => void) | null = null;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      void worker.terminate();
      draining?.();
    };
    const feed = () => {
      while (ready && !ended && pending.size < IN_FLIGHT_PER_WORKER) {
        const id = take();
        if (id < 0) break;
        pending.add(id);
        const task: ParseTask = { id, source: todo[id].source };
        worker.postMessage(task);
      }
      if (draining && pending.size === 0) end();
    };
    worker.on('message', (message: ParseMessage) => {
      if ('ready' in message) {
        parserLoaded.then(() => {
          ready = true;
          feed();
        }, () => {});
        return;
      }
      if (ended || !pending.delete(message.id)) return; // a file given back to the queue
      const l = todo[message.id];
      if (message.error !== null) onParsed(l, null, null, message.error);
      else extractHere(l, message.read ?? undefined); // no tree from tree-sitter: parsed again here
      feed();
    });
    const fail = (why: string) => {
      if (ended) return;
      // What this worker held goes back to the queue, for this thread.
      queue.push(...pending);
      pending.clear();
      onFailed(`a parse worker stopped (${why}); its files were parsed on the main thread`);
      end();
    };
    worker.on('error', (e) => fail(e instanceof Error ? e.message : String(e)));
    worker.on('exit', (code) => fail(`exit ${code}`));
    return {
      drain: (waitForReady) => new Promise<void>((resolve) => {
        draining = resolve;
        if (ended) resolve();
        else if (ready) feed();
        else if (!waitForReady) end();
      }),
    };
  });
}
