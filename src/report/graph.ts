// The wait-for graph the Mermaid, DOT and HTML renderers draw: one node per party (a goroutine
// group, a party inferred from source, or a waker that is not in the dump), one edge per
// "waits for" relation from waiter to waker, labelled with the operation and the resource.
// Built from the report alone; the cost is linear in the findings' waits and wakers.

import type { Report, ReportFinding, ReportGroup, ReportWait, ReportWaker } from '../analysis/types.js';
import { formatCount } from './format.js';
import { baseName, shortFunction, shortResource } from './paths.js';

export type PartyRole =
  /** A party of a finding that others wait on or that waits on another party. */
  | 'party'
  /** A group waiting behind a party, with nobody waiting on it: a pile-up. */
  | 'crowd'
  /** A party the analysis inferred from source: no goroutine in the dump runs it. */
  | 'inferred'
  /** A waker named by the analysis that is not running in the dump and is not itself a party. */
  | 'absent'
  /** A waker group that is in the dump but not stuck in this finding. */
  | 'other'
  /** The sink of waits that nothing can wake. */
  | 'nobody';

export interface PartyNode {
  /** Stable key: the group id, `fn:<function>` for inferred / absent parties, `nobody`. */
  key: string;
  role: PartyRole;
  /** Full traceback name of the party's identity (or waker function). */
  function: string;
  group: string | null;
  /** Goroutines in the group; null for inferred, absent and nobody nodes. */
  count: number | null;
  /** Where the party is blocked, when known: `server.go:2341 RelayInventory`. */
  blockedAt: string | null;
  /** The function it is blocked in, when that is not the party's own: `main.(*server).RelayInventory`. */
  blockedIn: string | null;
  /** Index of the first finding this party belongs to, or -1 for wakers only. */
  finding: number;
  /**
   * A crowd whose members wait on one another (only their own group could wake them): said in the
   * label, not drawn as a loop, which would read as one goroutine waiting on itself.
   */
  waitsOnItself?: boolean;
}

export interface WaitEdge {
  from: string;
  to: string;
  operation: string;
  /** Canonical resource name, or '' when the analysis could not name it. */
  resource: string;
  /** `chan-send relayInv`. */
  label: string;
  /** True when the waiter or the waker is inferred: drawn dashed. */
  inferred: boolean;
}

export interface WaitGraph {
  nodes: PartyNode[];
  edges: WaitEdge[];
}

// Renderers draw one finding at a time; these per-report indexes are built once per report object
// (a report is plain data that is not changed once rendering starts).
const groupIndexes = new WeakMap<Report, Map<string, ReportGroup>>();
const partyKeyIndexes = new WeakMap<Report, { keys: Set<string>; functions: Set<string> }[]>();

export function groupsById(report: Report): Map<string, ReportGroup> {
  let byId = groupIndexes.get(report);
  if (!byId) {
    byId = new Map<string, ReportGroup>();
    for (const group of report.groups) byId.set(group.id, group);
    groupIndexes.set(report, byId);
  }
  return byId;
}

/** The short label of a party: `peerHandler ×1`, `peerHandler (inferred)`. */
export function partyLabel(node: PartyNode): string {
  const name = shortFunction(node.function);
  switch (node.role) {
    case 'inferred':
      return `${name} (inferred)`;
    case 'absent':
      return `${name} (not in dump)`;
    case 'nobody':
      return 'no waker';
    default:
      if (node.count === null) return name;
      return `${name} ×${formatCount(node.count)}${node.waitsOnItself ? ' (waiting on one another)' : ''}`;
  }
}

export function edgeLabel(operation: string, resource: string): string {
  return resource === '' ? operation : `${operation} ${shortResource(resource)}`;
}

function waitKey(wait: ReportWait): string {
  return wait.group ?? `fn:${wait.function}`;
}

/**
 * The node a waker stands for: its group when the analysis names one; else the inferred party
 * running that function; else a group whose identity is that function; else an absent node.
 */
function wakerKey(waker: ReportWaker, partyKeysByFunction: Map<string, string>): string {
  if (waker.group) return waker.group;
  return partyKeysByFunction.get(waker.function) ?? `fn:${waker.function}`;
}

/** The node keys a finding's waits stand for, with the identity functions they run. */
function partyKeysOf(finding: ReportFinding): { keys: Set<string>; functions: Set<string> } {
  const keys = new Set<string>();
  const functions = new Set<string>();
  for (const wait of finding.waits) {
    keys.add(waitKey(wait));
    functions.add(wait.function);
  }
  return { keys, functions };
}

function wakerHits(finding: ReportFinding, parties: { keys: Set<string>; functions: Set<string> }): boolean {
  return finding.waits.some((wait) =>
    wait.wokenBy.some((waker) => (waker.group ? parties.keys.has(waker.group) : parties.functions.has(waker.function))),
  );
}

/**
 * Which findings one finding's graph draws: the finding itself; the pile-ups whose waits end at
 * its parties (the crowds waiting behind it); and, for a pile-up, the findings its crowds wait
 * behind (the chain down to the root). Followed transitively; linear in findings per step.
 */
export function relatedFindings(report: Report, findingIndex: number): number[] {
  if (report.findings[findingIndex] === undefined) return [];
  const chosen = [findingIndex];
  let parties = partyKeyIndexes.get(report);
  if (!parties) partyKeyIndexes.set(report, (parties = report.findings.map(partyKeysOf)));
  let grew = true;
  while (grew) {
    grew = false;
    report.findings.forEach((finding, index) => {
      if (chosen.includes(index)) return;
      const crowdBehindChosen = finding.kind === 'pile-up' && chosen.some((c) => wakerHits(finding, parties[c]));
      const rootOfChosenPileUp = chosen.some((c) => report.findings[c].kind === 'pile-up' && wakerHits(report.findings[c], parties[index]));
      if (crowdBehindChosen || rootOfChosenPileUp) {
        chosen.push(index);
        grew = true;
      }
    });
  }
  return chosen;
}

/** The wait-for graph of the given findings (all of them when `findingIndexes` is omitted). */
export function buildWaitGraph(report: Report, findingIndexes?: number[]): WaitGraph {
  const indexes = findingIndexes ?? report.findings.map((_, index) => index);
  const groups = groupsById(report);
  const nodes = new Map<string, PartyNode>();
  const edges = new Map<string, WaitEdge>();
  const pileUpKeys = new Set<string>();

  // Parties first, so that wakers resolve to them.
  const partyKeysByFunction = new Map<string, string>();
  for (const index of indexes) {
    const finding = report.findings[index];
    if (finding === undefined) continue;
    for (const wait of finding.waits) {
      const key = waitKey(wait);
      if (finding.kind === 'pile-up') pileUpKeys.add(key);
      if (nodes.has(key)) continue;
      const group = wait.group ? groups.get(wait.group) : undefined;
      nodes.set(key, {
        key,
        role: wait.inferred || wait.group === null ? 'inferred' : 'party',
        function: wait.function,
        group: wait.group,
        count: group ? group.count : null,
        blockedAt: `${baseName(wait.blockedIn.file)}:${wait.blockedIn.line} ${shortFunction(wait.blockedIn.function)}`,
        blockedIn: wait.blockedIn.function !== wait.function ? wait.blockedIn.function : null,
        finding: index,
      });
      if (!partyKeysByFunction.has(wait.function)) partyKeysByFunction.set(wait.function, key);
    }
  }
  // Groups whose identity is a waker function, so that `wokenBy` without a group still lands on them.
  for (const node of nodes.values()) {
    if (node.group && !partyKeysByFunction.has(node.function)) partyKeysByFunction.set(node.function, node.key);
  }

  for (const index of indexes) {
    const finding = report.findings[index];
    if (finding === undefined) continue;
    for (const wait of finding.waits) {
      const from = waitKey(wait);
      const resource = wait.resource?.name ?? '';
      const wakerKeys = wait.wokenBy.map((waker) => {
        const key = wakerKey(waker, partyKeysByFunction);
        if (!nodes.has(key)) {
          const group = waker.group ? groups.get(waker.group) : undefined;
          nodes.set(key, {
            key,
            role: group ? 'other' : 'absent',
            function: group?.identity ?? waker.function,
            group: waker.group ?? null,
            count: group ? group.count : null,
            blockedAt: null,
            blockedIn: null,
            finding: -1,
          });
        }
        return key;
      });
      if (wakerKeys.length === 0) {
        if (!nodes.has('nobody')) {
          nodes.set('nobody', {
            key: 'nobody',
            role: 'nobody',
            function: '',
            group: null,
            count: null,
            blockedAt: null,
            blockedIn: null,
            finding: -1,
          });
        }
        wakerKeys.push('nobody');
      }
      for (const to of new Set(wakerKeys)) {
        const fromNode = nodes.get(from);
        if (to === from && (fromNode?.count ?? 0) > 1) {
          fromNode!.waitsOnItself = true;
          continue;
        }
        const edgeKey = `${from}\u0000${to}\u0000${wait.operation}\u0000${resource}`;
        if (edges.has(edgeKey)) continue;
        const toNode = nodes.get(to);
        edges.set(edgeKey, {
          from,
          to,
          operation: wait.operation,
          resource,
          label: edgeLabel(wait.operation, resource),
          inferred: wait.inferred || toNode?.role === 'inferred',
        });
      }
    }
  }

  // A crowd is a group waiting behind a party that nobody waits on in turn: a pile-up.
  const hasIncoming = new Set<string>();
  for (const edge of edges.values()) if (edge.from !== edge.to) hasIncoming.add(edge.to);
  for (const node of nodes.values()) {
    if (node.role !== 'party') continue;
    if (pileUpKeys.has(node.key) && !hasIncoming.has(node.key)) node.role = 'crowd';
    else if ((node.count ?? 0) > 1 && !hasIncoming.has(node.key)) node.role = 'crowd';
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** Where a waker is itself stuck: a wait of some finding (this finding first), or null. */
export interface StuckWaker {
  finding: number;
  wait: number;
  inferred: boolean;
}

function waitOfWaker(finding: ReportFinding, waker: ReportWaker): number {
  if (waker.group) return finding.waits.findIndex((wait) => wait.group === waker.group);
  return finding.waits.findIndex((wait) => wait.function === waker.function);
}

export function findStuckWaker(report: Report, findingIndex: number, waker: ReportWaker): StuckWaker | null {
  const order = [findingIndex, ...report.findings.map((_, index) => index).filter((index) => index !== findingIndex)];
  for (const index of order) {
    const finding = report.findings[index];
    if (finding === undefined) continue;
    const wait = waitOfWaker(finding, waker);
    if (wait < 0) continue;
    const party = finding.waits[wait];
    return { finding: index, wait, inferred: party.inferred || party.group === null };
  }
  return null;
}

/** `[2]` for a wait of the same finding, `finding 1 [2]` for another one's. */
export function stuckWakerRef(stuck: StuckWaker, findingIndex: number): string {
  return stuck.finding === findingIndex ? `[${stuck.wait + 1}]` : `finding ${stuck.finding + 1} [${stuck.wait + 1}]`;
}
