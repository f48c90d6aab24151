// The future of a goroutine (DESIGN.md, layer 3): what it may still do. From each frame, the code
// after the current line (the whole loop when the line sits in one), deferred calls, every callee
// transitively (static calls, dispatch on interfaces and on method names, closures the function
// holds, `go` statements: a goroutine it starts may reach a site too), with no depth limit.
// A frame in code the index does not have (that may call the program back), or a call through a
// function value nobody can trace, makes the future *open*: such a goroutine may reach any entry
// point (a handler, a callback, an interface method the standard library calls).
//
// The question asked is always "may party P still perform site S?", answered from the reverse
// side: `reachers(F)` is every function that can reach F, with the lines of its calls that lead
// there, one breadth-first walk of the reverse call graph per distinct F (memoised). A frame then
// reaches S when its own function is among them at a line still ahead of it. Cost: O(edges) per
// distinct site function, O(frames) per question.

import type { FunctionFacts, OperationSite, SourceIndex } from '../source/types.js';
import type { Party, PartyFrame } from './model.js';
import { closureParent } from './code-graph.js';

/** How a function reaches a target: through calls at `lines`, a deferred call, or a closure it may call from anywhere. */
interface Reach {
  lines: number[];
  deferred: boolean;
  anyLine: boolean;
}

interface ReverseEdge {
  caller: string;
  line: number;
  deferred: boolean;
  /** A `go x.m()` on an object just made: it reaches only new instances of the receiver's fields. */
  freshReceiver?: boolean;
  /** A closure of the caller that is not started by `go`: the caller may call it from any line. */
  anyLine: boolean;
}

/** The node standing for "any method of this name" in the reverse call graph. */
function dispatchNode(method: string): string {
  return `#dispatch.${method}`;
}


export class Futures {
  private readonly reverse = new Map<string, ReverseEdge[]>();
  private readonly reachersCache = new Map<string, Map<string, Reach>>();
  private readonly worldCache = new Map<string, boolean>();
  /** Functions from which an open call can be reached. */
  private readonly opening: Set<string>;
  private readonly openCache = new Map<Party, boolean>();

  /**
   * `testsInBinary` is false when no frame of the dump is in a `_test.go` file: the program is not
   * a test binary, so the tests' code is not in it and reaches nothing.
   */
  constructor(private readonly index: SourceIndex, private readonly testsInBinary: boolean) {
    const goTargets = new Set<string>();
    for (const fn of new Set(index.functions.values())) for (const go of fn.goStatements) for (const t of go.targets) goTargets.add(t);
    const openDirectly: string[] = [];
    for (const fn of new Set(index.functions.values())) {
      if (!testsInBinary && fn.file.endsWith('_test.go')) continue;
      for (const call of fn.calls) {
        for (const callee of call.callees) this.edge(callee, { caller: fn.name, line: call.line, deferred: call.deferred, anyLine: false });
        for (const callee of call.dynamic ?? []) this.edge(callee, { caller: fn.name, line: call.line, deferred: call.deferred, anyLine: false });
        // Dispatch on a name goes through one node per name, not one edge per method.
        if (call.dispatch) this.edge(dispatchNode(call.dispatch), { caller: fn.name, line: call.line, deferred: call.deferred, anyLine: false });
      }
      for (const go of fn.goStatements) for (const t of go.targets) this.edge(t, { caller: fn.name, line: go.line, deferred: false, anyLine: false, freshReceiver: go.freshReceiver });
      const parent = closureParent(fn.name);
      if (parent && !goTargets.has(fn.name)) this.edge(fn.name, { caller: parent, line: fn.startLine, deferred: false, anyLine: true });
      if (fn.calls.some((c) => c.open)) openDirectly.push(fn.name);
    }
    for (const [name, methods] of index.methodsByName) {
      for (const method of methods) this.edge(method, { caller: dispatchNode(name), line: 0, deferred: false, anyLine: true });
    }
    this.opening = this.backwards(openDirectly);
  }

  private edge(callee: string, edge: ReverseEdge): void {
    const list = this.reverse.get(callee);
    if (list) list.push(edge);
    else this.reverse.set(callee, [edge]);
  }

  /** Every function that can reach one of `starts` (the starts included). */
  private backwards(starts: string[]): Set<string> {
    const seen = new Set<string>(starts);
    const queue = [...starts];
    while (queue.length > 0) {
      const fn = queue.pop()!;
      for (const e of this.reverse.get(fn) ?? []) {
        if (seen.has(e.caller)) continue;
        seen.add(e.caller);
        queue.push(e.caller);
      }
    }
    return seen;
  }

  /**
   * Functions that can reach `target`, each with the calls that lead there (the target itself:
   * direct). For a site on a field of the target's own receiver (`onReceiver`), a `go` statement
   * that starts the target on an object it has just made leads to a new instance: it is not a way
   * to reach this one.
   */
  reachers(target: string, onReceiver = false): Map<string, Reach> {
    const key = onReceiver ? `${target}|receiver` : target;
    const cached = this.reachersCache.get(key);
    if (cached) return cached;
    const reach = new Map<string, Reach>();
    const queue = [target];
    const seen = new Set<string>([target]);
    while (queue.length > 0) {
      const fn = queue.pop()!;
      for (const e of this.reverse.get(fn) ?? []) {
        if (onReceiver && fn === target && e.freshReceiver) continue;
        let r = reach.get(e.caller);
        if (!r) reach.set(e.caller, (r = { lines: [], deferred: false, anyLine: false }));
        if (e.deferred) r.deferred = true;
        else if (e.anyLine) r.anyLine = true;
        else r.lines.push(e.line);
        if (!seen.has(e.caller)) {
          seen.add(e.caller);
          queue.push(e.caller);
        }
      }
    }
    this.reachersCache.set(key, reach);
    return reach;
  }

  /** `reachers` for one site. */
  siteReachers(site: OperationSite): Map<string, Reach> {
    return this.reachers(site.function, site.onReceiver === true);
  }

  /** True when an entry point (code the world calls) can reach `target`. */
  worldReaches(site: OperationSite): boolean {
    const key = `${site.function}|${site.onReceiver === true}`;
    let known = this.worldCache.get(key);
    if (known === undefined) {
      known = this.isEntryPoint(site.function);
      if (!known) for (const fn of this.siteReachers(site).keys()) if (this.isEntryPoint(fn)) { known = true; break; }
      this.worldCache.set(key, known);
    }
    return known;
  }

  /** Entry points that can reach the site, closest first (a few). */
  entryPointsReaching(site: OperationSite): string[] {
    const out: string[] = [];
    if (this.isEntryPoint(site.function)) out.push(site.function);
    for (const fn of this.siteReachers(site).keys()) if (out.length < 3 && this.isEntryPoint(fn)) out.push(fn);
    return out;
  }

  private isEntryPoint(name: string): boolean {
    if (!this.index.entryPoints.has(name)) return false;
    return this.testsInBinary || !this.index.functions.get(name)?.file.endsWith('_test.go');
  }

  /** True when a function's code is in the program that wrote the dump (tests only in a test binary). */
  inBinary(name: string): boolean {
    return this.testsInBinary || !this.index.functions.get(name)?.file.endsWith('_test.go');
  }

  /**
   * True when the frame at index `i` of `party` may still perform `site`. `frames` may be a suffix
   * window (the frames inside one call's activation); `innermost` marks the frame whose current line
   * is the goroutine's own position (its blocked operation is the one in progress, not a future one).
   */
  frameReaches(frame: PartyFrame, innermost: boolean, site: OperationSite, excludedLines: Set<number> | null): boolean {
    if (frame.place !== 'code' || !frame.fn) return false;
    const fn = this.index.functions.get(frame.fn);
    if (!fn) return false;
    if (fn.name === site.function) {
      if (site.deferred) return true;
      if (innermost && excludedLines?.has(site.line)) return false;
      return ahead(fn, frame.diskLine, site.line, innermost);
    }
    const r = this.siteReachers(site).get(fn.name);
    if (!r) return false;
    if (r.deferred || r.anyLine) return true;
    return r.lines.some((l) => ahead(fn, frame.diskLine, l, innermost));
  }

  /**
   * True when the frames of `party` may still perform `site`; `frames` may be a prefix of the
   * party's frames (innermost first): those inside one call's activation.
   */
  partyReaches(party: Party, site: OperationSite, frames: PartyFrame[] = party.frames): boolean {
    const { innermostAt, excluded } = this.position(party);
    for (let i = 0; i < frames.length; i++) {
      if (this.frameReaches(frames[i], i === innermostAt, site, i === innermostAt ? excluded : null)) return true;
    }
    return false;
  }

  /** Where a party stands, asked for every site it might perform: computed once per party. */
  private position(party: Party): { innermostAt: number; excluded: Set<number> | null } {
    let known = this.positions.get(party);
    if (!known) {
      known = {
        innermostAt: party.frames.findIndex((f) => f.place === 'code'),
        excluded: party.activity === 'blocked' && party.wait ? currentLines(party) : null,
      };
      this.positions.set(party, known);
    }
    return known;
  }

  private readonly positions = new Map<Party, { innermostAt: number; excluded: Set<number> | null }>();

  /**
   * True when the party's future is open: a frame of code outside the index that may call the
   * program back, a frame whose function the index lacks, or an untraceable call still ahead.
   */
  partyOpen(party: Party): boolean {
    let known = this.openCache.get(party);
    if (known !== undefined) return known;
    known = false;
    const innermostAt = party.frames.findIndex((f) => f.place === 'code');
    party.frames.forEach((frame, i) => {
      if (known) return;
      if (frame.place === 'outside' || (frame.place === 'code' && !frame.fn)) {
        known = true;
        return;
      }
      if (frame.place !== 'code' || !frame.fn) return;
      const fn = this.index.functions.get(frame.fn);
      if (!fn) {
        known = true;
        return;
      }
      const inner = i === innermostAt;
      for (const call of fn.calls) {
        if (!call.deferred && !ahead(fn, frame.diskLine, call.line, inner)) continue;
        if (call.open || call.callees.some((c) => this.opening.has(c)) || (call.dynamic ?? []).some((c) => this.opening.has(c)) || (call.dispatch !== undefined && this.opening.has(dispatchNode(call.dispatch)))) {
          known = true;
          return;
        }
      }
      for (const go of fn.goStatements) {
        if (ahead(fn, frame.diskLine, go.line, inner) && go.targets.some((t) => this.opening.has(t))) {
          known = true;
          return;
        }
      }
    });
    this.openCache.set(party, known);
    return known;
  }
}

/**
 * True when `line` of `fn` is still ahead of a frame at `at`: at or after it (a caller's statement
 * goes on once the call in progress returns: `results <- work(i)` sends after `work`), or anywhere
 * in a loop that contains `at`.
 */
function ahead(fn: FunctionFacts, at: number, line: number, _innermost: boolean): boolean {
  if (line >= at) return true;
  const loops = fn.loops;
  for (let i = 0; i + 1 < loops.length; i += 2) {
    if (loops[i] <= at && at <= loops[i + 1] && loops[i] <= line && line <= loops[i + 1]) return true;
  }
  return false;
}

/** The lines of the operation a blocked party is in: the one in progress is not a future one. */
function currentLines(party: Party): Set<number> {
  const wait = party.wait!;
  const lines = new Set<number>([wait.site.diskLine]);
  for (const c of wait.cases) for (const line of c.lines) lines.add(line);
  return lines;
}
