// The reader's entry points: text in memory, bytes of a file, or a stream of chunks.
// The library does no I/O of its own; callers hand it what they read.
import { DumpScanner, type ReadOptions } from './scanner.js';
import { isGzip, readPprof } from './pprof.js';
import type { DumpReadResult } from './types.js';

export type { ReadOptions } from './scanner.js';

/** Reads a dump already in memory (e.g. pasted into a web page). Keeps arguments unless told not to. Never throws. */
export function readDumpText(text: string, options: ReadOptions = {}): DumpReadResult {
  const scanner = new DumpScanner({ keepArgs: options.keepArgs ?? true });
  scanner.pushText(text);
  scanner.endText();
  return scanner.finish();
}

/** Reads a file's bytes: a gzip'd pprof profile (debug=0), else UTF-8 text. Never throws. */
export function readDumpBytes(bytes: Uint8Array, options: ReadOptions = {}): DumpReadResult {
  if (isGzip(bytes)) return fromPprof(bytes);
  return readDumpText(new TextDecoder('utf-8').decode(bytes), options);
}

/**
 * Reads a dump from chunks (a file or socket stream), splitting lines itself so that no string
 * ever holds the whole input. A gzip'd pprof profile is recognised from its first bytes and then
 * collected whole (profiles are small). Arguments are dropped unless `keepArgs` is set, which is
 * what lets a 700 MB dump fit in memory. Never throws on content.
 */
export async function readDumpStream(
  chunks: AsyncIterable<Uint8Array | string>,
  options: ReadOptions = {},
): Promise<DumpReadResult> {
  const scanner = new DumpScanner({ keepArgs: options.keepArgs ?? false });
  const decoder = new ChunkDecoder();
  // The first bytes are held back until there are two of them: enough to see the gzip magic.
  let head: Uint8Array | null = new Uint8Array(0);
  let binary: Uint8Array[] | null = null;
  for await (const chunk of chunks) {
    let text: string;
    if (typeof chunk === 'string') {
      text = head !== null && head.length > 0 ? decoder.decode(head) + chunk : chunk;
      head = null;
    } else if (binary !== null) {
      binary.push(chunk);
      continue;
    } else if (head !== null) {
      const start: Uint8Array = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      if (start.length < 2) {
        head = start;
        continue;
      }
      head = null;
      if (isGzip(start)) {
        binary = [start];
        continue;
      }
      text = decoder.decode(start);
    } else {
      text = decoder.decode(chunk);
    }
    scanner.pushText(text);
  }
  if (binary !== null) return fromPprof(Buffer.concat(binary));
  if (head !== null && head.length > 0) scanner.pushText(decoder.decode(head));
  scanner.pushText(decoder.end());
  scanner.endText();
  return scanner.finish();
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
