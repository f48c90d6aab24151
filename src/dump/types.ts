// The plain data the dump reader produces. Nothing here knows about source code or analysis.

/** Where a goroutine dump came from, as far as its text tells. */
export type DumpFormat = 'traceback' | 'debug1' | 'debug2' | 'pprof' | 'flattened' | 'panicparse';

/**
 * The runtime's wait reason folded into a small set of classes. The raw text is kept on the
 * goroutine (`state`); this is what the analysis switches on.
 * - `sync` is the ambiguous `semacquire` of older Go versions: a Mutex, RWMutex or WaitGroup,
 *   decided later from the stack.
 * - `chan-send-nil` / `chan-receive-nil` / `select-no-cases` are waits nothing can ever end.
 * - `unknown` is a goroutine whose state was not printed (debug=1 and pprof records).
 */
export type WaitClass =
  | 'chan-send'
  | 'chan-receive'
  | 'chan-send-nil'
  | 'chan-receive-nil'
  | 'select'
  | 'select-no-cases'
  | 'mutex'
  | 'rwmutex-read'
  | 'rwmutex-write'
  | 'waitgroup'
  | 'cond'
  | 'sync'
  | 'sleep'
  | 'io'
  | 'syscall'
  | 'gc'
  | 'running'
  | 'runnable'
  | 'other'
  | 'unknown';

/** One line pair of a stack: a call and its location. */
export interface Frame {
  /** The function as printed, e.g. `main.(*server).peerDoneHandler` or `main.run.func2.1`. */
  function: string;
  /** Package import path: `main`, `github.com/btcsuite/btcd/netsync`, `sync` (panicparse output prints only its last element). */
  pkg: string;
  /** Receiver type name without `*` or type parameters; null for plain functions. */
  receiver: string | null;
  /** True when the receiver is printed as `(*T)`. */
  pointerReceiver: boolean;
  /** The declared function or method name, without closure suffix: `peerDoneHandler`, `run`. */
  name: string;
  /** Closure suffix after the name, without the leading dot: `func1`, `func2.1`, `gowrap1`, `deferwrap1`; null when none. */
  closure: string | null;
  /** True when the function was printed with a `[...]` generic marker. */
  generic: boolean;
  /**
   * File path as printed (absolute on the crashing machine, or module-relative with -trimpath);
   * `` for a call pasted without its location line (then `line` is 0): match such a frame by name.
   * panicparse output prints the file's base name only (`manager.go`).
   */
  file: string;
  line: number;
  /** The `+0x1a5` offset, or null when not printed. */
  pcOffset: number | null;
  /** The program counter of a debug=1 / pprof record, or null. */
  pc: number | null;
  /** Raw argument text between the parentheses, `...` for inlined frames; null in debug=1 / pprof. */
  args: string | null;
  /** True for frames printed with `(...)`: an inlined call. */
  inlined: boolean;
}

/** The `created by` line of a goroutine. */
export interface Creator {
  function: string;
  file: string;
  line: number;
  /** The creating goroutine's id (`in goroutine N`, Go 1.21+), or null when not printed. */
  goroutine: number | null;
}

/** One goroutine, or one debug=1 / pprof record standing for `count` goroutines with the same stack. */
export interface Goroutine {
  /** The goroutine id, or null for debug=1 / pprof records. */
  id: number | null;
  /** The wait state as printed, e.g. `chan receive`, `semacquire`, `select (no cases)`; `` when not printed. */
  state: string;
  waitClass: WaitClass;
  /** Minutes from `[state, N minutes]`; null when not printed. */
  waitMinutes: number | null;
  lockedToThread: boolean;
  /**
   * True when the header says `(leaked)`: the garbage collector's leak detector (Go 1.26
   * GOEXPERIMENT=goroutineleakprofile, Go 1.27 `/debug/pprof/goroutineleak`) proved that nothing
   * reachable can ever wake this goroutine. False when not printed, which proves nothing.
   */
  leaked: boolean;
  /** True for a synctest `(durable)` wait: blocked on something only its bubble can end. */
  durable: boolean;
  /** The synctest bubble id (`, synctest bubble N`, Go 1.25+), or null outside bubbles. */
  bubble: number | null;
  /** Frames, innermost (top of stack) first. */
  frames: Frame[];
  /** True when the runtime elided frames (`...additional frames elided...`, `...N frames elided...`). */
  framesElided: boolean;
  createdBy: Creator | null;
  /** pprof labels (`# labels: {...}` or the goroutine's `labels:` in newer tracebacks). */
  labels: Record<string, string>;
  /** How many goroutines this entry stands for: 1 for a traceback goroutine, N for a debug=1 record. */
  count: number;
  /** 1-based line in the input where this goroutine's header starts (0 for pprof protobuf). */
  line: number;
  /** True when the input ended or broke off inside this goroutine's stack. */
  truncated: boolean;
}

export interface Warning {
  /** 1-based line of the input, 0 when no line applies. */
  line: number;
  message: string;
}

/** One dump read from the input. A file may hold several. */
export interface Snapshot {
  format: DumpFormat;
  goroutines: Goroutine[];
  /** `goroutine profile: total N`, or null when the dump does not declare a total. */
  declaredTotal: number | null;
  /** The panic / fatal error / test timeout text above the goroutines, when present. */
  reason: string | null;
  warnings: Warning[];
  /** 1-based line where this dump starts in the input. */
  startLine: number;
}

/** Everything read from one input. `snapshots` is empty only when no goroutine was found. */
export interface DumpReadResult {
  snapshots: Snapshot[];
  /** Warnings that belong to no snapshot (e.g. text that was neither a dump nor prose). */
  warnings: Warning[];
}
