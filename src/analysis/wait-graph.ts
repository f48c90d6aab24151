// The wait-for graph: for every blocked party, which parties could wake it (DESIGN.md, "Who can
// wake a blocked goroutine"), and the stuck set, the greatest fixpoint of "every possible waker is
// itself stuck or does not exist".

import { partiesReaching, type CodeGraph, type HeldLock } from './code-graph.js';
import type { Party, WaitCase, WaitEdge } from './model.js';

/** One possible waker of a case: a party, and the code location that would do the waking. */
export interface Waker {
  party: Party;
  function: string;
  file: string;
  line: number;
}

/**
 * What can end one case of a wait: a set of waker parties, or `unknown` when the resource could
 * not be named or its other users may be outside the dump (then nothing may be concluded).
 */
export type CaseWakers = { kind: 'parties'; wakers: Waker[] } | { kind: 'ready' } | { kind: 'never' } | { kind: 'unknown' };

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
  readonly edges: WaitEdge[] = [];
  /** Outgoing edges by party id. */
  readonly edgesFrom = new Map<string, WaitEdge[]>();
  private readonly byId: Map<string, Party>;

  constructor(readonly parties: Party[], private readonly graph: CodeGraph | null, private readonly options: WaitGraphOptions) {
    this.byId = new Map(parties.map((p) => [p.id, p]));
    for (const party of parties) this.held.set(party.id, this.locksHeldBy(party));
    for (const party of parties) {
      if (party.activity === 'blocked' && party.wait) {
        this.wakersByParty.set(party.id, party.wait.cases.map((c) => this.wakersOf(party, c)));
      }
    }
    this.computeStuck();
    for (const id of this.stuck) {
      (this.wakersByParty.get(id) ?? []).forEach((cw, caseIndex) => {
        if (cw.kind !== 'parties') return;
        const seen = new Set<string>();
        for (const w of cw.wakers) {
          if (this.stuck.has(w.party.id) && !seen.has(w.party.id)) {
            seen.add(w.party.id);
            const edge = { from: id, to: w.party.id, caseIndex };
            this.edges.push(edge);
            const list = this.edgesFrom.get(id) ?? [];
            list.push(edge);
            this.edgesFrom.set(id, list);
          }
        }
      });
    }
  }

  party(id: string): Party {
    const party = this.byId.get(id);
    if (!party) throw new Error(`no party ${id}`);
    return party;
  }

  private locksHeldBy(party: Party): HeldLock[] {
    if (!this.graph || party.inferred) return [];
    const locks: HeldLock[] = [];
    for (const frame of party.frames) {
      if (frame.diskFile) locks.push(...this.graph.heldAt(frame.function, frame.diskFile, frame.line));
    }
    return locks;
  }

  /** Parties holding `name` (in `mode`, or any mode when null). */
  holdersOf(name: string, mode: 'write' | 'read' | null): Waker[] {
    const result: Waker[] = [];
    for (const party of this.parties) {
      for (const lock of this.held.get(party.id) ?? []) {
        if (lock.resource.name === name && (mode === null || lock.mode === mode)) {
          result.push({ party, function: lock.function, file: lock.file, line: lock.lockLine });
        }
      }
    }
    return result;
  }

  private wakersOf(party: Party, c: WaitCase): CaseWakers {
    if (c.alwaysReady) return { kind: 'ready' };
    if (c.neverReady) return { kind: 'never' };
    const resource = c.resource;
    if (!resource || resource.kind === 'unknown' || !this.graph) return { kind: 'unknown' };
    const name = resource.name;
    switch (c.operation) {
      case 'mutex-lock':
      case 'rwmutex-lock':
        return { kind: 'parties', wakers: this.holdersOf(name, null) };
      case 'rwmutex-rlock': {
        // A pending writer blocks new readers: a reader waits on the writer and on whoever holds the write lock.
        const pendingWriters = this.parties
          .filter((p) => p.id !== party.id && p.wait?.operation === 'rwmutex-lock' && p.wait.resource?.name === name)
          .map((p) => ({ party: p, function: p.wait!.site.function, file: p.wait!.site.diskFile ?? p.wait!.site.file, line: p.wait!.site.line }));
        return { kind: 'parties', wakers: [...this.holdersOf(name, 'write'), ...pendingWriters] };
      }
      default:
        return this.siteWakers(c);
    }
  }

  private siteWakers(c: WaitCase): CaseWakers {
    const graph = this.graph!;
    // A channel reached only through a local or parameter name may be used elsewhere under
    // another name: without a single counter-site, nothing can be concluded.
    if (c.wakerSites.length === 0 && c.resource!.name.includes('#')) return { kind: 'unknown' };
    const wakers: Waker[] = [];
    let anyMissing = false;
    for (const site of c.wakerSites) {
      const runners = partiesReaching(this.parties, graph.wakerReach([site]));
      if (runners.length === 0) anyMissing = true;
      for (const party of runners) wakers.push({ party, function: site.function, file: site.file, line: site.line });
    }
    // In a partial dump, a waker that no goroutine shown runs may well be running in the part left out.
    if (anyMissing && this.options.partial) return { kind: 'unknown' };
    return { kind: 'parties', wakers };
  }

  private caseStuck(cw: CaseWakers, stuck: Set<string>): boolean {
    switch (cw.kind) {
      case 'ready': return false;
      case 'never': return true;
      case 'unknown': return this.options.runtimeSaysAllAsleep;
      case 'parties': return cw.wakers.every((w) => stuck.has(w.party.id));
    }
  }

  /** Greatest fixpoint: start from every blocked party and drop any that some live party could wake. */
  private computeStuck(): void {
    for (const party of this.parties) {
      if (party.activity === 'blocked' && party.wait && !party.wait.intentionalPark) this.stuck.add(party.id);
      // A `select {}` can wake no one: it counts as stuck for others, but is never itself a finding.
      if (party.wait?.intentionalPark) this.stuck.add(party.id);
    }
    for (let changed = true; changed; ) {
      changed = false;
      for (const id of [...this.stuck]) {
        const party = this.party(id);
        if (party.wait?.intentionalPark) continue;
        const cases = this.wakersByParty.get(id) ?? [];
        if (!cases.every((cw) => this.caseStuck(cw, this.stuck))) {
          this.stuck.delete(id);
          changed = true;
        }
      }
    }
  }
}
