// The analysis stage: groups and source facts in, report groups and ranked findings out.

import type { GoroutineGroup } from '../dump/index.js';
import type { Snapshot } from '../dump/types.js';
import type { PathMapping, SourceIndex } from '../source/types.js';
import { CodeGraph } from './code-graph.js';
import { buildFindings, partyWakers, reportResource } from './findings.js';
import { inferMissingParties } from './infer.js';
import type { Party } from './model.js';
import { resolveParties } from './resolve.js';
import { checkFramesAgainstSource } from './source-check.js';
import { explainParty } from './explain.js';
import type { ReportBlocking, ReportCoverage, ReportFinding, ReportGroup } from './types.js';
import { WaitGraph } from './wait-graph.js';
import { Futures } from './future.js';
import { coverageOf } from './coverage.js';

export type * from './types.js';
export { CONTRACT_VERSION } from './types.js';

export interface Diagnosis {
  groups: ReportGroup[];
  findings: ReportFinding[];
  coverage: ReportCoverage;
  /** Blocked lines whose source holds no matching operation (the source is likely another version). */
  mismatches: string[];
  /** Parties of the wait-for graph, inferred ones included, for renderers that need more than the report. */
  parties: Party[];
  /** How the verdict on one group (`G3`) or inferred party (`I1`) was reached, as lines of text. */
  explain: (id: string) => string[];
}

/** True when the dump is known to leave goroutines out. */
export function isPartial(snapshot: Snapshot): boolean {
  const read = snapshot.goroutines.reduce((sum, g) => sum + g.count, 0);
  return (snapshot.declaredTotal !== null && snapshot.declaredTotal > read) || snapshot.goroutines.some((g) => g.truncated) || snapshot.format === 'flattened';
}

export function diagnose(snapshot: Snapshot, groups: GoroutineGroup[], index: SourceIndex | null, mapping: PathMapping | null): Diagnosis {
  const graph = index ? new CodeGraph(index) : null;
  const { parties, mismatches } = resolveParties(groups, index, mapping, graph);
  if (index && mapping) mismatches.unshift(...checkFramesAgainstSource(groups, index, mapping));
  const partial = isPartial(snapshot);
  const runtimeSaysAllAsleep = /all goroutines are asleep/.test(snapshot.reason ?? '');
  const testsInBinary = snapshot.goroutines.some((g) => g.frames.some((f) => f.file.endsWith('_test.go')));
  const futures = index ? new Futures(index, testsInBinary) : null;
  const allParties = partial && graph && futures ? [...parties, ...inferMissingParties(parties, graph, futures)] : parties;
  const waitGraph = new WaitGraph(allParties, graph, { partial, runtimeSaysAllAsleep, futures });
  // debug=1 and protobuf profiles print no goroutine ids: instances are assumed, not told apart.
  const idsPrinted = snapshot.goroutines.some((g) => g.id !== null);
  const statesPrinted = snapshot.goroutines.some((g) => g.state !== '');
  const findings = buildFindings({ graph: waitGraph, index, partial, runtimeSaysAllAsleep, idsPrinted, statesPrinted, futures });
  const reportGroups = groups.map((group, i) => reportGroup(group, parties[i], waitGraph, index !== null));
  const coverage = coverageOf(parties, index !== null);
  return { groups: reportGroups, findings, coverage, mismatches, parties: allParties, explain: (id) => explainParty(waitGraph, id) };
}

function reportGroup(group: GoroutineGroup, party: Party, graph: WaitGraph, haveSource: boolean): ReportGroup {
  const g = group.representative;
  return {
    id: party.id,
    count: group.count,
    goroutineIds: group.goroutineIds,
    state: group.state,
    waitMinutes: group.waitMinutes,
    frames: g.frames.map((f) => ({ function: f.function, file: f.file, line: f.line })),
    createdBy: g.createdBy ? { function: g.createdBy.function, file: g.createdBy.file, line: g.createdBy.line, goroutine: g.createdBy.goroutine } : null,
    identity: party.identity,
    name: party.name,
    blocking: haveSource ? blockingOf(party, graph) : null,
    labels: group.labels,
    stuck: verdictOf(party, graph),
  };
}

function verdictOf(party: Party, graph: WaitGraph): boolean | null {
  if (party.activity !== 'blocked' || !party.wait) return false;
  if (graph.stuck.has(party.id)) return true;
  // Live because a case could not be judged is no verdict at all.
  const cases = graph.wakersByParty.get(party.id) ?? [];
  return cases.some((c) => c.kind === 'unknown') ? null : false;
}

function blockingOf(party: Party, graph: WaitGraph): ReportBlocking | null {
  const wait = party.wait;
  if (!wait || party.activity !== 'blocked' || !wait.site.diskFile) return null;
  const isSelect = wait.operation === 'select';
  return {
    // A source location, as found on disk (the dump's own path stays in `frames`).
    site: { function: wait.site.function, file: wait.site.diskFile ?? wait.site.file, line: wait.site.diskFile ? wait.site.diskLine : wait.site.line, statement: wait.site.statement },
    operation: wait.operation,
    resource: reportResource(wait.resource, graph),
    wokenBy: partyWakers(graph, party, null),
    cases: isSelect
      ? wait.cases
          .map((c, i) => ({ c, i }))
          .filter(({ c }) => c.resource)
          .map(({ c, i }) => ({ operation: c.operation, resource: reportResource(c.resource, graph)!, wokenBy: partyWakers(graph, party, i) }))
          .filter((c) => c.resource)
      : null,
  };
}
