// The plain data the source stage produces: where each dump file lives on disk, and the facts of
// the Go code there that the analysis needs. Nothing here knows about goroutines or findings.

export interface SourceLocation {
  /** Path on disk (absolute). */
  file: string;
  /** 1-based line. */
  line: number;
}

/** The kind of object a goroutine can wait on. */
export type ResourceKind = 'chan' | 'mutex' | 'rwmutex' | 'waitgroup' | 'cond' | 'once' | 'context' | 'unknown';

/**
 * Channels and contexts whose wake-up comes from outside the program's goroutines: a timer, a
 * ticker, an OS signal, a context with a deadline. A wait on one of these always ends.
 */
export type ExternalSource = 'timer' | 'signal' | 'deadline';

/**
 * The object an operation acts on, named canonically so that two sites in different functions
 * agree (DESIGN.md, "From a frame to a blocked operation"):
 *   `pkgpath.Type.field` for a field reached through a typed receiver, parameter or variable
 *                        (embedded `sync.Mutex` in T: `pkgpath.T.Mutex`),
 *   `pkgpath.var`        for a package-level variable,
 *   `pkgpath.Func#name`  for a local, parameter or expression that cannot be traced further
 *                        (`Func` in traceback form without the package, e.g. `(*server).run#ch`).
 * `pkgpath` is `main` for package main, as the runtime prints it.
 */
export interface ResourceRef {
  kind: ResourceKind;
  name: string;
  /** The expression as written at the site: `s.donePeers`, `r.mtx`, `<-pu.Done()` → `pu.Done()`. */
  expression: string;
  /** Where the field / variable is declared, when found. */
  declared: SourceLocation | null;
  /** Set when the wake-up comes from outside the program (always live). */
  external: ExternalSource | null;
  /** True when the expression is the literal `nil` or a variable known to be nil (never wakes). */
  nil: boolean;
}

export type OperationKind =
  | 'chan-send'
  | 'chan-receive'
  | 'chan-range'
  | 'chan-close'
  | 'select'
  | 'mutex-lock' // Lock on a Mutex or the write Lock of an RWMutex (resource.kind tells which)
  | 'mutex-unlock'
  | 'rwmutex-rlock'
  | 'rwmutex-runlock'
  | 'waitgroup-add'
  | 'waitgroup-done'
  | 'waitgroup-wait'
  | 'cond-wait'
  | 'cond-signal'
  | 'cond-broadcast'
  | 'once-do'
  | 'context-cancel';

/** One place in the code that operates on a resource. */
export interface OperationSite {
  kind: OperationKind;
  resource: ResourceRef;
  /** Traceback name of the enclosing function body (closures included): `main.(*server).peerHandler.func1`. */
  function: string;
  file: string;
  line: number;
  /** The statement's source text on one line, trimmed: `s.donePeers <- sp`. */
  statement: string;
  /** True for `defer x.Unlock()`, `defer close(ch)`, `defer wg.Done()`. */
  deferred: boolean;
  /** For kind `select`: its cases, each a chan-send / chan-receive site (line = the case line). */
  cases: OperationSite[] | null;
  /** For kind `select`: true when it has a `default` case. */
  hasDefault: boolean;
  /**
   * True when the resource is a field of the method's own receiver (`s.relayInv` in a method of
   * `*server`): a goroutine started on a freshly made receiver operates on a new instance of it.
   */
  onReceiver?: boolean;
}

/** A call from one function to another, resolved to traceback names where the types allow. */
export interface CallSite {
  line: number;
  /** Candidate callees in traceback form. Several for a call through an interface (every implementation found). */
  callees: string[];
  expression: string;
  deferred: boolean;
  /**
   * A method name the call may reach by dispatch on the name alone: the receiver's type is unknown
   * here, or a standard-library interface such as `io.Closer`; it may run every indexed method of
   * that name (`SourceIndex.methodsByName`). Kept apart from `callees` because it is a wide
   * over-approximation: good for "what may still run", not for guessing one path.
   */
  dispatch?: string;
  /** Methods of an interface the index has in no named type (`interface{ Close() }` inline). */
  dynamic?: string[];
  /** True when the call goes through a function value the index cannot trace (a parameter, a field, a map entry). */
  open?: boolean;
}

/** A `go` statement: which function the new goroutine runs, and where it is started. */
export interface GoStatement {
  line: number;
  /** Traceback names the goroutine's bottom frame will have: the callee, or the closure `F.funcN` / `F.gowrapN`. */
  targets: string[];
  statement: string;
  /** `go x.m()` where `x` was just made here (`x := &T{…}`): the goroutine runs on a new object. */
  freshReceiver?: boolean;
}

/**
 * A stretch of a function during which it holds a lock: from the `Lock()`/`RLock()` call to the
 * matching unlock, or to the end of the function after `defer Unlock()`.
 */
export interface HeldRegion {
  resource: ResourceRef;
  mode: 'write' | 'read';
  lockLine: number;
  /** Last line inside the region (the unlock line, or the function's last line). */
  endLine: number;
  deferredUnlock: boolean;
}

/** A `return` reached while a lock taken in this function is still held and no deferred unlock exists. */
export interface LeakyReturn {
  resource: ResourceRef;
  lockLine: number;
  returnLine: number;
  statement: string;
}

export interface FunctionFacts {
  /** Traceback name: `main.(*server).peerHandler`, `main.main.func1`, `github.com/x/y.Map[...]`. */
  name: string;
  /**
   * Other names the runtime prints for the same function, when they differ by Go version: a
   * package-level initialiser's closure is `pkg.init.func1` since Go 1.22, `pkg.glob..func1` before.
   */
  aliases?: string[];
  pkg: string;
  file: string;
  startLine: number;
  endLine: number;
  operations: OperationSite[];
  calls: CallSite[];
  goStatements: GoStatement[];
  heldRegions: HeldRegion[];
  leakyReturns: LeakyReturn[];
  /** Spans of its `for` statements, flattened [first, last, first, last, …]. */
  loops: number[];
  /** Lines of its own `return` statements (not those of literals inside it), in order. */
  returns: number[];
  /**
   * Locks it takes and returns holding by design (no unlock of them in it: `db.rmu.RLock(); return
   * txn`): its callers hold them until a later call unlocks them, with no frame in a held region.
   */
  acquires?: { resource: ResourceRef; mode: 'write' | 'read'; line: number }[];
}

/** One indexed Go file. */
export interface IndexedFile {
  file: string;
  pkg: string;
  /** Source lines (0-based array, line N is lines[N-1]) for statements and excerpts. */
  lines: string[];
}

/**
 * Value-flow classes (DESIGN.md, layer 2): resource names that may hold the same object, unified
 * along arguments and parameters, plain assignments, composite-literal fields and `context.With*`
 * parents. A class is open when its value may reach code the index does not have (or reach it by a
 * path the index does not follow): its wakers cannot be enumerated.
 */
export interface ResourceClasses {
  /** Resource name → its class's representative; names that were never unified are absent. */
  classOf: Map<string, string>;
  /** Representative → every resource name of the class (only for classes of two names or more). */
  members: Map<string, string[]>;
  /** Representatives (or lone names) of open classes, with the first reason found. */
  open: Map<string, string>;
  /**
   * Classes made fresh by one call of a function (`results := make(chan result)` in `F`) and held
   * only by its locals and the parameters it passes them to: representative → `F`. Each call of
   * `F` makes its own instance, so only that call and the goroutines it starts can operate on it.
   */
  home: Map<string, string>;
  /**
   * Classes made fresh by each call of one function and held by locals, parameters and results
   * only (`home` and the ones returned to callers): representative → that function. Where to look
   * for the early return that left such a channel behind.
   */
  madeIn: Map<string, string>;
  /**
   * Context classes that hold a cancel function (`ctx, cancel := context.WithCancel(…)`): every
   * place it went was followed, so when a closed one has no call of it, nothing can cancel it.
   */
  cancellable: Set<string>;
}

export interface SourceIndex {
  /** Functions keyed by traceback name. */
  functions: Map<string, FunctionFacts>;
  /** Every operation site on a resource, keyed by canonical resource name (select cases included). */
  sitesByResource: Map<string, OperationSite[]>;
  classes: ResourceClasses;
  /**
   * Functions that code outside the index may call: their value escapes (a method value, a
   * function literal handed to a call, stored in a field), or nothing in the index calls them and
   * no `go` statement starts them (handlers, interface methods the standard library calls).
   */
  entryPoints: Set<string>;
  /** Method name → every indexed method of that name (traceback names), for dispatch by name. */
  methodsByName: Map<string, string[]>;
  files: Map<string, IndexedFile>;
  warnings: string[];
}

/** How the dump's file paths map onto the disk. */
export interface PathMapping {
  /** Dump path → disk path, for every dump path that could be mapped. */
  mapped: Map<string, string>;
  /** Dump paths that no tree, module cache or vendor directory holds. */
  unmapped: string[];
}
