// Findings over the stuck set: circular waits, leaked locks, orphaned waits, the crowds piled up
// behind them, and long waits. Each finding names its parties, resources and the code to look at.

import type { ExternalSource, FunctionFacts, ResourceRef, SourceIndex } from '../source/types.js';
import { findCycles, type Edge } from './cycles.js';
import type { Party } from './model.js';
import type { Confidence, FindingKind, ReportFinding, ReportFix, ReportResource, ReportWait, ReportWaker } from './types.js';
import type { WakeSource, WaitGraph } from './wait-graph.js';
import type { Futures } from './future.js';
import { shortFunction } from './names.js';
import { leakyReturnFixes, localChannelFixes, skippedWakerFixes } from './fixes.js';
import { functionAt } from '../source/query.js';

/** A crowd this large behind a root finding gets a pile-up finding of its own. */
export const PILE_UP_MIN = 10;
/** A wait this long, and this many times its peers' median, is a long-wait. */
const LONG_WAIT_MIN_MINUTES = 10;
const LONG_WAIT_FACTOR = 5;

const KIND_RANK: Record<FindingKind, number> = { 'deadlock-cycle': 0, 'leaked-lock': 1, 'orphaned-wait': 2, 'pile-up': 3, 'long-wait': 4 };
const CONFIDENCE_RANK: Record<Confidence, number> = { certain: 0, likely: 1, possible: 2 };

export interface FindingContext {
  graph: WaitGraph;
  index: SourceIndex | null;
  partial: boolean;
  runtimeSaysAllAsleep: boolean;
  /** False for debug=1 and protobuf profiles: goroutines cannot be told apart, instances are assumed. */
  idsPrinted: boolean;
  /**
   * False when the dump prints no wait states (debug=1, protobuf): a goroutine just woken (runnable)
   * looks the same as one still parked, so a lock whose holder has just released it looks leaked.
   */
  statesPrinted: boolean;
  futures: Futures | null;
}

export { shortFunction };

/** 21077 → `21,077`: crowds are read at a glance. */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function shortFile(path: string): string {
  const parts = path.split('/');
  return parts.slice(-2).join('/');
}

/**
 * A resource as the report shows it: named by its value-flow class (the class's most stable member:
 * a field, a package variable, a parameter, the local it was made in), so that every wait on one
 * channel carries one name however the code reached it.
 */
export function reportResource(resource: ResourceRef | null, graph: WaitGraph | null): ReportResource | null {
  if (!resource) return null;
  const kind = resource.kind === 'once' ? 'mutex' : resource.kind === 'context' ? 'chan' : resource.kind === 'unknown' ? null : resource.kind;
  if (!kind) return null;
  return { kind, name: graph ? graph.resourceKey(resource.name) : resource.name, expression: resource.expression, declared: resource.declared };
}

/**
 * How many wakers one wait lists at most: a channel drained by a pool of 5,000 workers is explained
 * by a few of them, and the report of a large dump stays readable (and linear in size).
 */
export const MAX_WAKERS_LISTED = 20;

function reportWakers(sources: WakeSource[], fallbackSites: { function: string; file: string; line: number }[]): ReportWaker[] {
  const result: ReportWaker[] = [];
  const seen = new Set<string>();
  const add = (fn: string, group: string | null, file: string, line: number) => {
    const key = `${fn}|${group}|${file}:${line}`;
    if (seen.has(key)) return;
    seen.add(key);
    result.push({ function: fn, group, site: { file, line } });
  };
  // The list is full after MAX_WAKERS_LISTED: a source run by thousands of parties is not walked to its end.
  for (const source of sources) {
    for (const w of source.wakers) {
      if (result.length >= MAX_WAKERS_LISTED) return result;
      add(w.function, w.party.inferred ? null : w.party.id, w.file, w.line);
    }
  }
  // Sites that no party runs still say who alone could wake the wait.
  for (const s of fallbackSites) {
    if (result.length >= MAX_WAKERS_LISTED) return result;
    if (!result.some((r) => r.function === s.function && r.site.line === s.line)) add(s.function, null, s.file, s.line);
  }
  return result;
}

/** The wakers of one party (every case), as the report lists them. */
export function partyWakers(graph: WaitGraph, party: Party, caseIndex: number | null): ReportWaker[] {
  const cases = graph.wakersByParty.get(party.id) ?? [];
  const wait = party.wait;
  if (!wait) return [];
  const indexes = caseIndex === null ? cases.map((_, i) => i) : [caseIndex];
  const out: ReportWaker[] = [];
  // A lock is released only by whoever holds it: its unlock sites elsewhere wake no one.
  const isLock = wait.operation === 'mutex-lock' || wait.operation === 'rwmutex-lock' || wait.operation === 'rwmutex-rlock';
  for (const i of indexes) {
    const cw = cases[i];
    const external = wait.cases[i]?.resource?.external;
    if (external) {
      // Timers, signals and deadlines are fired by the runtime itself: name it as the waker.
      out.push({ function: EXTERNAL_WAKERS[external], group: null, site: { file: wait.site.diskFile ?? wait.site.file, line: wait.site.diskFile ? wait.site.diskLine : wait.site.line } });
      continue;
    }
    const sites = isLock ? [] : wait.cases[i]?.wakerSites ?? [];
    for (const w of reportWakers(cw?.kind === 'sources' ? cw.sources : [], sites)) out.push(w);
  }
  return out;
}

const EXTERNAL_WAKERS: Record<ExternalSource, string> = {
  timer: 'the Go runtime (a timer: always fires)',
  signal: 'the Go runtime (an OS signal)',
  deadline: 'the Go runtime (a context deadline: always fires)',
};

/**
 * A party's waits as the finding lists them: one entry, or for a select that no edge ties into the
 * finding (an orphaned select) one entry per case, so that every resource it waits on is named.
 */
function reportWaits(graph: WaitGraph, party: Party, members: Set<string>): ReportWait[] {
  const wait = party.wait!;
  if (wait.operation !== 'select' || graph.caseInto(party.id, members) !== null) return [reportWait(graph, party, members)];
  const perCase = wait.cases.map((c, i) => (c.resource ? reportWait(graph, party, members, i) : null)).filter((w): w is ReportWait => w !== null);
  return perCase.length > 0 ? perCase : [reportWait(graph, party, members)];
}

function reportWait(graph: WaitGraph, party: Party, members: Set<string>, forCase?: number): ReportWait {
  const wait = party.wait!;
  // For a select, name the case that points into the finding.
  let caseIndex: number | null = forCase ?? null;
  if (wait.operation === 'select' && forCase === undefined) {
    caseIndex = graph.caseInto(party.id, members);
  }
  const resource = wait.resource ?? (caseIndex !== null ? wait.cases[caseIndex]?.resource ?? null : null);
  return {
    group: party.inferred ? null : party.id,
    inferred: party.inferred,
    function: party.identity ?? party.frames[0]?.function ?? '?',
    name: party.name,
    blockedIn: { function: wait.site.function, file: party.inferred ? wait.site.diskFile ?? wait.site.file : wait.site.file, line: wait.site.line },
    operation: wait.operation,
    resource: reportResource(resource, graph),
    wokenBy: partyWakers(graph, party, caseIndex),
  };
}

function describeParty(party: Party): string {
  const who = `\`${party.name}\``;
  if (party.inferred) return `${who} (not in the dump; inferred from the source)`;
  return party.count === 1 ? `${who} (${party.id}, 1 goroutine)` : `${who} (${party.id}, ${count(party.count)} goroutines)`;
}

const OPERATION_WORDS: Record<string, string> = {
  'chan-send': 'sending on',
  'chan-receive': 'receiving from',
  select: 'in a select on',
  'mutex-lock': 'locking',
  'rwmutex-lock': 'write-locking',
  'rwmutex-rlock': 'read-locking',
  'waitgroup-wait': 'waiting on',
  'cond-wait': 'waiting on',
};

function describeWait(party: Party, graph: WaitGraph, members: Set<string>): string {
  const wait = party.wait!;
  const rw = reportWait(graph, party, members);
  const where = `${shortFunction(wait.site.function)} at ${shortFile(rw.blockedIn.file)}:${wait.site.line}`;
  const caseNames = [...new Set(wait.cases.map((c) => c.resource?.expression).filter((e): e is string => !!e))].map((e) => `\`${e}\``);
  const what = rw.resource ? `\`${rw.resource.expression}\` (${rw.resource.name})` : caseNames.length > 0 ? caseNames.join(', ') : 'an unnamed resource';
  const path = party.inferred && wait.inferredPath.length > 1 ? ` via ${wait.inferredPath.map(shortFunction).join(' → ')}` : '';
  const wakers = [...new Set(rw.wokenBy.map((w) => `\`${shortFunction(w.function)}\``))];
  const unnamed = !rw.resource && wait.operation !== 'select';
  const lock = wait.operation === 'mutex-lock' || wait.operation === 'rwmutex-lock' || wait.operation === 'rwmutex-rlock';
  const entries = graph.worldEntryPoints(party.id).map((fn) => `\`${shortFunction(fn)}\``);
  // A waker that some goroutine of the dump runs (or one inferred from the source), not only a site.
  const running = rw.wokenBy.some((w) => w.group) || graph.stuckWakers(party.id).some((q) => q.inferred);
  const wokenBy =
    entries.length > 0 && !running ? `nothing running can wake it unless code outside the program calls ${entries.join(' or ')} (an entry point: an API method, a handler or a callback)`
    : wakers.length > 0 ? `only ${wakers.join(', ')} could ${lock ? 'release it' : 'wake it'}${entries.length > 0 ? `, or code outside the program calling ${entries.join(' or ')}` : ''}`
    : unnamed ? 'what could wake it is unknown without the source'
    : lock ? 'no goroutine in the dump holds it'
    : 'nothing in the program can wake it';
  return `${describeParty(party)} is blocked ${OPERATION_WORDS[wait.operation] ?? 'on'} ${what} in ${where}${path}${wait.site.statement ? ` (\`${wait.site.statement}\`)` : ''}; ${wokenBy}.`;
}

interface Root {
  kind: 'deadlock-cycle' | 'leaked-lock' | 'orphaned-wait';
  members: string[];
  resource: ResourceRef | null;
  behind: string[];
}

/**
 * True when nothing could wake the party: no waker in any case. When the runtime itself said every
 * goroutine is asleep, a wait whose wakers could not be named (no source) counts too: it is stuck
 * for certain even if gridlock cannot say on what.
 */
function nothingWakes(graph: WaitGraph, party: Party, runtimeSaysAllAsleep: boolean): boolean {
  // Go's leak detector proved it: nothing reachable can wake it, whatever gridlock could name.
  if (party.leaked) return true;
  const cw = graph.wakersByParty.get(party.id) ?? [];
  // A party never wakes its own channel, WaitGroup or Cond wait: only others count.
  const none = (source: WakeSource) => source.wakers.every((w) => !source.lock && w.party.id === party.id);
  return cw.every((c) => c.kind === 'never' || (c.kind === 'sources' && c.sources.every(none)) || (c.kind === 'unknown' && runtimeSaysAllAsleep));
}

/** Where a party blocks, on disk when the source was found: `{ file, line }`. */
function waitSpot(party: Party): { file: string; line: number } {
  const site = party.wait!.site;
  return { file: site.diskFile ?? site.file, line: site.diskFile ? site.diskLine : site.line };
}

function at(file: string, line: number): string {
  return `${shortFile(file)}:${line}`;
}

/**
 * What to change in a cycle, derived from what the analysis knows of each party: the locks it
 * holds (where it took them), what it waits for, and who holds that. A party that holds nothing
 * and only waits behind a holder gets no advice: it is not at fault.
 *   - a second Lock (or RLock) of a lock the party holds: say where it took it and where again;
 *     for a read lock with a writer waiting, that the second RLock never returns;
 *   - AB-BA: both acquisition orders, with their lines;
 *   - a lock held across a channel operation whose other side needs that lock: both places.
 */
function cycleFixes(graph: WaitGraph, members: Party[]): ReportFix[] {
  const key = (name: string) => graph.resourceKey(name);
  const held = (p: Party) => graph.held.get(p.id) ?? [];
  const waitsFor = (p: Party) => (isLockWait(p) && p.wait!.resource ? key(p.wait!.resource.name) : null);
  const fixes: ReportFix[] = [];
  for (const p of members) {
    const wait = p.wait!;
    const spot = waitSpot(p);
    const here = `\`${shortFunction(wait.site.function)}\` (${at(spot.file, spot.line)})`;
    const expr = `\`${wait.resource?.expression ?? 'it'}\``;
    const mine = held(p);
    const push = (hint: string) => fixes.push({ ...spot, hint });
    if (isLockWait(p) && wait.resource) {
      const again = mine.find((h) => key(h.resource.name) === waitsFor(p));
      if (again) {
        const first = `\`${shortFunction(again.function)}\` already holds ${expr}`;
        if (again.mode === 'read' && wait.operation === 'rwmutex-rlock') {
          const writers = graph.pendingWritersOf(wait.resource.name).filter((w) => w.party !== p).map((w) => `\`${shortFunction(w.function)}\``);
          push(`${first} for reading (${at(again.file, again.lockLine)}) and takes it again through ${here}; with a writer waiting (${writers.length > 0 ? [...new Set(writers)].join(', ') : 'any Lock'}), the second RLock never returns: do not read-lock again while holding it (pass down what was read, or call a variant that expects the lock held)`);
        } else {
          push(`${first} (locked at ${at(again.file, again.lockLine)}) and locks it again in ${here}: Go mutexes are not reentrant; call a variant that expects the lock held, or unlock first`);
        }
        continue;
      }
      const holder = members.find((q) => q !== p && held(q).some((h) => key(h.resource.name) === waitsFor(p)));
      const mineWanted = mine.find((h) => members.some((q) => q !== p && waitsFor(q) === key(h.resource.name)));
      if (holder && mineWanted) {
        const theirs = held(holder).find((h) => key(h.resource.name) === waitsFor(p))!;
        const other = waitSpot(holder);
        push(
          `\`${shortFunction(mineWanted.function)}\` takes \`${mineWanted.resource.expression}\` (${at(mineWanted.file, mineWanted.lockLine)}) and then ${expr} (${at(spot.file, spot.line)}); ` +
            `\`${shortFunction(theirs.function)}\` takes ${expr} (${at(theirs.file, theirs.lockLine)}) and then \`${mineWanted.resource.expression}\` (${at(other.file, other.line)}): ` +
            `the two orders are opposite; take them in one fixed order everywhere, or release one before taking the other`,
        );
        continue;
      }
      // It holds nothing the others wait for: it only waits behind the holder.
      if (!mine.some((h) => members.some((q) => q !== p && waitsFor(q) === key(h.resource.name)))) continue;
      push(`${here} takes ${expr} while holding a lock another party of the cycle waits for: take the locks in one fixed order everywhere, or release one before taking the other`);
      continue;
    }
    // A lock held across a channel operation (or a WaitGroup/Cond wait) whose other side needs it.
    const acrossWait = mine.find((h) => members.some((q) => q !== p && waitsFor(q) === key(h.resource.name)));
    if (acrossWait) {
      const needs = members.find((q) => q !== p && waitsFor(q) === key(acrossWait.resource.name))!;
      const other = waitSpot(needs);
      const verb = wait.operation === 'chan-send' ? 'sends on' : wait.operation === 'chan-receive' ? 'receives from' : wait.operation === 'select' ? 'waits in a select on' : 'waits on';
      const side = wait.operation === 'chan-send' ? 'the receiver' : wait.operation === 'chan-receive' ? 'the sender' : 'the goroutine that would wake it';
      push(
        `\`${shortFunction(acrossWait.function)}\` holds \`${acrossWait.resource.expression}\` (locked at ${at(acrossWait.file, acrossWait.lockLine)}) while it ${verb} ${expr} (${at(spot.file, spot.line)}); ` +
          `${side} needs \`${acrossWait.resource.expression}\` first (\`${shortFunction(needs.wait!.site.function)}\`, ${at(other.file, other.line)}): ` +
          `unlock before this wait, or hand it to a goroutine of its own${wait.operation === 'chan-send' ? ' (or buffer the channel)' : ''}`,
      );
      continue;
    }
    // A channel wait whose only wakers are parties of the cycle, themselves blocked: name them.
    const wakers = graph.stuckWakers(p.id).filter((q) => q !== p && members.includes(q));
    if ((wait.operation === 'chan-send' || wait.operation === 'chan-receive' || wait.operation === 'select') && wakers.length > 0) {
      const q = wakers[0];
      const qWait = q.wait!;
      const verb = wait.operation === 'chan-send' ? 'sends on' : wait.operation === 'chan-receive' ? 'receives from' : 'waits in a select on';
      const role = wait.operation === 'chan-send' ? 'receiver' : wait.operation === 'chan-receive' ? 'sender' : 'counterpart';
      const qExpr = qWait.resource?.expression ?? qWait.cases.find((c) => c.resource)?.resource?.expression;
      push(
        `\`${shortFunction(wait.site.function)}\` ${verb} ${expr}; its only ${role}, \`${q.name}\`, is itself blocked ${OPERATION_WORDS[qWait.operation] ?? 'on'} ${qExpr ? `\`${qExpr}\`` : 'a channel'} (party ${q.id}): ` +
          `break the circle here (buffer it, add a quit case, or hand it to a new goroutine)`,
      );
      continue;
    }
    push(cycleFixHint(p, members.length === 1));
  }
  return fixes;
}

/** What to change at a cycle party's blocking line when no lock explains it, by the kind of wait. */
function cycleFixHint(party: Party, self: boolean): string {
  const wait = party.wait!;
  const where = shortFunction(wait.site.function);
  const expr = wait.resource?.expression ?? 'this resource';
  switch (wait.operation) {
    case 'mutex-lock':
    case 'rwmutex-lock':
    case 'rwmutex-rlock':
      return self
        ? `${where} locks ${expr} again while this goroutine already holds it: Go mutexes are not reentrant; call a variant that expects the lock held, or unlock first`
        : `${where} takes ${expr} while holding a lock the other party waits for: take the locks in one fixed order everywhere, or release one before taking the other`;
    case 'waitgroup-wait':
      return `${where} waits for ${expr} while the goroutines it waits for are blocked on it: wait after draining what they send, or wait in a goroutine of its own`;
    case 'cond-wait':
      return `${where} waits on ${expr} while the goroutine that would signal is blocked on it`;
    default:
      return `${where} blocks here inside the cycle: make this ${wait.operation === 'chan-receive' ? 'receive' : wait.operation === 'select' ? 'select' : 'send'} unable to block forever (a buffered channel, a select with a quit case, or a hand-off to a new goroutine)`;
  }
}

/** `\`s.reqs\` or \`s.quit\``: the channels of a select, for a title. */
function selectCases(party: Party | undefined): string | null {
  const names = [...new Set((party?.wait?.cases ?? []).map((c) => c.resource?.expression).filter((e): e is string => !!e))];
  return names.length > 0 ? names.map((e) => `\`${e}\``).join(' or ') : null;
}

function isLockWait(party: Party): boolean {
  const op = party.wait?.operation;
  return op === 'mutex-lock' || op === 'rwmutex-lock' || op === 'rwmutex-rlock';
}

export function buildFindings(context: FindingContext): ReportFinding[] {
  const { graph } = context;
  const stuck = [...graph.stuck].filter((id) => !graph.party(id).wait?.intentionalPark);
  const stuckSet = new Set(stuck);
  const roots: Root[] = [];
  const rootOf = new Map<string, Root>();

  for (const cycle of stuckCycles(graph, stuck)) {
    const root: Root = { kind: 'deadlock-cycle', members: cycle, resource: null, behind: [] };
    roots.push(root);
    for (const id of cycle) rootOf.set(id, root);
  }
  // Dead ends of the graph: stuck with no waker at all.
  const byResource = new Map<string, Root>();
  for (const id of stuck) {
    if (rootOf.has(id)) continue;
    const party = graph.party(id);
    if (!nothingWakes(graph, party, context.runtimeSaysAllAsleep)) continue;
    const resource = party.wait?.resource ?? null;
    // A lock is leaked only when it is named and nobody holds it; an unnamed wait that the runtime
    // says is asleep is reported as one orphaned wait, whatever it waits on.
    const kind = isLockWait(party) && resource ? 'leaked-lock' : 'orphaned-wait';
    // One finding per value-flow class: `e.cond.L` and `e.mu` are one lock.
    const key = `${kind}|${resource ? graph.resourceKey(resource.name) : context.runtimeSaysAllAsleep ? 'runtime-asleep' : id}`;
    let root = byResource.get(key);
    if (!root) {
      root = { kind, members: [], resource, behind: [] };
      byResource.set(key, root);
      roots.push(root);
    }
    root.members.push(id);
    rootOf.set(id, root);
  }
  // Everyone else stuck waits, through a chain, behind one of the roots: find the nearest.
  const chainTo = chainsToRoots(graph, stuckSet, rootOf);
  for (const [id, path] of chainTo) rootOf.get(path[path.length - 1])!.behind.push(id);

  const findings: ReportFinding[] = roots.map((root) => rootFinding(context, root));
  roots.forEach((root, i) => {
    for (const id of root.behind) {
      const party = graph.party(id);
      if (party.count >= PILE_UP_MIN) findings.push(pileUpFinding(context, party, chainTo.get(id)!, findings[i], root.members));
    }
  });
  findings.push(...pollingLeakFindings(context));
  findings.push(...longWaitFindings(context, new Set([...rootOf.keys(), ...chainTo.keys()])));
  const weight = (f: ReportFinding) => f.waits.reduce((sum, w) => sum + (w.group ? graph.party(w.group).count : 0), 0);
  return findings
    .map((f, i) => ({ f, i, w: weight(f) }))
    .sort((a, b) => KIND_RANK[a.f.kind] - KIND_RANK[b.f.kind] || CONFIDENCE_RANK[a.f.confidence] - CONFIDENCE_RANK[b.f.confidence] || b.w - a.w || a.i - b.i)
    .map(({ f }) => f);
}

/**
 * Circular waits among the stuck parties: strongly connected components of the bipartite graph
 * party → source it waits on → stuck party that would perform it. A component holds a cycle when
 * it has two nodes or more (a party and a source it itself performs: a self-deadlock). Linear.
 */
function stuckCycles(graph: WaitGraph, stuck: string[]): string[][] {
  const nodes: string[] = [];
  const edges: Edge[] = [];
  const seenSources = new Set<string>();
  for (const id of stuck) {
    nodes.push(`P${id}`);
    for (const source of graph.stuckSourcesOf(id)) {
      edges.push({ from: `P${id}`, to: `S${source.key}` });
      if (seenSources.has(source.key)) continue;
      seenSources.add(source.key);
      nodes.push(`S${source.key}`);
      const runners = new Set<string>();
      for (const w of source.wakers) if (graph.stuck.has(w.party.id) && !w.party.wait?.intentionalPark) runners.add(w.party.id);
      for (const runner of runners) edges.push({ from: `S${source.key}`, to: `P${runner}` });
    }
  }
  // One party alone is in a cycle only through a lock it holds: it never wakes its own channel,
  // WaitGroup or Cond wait, even when its future (after that wait) would operate on the same class.
  const lockKeys = new Set([...seenSources].filter((key) => key.startsWith('holders|') || key.startsWith('readers|')));
  return findCycles(nodes, edges)
    .filter((component) => component.filter((node) => node.startsWith('P')).length > 1 || component.some((node) => node.startsWith('S') && lockKeys.has(node.slice(1))))
    .map((component) => component.filter((node) => node.startsWith('P')).map((node) => node.slice(1)))
    .filter((parties) => parties.length > 0);
}

/**
 * For every stuck party outside the roots, the shortest chain of waits from it to a root party
 * (start first, root last): one breadth-first walk backwards from all roots at once, along "who
 * is held up by whom". Linear in the graph.
 */
function chainsToRoots(graph: WaitGraph, stuck: Set<string>, rootOf: Map<string, Root>): Map<string, string[]> {
  const next = new Map<string, string | null>();
  let frontier = [...rootOf.keys()];
  for (const id of frontier) next.set(id, null);
  while (frontier.length > 0) {
    const following: string[] = [];
    for (const id of frontier) {
      for (const waiter of graph.waitersOn(id)) {
        if (next.has(waiter.id) || !stuck.has(waiter.id)) continue;
        next.set(waiter.id, id);
        following.push(waiter.id);
      }
    }
    frontier = following;
  }
  const chains = new Map<string, string[]>();
  for (const [id, step] of next) {
    if (step === null) continue;
    const path = [id];
    for (let at: string | null | undefined = step; at; at = next.get(at)) path.push(at);
    chains.set(id, path);
  }
  return chains;
}

/**
 * How sure a root finding is (DESIGN.md, "Stuck, and how sure"): `certain` only when the dump is
 * complete, every party's frames are the program's own code or known library code, goroutines
 * could be told apart, and no waker is code the world might still call; `likely` when an instance
 * had to be assumed or a future is approximated; `possible` when a party is inferred or the only
 * waker is an entry point (an API method, a handler) that some future caller might still run.
 */
function confidenceOf(context: FindingContext, parties: Party[], strongEvidence: boolean): Confidence {
  if (context.runtimeSaysAllAsleep) return 'certain';
  if (parties.some((p) => p.leaked)) return 'certain';
  if (parties.some((p) => p.inferred)) return 'possible';
  const resolved = parties.every((p) => p.wait && (p.wait.resource || p.wait.operation === 'select'));
  if (!resolved) return 'possible';
  if (parties.some((p) => context.graph.wokenOnlyByWorld(p.id))) return 'possible';
  // A future is approximated when a frame is code the index lacks; lock holders are read off the
  // stacks, not futures, so a lock wait is not approximated by it.
  const approximated = parties.some((p) => !isLockWait(p) && p.frames.some((f) => f.place === 'outside' || (f.place === 'code' && !f.fn)));
  const moved = parties.some((p) => p.wait?.moved !== undefined);
  if (context.partial || !strongEvidence || !context.idsPrinted || approximated || moved) return 'likely';
  return 'certain';
}

/** Crowds named in a root finding's explanation; the rest are counted. */
const CROWDS_NAMED = 5;
/**
 * Parties behind a root listed as waits of its finding, largest first: the picture shows the
 * crowds that matter, not every small group of a dump with tens of thousands of them.
 */
export const BEHIND_LISTED = 12;

function goroutinesIn(parties: Party[]): number {
  return parties.reduce((sum, p) => sum + p.count, 0);
}

function largestFirst(graph: WaitGraph, ids: string[]): Party[] {
  return ids.map((id) => graph.party(id)).sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function crowdSentence(graph: WaitGraph, behind: string[]): string {
  if (behind.length === 0) return '';
  const total = behind.reduce((sum, id) => sum + graph.party(id).count, 0);
  const largest = largestFirst(graph, behind);
  const parts = largest.slice(0, CROWDS_NAMED).map((p) => {
    const res = p.wait?.resource?.expression ?? p.wait?.cases.find((c) => c.resource)?.resource?.expression;
    return `${count(p.count)} in \`${shortFunction(p.wait?.site.function ?? p.identity ?? '?')}\` (${p.id}${res ? `, ${OPERATION_WORDS[p.wait!.operation] ?? 'on'} \`${res}\`` : ''})`;
  });
  const rest = largest.length - parts.length;
  if (rest > 0) parts.push(`and ${count(rest)} smaller group${rest === 1 ? '' : 's'}`);
  return ` Behind it ${total === 1 ? '1 more goroutine waits' : `${count(total)} more goroutines wait`}: ${parts.join(', ')}.`;
}

function rootFinding(context: FindingContext, root: Root): ReportFinding {
  const { graph } = context;
  // A cycle is shown whole; the waiters of a leaked lock or an orphaned resource all wait alike,
  // so the largest few stand for the rest.
  const allMembers = root.members.map((id) => graph.party(id));
  const members = root.kind === 'deadlock-cycle' ? allMembers : largestFirst(graph, root.members).slice(0, BEHIND_LISTED);
  const unlisted = allMembers.length - members.length;
  const memberSet = new Set(root.members);
  const allIds = new Set([...root.members, ...root.behind]);
  const memberWaits = members.flatMap((p) => reportWaits(graph, p, allIds));
  const listedBehind = largestFirst(graph, root.behind).slice(0, BEHIND_LISTED);
  const waits = [...memberWaits, ...listedBehind.flatMap((p) => reportWaits(graph, p, allIds))];
  const names = [...new Set(members.map((p) => `\`${p.name}\``))];
  if (unlisted > 0) names.push(`${count(unlisted)} more group${unlisted === 1 ? '' : 's'}`);
  const resources = [...new Set(memberWaits.map((w) => w.resource?.expression).filter((r): r is string => !!r))];
  const memberText =
    members.map((p) => describeWait(p, graph, memberSet)).join(' ') +
    (unlisted > 0 ? ` ${count(unlisted)} more group${unlisted === 1 ? ' waits' : 's wait'} the same way (${count(goroutinesIn(allMembers) - goroutinesIn(members))} goroutines).` : '');
  const crowd = crowdSentence(graph, root.behind);
  if (root.kind === 'deadlock-cycle') {
    const self = members.length === 1;
    const title = self
      ? `Self-deadlock: ${names[0]} waits on itself through ${resources[0] ? `\`${resources[0]}\`` : 'a lock it holds'}`
      : `Deadlock: ${names.join(' and ')} wait on each other (${resources.map((r) => `\`${r}\``).join(', ')})`;
    const explanation = `${memberText} ${self ? 'It waits on itself, so it can never proceed' : 'Each waits on the next, so none of them can ever proceed: a circular wait'}.${crowd}`;
    const fixes = cycleFixes(graph, members);
    return finalize({ kind: 'deadlock-cycle', confidence: confidenceOf(context, members, true), title, explanation, waits, fixes });
  }
  if (root.kind === 'leaked-lock') {
    const expr = root.resource?.expression ?? 'the lock';
    const fixes = leakyReturnFixes(context.index, root.resource?.name ?? '');
    const where = fixes.length > 0
      ? ` Code paths that return while holding it: ${fixes.map((f) => `${f.hint.split(' ')[0]} at ${shortFile(f.file)}:${f.line}`).join(', ')}.`
      : ' No code path that returns while holding it was found; look for a goroutine that exited or panicked while holding it.';
    const title = `Leaked lock: \`${expr}\` is held by no goroutine, yet ${names.join(', ')} wait${members.length === 1 ? 's' : ''} for it`;
    const explanation = `${memberText} So ${root.resource ? `\`${root.resource.name}\`` : 'the lock'} was locked and never unlocked.${where}${crowd}`;
    // Without wait states, "no holder" may be a hand-off caught mid-way: at most possible then.
    const confidence = context.statesPrinted ? confidenceOf(context, members, fixes.length > 0) : 'possible';
    return finalize({ kind: 'leaked-lock', confidence, title, explanation, waits, fixes });
  }
  const expr = root.resource?.expression;
  const title = !expr && context.runtimeSaysAllAsleep
    ? `All goroutines are asleep: ${names.join(', ')} can never proceed (run with --source to name what they wait on)`
    : `Orphaned wait: ${names.join(', ')} wait${members.length === 1 ? 's' : ''} on ${expr ? `\`${expr}\`` : selectCases(members[0]) ?? 'a resource'} that nothing will ever wake`;
  const noSites = members.every((p) => p.wait!.cases.every((c) => c.neverReady || c.wakerSites.length === 0));
  const unnamed = members.every((p) => !p.wait!.resource && p.wait!.cases.every((c) => !c.resource));
  const leakedByRuntime = members.some((p) => p.leaked);
  const why = leakedByRuntime
    ? `Go's leak detector marked ${members.length === 1 ? 'it' : 'them'} \`(leaked)\`: the garbage collector found nothing still running that can reach what ${members.length === 1 ? 'it waits' : 'they wait'} on, so this wait never ends`
    : unnamed && context.runtimeSaysAllAsleep
    ? 'The Go runtime itself reported that all goroutines are asleep, so this wait never ends; give gridlock the source (--source DIR) to name what it waits on and who could end it'
    : noSites ? 'No code operates on it from the other side: a goroutine leak'
    : members.some((p) => graph.wokenOnlyByWorld(p.id)) ? 'No goroutine in the dump serves callers from outside, so if nothing ever calls those, this is a goroutine leak'
    : 'The code that could wake it runs in no goroutine of the dump: a goroutine leak';
  const explanation = `${memberText} ${why}.${crowd}`;
  // Wakers that are statements of their own (not a select's case, which may not be the one taken).
  const wakerLines = members.flatMap((p) => p.wait!.cases.flatMap((c) => c.wakerSites.filter((site) => !/^case\b/.test(site.statement)).map((site) => ({ fn: site.function, line: site.line }))));
  const fixes: ReportFix[] = localChannelFixes(context.index, root.resource, wakerLines);
  for (const fix of skippedWakerFixes(context.index, members)) if (!fixes.some((f) => f.file === fix.file && f.line === fix.line)) fixes.push(fix);
  for (const p of members) {
    const file = p.wait!.site.diskFile ?? p.wait!.site.file;
    const line = p.wait!.site.diskFile ? p.wait!.site.diskLine : p.wait!.site.line;
    if (fixes.some((f) => f.file === file && f.line === line)) continue;
    fixes.push({ file, line, hint: 'waits forever here: give this wait a way out (a quit/ctx.Done case) or make sure the other side always completes' });
  }
  return finalize({ kind: 'orphaned-wait', confidence: confidenceOf(context, members, noSites || !context.partial), title, explanation, waits, fixes });
}

const ROOT_WORDS: Record<Root['kind'], string> = { 'deadlock-cycle': 'deadlock', 'leaked-lock': 'leaked lock', 'orphaned-wait': 'orphaned wait' };

function pileUpFinding(context: FindingContext, party: Party, chain: string[], root: ReportFinding, rootMembers: string[]): ReportFinding {
  const { graph } = context;
  const ids = new Set(chain);
  const waits = chain.map((id) => reportWait(graph, graph.party(id), ids));
  const rootParties = [...new Set(rootMembers.map((id) => `\`${graph.party(id).name}\``))];
  const behind = rootParties.length > 0 ? ` of ${rootParties.slice(0, 3).join(' and ')}` : '';
  const title = `Pile-up: ${count(party.count)} goroutines in \`${shortFunction(party.wait?.site.function ?? '?')}\` stuck behind the ${ROOT_WORDS[root.kind as Root['kind']] ?? root.kind}${behind}`;
  const explanation = `${describeWait(party, graph, ids)} They cannot proceed until the ${root.kind} it leads to is resolved (${chain.map((id) => graph.party(id)).map((p) => `\`${p.name}\``).join(' → ')}).`;
  return finalize({ kind: 'pile-up', confidence: root.confidence, title, explanation, waits, fixes: [] });
}

/**
 * A polling loop that can never stop (DESIGN.md, layer 4): `for { select { case <-ctx.Done():
 * return; case <-t.C: … } }` where nothing live can ever end ctx. It is never blocked for good (the
 * ticker fires), so it is no stuck wait; it is leaked all the same when every way out of the loop
 * lies in a case nothing can wake. Reported as an orphaned wait of confidence `likely` at most.
 */
function pollingLeakFindings(context: FindingContext): ReportFinding[] {
  const { graph, index } = context;
  if (!index || context.partial) return [];
  const out: ReportFinding[] = [];
  for (const party of graph.parties) {
    const wait = party.wait;
    if (!wait || party.activity !== 'blocked' || wait.operation !== 'select' || graph.stuck.has(party.id) || party.inferred) continue;
    const ticks = wait.cases.map((c) => c.resource?.external === 'timer');
    const never = wait.cases.map((c, i) => !ticks[i] && !graph.caseMayWake(party.id, i));
    // Every case is a tick or can never happen, with at least one of each (a `default` is neither).
    if (!wait.cases.every((_, i) => ticks[i] || never[i]) || !ticks.some(Boolean) || !never.some(Boolean)) continue;
    const fn = wait.site.diskFile ? functionAt(index, wait.site.diskFile, wait.site.diskLine) : null;
    const lines = fn ? index.files.get(fn.file)?.lines : undefined;
    if (!fn || !lines) continue;
    const at = wait.site.diskLine;
    let loop: [number, number] | null = null;
    for (let i = 0; i + 1 < fn.loops.length; i += 2) if (fn.loops[i] < at && fn.loops[i + 1] >= at && (!loop || fn.loops[i] > loop[0])) loop = [fn.loops[i], fn.loops[i + 1]];
    // `for {` alone: a loop condition is a way out.
    if (!loop || !/^\s*for\s*\{/.test(lines[loop[0] - 1] ?? '')) continue;
    // The ways out of the loop must all lie in the cases that never happen.
    const caseLines = wait.cases.map((c) => c.lines[0] ?? 0);
    const sorted = [...caseLines].filter((l) => l > 0).sort((a, b) => a - b);
    const bodyOf = (i: number): [number, number] => {
      const start = caseLines[i];
      const next = sorted.find((l) => l > start);
      return [start, next !== undefined ? next - 1 : loop![1]];
    };
    const dead = wait.cases.map((_, i) => i).filter((i) => never[i] && caseLines[i] > 0).map(bodyOf);
    const inDead = (l: number) => dead.some(([a, b]) => l >= a && l <= b);
    let exits = false;
    for (let l = loop[0] + 1; l <= loop[1] && !exits; l++) {
      if (inDead(l)) continue;
      if (/\b(?:return|goto|panic\(|os\.Exit\(|log\.Fatal)|\bbreak\s+\w+/.test((lines[l - 1] ?? '').replace(/\/\/.*$/, ''))) exits = true;
    }
    if (exits) continue;
    const waits = wait.cases.map((_, i) => i).filter((i) => never[i]).map((i) => reportWait(graph, party, new Set([party.id]), i));
    const names = wait.cases.filter((_, i) => never[i]).map((c) => `\`${c.resource?.expression ?? '?'}\``);
    out.push(finalize({
      kind: 'orphaned-wait',
      confidence: 'likely',
      title: `Orphaned wait: \`${shortFunction(party.wait!.site.function)}\` polls forever: its only way out, ${names.join(', ')}, can never happen`,
      explanation: `${describeParty(party)} loops in a select at ${shortFile(wait.site.file)}:${wait.site.line}; its timer keeps it running, but every way out of the loop lies in ${names.join(', ')}, which nothing still running can end (for a context: no reachable code calls its cancel function). The goroutine is leaked though never blocked for good.`,
      waits,
      fixes: [{ file: fn.file, line: at, hint: `nothing can end ${names.join(', ')}: keep the cancel function and call it when the poller should stop` }],
    }));
  }
  return out;
}

function longWaitFindings(context: FindingContext, inFindings: Set<string>): ReportFinding[] {
  const { graph } = context;
  const waiting = graph.parties.filter((p) => p.waitMinutes && p.activity === 'blocked');
  if (waiting.length < 2) return [];
  const sorted = waiting.map((p) => p.waitMinutes!.max).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return waiting
    .filter((p) => !inFindings.has(p.id) && p.waitMinutes!.max >= LONG_WAIT_MIN_MINUTES && p.waitMinutes!.max >= LONG_WAIT_FACTOR * Math.max(median, 1))
    .map((p) =>
      finalize({
        kind: 'long-wait',
        confidence: 'possible',
        title: `Long wait: ${describeParty(p)} blocked for ${p.waitMinutes!.max} minutes (others: ${median})`,
        explanation: `${describeWait(p, graph, new Set([p.id]))} It has waited far longer than its peers; the dump alone does not show it stuck, but it deserves a look.`,
        waits: [reportWait(graph, p, new Set([p.id]))],
        fixes: [],
      }),
    );
}

function finalize(finding: Omit<ReportFinding, 'mermaid'>): ReportFinding {
  // The diagram is drawn by the report stage once the whole report exists.
  return { ...finding, mermaid: '' };
}
