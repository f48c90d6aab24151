// The linked index, cached whole: a run over source that has not changed since an earlier run
// skips the facts entries and the linker alike. Beside the facts store in the cache directory:
//
//   <cache dir>/index-v<INDEX_CACHE_VERSION>/<key>.index
//     "GLI1", the 40 hex digits of the key, then the index packed (graph-codec.ts)
//
// The key is the SHA-1 of everything the linked index is a function of: the linker's own code
// (the bytes of the modules that link), the facts version, and each indexed file in order with
// its path, the SHA-1 of its bytes and its directory's import path. Change any of these and the
// key changes, so an entry is never stale; it is only left behind, and only the newest few are
// kept. The source lines are not stored: they are split again from the bytes the run read anyway.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEntry } from './cache.js';
import { GRAPH_CODEC_MODULE, packGraph, unpackGraph } from './graph-codec.js';
import type { SourceIndex } from './types.js';

/** Raised when the layout of an entry changes. */
const INDEX_CACHE_VERSION = 1;
const MAGIC = 'GLI1';
const HEADER_BYTES = MAGIC.length + 40;
const SUFFIX = '.index';
/** Entries kept: a few trees, or a few versions of one. */
const KEEP = 4;
/** Beyond the newest entry, older ones are kept only while all together stay under this. */
const MAX_TOTAL_BYTES = 256 * 1024 * 1024;

/** What a run indexes, as the key sees it. */
export interface KeyedFile {
  file: string;
  /** SHA-1 of the file's bytes, in hex. */
  hash: string;
  /** Import path of the file's directory for a package other than main. */
  dirImportPath: string;
}

/** What an entry holds: the index without its files' lines, and which files it has. */
interface Entry {
  index: Omit<SourceIndex, 'files'>;
  /** The indexed files in the index's order: path and the import path of its package. */
  files: [string, string][];
}

const codeIdentities = new Map<string, string | null>();

/**
 * The bytes of the modules whose code makes the index, hashed once per process; null when one
 * cannot be read, and then nothing is cached. Built and bundled, a module's URL is the file that
 * holds it, so any change to their code changes the key.
 */
function codeIdentity(moduleUrls: string[]): string | null {
  const urls = [...new Set([...moduleUrls, import.meta.url, GRAPH_CODEC_MODULE])].sort();
  const id = urls.join('\n');
  let identity = codeIdentities.get(id);
  if (identity === undefined) {
    try {
      const hash = createHash('sha1');
      for (const url of urls) hash.update(readFileSync(fileURLToPath(url)));
      identity = hash.digest('hex');
    } catch {
      identity = null;
    }
    codeIdentities.set(id, identity);
  }
  return identity;
}

export class IndexCache {
  readonly root: string;

  /** `codeModules`: the URLs (`import.meta.url`) of the modules that read the facts and link them. */
  constructor(cacheDir: string, private readonly factsVersion: number, private readonly codeModules: string[]) {
    this.root = join(cacheDir, `index-v${INDEX_CACHE_VERSION}`);
  }

  /** The key of an index of these files, or null when none can be made. */
  key(files: KeyedFile[]): string | null {
    const code = codeIdentity(this.codeModules);
    if (code === null) return null;
    const hash = createHash('sha1');
    hash.update(`${code}\n${this.factsVersion}\n`);
    for (const f of files) hash.update(`${f.file}\0${f.hash}\0${f.dirImportPath}\n`);
    return hash.digest('hex');
  }

  /**
   * The index stored under `key`, with each file's lines from `linesOf`; undefined when there is
   * none, it is damaged, or a file it names is not among `linesOf`'s.
   */
  get(key: string, linesOf: (file: string) => string[] | undefined): SourceIndex | undefined {
    let bytes: Buffer;
    try {
      // Every hit makes the entry the newest: pruning goes by time.
      bytes = readEntry(join(this.root, `${key}${SUFFIX}`), 0);
    } catch {
      return undefined;
    }
    try {
      if (bytes.length < HEADER_BYTES || bytes.toString('latin1', 0, HEADER_BYTES) !== `${MAGIC}${key}`) return undefined;
      const entry = unpackGraph(bytes, HEADER_BYTES) as Entry;
      const { index } = entry;
      if (!(index.functions instanceof Map) || !(index.sitesByResource instanceof Map) || !Array.isArray(entry.files) || !Array.isArray(index.warnings)) return undefined;
      const files: SourceIndex['files'] = new Map();
      for (const [file, pkg] of entry.files) {
        const lines = linesOf(file);
        if (!lines) return undefined;
        files.set(file, { file, pkg, lines });
      }
      return { ...index, files };
    } catch {
      return undefined;
    }
  }

  /**
   * Stores `index` under `key` and drops all but the newest entries; `runWarnings` are left out.
   * A cache that cannot be written only costs speed.
   */
  put(key: string, index: SourceIndex, runWarnings: Set<string>): void {
    const { files, warnings, ...rest } = index;
    // Warnings of this run only (a file it could not read, a worker that stopped) are not the index's.
    const entry: Entry = { index: { ...rest, warnings: warnings.filter((w) => !runWarnings.has(w)) }, files: [...files.values()].map((f) => [f.file, f.pkg]) };
    let packed: Uint8Array;
    try {
      // Only operation sites and their resources are reached twice (from their function and
      // from sitesByResource); they have a `kind`.
      packed = packGraph(entry, { shared: (o) => 'kind' in o });
    } catch {
      return;
    }
    const path = join(this.root, `${key}${SUFFIX}`);
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      mkdirSync(this.root, { recursive: true });
      writeFileSync(tmp, Buffer.concat([Buffer.from(`${MAGIC}${key}`, 'latin1'), packed]));
      renameSync(tmp, path);
      this.prune(path);
    } catch {
      rmSync(tmp, { force: true });
    }
  }

  /**
   * Removes all but the KEEP newest entries, and older ones beyond MAX_TOTAL_BYTES (the newest
   * stays whatever its size), and temporary files a dead writer left.
   */
  private prune(justWritten: string): void {
    const entries: { path: string; time: number; size: number }[] = [];
    let names: string[];
    try {
      names = readdirSync(this.root);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(this.root, name);
      try {
        const info = statSync(path);
        const time = path === justWritten ? Infinity : info.mtimeMs;
        if (name.endsWith('.tmp')) {
          if (Date.now() - time > 60 * 60 * 1000) rmSync(path, { force: true });
        } else if (name.endsWith(SUFFIX)) entries.push({ path, time, size: info.size });
      } catch {
        // removed meanwhile
      }
    }
    entries.sort((a, b) => b.time - a.time);
    let total = 0;
    entries.forEach((entry, i) => {
      total += entry.size;
      if (i > 0 && (i >= KEEP || total > MAX_TOTAL_BYTES)) rmSync(entry.path, { force: true });
    });
  }
}
