// The line grammar of a goroutine dump: each kind of line a dump holds (a header, a call, a
// location, labels, a debug=1 record's words, panicparse's buckets), read on its own, without
// state. The scanner (scanner.ts) decides from its state which of these a line may be.
import { parseFunctionName } from './funcname.js';
import { isLocationToken } from './flatten.js';
import type { Creator, Frame } from './types.js';

export interface Header {
  id: number;
  state: string;
  waitMinutes: number | null;
  lockedToThread: boolean;
  labels: Record<string, string> | null;
  crashHeader: boolean;
  leaked: boolean;
  durable: boolean;
  bubble: number | null;
  /** Text after the header's `:` (a comment, `1 times: [[5]`), trimmed; `` when none. */
  trailing: string;
  /** The index just after the header's `:`. */
  end: number;
}

/**
 * The header grammar of runtime/traceback.go goroutineheader, Go 1.5 to 1.27:
 *
 *   goroutine ID[ gp=0x… (m=N mp=0x… | m=nil)] [REASON[ (leaked)][ (scan)][ (durable)]
 *     [, N minutes][, locked to thread][, synctest bubble N][ labels:{"k": "v", …}]][ {k: v, …}]:
 *
 * `gp=` words: Go 1.23+ at GOTRACEBACK=system and on the crashing goroutine. `(leaked)`: the leak
 * detector (Go 1.26 experiment, Go 1.27). `(durable)` and `synctest bubble N`: synctest (Go 1.25+).
 * Labels inside the bracket, all quoted: Go 1.26 with GODEBUG=tracebacklabels=1. Labels after the
 * bracket, quoted only when they hold characters outside `[A-Za-z0-9./_]`: Go 1.27, on by default
 * for modules that say `go 1.27`. Text after the final `:` is returned as `trailing`, for the
 * caller to warn about; a line that does not follow this grammar is null.
 */
export function parseHeader(line: string): Header | null {
  if (!line.startsWith('goroutine ')) return null;
  let i = 10;
  const digitsStart = i;
  while (i < line.length && line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57) i++;
  if (i === digitsStart) return null;
  const id = Number.parseInt(line.slice(digitsStart, i), 10);
  const open = line.indexOf(' [', i);
  if (open < 0) return null;
  const crashHeader = open > i;
  if (crashHeader && (!line.startsWith(' gp=', i) || line.slice(i, open).indexOf(' m=') < 0)) return null;
  let labels: Record<string, string> | null = null;
  // The bracket ends at the first `]`, unless Go 1.26 labels (whose values may hold one) come first.
  let close = line.indexOf(']', open + 2);
  if (close < 0) return null;
  let inside: string;
  const labelsAt = line.indexOf(' labels:{', open + 2);
  if (labelsAt >= 0 && labelsAt < close) {
    const read = readLabelMap(line, labelsAt + 8);
    if (read === null || line.charCodeAt(read.end) !== 93 /* ] */) return null;
    labels = read.labels;
    inside = line.slice(open + 2, labelsAt);
    close = read.end;
  } else {
    inside = line.slice(open + 2, close);
  }
  let after = close + 1;
  if (line.charCodeAt(after) === 32 && line.charCodeAt(after + 1) === 123 /* { */) {
    const read = readLabelMap(line, after + 1);
    if (read === null) return null;
    labels = read.labels;
    after = read.end;
  }
  if (line.charCodeAt(after) !== 58 /* : */) return null;
  const trailing = after + 1 === line.length ? '' : line.slice(after + 1).trim();
  let state = inside;
  let waitMinutes: number | null = null;
  let lockedToThread = false;
  let bubble: number | null = null;
  const comma = inside.indexOf(', ');
  if (comma >= 0) {
    state = inside.slice(0, comma);
    for (const part of inside.slice(comma + 2).split(', ')) {
      if (part.endsWith(' minutes')) {
        const minutes = Number.parseInt(part, 10);
        if (Number.isFinite(minutes)) waitMinutes = minutes;
      } else if (part === 'locked to thread') {
        lockedToThread = true;
      } else if (part.startsWith('synctest bubble ')) {
        const n = Number.parseInt(part.slice(16), 10);
        if (Number.isFinite(n)) bubble = n;
      }
    }
  }
  const leaked = state.indexOf(' (leaked)') >= 0;
  const durable = state.endsWith(' (durable)');
  return { id, state, waitMinutes, lockedToThread, labels, crashHeader, leaked, durable, bubble, trailing, end: after + 1 };
}

/**
 * A line without the `\r`s at its end: one of a CRLF file, more where a CRLF file was converted
 * to CRLF again (`\r\r\n`, as a paste through two editors leaves it).
 */
export function withoutTrailingCRs(line: string): string {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 13) end--;
  return end === line.length ? line : line.slice(0, end);
}

/**
 * A label map `{k: v, "k 2": "v\"2"}` starting at `line[at]` (`{`): keys and values bare or
 * Go-quoted (runtime printquoted: `\n \r \t \\ \"`, `\xNN`, `\uNNNN`, `\UNNNNNNNN`). Returns the
 * labels and the index after the `}`; null when the text is not such a map.
 */
export function readLabelMap(line: string, at: number): { labels: Record<string, string>; end: number } | null {
  if (line.charCodeAt(at) !== 123) return null;
  const labels: Record<string, string> = {};
  let i = at + 1;
  if (line.charCodeAt(i) === 125 /* } */) return { labels, end: i + 1 };
  for (;;) {
    const key = readLabelString(line, i);
    if (key === null || line.charCodeAt(key.end) !== 58 || line.charCodeAt(key.end + 1) !== 32) return null;
    const value = readLabelString(line, key.end + 2);
    if (value === null) return null;
    labels[key.text] = value.text;
    i = value.end;
    const c = line.charCodeAt(i);
    if (c === 125) return { labels, end: i + 1 };
    if (c !== 44 /* , */ || line.charCodeAt(i + 1) !== 32) return null;
    i += 2;
  }
}

export function isBareLabelCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 47 || c === 95;
}

export const simpleEscapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };

export function readLabelString(line: string, at: number): { text: string; end: number } | null {
  if (line.charCodeAt(at) !== 34 /* " */) {
    let end = at;
    while (end < line.length && isBareLabelCode(line.charCodeAt(end))) end++;
    return { text: line.slice(at, end), end };
  }
  let text = '';
  let i = at + 1;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === 34) return { text, end: i + 1 };
    if (c !== 92 /* \ */) {
      text += line[i];
      i++;
      continue;
    }
    const e = line[i + 1];
    if (e !== undefined && simpleEscapes[e] !== undefined) {
      text += simpleEscapes[e];
      i += 2;
      continue;
    }
    const digits = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const hex = line.slice(i + 2, i + 2 + digits);
    if (digits === 0 || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return null;
    const code = Number.parseInt(hex, 16);
    text += code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    i += 2 + digits;
  }
  return null;
}

/**
 * For a header of the plain shape `goroutine N [bracket]:` (nothing after `]:`), the index just
 * past the digits of N; -1 for any other line.
 */
export function plainHeaderDigitsEnd(line: string): number {
  let i = 10;
  while (i < line.length && line.charCodeAt(i) >= 48 && line.charCodeAt(i) <= 57) i++;
  if (i === 10 || line.length < i + 4) return -1;
  if (line.charCodeAt(i) !== 32 || line.charCodeAt(i + 1) !== 91 /* [ */) return -1;
  if (line.charCodeAt(line.length - 2) !== 93 /* ] */ || line.charCodeAt(line.length - 1) !== 58 /* : */) return -1;
  return i;
}

/** The number written by the digits in `line[start, end)`, as Number.parseInt reads it. */
export function parseDigits(line: string, start: number, end: number): number {
  if (end - start > 15) return Number.parseInt(line.slice(start, end), 10);
  let value = 0;
  for (let i = start; i < end; i++) value = value * 10 + (line.charCodeAt(i) - 48);
  return value;
}

export interface Location {
  file: string;
  line: number;
  pcOffset: number | null;
  /** The location text without per-goroutine words (`fp=`, `sp=`, `pc=`): the interning key. */
  key: string;
}

/** `\t/path/file.go:123 +0x1a5 fp=0x… sp=0x… pc=0x…`, leading whitespace of any kind. */
export function parseLocation(line: string): Location | null {
  const start = locationStart(line);
  return parseLocationBetween(line, start, locationEnd(line, start));
}

/** Where a location's text starts: after the leading blanks. */
export function locationStart(line: string): number {
  let start = 0;
  while (start < line.length && (line.charCodeAt(start) === 9 || line.charCodeAt(start) === 32)) start++;
  return start;
}

/** Where a location's key ends: before ` fp=…` and trailing blanks. */
export function locationEnd(line: string, start: number): number {
  let end = line.indexOf(' fp=', start);
  if (end < 0) end = line.length;
  while (end > start && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  return end;
}

/** parseLocation with the key's bounds already found. */
export function parseLocationBetween(line: string, start: number, end: number): Location | null {
  const key = line.slice(start, end);
  let pathEnd = end;
  let pcOffset: number | null = null;
  const plus = key.lastIndexOf(' +0x');
  if (plus >= 0) {
    pathEnd = start + plus;
    const offset = Number.parseInt(key.slice(plus + 4), 16);
    pcOffset = Number.isFinite(offset) ? offset : null;
  }
  while (pathEnd > start && line.charCodeAt(pathEnd - 1) === 32) pathEnd--;
  const colon = line.lastIndexOf(':', pathEnd - 1);
  if (colon <= start || colon === pathEnd - 1) return null;
  let lineNumber = 0;
  for (let i = colon + 1; i < pathEnd; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    lineNumber = lineNumber * 10 + (c - 48);
  }
  return { file: line.slice(start, colon), line: lineNumber, pcOffset, key };
}

/** True when `text[start, end)` holds a `(` or a `)`. */
export function hasParenthesis(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 41) return true;
  }
  return false;
}

/** The `(` that opens the argument list of a line ending in `)`. */
export function matchingOpenParen(line: string): number {
  let depth = 0;
  for (let i = line.length - 1; i >= 0; i--) {
    const c = line.charCodeAt(i);
    if (c === 41) depth++;
    else if (c === 40) {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/**
 * A copy of `text` that does not point into the line it was cut from. V8 keeps the parent of a
 * sliced string alive; a state or function name kept for the whole read must not pin a 64 KB chunk.
 */
export function detach(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, 'utf8').toString('utf8');
}

export function makeFrame(printed: string, location: Location, args: string | null, inlined: boolean, pc: number | null): Frame {
  const name = detach(printed);
  const parts = parseFunctionName(name);
  return {
    function: name,
    pkg: parts.pkg,
    receiver: parts.receiver,
    pointerReceiver: parts.pointerReceiver,
    name: parts.name,
    closure: parts.closure,
    generic: parts.generic,
    file: detach(location.file),
    line: location.line,
    pcOffset: location.pcOffset,
    pc,
    args: args === null ? null : detach(args),
    inlined,
  };
}

/** `{"k": "v", "a": "b"}` (Go-quoted strings, which JSON reads); null when unreadable. */
export function parseLabels(text: string): Record<string, string> | null {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    const labels: Record<string, string> = {};
    for (const [key, entry] of Object.entries(value as Record<string, unknown>)) labels[key] = String(entry);
    return labels;
  } catch {
    return null;
  }
}

/** Splits on runs of blanks into at most `limit` words; the last word keeps the rest of the text. */
export function splitWords(text: string, limit: number): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < text.length && words.length < limit - 1) {
    while (i < text.length && isBlankCode(text.charCodeAt(i))) i++;
    let j = i;
    while (j < text.length && !isBlankCode(text.charCodeAt(j))) j++;
    if (j > i) words.push(text.slice(i, j));
    i = j;
  }
  while (i < text.length && isBlankCode(text.charCodeAt(i))) i++;
  if (i < text.length) words.push(text.slice(i).trimEnd());
  return words;
}

export function isBlankCode(c: number): boolean {
  return c === 32 || c === 9;
}

export function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) if (!isBlankCode(line.charCodeAt(i))) return false;
  return true;
}

/**
 * A reason line without what a terminal or a paste puts before it: the echo `^\` of the Ctrl-\
 * that sent SIGQUIT, or the opening backtick of an inline code span.
 */
export function withoutReasonLead(line: string): string {
  let at = 0;
  for (;;) {
    const c = line.charCodeAt(at);
    if (c === 96 /* ` */) at++;
    else if (c === 94 /* ^ */ && line.charCodeAt(at + 1) === 92 /* \ */) at += 2;
    else break;
  }
  return at === 0 ? line : line.slice(at);
}

/** The first line of what a crashing or timed-out Go program prints above its goroutines. */
export function isReasonStart(line: string): boolean {
  return line.startsWith('panic: ') || line.startsWith('fatal error: ') || line.startsWith('SIGQUIT: ')
    || line.startsWith('SIGABRT: ') || line.startsWith('SIGSEGV: ') || line.startsWith('SIGBUS: ')
    || line.startsWith('SIGILL: ') || line.startsWith('SIGFPE: ') || line.startsWith('SIGTRAP: ')
    || line.startsWith('fatal: morestack') || line.startsWith('unexpected fault address');
}

/** Lines a crash prints between goroutines: runtime messages, signal details, registers. */
export function isRuntimeNoise(line: string): boolean {
  if (line.startsWith('runtime: ') || line.startsWith('[signal ') || line.startsWith('PC=')
    || line.startsWith('signal arrived during') || line.startsWith('-----')) return true;
  // Register dumps: `rax    0x0`, `r8     0x1`, `rip    0x46c6e1`, `eflags 0x246`, `lr 0x…`.
  const space = line.indexOf(' ');
  if (space > 0 && space <= 8) {
    const rest = line.slice(space).trimStart();
    if (rest.startsWith('0x') && /^[a-z][a-z0-9]{0,7}$/.test(line.slice(0, space))) return true;
  }
  return false;
}

/**
 * Where a short text after a header's `]:` starts (`goroutine 7 [running]:   - `), when the
 * header without it is one; -1 otherwise. Log viewers add such a column after every line.
 */
export function trailingSuffixStart(text: string): number {
  const header = parseHeader(text);
  if (header === null || header.trailing === '') return -1;
  const suffix = text.slice(header.end);
  if (suffix.length > 24 || !isBlankCode(suffix.charCodeAt(0))) return -1;
  return header.end;
}

/**
 * True when a `[sync.Mutex.Lock]` wait is an RWMutex writer queued behind another writer:
 * `RWMutex.Lock` first takes the RWMutex's inner Mutex, so the runtime names the Mutex, and the
 * frame above the caller's is `sync.(*RWMutex).Lock`.
 */
export function isRWMutexWriterStack(frames: Frame[]): boolean {
  for (let i = 0; i < frames.length && i < 8; i++) {
    const name = frames[i].function;
    if (name === 'sync.(*RWMutex).Lock') return true;
    if (!name.startsWith('sync.') && !name.startsWith('internal/sync.') && !name.startsWith('runtime.')) return false;
  }
  return false;
}

/** panicparse's bucket header: count, state, then bracketed extras. */
export const bucketHeaderPattern = /^(\d+): ([a-zA-Z][^\[\]]*?)((?: \[[^\]]*\])*)\s*$/;
/** panicparse's call line: indent, short package, `file:line`, `Name(args)`. */
export const bucketCallPattern = /^ {2,}(\S+) +(\S+?):(\d+) +(\S.*?)\s*$/;

/** `run.(*Group).Run in goroutine 1 @ group.go:37` (the ` in goroutine N` of newer versions optional). */
export function parseBucketCreator(text: string): Creator | null {
  const match = /^(\S+)(?: in goroutine (\d+))? @ (\S+?):(\d+)$/.exec(text.trim());
  if (match === null) return null;
  return { function: match[1], file: match[3], line: Number(match[4]), goroutine: match[2] === undefined ? null : Number(match[2]) };
}

/** `goroutine N [` or `goroutine N gp=` somewhere in the line: what a header would start with. */
export function looksLikeHeader(line: string): boolean {
  return /goroutine \d+ (\[|gp=)/.test(line);
}

/** `...`, `…` or `[...]` alone on a line: frames cut out of a paste. */
export function isCutMark(line: string): boolean {
  const c = line.charCodeAt(0);
  // Most lines start with a letter: rejected before any string is made.
  if (c !== 46 /* . */ && c !== 0x2026 /* … */ && c !== 91 /* [ */ && c !== 32 && c !== 9) return false;
  const trimmed = line.trim();
  return trimmed === '...' || trimmed === '…' || trimmed === '[...]' || trimmed === '....' || trimmed === '.....';
}


/** A few hex digits alone on a line: the end of a location line that was wrapped. */
export function isWrappedTail(line: string): boolean {
  return line.length <= 16 && /^(0x)?[0-9a-f]+$/.test(line);
}

/**
 * The start of a call line that the input's end cut short: a function name without its
 * arguments (`testing.tRunne`, `github.com/org/rep`), nothing a line of prose looks like.
 */
export function isCutCallLine(line: string): boolean {
  return line.length > 0 && line.length <= 1024 && /^[A-Za-z_][\w.\/*()\[\]~-]*$/.test(line)
    && (line.indexOf('.') > 0 || line.indexOf('/') > 0);
}

/** A line that is probably a damaged frame rather than prose: worth a warning. */
export function looksLikeDumpLine(line: string): boolean {
  const c = line.charCodeAt(0);
  if (c === 9 || c === 32) return true;
  if (line.indexOf('.go:') >= 0 || line.indexOf(' +0x') >= 0) return true;
  const paren = line.indexOf('(');
  if (paren > 0 && line.lastIndexOf(' ', paren) < 0 && line.indexOf('.') > 0 && line.indexOf('.') < paren) return true;
  return isLocationToken(line);
}

export function clip(line: string): string {
  return line.length > 80 ? line.slice(0, 77) + '...' : line;
}
