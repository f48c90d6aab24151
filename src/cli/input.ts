// How the dump reaches the `gridlock` command: a file (plain, gzip'd text or a pprof profile), a
// URL of a live program's net/http/pprof endpoint, or standard input when it is not a terminal.
// Input in which no goroutine is found is named by what it looks like (a Java thread dump, a
// Python traceback, binary data, nothing at all), one line and exit 2.

import { once } from 'node:events';
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
  echo?: NodeJS.WritableStream | null;
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
  if (result.snapshots.length === 0 && echo === null) {
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
