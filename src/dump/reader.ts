// The reader's entry points: text in memory, bytes of a file, or a stream of chunks.
// The library does no I/O of its own; callers hand it what they read.
import { constants, createGunzip, gunzipSync } from 'node:zlib';
import { once } from 'node:events';
import { DumpScanner, type ReadOptions } from './scanner.js';
import { isGzip, readPprof } from './pprof.js';
import { looksReversed, reverseLines } from './logs.js';
import { looksBinary } from './sniff.js';
import type { DumpReadResult } from './types.js';

/** How much of an input is looked at before deciding how to read it (gzip, protobuf, reversed log). */
const sniffBytes = 1 << 16;
/** Gunzips what a cut-off download or paste left, instead of failing at its end. */
const gunzipOptions = { finishFlush: constants.Z_SYNC_FLUSH };
const cutGzip = (why: string) => ({ line: 0, message: `the gzip'd input is cut off or damaged (${why}): read as far as it goes` });
const reversedWarning = { line: 0, message: 'the input reads newest line first (as `journalctl -r` prints): read from its last line up' };

export type { ReadOptions } from './scanner.js';

/** Reads a dump already in memory (e.g. pasted into a web page). Keeps arguments unless told not to. Never throws. */
export function readDumpText(text: string, options: ReadOptions = {}): DumpReadResult {
  const reversed = looksReversed(text.length > sniffBytes ? text.slice(0, sniffBytes) : text);
  const scanner = new DumpScanner({ keepArgs: options.keepArgs ?? true });
  scanner.pushText(reversed ? reverseLines(text) : text);
  scanner.endText();
  const result = scanner.finish();
  if (reversed) result.warnings.unshift(reversedWarning);
  return result;
}

/**
 * Reads a file's bytes: a pprof profile (debug=0, gzip'd or not), gzip'd text, else UTF-8 text.
 * Never throws.
 */
export function readDumpBytes(bytes: Uint8Array, options: ReadOptions = {}): DumpReadResult {
  let data = bytes;
  let damage: string | null = null;
  if (isGzip(bytes)) {
    try {
      data = gunzipSync(bytes);
    } catch (error) {
      damage = (error as Error).message;
      try {
        data = gunzipSync(bytes, gunzipOptions);
      } catch {
        data = new Uint8Array(0);
      }
      if (data.length === 0) return fromPprof(bytes);
    }
  }
  const result = data !== bytes && looksBinary(data) ? fromPprof(data) : readDumpText(new TextDecoder('utf-8').decode(data), options);
  if (damage !== null) result.warnings.unshift(cutGzip(damage));
  return result;
}

/**
 * Reads a dump from chunks (a file or socket stream), splitting lines itself so that no string
 * ever holds the whole input. The first 64 KB decide how: gzip is gunzipped as it streams (text
 * or a pprof profile inside); a pprof profile is collected whole (profiles are small); a log that
 * reads newest line first is collected and reversed. Arguments are dropped unless `keepArgs` is
 * set, which is what lets a 700 MB dump fit in memory. Never throws on content.
 */
export async function readDumpStream(
  chunks: AsyncIterable<Uint8Array | string>,
  options: ReadOptions = {},
): Promise<DumpReadResult> {
  return readStreamAt(chunks[Symbol.asyncIterator](), options, 0);
}

async function readStreamAt(
  iterator: AsyncIterator<Uint8Array | string>,
  options: ReadOptions,
  depth: number,
): Promise<DumpReadResult> {
  const head: Array<Uint8Array | string> = [];
  let headSize = 0;
  while (headSize < sniffBytes) {
    const next = await iterator.next();
    if (next.done === true) break;
    head.push(next.value);
    headSize += next.value.length;
  }
  const first = head.length === 0 ? null : head[0];
  if (first !== null && typeof first !== 'string') {
    const start = first.length >= 8 || head.length === 1 ? first : Buffer.concat(head.filter((c): c is Uint8Array => typeof c !== 'string'));
    if (isGzip(start) && depth < 2) {
      const gunzip = { damage: null as string | null, bytes: 0 };
      const result = await readStreamAt(gunzipChunks(head, iterator, gunzip)[Symbol.asyncIterator](), options, depth + 1);
      if (gunzip.damage !== null) {
        if (gunzip.bytes === 0) return { snapshots: [], warnings: [{ line: 0, message: `cannot gunzip the input: ${gunzip.damage}` }] };
        result.warnings.unshift(cutGzip(gunzip.damage));
      }
      return result;
    }
    if (looksBinary(start)) return fromPprof(await collectBytes(head, iterator));
  }
  const decoder = new ChunkDecoder();
  const headText = head.map((chunk) => (typeof chunk === 'string' ? chunk : decoder.decode(chunk))).join('');
  if (looksReversed(headText)) {
    let text = headText;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) break;
      text += typeof next.value === 'string' ? next.value : decoder.decode(next.value);
    }
    return readDumpText(text + decoder.end(), { keepArgs: options.keepArgs ?? false });
  }
  const scanner = new DumpScanner({ keepArgs: options.keepArgs ?? false });
  scanner.pushText(headText);
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) break;
    scanner.pushText(typeof next.value === 'string' ? next.value : decoder.decode(next.value));
  }
  scanner.pushText(decoder.end());
  scanner.endText();
  return scanner.finish();
}

async function collectBytes(head: Array<Uint8Array | string>, iterator: AsyncIterator<Uint8Array | string>): Promise<Buffer> {
  const parts: Buffer[] = head.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) break;
    parts.push(typeof next.value === 'string' ? Buffer.from(next.value) : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
  }
  return Buffer.concat(parts);
}

/**
 * The gunzipped bytes of `head` and then the rest of `iterator`, as they stream. A cut or damaged
 * stream ends the chunks where it breaks, and `report.damage` says why.
 */
async function* gunzipChunks(
  head: Array<Uint8Array | string>,
  iterator: AsyncIterator<Uint8Array | string>,
  report: { damage: string | null; bytes: number },
): AsyncGenerator<Uint8Array> {
  const gunzip = createGunzip();
  const write = async (chunk: Uint8Array | string) => {
    if (!gunzip.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)) await once(gunzip, 'drain');
  };
  const feed = (async () => {
    for (const chunk of head) await write(chunk);
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) break;
      await write(next.value);
    }
    gunzip.end();
  })();
  feed.catch((error: Error) => gunzip.destroy(error));
  try {
    for await (const chunk of gunzip) {
      report.bytes += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  } catch (error) {
    report.damage = (error as Error).message;
  }
}

/**
 * UTF-8 chunks to text, like a streaming TextDecoder (a leading byte order mark is dropped,
 * malformed bytes become U+FFFD) but through Buffer's decoder, which is faster and gives
 * one-byte strings for ASCII text: the strings the scanner compares and hashes are then half
 * the size. A character split between chunks is held back until the next one.
 */
class ChunkDecoder {
  private pending: Buffer | null = null;
  private first = true;

  decode(chunk: Uint8Array): string {
    let bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.pending !== null) {
      bytes = Buffer.concat([this.pending, bytes]);
      this.pending = null;
    }
    const end = completeLength(bytes);
    if (end < bytes.length) this.pending = Buffer.from(bytes.subarray(end));
    return this.dropMark(bytes.toString('utf8', 0, end));
  }

  /** What is left: an incomplete character at the very end decodes as U+FFFD. */
  end(): string {
    const rest = this.pending;
    this.pending = null;
    return rest === null ? '' : this.dropMark(rest.toString('utf8'));
  }

  private dropMark(text: string): string {
    if (!this.first || text.length === 0) return text;
    this.first = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}

/** The length of `bytes` without a UTF-8 sequence that the end of the chunk cuts short. */
function completeLength(bytes: Uint8Array): number {
  const length = bytes.length;
  // A sequence is at most 4 bytes: look at the last 3 for the lead byte of an unfinished one.
  for (let i = length - 1; i >= 0 && i >= length - 3; i--) {
    const byte = bytes[i];
    if (byte < 0x80) return length;
    if (byte >= 0xc0) {
      const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return length - i < size ? i : length;
    }
  }
  return length;
}

function fromPprof(bytes: Uint8Array): DumpReadResult {
  const { snapshot, warnings } = readPprof(bytes);
  return { snapshots: snapshot === null ? [] : [snapshot], warnings };
}
