// The wait-for graph: for every blocked party, which parties could wake it (DESIGN.md, "Who can
// wake a blocked goroutine"), and the stuck set, the greatest fixpoint of "every possible waker is
// itself stuck or does not exist".
//
// The graph is bipartite so that it stays linear in size: a party waits on *wake sources* (one per
// counter-site of a channel, WaitGroup or Cond; one per lock for its holders), and a source is run by
// the parties that would perform it. A thousand goroutines sending on a channel that a thousand
// others receive from share one source instead of a million party-to-party edges.

import { FramesByFunction, type CodeGraph, type HeldLock } from './code-graph.js';
import type { Party, WaitCase } from './model.js';

/** One possible waker of a case: a party, and the code location that would do the waking. */
export interface Waker {
  party: Party;
  function: string;
  file: string;
  line: number;
}

/** Something that ends a wait when one of its runners gets to it: a counter-site, or a lock's holders. */
export interface WakeSource {
  key: string;
  /** The parties that would perform it, with where. */
  wakers: Waker[];
  /** The parties waiting on it (in one of their cases). */
  waiters: Party[];
}

/**
 * What can end one case of a wait: wake sources (any of their wakers), or `unknown` when the
 * resource could not be named or its other users may be outside the dump (then nothing may be
 * concluded), `ready` for a timer or `default`, `never` for a nil channel.
 */
export type CaseWakers = { kind: 'sources'; sources: WakeSource[] } | { kind: 'ready' } | { kind: 'never' } | { kind: 'unknown' };

export interface WaitGraphOptions {
  /** The dump is known to leave goroutines out (a debug=1 excerpt, a declared total above what was read, a cut paste). */
  partial: boolean;
  /** The runtime itself said every goroutine is asleep: every blocked goroutine is stuck. */
  runtimeSaysAllAsleep: boolean;
}

export class WaitGraph {
  /** Locks held by each party, from the held regions its frames lie in. */
  readonly held = new Map<string, HeldLock[]>();
  readonly wakersByParty = new Map<string, CaseWakers[]>();
  readonly stuck = new Set<string>();
  private readonly byId: Map<string, Party>;
  private readonly framesByFunction: FramesByFunction;
  private readonly sources = new Map<string, WakeSource>();
  /** The sources each party would perform: the reverse of `WakeSource.wakers`. */
  private readonly sourcesRunBy = new Map<string, WakeSource[]>();
  private readonly holders = new Map<string, Waker[]>();
  private readonly writeHolders = new Map<string, Waker[]>();
  private readonly pendingWriters = new Map<string, Waker[]>();

  constructor(readonly parties: Party[], private readonly graph: CodeGraph | null, private readonly options: WaitGraphOptions) {
    this.byId = new Map(parties.map((p) => [p.id, p]));
    this.framesByFunction = new FramesByFunction(parties);
    for (const party of parties) {
      const locks = this.locksHeldBy(party);
      this.held.set(party.id, locks);
      for (const lock of locks) {
        const holder = { party, function: lock.function, file: lock.file, line: lock.lockLine };
        push(this.holders, lock.resource.name, holder);
        if (lock.mode === 'write') push(this.writeHolders, lock.resource.name, holder);
      }
      const wait = party.wait;
      if (party.activity === 'blocked' && wait?.operation === 'rwmutex-lock' && wait.resource) {
        push(this.pendingWriters, wait.resource.name, { party, function: wait.site.function, file: wait.site.diskFile ?? wait.site.file, line: wait.site.line });
      }
    }
    for (const party of parties) {
      if (party.activity === 'blocked' && party.wait) {
        const cases = party.wait.cases.map((c) => this.wakersOf(c));
        this.wakersByParty.set(party.id, cases);
        for (const cw of cases) if (cw.kind === 'sources') for (const source of cw.sources) source.waiters.push(party);
      }
    }
    for (const source of this.sources.values()) {
      const seen = new Set<Party>();
      for (const w of source.wakers) {
        if (seen.has(w.party)) continue;
        seen.add(w.party);
        push(this.sourcesRunBy, w.party.id, source);
      }
    }
    this.computeStuck();
  }

  party(id: string): Party {
    const party = this.byId.get(id);
    if (!party) throw new Error(`no party ${id}`);
    return party;
  }

  /** The stuck parties that could wake `id` in case `caseIndex` (every case when null), each once. */
  stuckWakers(id: string, caseIndex: number | null = null): Party[] {
    const cases = this.wakersByParty.get(id) ?? [];
    const found = new Set<Party>();
    cases.forEach((cw, i) => {
      if (cw.kind !== 'sources' || (caseIndex !== null && i !== caseIndex)) return;
      for (const source of cw.sources) for (const w of source.wakers) if (this.stuck.has(w.party.id)) found.add(w.party);
    });
    return [...found];
  }

  /** The sources each stuck party waits on that a stuck party would perform (the graph's edges, bipartite). */
  stuckSourcesOf(id: string): WakeSource[] {
    const out: WakeSource[] = [];
    for (const cw of this.wakersByParty.get(id) ?? []) {
      if (cw.kind !== 'sources') continue;
      for (const source of cw.sources) if (source.wakers.some((w) => this.stuck.has(w.party.id))) out.push(source);
    }
    return out;
  }

  /** The parties waiting on a source that `id` would perform: who `id` holds up. */
  waitersOn(id: string): Party[] {
    const out = new Set<Party>();
    for (const source of this.sourcesRunBy.get(id) ?? []) for (const p of source.waiters) out.add(p);
    return [...out];
  }

  /** The first case of `id` that some party of `members` could wake, or null. */
  caseInto(id: string, members: Set<string>): number | null {
    const cases = this.wakersByParty.get(id) ?? [];
    for (let i = 0; i < cases.length; i++) {
      const cw = cases[i];
      if (cw.kind === 'sources' && cw.sources.some((s) => s.wakers.some((w) => members.has(w.party.id)))) return i;
    }
    return null;
  }

  private locksHeldBy(party: Party): HeldLock[] {
    if (!this.graph || party.inferred) return [];
    const locks: HeldLock[] = [];
    party.frames.forEach((frame, i) => {
      if (frame.diskFile) locks.push(...this.graph!.heldAt(frame.function, frame.diskFile, frame.line));
      // Inside a Once's function (user frames above `doSlow`), the goroutine holds the Once until
      // the function returns; a waiter has only the sync package's own frames above it.
      if (frame.function === 'sync.(*Once).doSlow' && party.frames.slice(0, i).some((f) => !isInternalFrame(f.function))) {
        const caller = party.frames.slice(i + 1).find((f) => !isInternalFrame(f.function));
        const site = caller?.diskFile ? this.graph!.onceDoAt(caller.diskFile, caller.line) : undefined;
        if (caller && site) locks.push({ resource: site.resource, mode: 'write', function: caller.function, file: site.file, lockLine: site.line });
      }
    });
    return locks;
  }

  private source(key: string, wakers: () => Waker[]): WakeSource {
    let source = this.sources.get(key);
    if (!source) this.sources.set(key, (source = { key, wakers: wakers(), waiters: [] }));
    return source;
  }

  private wakersOf(c: WaitCase): CaseWakers {
    if (c.alwaysReady) return { kind: 'ready' };
    if (c.neverReady) return { kind: 'never' };
    const resource = c.resource;
    if (!resource || resource.kind === 'unknown' || !this.graph) return { kind: 'unknown' };
    const name = resource.name;
    switch (c.operation) {
      case 'mutex-lock':
      case 'rwmutex-lock':
        return { kind: 'sources', sources: [this.source(`holders|${name}`, () => this.holders.get(name) ?? [])] };
      case 'rwmutex-rlock':
        // A pending writer blocks new readers: a reader waits on the writer and on whoever holds the write lock.
        return {
          kind: 'sources',
          sources: [this.source(`readers|${name}`, () => [...(this.writeHolders.get(name) ?? []), ...(this.pendingWriters.get(name) ?? [])])],
        };
      default:
        return this.siteWakers(c);
    }
  }

  private siteWakers(c: WaitCase): CaseWakers {
    const graph = this.graph!;
    // A channel reached only through a local or parameter name may be used elsewhere under
    // another name: without a single counter-site, nothing can be concluded.
    if (c.wakerSites.length === 0 && c.resource!.name.includes('#')) return { kind: 'unknown' };
    // A context whose cancel function was not traced (kept in a field, or a parent's) may still be
    // cancelled: only a traced cancel site lets gridlock conclude.
    if (c.wakerSites.length === 0 && c.resource!.kind === 'context') return { kind: 'unknown' };
    const sources = c.wakerSites.map((site) =>
      this.source(`site|${site.kind}|${site.function}|${site.file}:${site.line}`, () =>
        this.framesByFunction.partiesReaching(graph.wakerReach([site])).map((party) => ({ party, function: site.function, file: site.file, line: site.line })),
      ),
    );
    // In a partial dump, a waker that no goroutine shown runs may well be running in the part left out.
    if (this.options.partial && sources.some((s) => s.wakers.length === 0)) return { kind: 'unknown' };
    return { kind: 'sources', sources };
  }

  /**
   * Greatest fixpoint, computed from the other side: a party is live when it is not blocked, when a
   * case of its wait is always ready or cannot be judged, or when a live party would perform a
   * source it waits on. Everything blocked that this never reaches is stuck. Linear in the graph.
   */
  private computeStuck(): void {
    const live = new Set<string>();
    const queue: Party[] = [];
    const makeLive = (party: Party) => {
      if (live.has(party.id)) return;
      live.add(party.id);
      queue.push(party);
    };
    for (const party of this.parties) {
      // A `select {}` can wake no one: it counts as stuck for others, but is never itself a finding.
      if (party.wait?.intentionalPark) continue;
      if (party.activity !== 'blocked' || !party.wait) {
        makeLive(party);
        continue;
      }
      const cases = this.wakersByParty.get(party.id) ?? [];
      if (cases.some((cw) => cw.kind === 'ready' || (cw.kind === 'unknown' && !this.options.runtimeSaysAllAsleep))) makeLive(party);
    }
    const doneSources = new Set<WakeSource>();
    while (queue.length > 0) {
      const runner = queue.pop()!;
      for (const source of this.sourcesRunBy.get(runner.id) ?? []) {
        if (doneSources.has(source)) continue;
        doneSources.add(source);
        for (const waiter of source.waiters) makeLive(waiter);
      }
    }
    for (const party of this.parties) {
      if (party.wait && (party.activity === 'blocked' || party.wait.intentionalPark) && !live.has(party.id)) this.stuck.add(party.id);
    }
  }
}

/** Frames of the runtime and the sync package: not the program's own code. */
function isInternalFrame(fn: string): boolean {
  return fn.startsWith('runtime.') || fn.startsWith('sync.') || fn.startsWith('internal/');
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
