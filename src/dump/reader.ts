// The reader's entry points: text in memory, bytes of a file, or a stream of chunks.
// The library does no I/O of its own; callers hand it what they read.
import { DumpScanner, type ReadOptions } from './scanner.js';
import { isGzip, readPprof } from './pprof.js';
import type { DumpReadResult } from './types.js';

export type { ReadOptions } from './scanner.js';

/** Reads a dump already in memory (e.g. pasted into a web page). Keeps arguments unless told not to. Never throws. */
export function readDumpText(text: string, options: ReadOptions = {}): DumpReadResult {
  const scanner = new DumpScanner({ keepArgs: options.keepArgs ?? true });
  let start = 0;
  for (;;) {
    const newline = text.indexOf('\n', start);
    if (newline < 0) {
      if (start < text.length) scanner.pushLine(text.slice(start));
      break;
    }
    scanner.pushLine(text.slice(start, newline));
    start = newline + 1;
  }
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
  const decoder = new TextDecoder('utf-8');
  // The first bytes are held back until there are two of them: enough to see the gzip magic.
  let head: Uint8Array | null = new Uint8Array(0);
  let binary: Uint8Array[] | null = null;
  let carry = '';
  for await (const chunk of chunks) {
    let text: string;
    if (typeof chunk === 'string') {
      text = head !== null && head.length > 0 ? decoder.decode(head, { stream: true }) + chunk : chunk;
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
      text = decoder.decode(start, { stream: true });
    } else {
      text = decoder.decode(chunk, { stream: true });
    }
    carry = pushLines(scanner, carry, text);
  }
  if (binary !== null) return fromPprof(Buffer.concat(binary));
  if (head !== null && head.length > 0) carry = pushLines(scanner, carry, decoder.decode(head, { stream: true }));
  carry = pushLines(scanner, carry, decoder.decode());
  if (carry.length > 0) scanner.pushLine(carry);
  return scanner.finish();
}

/** Feeds every complete line of `carry + text`; returns the incomplete rest. */
function pushLines(scanner: DumpScanner, carry: string, text: string): string {
  let start = 0;
  let newline = text.indexOf('\n');
  if (newline < 0) return carry + text;
  scanner.pushLine(carry + text.slice(0, newline));
  start = newline + 1;
  while ((newline = text.indexOf('\n', start)) >= 0) {
    scanner.pushLine(text.slice(start, newline));
    start = newline + 1;
  }
  return text.slice(start);
}

function fromPprof(bytes: Uint8Array): DumpReadResult {
  const { snapshot, warnings } = readPprof(bytes);
  return { snapshots: snapshot === null ? [] : [snapshot], warnings };
}
