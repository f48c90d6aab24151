// The facts cache: a content-addressed store on disk. Each Go file's phase-1 facts live in a file
// of their own, named by the SHA-1 of the Go file's bytes:
//
//   <cache dir>/facts-v<FACTS_VERSION>/<first 2 hex digits>/<other 38>.facts
//     "GLF1", the 40 hex digits of the hash, then the wire form packed (codec.ts, packWire)
//
// A run reads only the entries of the files it indexes (one small read each), so a cache grown by
// other projects costs it nothing. Writers put an entry under a unique temporary name and rename it
// into place, so a reader sees a whole entry or none, and concurrent writers of the same entry
// write the same bytes. An entry that does not unpack or names another hash is a miss: the file is
// parsed again and the entry rewritten. Reads bump an entry's time when it is more than an hour
// old, so the oldest entries are the least recently used; when the store outgrows its cap, the
// oldest are removed until it is at 80% of it. The store's size is kept approximately in `size`
// (added to by each write, recounted by each sweep), so no run lists the store to learn it.
// Entries of the earlier JSON layout (`.json`) are never read; they go with the sweeps.

import { closeSync, fstatSync, futimesSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unpackWire } from './codec.js';

/** Default cap: a few hundred large projects' facts. */
export const DEFAULT_CACHE_MAX_BYTES = 256 * 1024 * 1024;
/** Reads refresh an entry's time only when it is older than this, to keep hits to one read. */
const TOUCH_AFTER_MS = 60 * 60 * 1000;
/** A sweep removes the least recently used entries until the store is at this share of its cap. */
const SWEEP_TO = 0.8;

export interface FactsStoreOptions {
  /** Cap on the entries' total size in bytes. Default DEFAULT_CACHE_MAX_BYTES. */
  maxBytes?: number;
}

let tmpCounter = 0;

export class FactsStore {
  readonly root: string;
  private readonly maxBytes: number;
  private written = 0;
  /** Shard directories known to exist. */
  private readonly shards = new Set<string>();

  constructor(cacheDir: string, version: number, options: FactsStoreOptions = {}) {
    this.root = join(cacheDir, `facts-v${version}`);
    this.maxBytes = options.maxBytes ?? DEFAULT_CACHE_MAX_BYTES;
  }

  private pathOf(hash: string): string {
    return join(this.root, hash.slice(0, 2), `${hash.slice(2)}${ENTRY_SUFFIX}`);
  }

  /** The wire form stored for `hash`, or undefined when there is none or it is damaged. */
  get(hash: string): unknown {
    try {
      const bytes = readEntry(this.pathOf(hash), TOUCH_AFTER_MS);
      if (bytes.length < HEADER_BYTES || bytes.toString('latin1', 0, HEADER_BYTES) !== `${MAGIC}${hash}`) return undefined;
      return unpackWire(bytes, HEADER_BYTES);
    } catch {
      return undefined;
    }
  }

  /**
   * Stores the wire form for `hash`, already packed (packWire), without blocking this thread: the
   * writes run on libuv's pool while it parses on. A cache that cannot be written only costs speed
   * next time.
   */
  async putPackedAsync(hash: string, packed: Uint8Array): Promise<void> {
    const path = this.pathOf(hash);
    const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
    try {
      const shard = join(this.root, hash.slice(0, 2));
      if (!this.shards.has(shard)) {
        await mkdir(shard, { recursive: true });
        this.shards.add(shard);
      }
      await writeFile(tmp, Buffer.concat([entryHeader(hash), packed]));
      await rename(tmp, path);
      this.written += HEADER_BYTES + packed.length;
    } catch {
      await unlink(tmp).catch(() => undefined);
    }
  }

  /** putPackedAsync at once: for writes left until the answer is out, when nothing waits on this thread. */
  putPacked(hash: string, packed: Uint8Array): void {
    const path = this.pathOf(hash);
    const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
    try {
      const shard = join(this.root, hash.slice(0, 2));
      if (!this.shards.has(shard)) {
        mkdirSync(shard, { recursive: true });
        this.shards.add(shard);
      }
      writeFileSync(tmp, Buffer.concat([entryHeader(hash), packed]));
      renameSync(tmp, path);
      this.written += HEADER_BYTES + packed.length;
    } catch {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // left for a sweep
      }
    }
  }

  /**
   * After a run's writes: adds them to the size estimate and, when the store is over its cap,
   * removes the least recently used entries. Also removes the single-file cache of earlier versions.
   */
  finish(): void {
    if (this.written === 0) return;
    const estimate = this.readSize() + this.written;
    this.written = 0;
    if (estimate > this.maxBytes) this.writeSize(this.sweep());
    else this.writeSize(estimate);
    removeLegacyCache(join(this.root, '..'));
  }

  /** Removes the oldest entries until the store is under SWEEP_TO of its cap; returns its size. */
  sweep(): number {
    const entries: { path: string; size: number; time: number }[] = [];
    let total = 0;
    for (const shard of safeReaddir(this.root)) {
      if (shard.length !== 2) continue;
      const dir = join(this.root, shard);
      for (const name of safeReaddir(dir)) {
        const path = join(dir, name);
        try {
          const info = statSync(path);
          // A temporary file left by a writer that died: gone after an hour.
          if (name.endsWith('.tmp')) {
            if (Date.now() - info.mtimeMs > TOUCH_AFTER_MS) rmSync(path, { force: true });
            continue;
          }
          entries.push({ path, size: info.size, time: info.mtimeMs });
          total += info.size;
        } catch {
          // removed meanwhile by another sweep
        }
      }
    }
    if (total <= this.maxBytes) return total;
    entries.sort((a, b) => a.time - b.time);
    const target = this.maxBytes * SWEEP_TO;
    for (const entry of entries) {
      if (total <= target) break;
      rmSync(entry.path, { force: true });
      total -= entry.size;
    }
    return total;
  }

  private readSize(): number {
    try {
      const n = Number(readFileSync(join(this.root, 'size'), 'utf8'));
      return Number.isFinite(n) && n >= 0 ? n : 0;
    } catch {
      return 0;
    }
  }

  private writeSize(bytes: number): void {
    const path = join(this.root, 'size');
    const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
    try {
      writeFileSync(tmp, String(Math.round(bytes)));
      renameSync(tmp, path);
    } catch {
      // the estimate is only a hint
    }
  }
}

/**
 * A cache entry's bytes, read whole with one open; its time is set to now when older than
 * `touchAfterMs`, so the entries removed first are those read least recently. Throws when it
 * cannot be read.
 */
export function readEntry(path: string, touchAfterMs: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const info = fstatSync(fd);
    const bytes = Buffer.allocUnsafe(info.size);
    let read = 0;
    while (read < info.size) {
      const n = readSync(fd, bytes, read, info.size - read, read);
      if (n === 0) break;
      read += n;
    }
    if (Date.now() - info.mtimeMs > touchAfterMs) {
      const now = new Date();
      try {
        futimesSync(fd, now, now);
      } catch {
        // A read-only cache still serves hits.
      }
    }
    return bytes.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** An entry starts with these four bytes and the 40 hex digits of its hash. */
const MAGIC = 'GLF1';
const HEADER_BYTES = MAGIC.length + 40;
const ENTRY_SUFFIX = '.facts';

function entryHeader(hash: string): Buffer {
  return Buffer.from(`${MAGIC}${hash}`, 'latin1');
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The cache of earlier versions: one `facts-v<N>.json` read whole on every run. */
function removeLegacyCache(cacheDir: string): void {
  for (const name of safeReaddir(cacheDir)) {
    if (/^facts-v\d+\.json$/.test(name)) rmSync(join(cacheDir, name), { force: true });
  }
}
