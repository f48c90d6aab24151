// How the dump reaches the `gridlock` command: a file (plain, gzip'd text or a pprof profile), a
// URL of a live program's net/http/pprof endpoint, or standard input when it is not a terminal.
// Input in which no goroutine is found is named by what it looks like (a Java thread dump, a
// Python traceback, binary data, nothing at all), one line and exit 2.

import { once } from 'node:events';
import { Writable } from 'node:stream';
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { UnusableInputError } from '../analyze.js';
import { readDumpStream, type DumpReadResult } from '../dump/index.js';
import { describeInput, holdsRaceReport } from '../dump/sniff.js';

/** One fetch of a dump: long enough for debug=2 of a large program, small enough to give up. */
export const FETCH_TIMEOUT_MS = 60_000;
export const FETCH_MAX_BYTES = 1 << 30;
/** How much of the input is kept to say what it looks like when it holds no goroutine. */
const headBytes = 1 << 16;

export interface InputOptions {
  stdin: NodeJS.ReadableStream;
  /**
   * Every chunk read is also written here, as it arrives (`--pass-through`); then input without
   * a goroutine is no error, only text that was passed through.
   */
  echo?: (NodeJS.WritableStream & { passing?: () => boolean }) | null;
  timeoutMs?: number;
  maxBytes?: number;
}

/** True for an `http://` or `https://` argument. */
export function isUrl(input: string): boolean {
  return /^https?:\/\//i.test(input);
}

/** What the error lines call the input. */
export function inputLabel(input: string): string {
  return input === '-' ? 'standard input' : input;
}

/**
 * Reads the dump named by `input` (`-` for standard input, a URL, or a path). Throws
 * UnusableInputError with one line when it cannot be read or holds no goroutine.
 */
export async function readInput(input: string, options: InputOptions): Promise<DumpReadResult> {
  const label = inputLabel(input);
  let chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array>;
  if (isUrl(input)) chunks = [await fetchDump(input, options)];
  else if (input === '-') chunks = options.stdin as AsyncIterable<Uint8Array | string>;
  else chunks = createReadStream(resolve(input));
  const head: Buffer[] = [];
  let headSize = 0;
  const echo = options.echo ?? null;
  async function* tapped(): AsyncGenerator<Uint8Array | string> {
    for await (const chunk of chunks) {
      if (headSize < headBytes) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        head.push(bytes.subarray(0, headBytes - headSize));
        headSize += Math.min(bytes.length, headBytes - headSize);
      }
      if (echo !== null && !echo.write(chunk)) await once(echo, 'drain');
      yield chunk;
    }
  }
  let result: DumpReadResult;
  try {
    result = await readDumpStream(tapped());
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UnusableInputError(`cannot read ${label}: ${why}`);
  }
  const start = Buffer.concat(head);
  // Passed through as a log, text that is no dump is no error, unless it is another runtime's dump.
  if (result.snapshots.length === 0 && (echo === null || echo.passing !== undefined)) {
    const look = describeInput(start);
    if (look !== null) throw new UnusableInputError(`${label}: ${look.description}`);
  } else if (holdsRaceReport(start.toString('utf8'))) {
    result.warnings.push({ line: 0, message: 'the input also holds a `go test -race` report: its stacks are data races, not waits, and are not read' });
  }
  return result;
}

/** GETs a goroutine profile; a pprof base URL (`…/debug/pprof/`) gets debug=2, else debug=1, else the protobuf. */
async function fetchDump(url: string, options: InputOptions): Promise<Buffer> {
  // Loaded only for a URL: the HTTP client costs a small run's start-up time otherwise.
  const { fetchFirstExposed, profileCandidates } = await import('../watch/target.js');
  let candidates: string[];
  try {
    candidates = profileCandidates(url);
  } catch {
    throw new UnusableInputError(`not a URL: ${url}`);
  }
  const outcome = await fetchFirstExposed(candidates, {
    timeoutMs: options.timeoutMs ?? FETCH_TIMEOUT_MS,
    maxBytes: options.maxBytes ?? FETCH_MAX_BYTES,
  });
  if (!outcome.ok) throw new UnusableInputError(`cannot fetch ${outcome.url}: ${outcome.problem.message}`);
  return outcome.body;
}

/**
 * `--pass-through`: the input was copied to `out` as it was read; now each dump in it gets its
 * diagnosis (`diagnose(index)`), under a line that says which dump of how many and where it
 * starts. Input without a dump adds nothing. The exit code is the highest of the diagnoses'.
 */
export async function passThrough(input: DumpReadResult, out: NodeJS.WritableStream, diagnose: (index: number) => Promise<number>): Promise<number> {
  let code = 0;
  const count = input.snapshots.length;
  for (let index = 0; index < count; index++) {
    out.write(`\n=== gridlock: dump ${index + 1} of ${count} (from line ${input.snapshots[index].startLine}) ===\n`);
    code = Math.max(code, await diagnose(index));
  }
  return code;
}

/** A first line that is no part of a goroutine dump: `=== RUN`, `ok  pkg`, a log line. */
const DUMP_START = /^(goroutine \d+|goroutine profile:|goroutineleak profile:|panic:|fatal error:|SIG[A-Z]+:|runtime:|unexpected fault|\d+: |-----|\^\\)/;

/**
 * Standard input piped without `--pass-through`: when its first line is not where a dump starts
 * (`go test ./... 2>&1 | gridlock`, a service's log), pass every line through as `pp` does, then
 * the diagnosis; a plain dump (`curl … | gridlock`) still gets the answer alone. The first line
 * decides; until then chunks are held back.
 */
export function logSniffer(out: NodeJS.WritableStream): Writable & { passing: () => boolean } {
  let decided: boolean | null = null;
  const held: Buffer[] = [];
  let heldBytes = 0;
  const release = (chunk: Buffer, done: (error?: Error | null) => void) => {
    if (out.write(chunk)) done();
    else out.once('drain', () => done());
  };
  const sniffer = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (decided === false) return done();
      if (decided === true) return release(bytes, done);
      held.push(bytes);
      heldBytes += bytes.length;
      const text = Buffer.concat(held).toString('utf8');
      const lines = text.split('\n');
      const firstComplete = lines.slice(0, -1).find((line) => line.trim() !== '');
      if (firstComplete === undefined && heldBytes < 64 * 1024) return done();
      decided = firstComplete !== undefined && !DUMP_START.test(firstComplete.replace(/\r$/, '').trimStart());
      return decided ? release(Buffer.concat(held), done) : done();
    },
  });
  return Object.assign(sniffer, { passing: () => decided === true });
}
