// Inference for partial dumps (DESIGN.md): when the only waker of a stuck party is a function that
// no goroutine in the dump runs, guess where that goroutine would be blocked by following its code,
// and add it as an inferred party when the guess closes a wait back into the dump's blocked parties.
// This is the btcd seed: the excerpt never shows `peerHandler`, yet the cycle runs through it.

import type { OperationSite } from '../source/types.js';
import { FramesByFunction, type CodeGraph } from './code-graph.js';
import type { Futures } from './future.js';
import type { Party, PartyFrame } from './model.js';
import { waitAtSite } from './resolve.js';
import { shortFunction } from './names.js';

/** How many calls deep to look for the inferred goroutine's blocking operation. */
const SEARCH_DEPTH = 6;

const GUESSABLE = new Set<OperationSite['kind']>(['chan-send', 'chan-receive', 'chan-range', 'mutex-lock', 'rwmutex-rlock', 'waitgroup-wait', 'cond-wait']);

export function inferMissingParties(parties: Party[], graph: CodeGraph, futures: Futures): Party[] {
  const framesOf = new FramesByFunction(parties);
  // Waker functions that no party runs, with the parties that wait on them.
  const waitingOn = new Map<string, Set<string>>();
  for (const party of parties) {
    if (party.activity !== 'blocked' || !party.wait) continue;
    for (const c of party.wait.cases) {
      for (const site of c.wakerSites) {
        // Code the program does not hold (tests of a binary that is not a test) runs nowhere.
        if (!futures.inBinary(site.function)) continue;
        if (parties.some((p) => p !== party && futures.partyReaches(p, site))) continue;
        if (framesOf.partiesReaching(graph.wakerReach([site])).length > 0) continue;
        const set = waitingOn.get(site.function) ?? new Set<string>();
        set.add(party.id);
        waitingOn.set(site.function, set);
      }
    }
  }

  const inferred: Party[] = [];
  for (const [candidate, waiters] of waitingOn) {
    const guess = guessBlockingSite(candidate, waiters, framesOf, graph);
    if (!guess) continue;
    const { path, site } = guess;
    const frames: PartyFrame[] = [];
    // Innermost first, as in a dump: the blocking site, then each caller at its call line.
    frames.push({ function: path[path.length - 1], file: site.file, line: site.line, diskFile: site.file, diskLine: site.line, fn: path[path.length - 1], place: 'code' });
    for (let i = path.length - 2; i >= 0; i--) {
      const caller = graph.function(path[i])!;
      const call = caller.calls.find((c) => c.callees.includes(path[i + 1]));
      const line = call?.line ?? caller.startLine;
      frames.push({ function: caller.name, file: caller.file, line, diskFile: caller.file, diskLine: line, fn: caller.name, place: 'code' });
    }
    const wait = waitAtSite(graph, site, site.file, site.line, site.function, false);
    if (!wait) continue;
    wait.inferredPath = path;
    inferred.push({
      id: `I${inferred.length + 1}`,
      inferred: true,
      count: 1,
      identity: candidate,
      name: shortFunction(candidate),
      frames,
      activity: 'blocked',
      wait,
      waitMinutes: null,
      goroutineIds: [],
      creatorId: null,
      creatorFn: null,
      leaked: false,
    });
  }
  return inferred;
}

/**
 * Breadth first through the candidate's calls, the blocking operations whose own wakers are all
 * blocked parties of the dump and include one that waits on the candidate; of those, a channel
 * operation before a WaitGroup or Cond wait (a loop that starves its senders is usually stuck in a
 * handler's send; a WaitGroup wait is mostly a shutdown path), then the shortest call path.
 */
function guessBlockingSite(candidate: string, waiters: Set<string>, framesOf: FramesByFunction, graph: CodeGraph): { path: string[]; site: OperationSite } | null {
  let best: { path: string[]; site: OperationSite; rank: number } | null = null;
  for (const path of graph.reachable(candidate, SEARCH_DEPTH)) {
    if (best && path.length > best.path.length && best.rank === 0) break;
    const fn = graph.function(path[path.length - 1]);
    if (!fn) continue;
    for (const site of fn.operations) {
      if (!GUESSABLE.has(site.kind) || site.deferred) continue;
      const resource = site.resource;
      if (resource.kind === 'unknown' || resource.external || resource.nil || resource.name.includes('#')) continue;
      const operation = site.kind === 'chan-range' ? 'chan-receive' : site.kind;
      // Holders of a lock are not known for a guessed stack.
      if (operation === 'mutex-lock' || operation === 'rwmutex-rlock') continue;
      const wakerSites = graph.counterSites(operation as 'chan-send' | 'chan-receive' | 'waitgroup-wait' | 'cond-wait', resource);
      if (wakerSites.length === 0) continue;
      const runners = framesOf.partiesReaching(graph.wakerReach(wakerSites));
      if (runners.length === 0 || runners.some((p) => p.activity !== 'blocked')) continue;
      if (!runners.some((p) => waiters.has(p.id))) continue;
      const rank = operation === 'chan-send' || operation === 'chan-receive' ? 0 : 1;
      if (!best || rank < best.rank) best = { path, site, rank };
    }
  }
  return best ? { path: best.path, site: best.site } : null;
}
