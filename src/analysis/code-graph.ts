// Questions about the code that the wait-for graph asks again and again, answered from the source
// index once and memoised: which sites wake a wait (over the resource's value-flow class), whether
// a class is open or made fresh per call, which locks a frame holds and which functions return
// holding one. Who may still perform a site is the futures' question (future.ts); the bounded
// caller walk here serves only the guess of a goroutine a partial dump leaves out (infer.ts).

import type { FunctionFacts, OperationKind, OperationSite, ResourceRef, SourceIndex } from '../source/types.js';
import { functionAt, operationsAt } from '../source/index.js';
import type { Party } from './model.js';
import type { WaitOperation } from './types.js';

/**
 * How many calls up from a waking site a frame may be for inference to take its goroutine as the
 * one running that site (infer.ts). Not used for verdicts: futures have no depth limit.
 */
const CALLER_DEPTH = 3;

/** The operations that end each kind of wait. */
const COUNTER_OPERATIONS: Record<WaitOperation, OperationKind[]> = {
  'chan-send': ['chan-receive', 'chan-range'],
  'chan-receive': ['chan-send', 'chan-close'],
  select: [],
  'mutex-lock': ['mutex-unlock'],
  'rwmutex-lock': ['mutex-unlock', 'rwmutex-runlock'],
  'rwmutex-rlock': ['mutex-unlock'],
  'waitgroup-wait': ['waitgroup-done'],
  'cond-wait': ['cond-signal', 'cond-broadcast'],
};

/** Strips one closure level: `F.func2.1` → `F.func2`, `F.func1` → `F`, `F.gowrap1` → `F`; null for a plain function. */
export function closureParent(name: string): string | null {
  const match = /\.(?:func\d+|gowrap\d+|deferwrap\d+|\d+)$/.exec(name);
  return match ? name.slice(0, match.index) : null;
}

/**
 * How a function on a stack can reach a waking site: `direct` when the site is in its own body
 * (loops make any line of it reachable again); otherwise through calls at `callLines` (only calls
 * at or after the frame's current line are still ahead of it) or a deferred call (runs on return).
 */
export interface WakerReach {
  direct: boolean;
  deferred: boolean;
  callLines: number[];
}

/** True when a frame at `line` of a function with this reach will still perform the wake. */
export function reachesFrom(reach: WakerReach, line: number): boolean {
  return reach.direct || reach.deferred || reach.callLines.some((callLine) => callLine >= line);
}

/**
 * The parties' frames by function, so that "which goroutines will still reach this site" looks at
 * the few functions a site's reach names instead of every frame of every party.
 */
export class FramesByFunction {
  private readonly frames = new Map<string, { party: Party; line: number }[]>();

  constructor(parties: Party[]) {
    for (const party of parties) {
      for (const frame of party.frames) {
        const list = this.frames.get(frame.function) ?? [];
        list.push({ party, line: frame.line });
        this.frames.set(frame.function, list);
      }
    }
  }

  /** Parties with a frame that will still reach a waking site (see reachesFrom), each once. */
  partiesReaching(reach: Map<string, WakerReach>): Party[] {
    const found = new Set<Party>();
    for (const [fn, r] of reach) {
      for (const { party, line } of this.frames.get(fn) ?? []) if (reachesFrom(r, line)) found.add(party);
    }
    return [...found];
  }
}

interface CallerEdge {
  caller: string;
  line: number;
  deferred: boolean;
}

export interface HeldLock {
  resource: ResourceRef;
  mode: 'write' | 'read';
  function: string;
  file: string;
  lockLine: number;
}

export class CodeGraph {
  private readonly callers = new Map<string, CallerEdge[]>();
  private readonly wakerReachCache = new Map<string, Map<string, WakerReach>>();
  /** Functions some `go` statement starts: their bodies run on another goroutine than their parent's. */
  private readonly goTargets = new Set<string>();

  constructor(readonly index: SourceIndex) {
    for (const fn of index.functions.values()) {
      for (const go of fn.goStatements) for (const target of go.targets) this.goTargets.add(target);
    }
    for (const fn of index.functions.values()) {
      for (const call of fn.calls) for (const callee of call.callees) this.addCaller(callee, { caller: fn.name, line: call.line, deferred: call.deferred });
      // A function literal is run by the function that holds it unless a `go` statement starts it
      // (callbacks such as `once.Do(func() { close(ch) })` run on the caller's goroutine).
      const parent = closureParent(fn.name);
      if (parent && !this.goTargets.has(fn.name)) this.addCaller(fn.name, { caller: parent, line: fn.startLine, deferred: false });
    }
  }

  private addCaller(callee: string, edge: CallerEdge): void {
    const list = this.callers.get(callee) ?? [];
    list.push(edge);
    this.callers.set(callee, list);
  }

  function(name: string): FunctionFacts | undefined {
    return this.index.functions.get(name);
  }

  /** The value-flow class of a resource name (layer 2): its representative. */
  classKey(name: string): string {
    return this.index.classes.classOf.get(name) ?? name;
  }

  /** Why the resource's class is open (its wakers cannot be enumerated), or null when it is closed. */
  openReason(name: string): string | null {
    return this.index.classes.open.get(this.classKey(name)) ?? null;
  }

  /** Functions that take a lock of this class and return holding it by design (see FunctionFacts.acquires). */
  acquirers(name: string): { fn: string; mode: 'write' | 'read' }[] {
    if (!this.acquirersByClass) {
      this.acquirersByClass = new Map();
      for (const fn of new Set(this.index.functions.values())) {
        for (const a of fn.acquires ?? []) {
          const key = this.classKey(a.resource.name);
          const list = this.acquirersByClass.get(key) ?? [];
          list.push({ fn: fn.name, mode: a.mode });
          this.acquirersByClass.set(key, list);
        }
      }
    }
    return this.acquirersByClass.get(this.classKey(name)) ?? [];
  }

  private acquirersByClass: Map<string, { fn: string; mode: 'write' | 'read' }[]> | null = null;

  /** Unlock sites of a lock's class: `mutex-unlock` and, for a read lock, `rwmutex-runlock`. */
  unlockSites(name: string, modes: ('write' | 'read')[]): OperationSite[] {
    const rep = this.classKey(name);
    const names = this.index.classes.members.get(rep) ?? [name];
    const kinds = new Set<OperationKind>([...(modes.includes('write') ? ['mutex-unlock' as const] : []), ...(modes.includes('read') ? ['rwmutex-runlock' as const] : [])]);
    const out: OperationSite[] = [];
    for (const n of names) for (const site of this.index.sitesByResource.get(n) ?? []) if (kinds.has(site.kind)) out.push(site);
    return out;
  }

  /** Whether the context's class holds a cancel function whose every use value flow followed. */
  cancellable(name: string): boolean {
    return this.index.classes.cancellable.has(this.classKey(name));
  }

  /** The function one call of which makes a fresh instance of the class, or null. */
  home(name: string): string | null {
    return this.index.classes.home.get(this.classKey(name)) ?? null;
  }

  /** The sites whose operation would end a wait of `operation` on `resource`, over its whole class. */
  counterSites(operation: WaitOperation, resource: ResourceRef): OperationSite[] {
    const key = `${operation}|${resource.kind === 'context'}|${this.classKey(resource.name)}`;
    let sites = this.counterSiteCache.get(key);
    if (!sites) this.counterSiteCache.set(key, (sites = this.findCounterSites(operation, resource)));
    return sites;
  }

  private readonly counterSiteCache = new Map<string, OperationSite[]>();

  private findCounterSites(operation: WaitOperation, resource: ResourceRef): OperationSite[] {
    // `<-ctx.Done()` ends when the context's cancel function is called.
    const kinds = resource.kind === 'context' ? (['context-cancel'] as OperationKind[]) : COUNTER_OPERATIONS[operation];
    const rep = this.classKey(resource.name);
    const names = this.index.classes.members.get(rep) ?? [resource.name];
    const out: OperationSite[] = [];
    for (const name of names) for (const site of this.index.sitesByResource.get(name) ?? []) if (kinds.includes(site.kind)) out.push(site);
    // A close ends a send too (the sender panics): a blocked sender is woken by it.
    if (operation === 'chan-send') for (const name of names) for (const site of this.index.sitesByResource.get(name) ?? []) if (site.kind === 'chan-close') out.push(site);
    return out;
  }

  /**
   * Functions whose presence on a stack makes that goroutine a possible waker through `sites`, with
   * how each reaches a site: the sites' own functions, and their callers up to CALLER_DEPTH calls
   * away. Cost: a bounded breadth-first walk of the reverse call graph, memoised per site function.
   */
  wakerReach(sites: OperationSite[]): Map<string, WakerReach> {
    const result = new Map<string, WakerReach>();
    for (const site of sites) {
      for (const [fn, reach] of this.reachFromCallers(site.function)) {
        const merged = result.get(fn);
        if (!merged) result.set(fn, { direct: reach.direct, deferred: reach.deferred, callLines: [...reach.callLines] });
        else {
          merged.direct ||= reach.direct;
          merged.deferred ||= reach.deferred;
          merged.callLines.push(...reach.callLines);
        }
      }
    }
    return result;
  }

  private reachFromCallers(start: string): Map<string, WakerReach> {
    const cached = this.wakerReachCache.get(start);
    if (cached) return cached;
    const reach = new Map<string, WakerReach>([[start, { direct: true, deferred: false, callLines: [] }]]);
    let frontier = [start];
    for (let depth = 0; depth < CALLER_DEPTH && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const fn of frontier) {
        for (const edge of this.callers.get(fn) ?? []) {
          let entry = reach.get(edge.caller);
          if (!entry) {
            reach.set(edge.caller, (entry = { direct: false, deferred: false, callLines: [] }));
            next.push(edge.caller);
          }
          if (edge.deferred) entry.deferred = true;
          else entry.callLines.push(edge.line);
        }
      }
      frontier = next;
    }
    this.wakerReachCache.set(start, reach);
    return reach;
  }

  /**
   * The body a frame runs: by its printed name first (a line alone cannot tell a one-line function
   * literal from the function around it), by file and line when the name is not indexed.
   */
  frameFunction(name: string, file: string, line: number): FunctionFacts | null {
    const byName = this.index.functions.get(name);
    if (byName && byName.file === file && byName.startLine <= line && line <= byName.endLine) return byName;
    return functionAt(this.index, file, line);
  }

  /** The `once.Do` site at a line, if any. */
  onceDoAt(file: string, line: number): OperationSite | undefined {
    return operationsAt(this.index, file, line).find((site) => site.kind === 'once-do');
  }

  /** The locks a frame holds: its line lies inside a held region of its function (found by place, else by name). */
  heldAt(frameName: string, file: string, line: number, placed: string | null = null): HeldLock[] {
    const fn = placed ? this.index.functions.get(placed) ?? null : this.frameFunction(frameName, file, line);
    if (!fn) return [];
    return fn.heldRegions
      .filter((region) => region.lockLine < line && line <= region.endLine)
      .map((region) => ({ resource: region.resource, mode: region.mode, function: fn.name, file: fn.file, lockLine: region.lockLine }));
  }

  /**
   * Calls reachable from `start`, breadth first, as paths of function names (start first). Used to
   * guess where a goroutine missing from a partial dump is blocked. Closures run by their parent
   * count as calls; `go` statements do not (they start another goroutine).
   */
  *reachable(start: string, maxDepth: number): Generator<string[]> {
    const seen = new Set<string>([start]);
    let frontier: string[][] = [[start]];
    for (let depth = 0; depth <= maxDepth && frontier.length > 0; depth++) {
      const next: string[][] = [];
      for (const path of frontier) {
        yield path;
        const fn = this.index.functions.get(path[path.length - 1]);
        if (!fn) continue;
        const callees = fn.calls.flatMap((call) => call.callees);
        for (const closure of this.closuresOf(fn.name)) callees.push(closure);
        for (const callee of callees) {
          if (seen.has(callee) || !this.index.functions.has(callee)) continue;
          seen.add(callee);
          next.push([...path, callee]);
        }
      }
      frontier = next;
    }
  }

  private closureChildren: Map<string, string[]> | null = null;

  private closuresOf(name: string): string[] {
    if (!this.closureChildren) {
      this.closureChildren = new Map();
      for (const fn of this.index.functions.keys()) {
        const parent = closureParent(fn);
        if (parent && !this.goTargets.has(fn)) {
          const list = this.closureChildren.get(parent) ?? [];
          list.push(fn);
          this.closureChildren.set(parent, list);
        }
      }
    }
    return this.closureChildren.get(name) ?? [];
  }
}
