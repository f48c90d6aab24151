// The text dump reader: a state machine fed one line at a time, so that a 700 MB dump can be read
// from a stream without ever holding it whole.
//
// States (what the previous lines were, hence what this line may be):
//   Outside   between goroutines, or in prose.
//             `goroutine N [state]:`            → Frames (a header; `gp=… m=… mp=…` allowed)
//             `goroutine profile: total N`      → Outside (a new debug=1 snapshot)
//             `N @ 0x… 0x…`                      → Record (a debug=1 record)
//             `panic: …` / `fatal error: …` / `SIGQUIT: quit` → Reason (starts a new snapshot)
//             anything else                     → Outside (passed over silently)
//   Reason    the lines after `panic:` up to a blank line (`[recovered]`, `running tests:` …).
//   Frames    after a header or a complete frame.
//             `pkg.fn(args)`                    → Location
//             `created by F [in goroutine N]`   → CreatorLocation
//             `...additional frames elided...`, `...N frames elided...` → Frames
//             `[originating from goroutine N]:` → Ancestor
//             `...` (frames cut by whoever pasted) → Frames, marked elided
//             `pkg.fn` (a bare name, as some tools print) → Location
//             blank                             → Outside
//             a header                          → Frames (next goroutine, as in flattened dumps)
//             prose                             → Annotation
//             a broken dump line                → Frames, with a warning
//   Annotation  up to 3 lines of prose inside a stack (`*** CALLER TRIES TO LOCK AGAIN: ***`).
//             a call, `created by`, `...`       → Frames: the prose was an annotation, skipped with a warning
//             anything else                     → Outside: the goroutine ended before the prose,
//                                                 which is read again as Outside lines
//   Location  after a call: `\t/path/file.go:123 +0x1a5 [fp=… sp=… pc=…]` → Frames
//             another call or `created by`      → the call is a frame without a location (pasted
//                                                 without its file:line line); then as Frames
//             blank or header after such frames → the last one is one too; Outside
//             anything else ends the goroutine as truncated (or is warned about, if it looks like a
//             broken location).
//   CreatorLocation  like Location, for the `created by` line.
//   Ancestor  the frames of a GODEBUG=tracebackancestors block: skipped up to a blank line or header.
//   Record    a debug=1 record: `#\t0x…\tfunc+0x…\tfile:line`, `# labels: {…}`; blank → Outside.
//   Bucket    after panicparse's `N: state [M minutes] [locked] [Created by pkg.F @ file.go:L]`:
//             `    pkg  file.go:L  F(#1, 0x2)`   → Bucket (a frame: short package and file names)
//             `    (...)`                        → Bucket (elided)
//             anything else                     → Outside (as after a debug=1 record)
//
// Speed: a big dump is mostly the same few hundred stacks over and over. The stacks read so far
// form a trie (StackNode); a goroutine walks it frame by frame, and the frames array of the node
// it ends on is shared by every goroutine with that stack. Text handed over in chunks (pushText)
// is read without cutting it into lines wherever it continues a known path: a call and location
// pair, or a `created by` pair, that compares equal to a trie child's texts is taken as that
// child (skipSeenFrames), which is exactly what the line-by-line rules would conclude; the first
// line that differs goes through pushLine and the states above. That shortcut is only taken in
// chunks without CR or `&` and while no line prefix is being stripped, so cleaning is decided
// once per chunk. Headers are read through a cache of their bracket texts.
//
// The grammar of each kind of line, read without state, is line-grammar.ts; the trie of stacks
// is stack-trie.ts.
import { unflatten } from './flatten.js';
import {
  bucketCallPattern, bucketHeaderPattern, clip, detach, hasParenthesis, isBlank, isBlankCode, isCutCallLine, isCutMark,
  isReasonStart, isRuntimeNoise, isRWMutexWriterStack, isWrappedTail, locationEnd, locationStart, looksLikeDumpLine,
  looksLikeHeader, makeFrame, matchingOpenParen, parseBucketCreator, parseDigits, parseHeader, parseLabels, parseLocation,
  parseLocationBetween, plainHeaderDigitsEnd, splitWords, trailingSuffixStart, withoutReasonLead, withoutTrailingCRs,
  type Location,
} from './line-grammar.js';
import { LinePrefix, decodeEntities } from './lineclean.js';
import {
  addByPrint, fastChildren, framePrint, indexedChildren, locationPrint, maxCreatorsPerNode, newStackNode, textAt,
  type CreatorSeen, type FramesAt, type StackNode,
} from './stack-trie.js';
import type { Creator, DumpFormat, DumpReadResult, Frame, Goroutine, Snapshot, WaitClass, Warning } from './types.js';
import { classifyWaitState } from './waitstate.js';

export interface ReadOptions {
  /**
   * Keep each frame's argument text (`Frame.args`). Needed for `groupGoroutines(…, 'exact')`.
   * Without it `args` is null (`'...'` still marks inlined frames through `inlined`) and identical
   * frames share one object, which is what keeps a 700 MB dump in memory.
   */
  keepArgs?: boolean;
}

const enum State {
  Outside,
  Reason,
  Frames,
  Location,
  CreatorLocation,
  Ancestor,
  Record,
  Annotation,
  Bucket,
}

/** Most lines of prose held inside a stack before it is taken to have ended (see State.Annotation). */
const maxAnnotationLines = 3;

/** A call line's shape: `name(args)`, a bare `pkg.name` without arguments, or neither. */
const enum CallShape {
  None,
  Call,
  Bare,
}

/** The frames of a goroutine still being read: endGoroutine always replaces it, so one array serves all. */
const framesPending: Frame[] = [];

/** Goroutines without labels share this object: most of a million goroutines have none. */
const noLabels: Record<string, string> = Object.freeze({}) as Record<string, string>;

const maxReasonLines = 64;

/** A bracket text of a header (`chan receive, 5 minutes`) already read, with what it says. */
interface HeaderState {
  state: string;
  waitClass: WaitClass;
  waitMinutes: number | null;
  lockedToThread: boolean;
  leaked: boolean;
  durable: boolean;
  bubble: number | null;
}

/** Bound on the header cache, so that hostile input cannot grow it without end. */
const maxHeaderStates = 4096;
/** The longest text pushText reads at once. */
const maxWindow = 1 << 16;

/**
 * The goroutine ids of a snapshot, to notice the same program dumped again. Ids are small and
 * dense, so a bit per id up to a bound is cheaper than a Set of a million numbers; larger ids go
 * to a Set.
 */
class IdSet {
  private static readonly maxBitsId = 1 << 25;
  private bits = new Uint8Array(1024);
  private large: Set<number> | null = null;

  has(id: number): boolean {
    if (id >= 0 && id < IdSet.maxBitsId && Number.isInteger(id)) {
      const byte = id >>> 3;
      return byte < this.bits.length && (this.bits[byte] & (1 << (id & 7))) !== 0;
    }
    return this.large !== null && this.large.has(id);
  }

  add(id: number): void {
    if (id >= 0 && id < IdSet.maxBitsId && Number.isInteger(id)) {
      const byte = id >>> 3;
      if (byte >= this.bits.length) {
        let size = this.bits.length * 2;
        while (size <= byte) size *= 2;
        const grown = new Uint8Array(size);
        grown.set(this.bits);
        this.bits = grown;
      }
      this.bits[byte] |= 1 << (id & 7);
      return;
    }
    if (this.large === null) this.large = new Set();
    this.large.add(id);
  }
}

/** A snapshot being read, with what is needed to decide where it ends. */
interface OpenSnapshot {
  snapshot: Snapshot;
  ids: IdSet;
  /** Signs of a crash traceback (a reason, runtime/signal lines, `gp=` headers). */
  crashSigns: boolean;
  flattened: boolean;
  debug1: boolean;
  /** panicparse's grouped output (`pp`). */
  panicparse: boolean;
  /** `goroutineleak profile: total N`: every record is a leaked goroutine. */
  leakProfile: boolean;
}

export class DumpScanner {
  private readonly keepArgs: boolean;
  private readonly snapshots: Snapshot[] = [];
  private readonly looseWarnings: Warning[] = [];
  private open: OpenSnapshot | null = null;
  private state = State.Outside;
  private lineNo = 0;
  private prefix: LinePrefix | null = null;
  /** The last few lines read outside any goroutine, raw: a prefix found later applies to them too. */
  private recentOutside: string[] = [];

  /** Reason lines seen before the goroutines of the next snapshot. */
  private reasonLines: string[] | null = null;
  private reasonStart = 0;

  // The goroutine being read.
  private current: Goroutine | null = null;
  /** Where the goroutine being read is in the stack trie. */
  private node: StackNode;
  private lastLineUnrecognised = false;
  // The call line waiting for its location: the line, where its `(` is, and the length of its
  // identifying prefix (StackNode.callKey). Nothing is cut from it unless the frame is new.
  private pendingCall = '';
  private pendingOpen = 0;
  private pendingKeyLength = 0;
  private pendingInlined = false;
  /** The `created by` line waiting for its location. */
  private pendingCreatedLine: string | null = null;
  /** The start of a line that pushText has not seen the end of. */
  private carry = '';
  /** A call line read outside any goroutine, in case its location follows (tryHeaderlessFrames). */
  private outsideCall: { line: string; lineNo: number } | null = null;
  /** The end of a Docker json-file log line whose `\n` is in a later record. */
  private dockerCarry = '';
  /** Prose lines inside a stack (State.Annotation), with their line numbers. */
  private held: Array<{ line: string; lineNo: number }> = [];
  /** True once the goroutine being read has a frame printed without its location. */
  private bareFrames = false;

  // Interning: identical frames, stacks and creators are one object each.
  private readonly root: StackNode = newStackNode(null, null, '', '', 0);
  private readonly frameIntern = new Map<string, FramesAt>();
  private readonly creatorIntern = new Map<string, Creator>();
  private readonly stateIntern = new Map<string, string>();
  private readonly headerStates = new Map<string, HeaderState>();

  constructor(options: ReadOptions = {}) {
    this.keepArgs = options.keepArgs ?? true;
    this.node = this.root;
  }

  /** Feeds one line, without its `\n` (trailing `\r`s are removed here). */
  pushLine(raw: string): void {
    this.lineNo++;
    const line = withoutTrailingCRs(raw);
    if (line.charCodeAt(0) === 123 /* { */ && line.startsWith('{"log":"') && this.pushDockerLine(line)) return;
    this.pushClean(line);
  }

  private pushClean(text: string): void {
    let line = text;
    if (this.prefix !== null) line = this.prefix.strip(line);
    if (line.indexOf('&') >= 0) line = decodeEntities(line);
    this.handle(line, false);
  }

  /**
   * A line of Docker's json-file log (`{"log":"goroutine 1 [running]:\n","stream":"stderr",…}`):
   * the text of its `log`, which Docker cuts into 16 KB pieces without `\n` for longer lines.
   * False when the line is not such a record after all.
   */
  private pushDockerLine(line: string): boolean {
    let log: unknown;
    try {
      log = (JSON.parse(line) as { log?: unknown }).log;
    } catch {
      return false;
    }
    if (typeof log !== 'string') return false;
    let text = this.dockerCarry + log;
    let newline = text.indexOf('\n');
    while (newline >= 0) {
      this.pushClean(withoutTrailingCRs(text.slice(0, newline)));
      text = text.slice(newline + 1);
      newline = text.indexOf('\n');
    }
    this.dockerCarry = text;
    return true;
  }

  /**
   * Feeds text that may start and end in the middle of a line (a decoded chunk of a stream):
   * the unfinished last line waits for the next call, or for endText.
   */
  pushText(text: string): void {
    // A failed comparison may search on to the end of the text (see textAt): long texts are read
    // in windows of the size of a stream's chunks.
    if (text.length <= maxWindow) {
      this.pushWindow(text);
      return;
    }
    for (let start = 0; start < text.length; start += maxWindow) this.pushWindow(text.slice(start, start + maxWindow));
  }

  private pushWindow(text: string): void {
    let start = 0;
    if (this.carry.length > 0) {
      const newline = text.indexOf('\n');
      if (newline < 0) {
        this.carry += text;
        return;
      }
      this.pushLine(this.carry + text.slice(0, newline));
      this.carry = '';
      start = newline + 1;
    }
    // Decided once per text, not per line: with no CR and no `&` in it, no line needs cleaning.
    const clean = text.indexOf('\r', start) < 0 && text.indexOf('&', start) < 0;
    for (;;) {
      if (clean && this.state === State.Frames && this.prefix === null && this.current !== null) {
        start = this.skipSeenFrames(text, start);
      }
      const newline = text.indexOf('\n', start);
      if (newline < 0) break;
      this.pushLine(text.slice(start, newline));
      start = newline + 1;
    }
    this.carry = text.slice(start);
  }

  /** Feeds what pushText held back: a last line without a newline. */
  endText(): void {
    const rest = this.carry;
    this.carry = '';
    if (rest.length === 0) return;
    const line = this.prefix === null ? rest : this.prefix.strip(rest);
    if ((this.state === State.Frames || this.state === State.Location) && this.current !== null && isCutCallLine(line.trim())) {
      if (this.state === State.Location) this.addBareFrame();
      // Text that ends without a newline inside a stack, on a bare name: a paste or an excerpt
      // cut in the middle of a call line, not prose after the dump.
      this.lineNo++;
      this.warn(`the input ends inside a call line of goroutine ${this.currentId()}: ${clip(rest)}`);
      this.lastLineUnrecognised = true;
      this.endGoroutine(true);
      this.state = State.Outside;
      return;
    }
    this.pushLine(rest);
  }

  /**
   * Reads, straight from `text` at `at`, the call and location line pairs that follow a path
   * already in the stack trie, and returns where it stopped. Each pair is one that pushLine
   * would read to the same trie child (see pairMatches); anything else is left to pushLine.
   */
  private skipSeenFrames(text: string, at: number): number {
    let node = this.node;
    let lines = 0;
    while (node.children.length > 0) {
      const callEnd = text.indexOf('\n', at);
      if (callEnd < 0) break;
      // The plain location line `\t<key>`, nothing after the key (no `fp=` words).
      if (text.charCodeAt(callEnd + 1) !== 9) break;
      const keyStart = callEnd + 2;
      const lineEnd = text.indexOf('\n', keyStart);
      if (lineEnd < 0) break;
      let next: StackNode | null = null;
      if (node.childByPrint === null) {
        // One child: compared without a print. A miss here is rare, since it adds a second child
        // (the line goes on to pushLine), after which the node's children are found by print.
        const child = node.children[0];
        if (this.pairMatches(text, at, callEnd, keyStart, lineEnd, child)) next = child;
      } else {
        // With arguments kept the call key is the whole call line.
        const print = framePrint(this.keepArgs, text, at, callEnd, text, keyStart, lineEnd);
        const candidates = node.childByPrint.get(print);
        if (candidates !== undefined) {
          for (const child of candidates) {
            if (this.pairMatches(text, at, callEnd, keyStart, lineEnd, child)) {
              next = child;
              break;
            }
          }
        }
      }
      if (next === null) break;
      node = next;
      lines += 2;
      at = lineEnd + 1;
    }
    if (node.creators !== null) {
      const after = this.skipSeenCreator(text, at, node.creators);
      if (after > at) {
        at = after;
        lines += 2;
      }
    }
    if (lines > 0) {
      this.node = node;
      this.lineNo += lines;
      this.lastLineUnrecognised = false;
    }
    return at;
  }

  /**
   * Reads at `at` a `created by` line and its plain location `\t<key>` when they are exactly one
   * of `seen` (the first, as useSeenCreator would pick); returns where it stopped.
   */
  private skipSeenCreator(text: string, at: number, seen: CreatorSeen[]): number {
    const current = this.current;
    if (current === null || text.charCodeAt(at) !== 99 /* c */) return at;
    const createdEnd = text.indexOf('\n', at);
    if (createdEnd < 0 || text.charCodeAt(createdEnd + 1) !== 9) return at;
    const keyStart = createdEnd + 2;
    const lineEnd = text.indexOf('\n', keyStart);
    if (lineEnd < 0) return at;
    const print = locationPrint(text, keyStart, lineEnd);
    for (const entry of seen) {
      if (entry.print === print && entry.createdLine.length === createdEnd - at && entry.locationKey.length === lineEnd - keyStart
        && textAt(text, entry.createdLine, at) && textAt(text, entry.locationKey, keyStart)) {
        current.createdBy = entry.creator;
        this.pendingCreatedLine = null;
        return lineEnd + 1;
      }
    }
    return at;
  }

  /**
   * True when `text[at, callEnd)` is a call line and `text[keyStart, lineEnd)` a location key that
   * onCall and onLocation would read as `child`'s frame: the same call key, which for a name
   * alone means `(` right after it balancing the final `)` and arguments other than `...`, and
   * the same location key with nothing after it.
   */
  private pairMatches(text: string, at: number, callEnd: number, keyStart: number, lineEnd: number, child: StackNode): boolean {
    const locationKey = child.locationKey;
    const callKey = child.callKey;
    const callLength = callKey.length;
    if (lineEnd - keyStart !== locationKey.length || callLength === 0 || locationKey.length === 0) return false;
    if (this.keepArgs || child.frame === null || child.frame.inlined) {
      // The key is the whole call line.
      if (callEnd - at !== callLength) return false;
    } else {
      const open = at + callLength;
      if (text.charCodeAt(open) !== 40 || text.charCodeAt(callEnd - 1) !== 41) return false;
      if (callEnd - open === 5 && text.startsWith('...', open + 1)) return false;
      if (hasParenthesis(text, open + 1, callEnd - 1)) {
        // Parentheses inside the arguments: let the full rule decide.
        if (matchingOpenParen(text.slice(at, callEnd)) !== callLength) return false;
      }
    }
    return textAt(text, callKey, at) && textAt(text, locationKey, keyStart);
  }

  /** Ends the input: closes the goroutine and snapshot being read. */
  finish(): DumpReadResult {
    if (this.dockerCarry.length > 0) {
      const rest = this.dockerCarry;
      this.dockerCarry = '';
      this.pushClean(rest);
    }
    if (this.state === State.Annotation) this.endAnnotation();
    if (this.state === State.Location && this.bareFrames) this.addBareFrame();
    this.endGoroutine(true);
    this.closeSnapshot();
    if (this.reasonLines !== null && this.snapshots.length === 0) {
      // A panic with no goroutines printed after it: nothing to read, but worth saying.
      this.looseWarnings.push({ line: this.reasonStart, message: 'a panic or fatal error was found but no goroutine followed it' });
    }
    return { snapshots: this.snapshots, warnings: this.looseWarnings };
  }

  // ---- dispatch -------------------------------------------------------------------------------

  private handle(line: string, fromFlattened: boolean): void {
    switch (this.state) {
      case State.Frames:
        this.onFrames(line, fromFlattened);
        return;
      case State.Location:
      case State.CreatorLocation:
        this.onLocation(line, fromFlattened);
        return;
      case State.Record:
        this.onRecord(line);
        return;
      case State.Ancestor:
        this.onAncestor(line, fromFlattened);
        return;
      case State.Reason:
        this.onReason(line, fromFlattened);
        return;
      case State.Annotation:
        this.onAnnotation(line, fromFlattened);
        return;
      case State.Bucket:
        this.onBucket(line);
        return;
      default:
        this.onOutside(line, fromFlattened);
    }
  }

  private onOutside(line: string, fromFlattened: boolean): void {
    if (this.outsideCall !== null && this.tryHeaderlessFrames(line)) return;
    const c = line.charCodeAt(0);
    if (c === 103 /* g */ && line.startsWith('goroutine')) {
      if (line.charCodeAt(9) === 32 && this.tryHeader(line, fromFlattened)) return;
      if (this.tryProfileHeader(line)) return;
    }
    if (this.prefix === null && !fromFlattened) {
      if (this.recentOutside.length >= maxReasonLines) this.recentOutside.shift();
      this.recentOutside.push(line);
    }
    if (c >= 48 && c <= 57 && (this.tryRecordHeader(line) || this.tryBucketHeader(line))) return;
    if (this.tryReasonStart(line)) return;
    if (isRuntimeNoise(line)) {
      if (this.open !== null) this.open.crashSigns = true;
      return;
    }
    // A header not at the start: a prefixed log line, or a dump flattened onto one line.
    if (!fromFlattened && this.tryEmbeddedHeader(line)) return;
    if (looksLikeHeader(line)) this.warn(`a goroutine header that could not be read was skipped: ${clip(line)}`);
    else if (!fromFlattened && c !== 32 && c !== 9 && line.indexOf('.') > 0 && callShape(line) === CallShape.Call) {
      this.outsideCall = { line, lineNo: this.lineNo };
    }
  }

  /**
   * A call line outside any goroutine followed by its `file.go:N` location: frames whose header
   * was lost (a log that kept only some lines). They are read as a goroutine of unknown state; its
   * innermost frame may be a call blocked inside a callee that was not printed.
   */
  private tryHeaderlessFrames(line: string): boolean {
    const call = this.outsideCall!;
    this.outsideCall = null;
    if (call.lineNo !== this.lineNo - 1) return false;
    const location = parseLocation(line);
    if (location === null || !/\.(go|s)$/.test(location.file) || (line.charCodeAt(0) !== 9 && line.charCodeAt(0) !== 32)) return false;
    if (this.open === null) this.openSnapshot(false, call.lineNo);
    this.current = {
      id: null, state: '', waitClass: 'unknown', waitMinutes: null, lockedToThread: false, leaked: false, durable: false, bubble: null,
      frames: framesPending, framesElided: false, createdBy: null, labels: noLabels, count: 1, line: call.lineNo, truncated: false,
    };
    this.node = this.root;
    this.warn(`frames without a goroutine header read as a goroutine of unknown state: ${clip(call.line)}`, call.lineNo);
    this.onCall(call.line);
    this.onLocation(line, false);
    return true;
  }

  private onFrames(line: string, fromFlattened: boolean): void {
    const first = line.charCodeAt(0);
    if (line.length === 0 || isBlank(line)) {
      this.endGoroutine(false);
      this.state = State.Outside;
      return;
    }
    if (first === 103 /* g */ && line.startsWith('goroutine ')) {
      this.endGoroutine(false);
      this.state = State.Outside;
      this.onOutside(line, fromFlattened);
      return;
    }
    if (first === 99 /* c */ && line.startsWith('created by ')) {
      this.onCreatedBy(line);
      return;
    }
    if (first === 46 /* . */ && line.startsWith('...') && line.endsWith('elided...')) {
      if (this.current !== null) this.current.framesElided = true;
      return;
    }
    if (first === 91 /* [ */ && line.startsWith('[originating from goroutine ')) {
      this.state = State.Ancestor;
      return;
    }
    if (isCutMark(line)) {
      if (this.current !== null) this.current.framesElided = true;
      return;
    }
    if (first === 9 /* tab */ || first === 32) {
      const trimmed = line.trim();
      if (trimmed.startsWith('goroutine running on other thread')) return;
      // Changed whitespace before a call line is still a call line.
      if (trimmed.length > 0 && trimmed.charCodeAt(trimmed.length - 1) === 41 && this.onCall(trimmed)) return;
      if (trimmed.startsWith('created by ')) {
        this.onCreatedBy(trimmed);
        return;
      }
      this.warn(`unexpected line in goroutine ${this.currentId()}: ${clip(line)}`);
      this.lastLineUnrecognised = true;
      return;
    }
    const last = line.charCodeAt(line.length - 1);
    if (last === 41 /* ) */ && this.onCall(line)) return;
    // Blanks after the call (a Markdown hard line break, an editor): the same call line.
    if (isBlankCode(last)) {
      const trimmed = line.trimEnd();
      if (trimmed.charCodeAt(trimmed.length - 1) === 41 && this.onCall(trimmed)) return;
    }
    if (callShape(line) === CallShape.Bare) {
      this.onBareCall(line);
      return;
    }
    if (looksLikeDumpLine(line)) {
      this.warn(`unreadable frame line in goroutine ${this.currentId()}: ${clip(line)}`);
      this.lastLineUnrecognised = true;
      return;
    }
    if (isWrappedTail(line)) {
      // A terminal or mail client wrapped the long `fp=… sp=… pc=…` location line: its last
      // characters landed on a line of their own. The stack goes on below.
      this.warn(`"${clip(line)}" in goroutine ${this.currentId()} looks like the wrapped end of the line before; skipped`);
      return;
    }
    if (this.current !== null && !fromFlattened && !isReasonStart(withoutReasonLead(line))) {
      // Prose: an annotation if frames follow, else the goroutine ended without a blank line
      // (`exit status 2`). The next lines decide.
      this.held.push({ line, lineNo: this.lineNo });
      this.state = State.Annotation;
      return;
    }
    this.endGoroutine(false);
    this.state = State.Outside;
    this.onOutside(line, fromFlattened);
  }

  private onAnnotation(line: string, fromFlattened: boolean): void {
    const trimmed = line.trim();
    if (trimmed.length > 0 && (callShape(trimmed) !== CallShape.None || trimmed.startsWith('created by ') || isCutMark(trimmed))) {
      // Frames go on below the prose: it was an annotation inside the stack.
      for (const held of this.held) this.warn(`text inside goroutine ${this.currentId()} skipped: ${clip(held.line)}`, held.lineNo);
      this.held = [];
      this.state = State.Frames;
      this.onFrames(line, fromFlattened);
      return;
    }
    if (trimmed.length > 0 && !line.startsWith('goroutine ') && this.held.length < maxAnnotationLines && !isReasonStart(withoutReasonLead(line))) {
      this.held.push({ line, lineNo: this.lineNo });
      return;
    }
    this.endAnnotation();
    this.handle(line, fromFlattened);
  }

  /** The prose held inside a stack was not an annotation: the goroutine ended before it. */
  private endAnnotation(): void {
    const held = this.held;
    this.held = [];
    this.endGoroutine(false);
    this.state = State.Outside;
    const lineNo = this.lineNo;
    for (const each of held) {
      this.lineNo = each.lineNo;
      this.handle(each.line, false);
    }
    this.lineNo = lineNo;
  }

  /** A function name alone on its line (`main.(*pool).get`): a call printed without arguments. */
  private onBareCall(line: string): void {
    this.pendingCall = line;
    this.pendingOpen = line.length;
    this.pendingInlined = false;
    this.pendingKeyLength = line.length;
    this.state = State.Location;
    this.lastLineUnrecognised = false;
  }

  /** Adds the pending call as a frame without a location. */
  private addBareFrame(): void {
    this.bareFrames = true;
    this.addFrame({ file: '', line: 0, pcOffset: null, key: '' });
    this.state = State.Frames;
  }

  private onLocation(line: string, fromFlattened: boolean): void {
    // Most locations repeat one read before at the same point of the same stack: compare, do not parse.
    const start = locationStart(line);
    const end = locationEnd(line, start);
    if (end > start && (this.state === State.Location ? this.followSeenFrame(line, start, end) : this.useSeenCreator(line, start, end))) {
      this.state = State.Frames;
      this.lastLineUnrecognised = false;
      return;
    }
    const location = parseLocationBetween(line, start, end);
    if (location !== null) {
      if (this.state === State.Location) this.addFrame(location);
      else this.addCreator(location);
      this.state = State.Frames;
      this.lastLineUnrecognised = false;
      return;
    }
    const first = line.charCodeAt(0);
    if (this.state === State.Location) {
      const trimmed = first === 9 || first === 32 ? line.trim() : line;
      if (callShape(trimmed) !== CallShape.None || trimmed.startsWith('created by ')) {
        // A call after a call: the first was pasted without its `file:line` line.
        this.addBareFrame();
        this.onFrames(line, fromFlattened);
        return;
      }
      if (this.bareFrames && (line.length === 0 || isBlank(line) || (first === 103 && line.startsWith('goroutine ')))) {
        // The last of a run of frames without locations.
        this.addBareFrame();
        this.onFrames(line, fromFlattened);
        return;
      }
    }
    if (line.length === 0 || isBlank(line) || (first === 103 && line.startsWith('goroutine '))) {
      // The stack broke off between a call and its location.
      this.endGoroutine(true);
      this.state = State.Outside;
      if (line.length > 0 && !isBlank(line)) this.onOutside(line, fromFlattened);
      return;
    }
    if (looksLikeDumpLine(line)) {
      this.warn(`expected a file:line location in goroutine ${this.currentId()}: ${clip(line)}`);
      this.lastLineUnrecognised = true;
      return;
    }
    this.endGoroutine(true);
    this.state = State.Outside;
    this.onOutside(line, fromFlattened);
  }

  private onAncestor(line: string, fromFlattened: boolean): void {
    // Ancestor frames describe where the goroutine's creators were when they created it; they are
    // not part of its stack. Read past them.
    if (line.length === 0 || isBlank(line)) {
      this.endGoroutine(false);
      this.state = State.Outside;
    } else if (line.startsWith('goroutine ')) {
      this.endGoroutine(false);
      this.state = State.Outside;
      this.onOutside(line, fromFlattened);
    }
  }

  /** The reason's lines stay pending until the next snapshot opens: its goroutines follow. */
  private onReason(line: string, fromFlattened: boolean): void {
    if (line.length === 0 || isBlank(line)) {
      this.state = State.Outside;
      return;
    }
    if (line.startsWith('goroutine ')) {
      this.state = State.Outside;
      this.onOutside(line, fromFlattened);
      return;
    }
    if (this.reasonLines !== null && this.reasonLines.length < maxReasonLines) this.reasonLines.push(line);
  }

  // ---- headers --------------------------------------------------------------------------------

  /** `goroutine N [state]:` or `goroutine N gp=… m=… mp=… [state]:`. */
  private tryHeader(line: string, fromFlattened: boolean): boolean {
    // The common shape `goroutine N [bracket]:` is read through a cache of bracket texts; anything
    // else (labels, `gp=` words, trailing blanks, a bracket not seen yet) goes through parseHeader.
    let id = 0;
    let known: HeaderState | undefined;
    let labels: Record<string, string> | null = null;
    let crashHeader = false;
    let trailing = '';
    const digitsEnd = plainHeaderDigitsEnd(line);
    if (digitsEnd > 0) {
      known = this.headerStates.get(line.slice(digitsEnd + 2, line.length - 2));
      if (known !== undefined) id = parseDigits(line, 10, digitsEnd);
    }
    if (known === undefined) {
      const header = parseHeader(line);
      if (header === null) return false;
      id = header.id;
      labels = header.labels;
      crashHeader = header.crashHeader;
      trailing = header.trailing;
      let state = this.stateIntern.get(header.state);
      if (state === undefined) {
        state = detach(header.state);
        this.stateIntern.set(state, state);
      }
      known = {
        state, waitClass: classifyWaitState(state), waitMinutes: header.waitMinutes, lockedToThread: header.lockedToThread,
        leaked: header.leaked, durable: header.durable, bubble: header.bubble,
      };
      if (digitsEnd > 0 && labels === null && trailing === '' && this.headerStates.size < maxHeaderStates) {
        this.headerStates.set(detach(line.slice(digitsEnd + 2, line.length - 2)), known);
      }
    }
    let open = this.open;
    if (open !== null && (open.debug1 || (id !== 0 && open.ids.has(id)))) {
      // A goroutine id seen before: the same program dumped again.
      this.closeSnapshot();
      open = null;
    }
    if (open === null) open = this.openSnapshot(fromFlattened);
    if (id !== 0) open.ids.add(id);
    if (crashHeader) open.crashSigns = true;
    if (fromFlattened) open.flattened = true;
    this.current = {
      id,
      state: known.state,
      waitClass: known.waitClass,
      waitMinutes: known.waitMinutes,
      lockedToThread: known.lockedToThread,
      leaked: known.leaked,
      durable: known.durable,
      bubble: known.bubble,
      frames: framesPending,
      framesElided: false,
      createdBy: null,
      labels: labels ?? noLabels,
      count: 1,
      line: this.lineNo,
      truncated: false,
    };
    this.node = this.root;
    this.lastLineUnrecognised = false;
    this.state = State.Frames;
    if (trailing !== '') this.warn(`text after the header of goroutine ${id} skipped: ${clip(trailing)}`);
    return true;
  }

  /**
   * `goroutine profile: total N` starts a debug=1 snapshot; `goroutineleak profile: total N` one
   * of the leak profile (Go 1.26+), whose records are all leaked goroutines.
   */
  private tryProfileHeader(line: string): boolean {
    const leak = line.startsWith('goroutineleak profile: total ');
    const marker = leak ? 'goroutineleak profile: total ' : 'goroutine profile: total ';
    if (!leak && !line.startsWith(marker)) return false;
    const total = Number.parseInt(line.slice(marker.length), 10);
    this.closeSnapshot();
    const open = this.openSnapshot(false);
    open.debug1 = true;
    open.leakProfile = leak;
    open.snapshot.declaredTotal = Number.isFinite(total) ? total : null;
    return true;
  }

  /** `11514 @ 0x43beee 0x407625 …` */
  private tryRecordHeader(line: string): boolean {
    const at = line.indexOf(' @ ');
    if (at < 0) return false;
    for (let i = 0; i < at; i++) {
      const c = line.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
    if (!line.startsWith('0x', at + 3)) return false;
    let open = this.open;
    if (open === null || !open.debug1) {
      // Records without the `goroutine profile:` line (an excerpt): still a debug=1 dump.
      this.closeSnapshot();
      open = this.openSnapshot(false);
      open.debug1 = true;
    }
    this.current = {
      id: null,
      state: '',
      waitClass: 'unknown',
      waitMinutes: null,
      lockedToThread: false,
      leaked: open.leakProfile,
      durable: false,
      bubble: null,
      frames: framesPending,
      framesElided: false,
      createdBy: null,
      labels: noLabels,
      count: Number.parseInt(line.slice(0, at), 10),
      line: this.lineNo,
      truncated: false,
    };
    this.node = this.root;
    this.lastLineUnrecognised = false;
    this.state = State.Record;
    return true;
  }

  /**
   * panicparse's bucket header `12: chan receive [1~83 minutes] [locked] [Created by
   * run.(*Group).Run in goroutine 1 @ group.go:37]`: a group of `12` goroutines. It is only a
   * bucket if a call line follows (onBucket), so that `1: Install Go` stays prose; the snapshot
   * opens with that first call line.
   */
  private tryBucketHeader(line: string): boolean {
    const match = bucketHeaderPattern.exec(line);
    if (match === null) return false;
    const state = match[2];
    const extras = match[3];
    const waitClass = classifyWaitState(state);
    let waitMinutes: number | null = null;
    let lockedToThread = false;
    let createdBy: Creator | null = null;
    for (const extra of extras.matchAll(/ \[([^\]]*)\]/g)) {
      const text = extra[1];
      const minutes = /^(\d+)(?:~\d+)? minutes$/.exec(text);
      if (minutes !== null) waitMinutes = Number(minutes[1]);
      else if (text === 'locked') lockedToThread = true;
      else if (text.startsWith('Created by ')) createdBy = parseBucketCreator(text.slice(11));
    }
    let interned = this.stateIntern.get(state);
    if (interned === undefined) {
      interned = detach(state);
      this.stateIntern.set(interned, interned);
    }
    this.current = {
      id: null,
      state: interned,
      waitClass,
      waitMinutes,
      lockedToThread,
      leaked: false,
      durable: false,
      bubble: null,
      frames: framesPending,
      framesElided: false,
      createdBy,
      labels: noLabels,
      count: Number.parseInt(match[1], 10),
      line: this.lineNo,
      truncated: false,
    };
    this.node = this.root;
    this.lastLineUnrecognised = false;
    this.state = State.Bucket;
    return true;
  }

  /** `    discovery    manager.go:276    (*Manager).ApplyConfig(#23, #167)` */
  private onBucket(line: string): void {
    const match = bucketCallPattern.exec(line);
    if (match === null) {
      if (line.trim() === '(...)') {
        if (this.current !== null) this.current.framesElided = true;
        return;
      }
      const empty = this.node === this.root;
      if (empty) this.current = null; // a header that was prose after all: no frame followed
      else this.endGoroutine(false);
      this.state = State.Outside;
      if (line.length > 0 && !isBlank(line)) this.onOutside(line, false);
      return;
    }
    if (this.node === this.root && (this.open === null || !this.open.panicparse)) {
      // The first call line: the header was a bucket's.
      const current = this.current;
      this.current = null;
      this.closeSnapshot();
      this.openSnapshot(false, current === null ? this.lineNo : current.line).panicparse = true;
      this.current = current;
    }
    const [, pkg, file, lineText, call] = match;
    const open = matchingOpenParen(call);
    const name = open > 0 ? call.slice(0, open) : call;
    const args = open > 0 ? call.slice(open + 1, call.length - 1) : '';
    const location: Location = { file, line: Number(lineText), pcOffset: null, key: `${file}:${lineText}` };
    const at = this.framesAt(location.key);
    const callKey = pkg + ' ' + (this.keepArgs ? call : name);
    let interned = at.byCall.get(callKey);
    if (interned === undefined) {
      const frame = makeFrame(pkg + '.' + name, location, this.keepArgs ? args : null, args === '...', null);
      interned = { frame, callKey: detach(callKey) };
      at.byCall.set(interned.callKey, interned);
    }
    // Bucket frames are not matched by text (their keys are empty): they go through the Map.
    this.descend(interned.frame, '', '');
  }

  private tryReasonStart(raw: string): boolean {
    const line = withoutReasonLead(raw);
    if (!isReasonStart(line)) return false;
    const open = this.open;
    if (open !== null && line.startsWith('SIG') && open.snapshot.reason !== null && open.snapshot.reason.startsWith(line)) {
      // GOTRACEBACK=crash relays the signal to every thread, which prints its own g0 stack:
      // the same dump goes on. Skip the repeated signal lines.
      this.reasonLines = null;
      this.state = State.Reason;
      return true;
    }
    // A new crash: whatever was read so far is a finished dump.
    this.closeSnapshot();
    this.reasonLines = [line];
    this.reasonStart = this.lineNo;
    this.state = State.Reason;
    return true;
  }

  /** A line holding a header after other text: learn the prefix, or unflatten the line. */
  private tryEmbeddedHeader(line: string): boolean {
    let at = line.indexOf('goroutine ');
    while (at >= 0) {
      const c = line.charCodeAt(at + 10);
      if (c >= 48 && c <= 57) {
        const rest = line.slice(at);
        const header = parseHeader(rest);
        const isProfile = rest.startsWith('goroutine profile: total ');
        if ((header !== null && header.trailing === '') || isProfile) {
          // The header ends the line: everything before it is a prefix to strip from now on.
          if (at > 0) this.learnPrefix(line.slice(0, at));
          this.onOutside(rest, false);
          return true;
        }
        // Text after a header inside a line is only taken for a log column: in prose,
        // `… goroutine 5 [running]: it …` is not a header.
        const suffixAt = trailingSuffixStart(rest);
        if (suffixAt > 0) {
          // A log line with text after the header too (`… goroutine 7 [running]:   - `): strip
          // both from now on.
          this.learnPrefix(line.slice(0, at), rest.slice(suffixAt));
          this.onOutside(rest.slice(0, suffixAt), false);
          return true;
        }
        const flattened = unflatten(line, at);
        if (flattened.lines.length >= 3 && parseHeader(flattened.lines[0]) !== null) {
          for (const pseudoLine of flattened.lines) this.handle(pseudoLine, true);
          // The dump ended within the line: what follows it is prose, and so is a new line.
          if (this.state === State.Location || this.state === State.CreatorLocation) {
            this.endGoroutine(true);
          } else {
            this.endGoroutine(false);
          }
          this.state = State.Outside;
          return true;
        }
      } else if (line.startsWith('goroutine profile: total ', at)) {
        if (at > 0) this.learnPrefix(line.slice(0, at));
        this.onOutside(line.slice(at), false);
        return true;
      }
      at = line.indexOf('goroutine ', at + 10);
    }
    return false;
  }

  /**
   * Strips `sample`'s shape from the lines that follow, and rereads the lines just before the
   * header with it: a `panic:` or `fatal error:` above the goroutines carries the same prefix.
   */
  private learnPrefix(sample: string, suffix = ''): void {
    const prefix = new LinePrefix(sample, suffix);
    this.prefix = prefix;
    const earlier = this.recentOutside.slice(0, -1).map((line) => prefix.strip(line));
    this.recentOutside = [];
    let reasonAt = -1;
    for (let i = earlier.length - 1; i >= 0; i--) {
      earlier[i] = withoutReasonLead(earlier[i]);
      if (isReasonStart(earlier[i])) {
        reasonAt = i;
        break;
      }
    }
    if (reasonAt < 0) return;
    const reason: string[] = [];
    for (let i = reasonAt; i < earlier.length && !isBlank(earlier[i]); i++) reason.push(earlier[i]);
    if (this.open !== null && this.open.snapshot.goroutines.length === 0) {
      this.open.snapshot.reason = reason.join('\n');
      this.open.crashSigns = true;
    } else {
      this.reasonLines = reason;
      this.reasonStart = this.lineNo - (earlier.length - reasonAt);
    }
  }

  // ---- frames ---------------------------------------------------------------------------------

  /** A call line `name(args)`; false when the line is not one. Only positions are kept until its location is read. */
  private onCall(line: string): boolean {
    const open = matchingOpenParen(line);
    if (open <= 0) return false;
    const space = line.indexOf(' ');
    if (space >= 0 && space < open && !line.startsWith('type:')) return false;
    const inlined = open === line.length - 5 && line.startsWith('...', open + 1);
    this.pendingCall = line;
    this.pendingOpen = open;
    this.pendingInlined = inlined;
    // Without arguments a frame is its name, plus the `(...)` that marks it inlined.
    this.pendingKeyLength = this.keepArgs || inlined ? line.length : open;
    this.state = State.Location;
    this.lastLineUnrecognised = false;
    return true;
  }

  private onCreatedBy(line: string): void {
    this.pendingCreatedLine = line;
    this.state = State.CreatorLocation;
    this.lastLineUnrecognised = false;
  }

  /** Moves to the child of the current stack node that the pending call and this location name, if one was seen. */
  private followSeenFrame(line: string, start: number, end: number): boolean {
    if (this.current === null) return false;
    const node = this.node;
    const children = node.children;
    if (children.length === 0) return false;
    const call = this.pendingCall;
    const callLength = this.pendingKeyLength;
    const print = framePrint(this.keepArgs, call, 0, callLength, line, start, end);
    const locationLength = end - start;
    const candidates = node.childByPrint === null ? children : node.childByPrint.get(print);
    if (candidates === undefined) return false;
    for (let i = 0; i < candidates.length; i++) {
      const child = candidates[i];
      if (child.print === print && child.callKey.length === callLength && child.locationKey.length === locationLength
        && textAt(call, child.callKey, 0) && textAt(line, child.locationKey, start)) {
        this.node = child;
        return true;
      }
    }
    return false;
  }

  /** Sets the creator from one seen before with the same `created by` line and location after this stack. */
  private useSeenCreator(line: string, start: number, end: number): boolean {
    const current = this.current;
    const createdLine = this.pendingCreatedLine;
    const seen = this.node.creators;
    if (current === null || createdLine === null || seen === null) return false;
    const print = locationPrint(line, start, end);
    const locationLength = end - start;
    for (const entry of seen) {
      if (entry.print === print && entry.locationKey.length === locationLength
        && entry.createdLine.length === createdLine.length && textAt(createdLine, entry.createdLine, 0)
        && textAt(line, entry.locationKey, start)) {
        current.createdBy = entry.creator;
        this.pendingCreatedLine = null;
        return true;
      }
    }
    return false;
  }

  private addFrame(location: Location): void {
    if (this.current === null) return;
    // A frame new at this point of the trie, maybe seen in another stack. Two levels (location,
    // then call) so that no key string is built: both keys are slices of the lines.
    const at = this.framesAt(location.key);
    const call = this.pendingCall;
    const callKey = call.slice(0, this.pendingKeyLength);
    let interned = at.byCall.get(callKey);
    if (interned === undefined) {
      const args = this.keepArgs ? call.slice(this.pendingOpen + 1, call.length - 1) : null;
      const frame = makeFrame(call.slice(0, this.pendingOpen), location, args, this.pendingInlined, null);
      interned = { frame, callKey: detach(callKey) };
      at.byCall.set(interned.callKey, interned);
    }
    this.descend(interned.frame, interned.callKey, at.locationKey);
  }

  private framesAt(locationKey: string): FramesAt {
    let at = this.frameIntern.get(locationKey);
    if (at === undefined) {
      at = { locationKey: detach(locationKey), byCall: new Map() };
      this.frameIntern.set(at.locationKey, at);
    }
    return at;
  }

  /** Moves the current stack node to the child for `frame`, making it when new; the keys are already detached. */
  private descend(frame: Frame, callKey: string, locationKey: string): void {
    const node = this.node;
    const children = node.children;
    let child: StackNode | undefined;
    if (node.childByFrame !== null) child = node.childByFrame.get(frame);
    else {
      for (let i = 0; i < children.length; i++) {
        if (children[i].frame === frame) {
          child = children[i];
          break;
        }
      }
    }
    if (child === undefined) {
      const print = framePrint(this.keepArgs, callKey, 0, callKey.length, locationKey, 0, locationKey.length);
      child = newStackNode(frame, node, callKey, locationKey, print);
      children.push(child);
      if (node.childByFrame !== null) node.childByFrame.set(frame, child);
      else if (children.length > indexedChildren) node.childByFrame = new Map(children.map((each) => [each.frame as Frame, each]));
      if (node.childByPrint !== null) addByPrint(node.childByPrint, child);
      else if (children.length > fastChildren) {
        node.childByPrint = new Map();
        for (const each of children) addByPrint(node.childByPrint, each);
      }
    }
    this.node = child;
  }

  private addCreator(location: Location): void {
    const current = this.current;
    const createdLine = this.pendingCreatedLine;
    if (current === null || createdLine === null) return;
    let text = createdLine.slice('created by '.length).trim();
    let goroutine: number | null = null;
    const marker = ' in goroutine ';
    const at = text.indexOf(marker);
    if (at >= 0) {
      const id = Number.parseInt(text.slice(at + marker.length), 10);
      goroutine = Number.isFinite(id) ? id : null;
      text = text.slice(0, at);
    }
    const key = text + '\n' + location.key + '\n' + (goroutine ?? '');
    let creator = this.creatorIntern.get(key);
    if (creator === undefined) {
      creator = { function: detach(text), file: detach(location.file), line: location.line, goroutine };
      this.creatorIntern.set(key, creator);
    }
    current.createdBy = creator;
    this.pendingCreatedLine = null;
    const node = this.node;
    if (node.creators === null) node.creators = [];
    if (node.creators.length < maxCreatorsPerNode) {
      const locationKey = detach(location.key);
      node.creators.push({ createdLine: detach(createdLine), locationKey, print: locationPrint(locationKey, 0, locationKey.length), creator });
    }
  }

  /** `#\t0x8a69f2\tmain.(*server).peerDoneHandler+0x52\t/root/…/server.go:2211` (tabs or spaces). */
  private onRecord(line: string): void {
    if (line.length === 0 || isBlank(line)) {
      this.endGoroutine(false);
      this.state = State.Outside;
      return;
    }
    if (line.charCodeAt(0) !== 35 /* # */) {
      this.endGoroutine(false);
      this.state = State.Outside;
      this.onOutside(line, false);
      return;
    }
    const body = line.slice(1).trim();
    if (body.startsWith('labels:')) {
      const labels = parseLabels(body.slice(7).trim());
      if (labels !== null && this.current !== null) this.current.labels = labels;
      return;
    }
    const words = splitWords(body, 3);
    if (words.length < 3 || !words[0].startsWith('0x')) {
      this.warn(`unreadable record line: ${clip(line)}`);
      return;
    }
    const location = parseLocation(words[2]);
    if (location === null) {
      this.warn(`unreadable record location: ${clip(line)}`);
      return;
    }
    const plus = words[1].lastIndexOf('+0x');
    const name = plus > 0 ? words[1].slice(0, plus) : words[1];
    const offset = plus > 0 ? Number.parseInt(words[1].slice(plus + 3), 16) : NaN;
    location.pcOffset = Number.isFinite(offset) ? offset : null;
    const at = this.framesAt(location.key);
    const callKey = words[0] + ' ' + words[1];
    let interned = at.byCall.get(callKey);
    if (interned === undefined) {
      const pc = Number.parseInt(words[0].slice(2), 16);
      const frame = makeFrame(name, location, null, false, Number.isFinite(pc) ? pc : null);
      interned = { frame, callKey };
      at.byCall.set(callKey, interned);
    }
    const frame = interned.frame;
    // Record frames are not matched by text (their keys are empty): they go through the Map.
    this.descend(frame, '', '');
  }

  /** Closes the goroutine being read; `cutOff` when the input broke off inside it. */
  private endGoroutine(cutOff: boolean): void {
    const current = this.current;
    if (current === null) return;
    this.current = null;
    const midFrame = this.state === State.Location || this.state === State.CreatorLocation;
    const node = this.node;
    this.node = this.root;
    if (midFrame || (cutOff && (this.lastLineUnrecognised || node === this.root))) {
      current.truncated = true;
    }
    current.frames = this.stackOf(node);
    if (current.waitClass === 'mutex' && isRWMutexWriterStack(current.frames)) current.waitClass = 'rwmutex-write';
    if (current.truncated) {
      const what = current.id === null ? 'a record' : `goroutine ${current.id}`;
      this.warn(`${what} is cut off: its stack ends before it is complete`, current.line);
    }
    this.lastLineUnrecognised = false;
    this.bareFrames = false;
    if (this.open !== null) this.open.snapshot.goroutines.push(current);
  }

  /** The shared frames array of the stack ending at `node`: one array per distinct stack. */
  private stackOf(node: StackNode): Frame[] {
    if (node === this.root) return [];
    if (node.stack !== null) return node.stack;
    const frames: Frame[] = [];
    for (let at: StackNode | null = node; at !== null && at.frame !== null; at = at.parent) frames.push(at.frame);
    frames.reverse();
    node.stack = frames;
    return frames;
  }

  // ---- snapshots ------------------------------------------------------------------------------

  private openSnapshot(fromFlattened: boolean, startLine = this.lineNo): OpenSnapshot {
    const snapshot: Snapshot = {
      format: 'debug2',
      goroutines: [],
      declaredTotal: null,
      reason: null,
      warnings: [],
      startLine,
    };
    const open: OpenSnapshot = { snapshot, ids: new IdSet(), crashSigns: false, flattened: fromFlattened, debug1: false, panicparse: false, leakProfile: false };
    if (this.reasonLines !== null) {
      snapshot.reason = this.reasonLines.join('\n');
      snapshot.startLine = this.reasonStart;
      open.crashSigns = true;
      this.reasonLines = null;
    }
    this.open = open;
    return open;
  }

  private closeSnapshot(): void {
    const open = this.open;
    if (open === null) return;
    this.endGoroutine(true);
    this.open = null;
    if (open.snapshot.goroutines.length === 0) {
      // A header that led nowhere: keep its warnings, drop the empty snapshot.
      this.looseWarnings.push(...open.snapshot.warnings);
      return;
    }
    open.snapshot.format = snapshotFormat(open);
    this.snapshots.push(open.snapshot);
  }

  private warn(message: string, line = this.lineNo): void {
    const target = this.open !== null ? this.open.snapshot.warnings : this.looseWarnings;
    target.push({ line, message });
  }

  private currentId(): string {
    return this.current === null || this.current.id === null ? '?' : String(this.current.id);
  }
}

function snapshotFormat(open: OpenSnapshot): DumpFormat {
  if (open.panicparse) return 'panicparse';
  if (open.debug1) return 'debug1';
  if (open.flattened) return 'flattened';
  return open.crashSigns ? 'traceback' : 'debug2';
}

/**
 * `pkg.fn(args)` (no blank before the `(` that opens the arguments), or a bare function name
 * `pkg.(*T).fn` as some tools print frames: a dotted identifier, not a file name.
 */
function callShape(line: string): CallShape {
  if (line.charCodeAt(line.length - 1) === 41 /* ) */) {
    const open = matchingOpenParen(line);
    if (open > 0) {
      const space = line.indexOf(' ');
      if (space < 0 || space > open || line.startsWith('type:')) return CallShape.Call;
    }
  }
  if (line.length <= 512 && /^[A-Za-z_][\w\/.-]*\.[\w*()\[\]~.%-]*[\w\])]$/.test(line) && !/\.(go|s|c|txt|log|md|json)$/.test(line)
    && /^[\w\/.-]*\.\(?\*?[A-Za-z_]/.test(line)) return CallShape.Bare;
  return CallShape.None;
}
