// The wait-for graph: for every blocked party, which parties could wake it (DESIGN.md, "Who can
// wake a blocked goroutine"), and the stuck set, the greatest fixpoint of "every possible waker is
// itself stuck or does not exist".
//
// The graph is bipartite so that it stays linear in size: a party waits on *wake sources* (one per
// counter-site of a channel, WaitGroup or Cond; one per lock for its holders), and a source is run by
// the parties that would perform it. A thousand goroutines sending on a channel that a thousand
// others receive from share one source instead of a million party-to-party edges.

import type { OperationSite } from '../source/types.js';
import type { CodeGraph, HeldLock } from './code-graph.js';
import type { Futures } from './future.js';
import type { Party, PartyFrame, WaitCase } from './model.js';

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
  /** True when code the world calls (an entry point) may perform it: a live goroutine serving the world wakes it. */
  world: boolean;
  /** A lock's holders: a party may wait on a lock it holds itself (a self-deadlock); on nothing else. */
  lock: boolean;
  /** The counter-site, for a site source. */
  site?: OperationSite;
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
  /** What each goroutine may still do (layer 3); null without source. */
  futures: Futures | null;
}

export class WaitGraph {
  /** Locks held by each party, from the held regions its frames lie in. */
  readonly held = new Map<string, HeldLock[]>();
  readonly wakersByParty = new Map<string, CaseWakers[]>();
  readonly stuck = new Set<string>();
  private readonly byId: Map<string, Party>;
  /** Frames by the index function they run: who may reach a site, without looking at every party. */
  private readonly framesByFn = new Map<string, { party: Party; frame: number }[]>();
  private readonly sources = new Map<string, WakeSource>();
  /** True once a live party with an open future exists: entry points may be called. */
  worldLive = false;
  /** Wake sources some live party will perform (filled by computeStuck). */
  readonly performed = new Set<WakeSource>();
  /** Parties by the goroutine ids they hold, to walk `created by … in goroutine N` chains. */
  private readonly byGoroutine = new Map<number, Party>();
  /** The sources each party would perform: the reverse of `WakeSource.wakers`. */
  private readonly sourcesRunBy = new Map<string, WakeSource[]>();
  private readonly holders = new Map<string, Waker[]>();
  private readonly writeHolders = new Map<string, Waker[]>();
  private readonly pendingWriters = new Map<string, Waker[]>();

  constructor(readonly parties: Party[], private readonly graph: CodeGraph | null, private readonly options: WaitGraphOptions) {
    this.byId = new Map(parties.map((p) => [p.id, p]));
    for (const party of parties) for (const id of party.goroutineIds) this.byGoroutine.set(id, party);
    for (const party of parties) {
      party.frames.forEach((frame, i) => {
        if (frame.place === 'code' && frame.fn) push(this.framesByFn, frame.fn, { party, frame: i });
      });
    }
    for (const party of parties) {
      const locks = this.locksHeldBy(party);
      this.held.set(party.id, locks);
      for (const lock of locks) {
        const holder = { party, function: lock.function, file: lock.file, line: lock.lockLine };
        push(this.holders, this.lockKey(lock.resource.name), holder);
        if (lock.mode === 'write') push(this.writeHolders, this.lockKey(lock.resource.name), holder);
      }
      const wait = party.wait;
      if (party.activity === 'blocked' && wait?.operation === 'rwmutex-lock' && wait.resource) {
        push(this.pendingWriters, this.lockKey(wait.resource.name), { party, function: wait.site.function, file: wait.site.diskFile ?? wait.site.file, line: wait.site.diskFile ? wait.site.diskLine : wait.site.line });
      }
    }
    for (const party of parties) {
      if (party.activity === 'blocked' && party.wait) {
        const cases = party.wait.cases.map((c) => this.wakersOf(c, party));
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
      for (const source of cw.sources) for (const w of source.wakers) if (this.stuck.has(w.party.id) && (source.lock || w.party.id !== id)) found.add(w.party);
    });
    return [...found];
  }

  /**
   * The sources each stuck party waits on that another stuck party would perform (the graph's
   * edges, bipartite). A party never wakes its own channel, WaitGroup or Cond wait: only a lock it
   * holds can make it wait on itself.
   */
  stuckSourcesOf(id: string): WakeSource[] {
    const out: WakeSource[] = [];
    for (const cw of this.wakersByParty.get(id) ?? []) {
      if (cw.kind !== 'sources') continue;
      for (const source of cw.sources) if (source.wakers.some((w) => this.stuck.has(w.party.id) && (source.lock || w.party.id !== id))) out.push(source);
    }
    return out;
  }

  /** True when a wait of `id` could be ended only by code the world calls (an entry point), which no live goroutine serves. */
  wokenOnlyByWorld(id: string): boolean {
    const cases = this.wakersByParty.get(id) ?? [];
    return cases.some((cw) => cw.kind === 'sources' && cw.sources.some((s) => s.world));
  }

  /** The entry points (a few) through which the world could still wake `id`. */
  worldEntryPoints(id: string): string[] {
    const futures = this.options.futures;
    if (!futures) return [];
    const out = new Set<string>();
    for (const cw of this.wakersByParty.get(id) ?? []) {
      if (cw.kind !== 'sources') continue;
      for (const s of cw.sources) if (s.world && s.site) for (const fn of futures.entryPointsReaching(s.site)) out.add(fn);
    }
    return [...out].slice(0, 3);
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

  /**
   * Whether case `i` of a party's wait may still be woken: it cannot be judged, some live party
   * performs one of its sources, or code the world calls may (an API method nothing running calls
   * still counts: a caller outside may come).
   */
  caseMayWake(partyId: string, i: number): boolean {
    const c = this.wakersByParty.get(partyId)?.[i];
    if (!c || c.kind === 'unknown' || c.kind === 'ready') return true;
    if (c.kind === 'never') return false;
    return c.sources.some((source) => this.performed.has(source) || source.world);
  }

  /** Why a resource's class is open, or null (see CodeGraph.openReason). */
  openReason(name: string): string | null {
    return this.graph?.openReason(name) ?? null;
  }

  /** The value-flow class of a resource name (its representative), as locks and holders are keyed. */
  resourceKey(name: string): string {
    return this.lockKey(name);
  }

  /** Goroutines blocked in `Lock()` of this RWMutex: they hold new readers back. */
  pendingWritersOf(name: string): Waker[] {
    return this.pendingWriters.get(this.lockKey(name)) ?? [];
  }

  private lockKey(name: string): string {
    return this.graph ? this.graph.classKey(name) : name;
  }

  private locksHeldBy(party: Party): HeldLock[] {
    if (!this.graph || party.inferred) return [];
    const locks: HeldLock[] = [];
    party.frames.forEach((frame, i) => {
      if (frame.diskFile && frame.place === 'code') locks.push(...this.graph!.heldAt(frame.function, frame.diskFile, frame.diskLine, frame.fn));
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

  private source(key: string, make: () => Omit<WakeSource, 'key' | 'waiters'>): WakeSource {
    let source = this.sources.get(key);
    if (!source) this.sources.set(key, (source = { key, waiters: [], ...make() }));
    return source;
  }

  private wakersOf(c: WaitCase, waiter: Party): CaseWakers {
    if (c.alwaysReady) return { kind: 'ready' };
    if (c.neverReady) return { kind: 'never' };
    const resource = c.resource;
    if (!resource || resource.kind === 'unknown' || !this.graph) return { kind: 'unknown' };
    const key = this.lockKey(resource.name);
    switch (c.operation) {
      case 'mutex-lock':
      case 'rwmutex-lock':
        if (this.graph.openReason(resource.name)) return { kind: 'unknown' };
        return {
          kind: 'sources',
          sources: [this.source(`holders|${key}`, () => ({ wakers: [...(this.holders.get(key) ?? []), ...this.holdersBeyondStacks(resource.name, ['write', 'read'])], world: false, lock: true }))],
        };
      case 'rwmutex-rlock':
        if (this.graph.openReason(resource.name)) return { kind: 'unknown' };
        // A pending writer blocks new readers: a reader waits on the writer and on whoever holds the write lock.
        return {
          kind: 'sources',
          sources: [this.source(`readers|${key}`, () => ({ wakers: [...(this.writeHolders.get(key) ?? []), ...(this.pendingWriters.get(key) ?? []), ...this.holdersBeyondStacks(resource.name, ['write'])], world: false, lock: true }))],
        };
      default:
        return this.siteWakers(c, waiter);
    }
  }

  private siteWakers(c: WaitCase, waiter: Party): CaseWakers {
    const graph = this.graph!;
    const futures = this.options.futures;
    const resource = c.resource!;
    // An open class may be operated on where the index cannot see: its wakers cannot be enumerated.
    if (!futures || graph.openReason(resource.name)) return { kind: 'unknown' };
    // A context whose cancel function was not traced may still be cancelled: only a traced cancel
    // site, or a cancel function value flow followed everywhere without finding a call, concludes.
    if (c.wakerSites.length === 0 && resource.kind === 'context' && !graph.cancellable(resource.name)) return { kind: 'unknown' };
    const home = graph.home(resource.name);
    const sources = c.wakerSites.map((site) => {
      const at = `${site.kind}|${site.function}|${site.file}:${site.line}`;
      if (home) {
        // One call of `home` made this instance: only that call and what it started can reach it.
        return this.source(`local|${at}|${waiter.id}`, () => ({ wakers: this.activationPerformers(site, home, waiter, futures), world: false, lock: false }));
      }
      return this.source(`site|${at}`, () => ({ wakers: this.performers(site, futures), world: futures.worldReaches(site), lock: false, site }));
    });
    // In a partial dump, a waker that no goroutine shown runs may well be running in the part left out.
    if (this.options.partial && sources.some((s) => s.wakers.length === 0)) return { kind: 'unknown' };
    return { kind: 'sources', sources };
  }

  /**
   * When a function takes the lock and returns holding it by design (an acquire such as
   * `NewTransaction`), its callers hold it with no frame in a held region: every goroutine whose
   * future still reaches an unlock of the class (`Commit`, `Abort`) may be one of them.
   */
  private holdersBeyondStacks(name: string, modes: ('write' | 'read')[]): Waker[] {
    const futures = this.options.futures;
    if (!futures || !this.graph) return [];
    const acquired = this.graph.acquirers(name).filter((a) => modes.includes(a.mode));
    if (acquired.length === 0) return [];
    const out: Waker[] = [];
    for (const site of this.graph.unlockSites(name, [...new Set(acquired.map((a) => a.mode))])) out.push(...this.performers(site, futures));
    return out;
  }

  /** Parties whose future reaches the site: some frame runs a function that can reach it, at a line still ahead. */
  private performers(site: OperationSite, futures: Futures, admit?: (party: Party) => PartyFrame[] | null): Waker[] {
    const out: Waker[] = [];
    const seen = new Set<Party>();
    const fns = [site.function, ...futures.siteReachers(site).keys()];
    for (const fn of fns) {
      for (const { party } of this.framesByFn.get(fn) ?? []) {
        if (seen.has(party)) continue;
        const frames = admit ? admit(party) : party.frames;
        if (!frames) continue;
        if (!futures.partyReaches(party, site, frames)) continue;
        seen.add(party);
        out.push({ party, function: site.function, file: site.file, line: site.line });
      }
    }
    return out;
  }

  /**
   * Performers within one activation of `home` (DESIGN.md layer 4): goroutines inside that call of
   * `home` (only their frames from the call inwards count: a caller of `home` would make a new
   * instance) and goroutines that call started. When the dump prints goroutine ids, the waiter and
   * the performer must belong to the same call: one runs it, or started the other, or both were
   * started by the same goroutine.
   */
  private activationPerformers(site: OperationSite, home: string, waiter: Party, futures: Futures): Waker[] {
    const inFamily = (fn: string | null) => fn !== null && (fn === home || fn.startsWith(`${home}.`));
    const runsHome = (party: Party) => party.frames.some((f) => f.place === 'code' && f.fn === home);
    const window = (party: Party): PartyFrame[] | null => {
      let outermost = -1;
      party.frames.forEach((frame, i) => {
        if (frame.place === 'code' && frame.fn === home) outermost = i;
      });
      if (outermost >= 0) return party.frames.slice(0, outermost + 1);
      if (inFamily(party.creatorFn)) return party.frames;
      // No `created by` printed (debug=1, protobuf): a goroutine whose own function is one of
      // `home`'s literals was started by some call of it.
      const bottom = [...party.frames].reverse().find((f) => f.place === 'code');
      return party.creatorFn === null && inFamily(bottom?.fn ?? null) ? party.frames : null;
    };
    // The call a party belongs to: its own goroutine when it runs `home`, else the goroutine that
    // started it (through goroutines the call started in turn).
    const activation = (party: Party): number[] => {
      if (runsHome(party)) return party.goroutineIds;
      let creator = party.creatorId;
      for (let hops = 0; creator !== null && hops < 8; hops++) {
        const parent = this.byGoroutine.get(creator);
        if (!parent || runsHome(parent) || !inFamily(parent.creatorFn)) break;
        creator = parent.creatorId;
      }
      return creator === null ? [] : [creator];
    };
    const mine = activation(waiter);
    const sameCall = (party: Party): boolean => {
      const theirs = activation(party);
      if (mine.length === 0 || theirs.length === 0) return true; // no ids printed: assume one instance
      return theirs.some((id) => mine.includes(id));
    };
    return this.performers(site, futures, (party) => (party === waiter || sameCall(party) ? window(party) : null));
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
      // Go's leak detector proved it stuck: nothing makes it live again.
      if (live.has(party.id) || party.leaked) return;
      live.add(party.id);
      queue.push(party);
    };
    const worldSources = [...this.sources.values()].filter((s) => s.world);
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
    const doneSources = this.performed;
    const futures = this.options.futures;
    while (queue.length > 0) {
      const runner = queue.pop()!;
      if (!this.worldLive && futures?.partyOpen(runner)) {
        // A live goroutine whose future is open may call any entry point: what they reach is live.
        this.worldLive = true;
        for (const source of worldSources) for (const waiter of source.waiters) makeLive(waiter);
      }
      for (const source of this.sourcesRunBy.get(runner.id) ?? []) {
        if (doneSources.has(source)) continue;
        doneSources.add(source);
        // The first live runner wakes every other waiter; itself it needs not wake (it is live).
        for (const waiter of source.waiters) if (waiter !== runner) makeLive(waiter);
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
