// From a goroutine group to a party of the wait-for graph: its identity, the frame it is blocked
// in, and the operation and resource at that line (DESIGN.md, "From a frame to a blocked operation").

import type { Goroutine, WaitClass } from '../dump/types.js';
import type { GoroutineGroup } from '../dump/index.js';
import { blockingFrameIndex, isRuntimeFrame } from '../dump/index.js';
import type { OperationKind, OperationSite, PathMapping, SourceIndex } from '../source/types.js';
import { operationsAt } from '../source/index.js';
import type { CodeGraph } from './code-graph.js';
import type { BlockingWait, Party, PartyActivity, PartyFrame, WaitCase } from './model.js';
import type { WaitOperation } from './types.js';

/** Operation kinds at a line that can explain each wait class, most specific first. */
const SITE_KINDS_FOR_CLASS: Partial<Record<WaitClass, OperationKind[]>> = {
  'chan-send': ['chan-send'],
  'chan-send-nil': ['chan-send'],
  'chan-receive': ['chan-receive', 'chan-range'],
  'chan-receive-nil': ['chan-receive', 'chan-range'],
  select: ['select'],
  // A Once's waiters block on its internal mutex: the user's line is the `once.Do` call.
  mutex: ['mutex-lock', 'once-do'],
  'rwmutex-write': ['mutex-lock'],
  'rwmutex-read': ['rwmutex-rlock'],
  waitgroup: ['waitgroup-wait'],
  cond: ['cond-wait'],
  sync: ['mutex-lock', 'rwmutex-rlock', 'waitgroup-wait', 'once-do'],
  // debug=1 and pprof records print no state: whatever blocking operation the line holds.
  unknown: ['select', 'chan-send', 'chan-receive', 'chan-range', 'mutex-lock', 'rwmutex-rlock', 'waitgroup-wait', 'cond-wait'],
};

const BLOCKED_CLASSES = new Set<WaitClass>([
  'chan-send', 'chan-receive', 'chan-send-nil', 'chan-receive-nil', 'select', 'select-no-cases',
  'mutex', 'rwmutex-read', 'rwmutex-write', 'waitgroup', 'cond', 'sync',
]);

/** The report's operation for a source site. */
export function waitOperationOf(site: OperationSite): WaitOperation | null {
  switch (site.kind) {
    case 'chan-send': return 'chan-send';
    case 'chan-receive':
    case 'chan-range': return 'chan-receive';
    case 'select': return 'select';
    case 'mutex-lock': return site.resource.kind === 'rwmutex' ? 'rwmutex-lock' : 'mutex-lock';
    case 'rwmutex-rlock': return 'rwmutex-rlock';
    case 'waitgroup-wait': return 'waitgroup-wait';
    case 'cond-wait': return 'cond-wait';
    case 'once-do': return 'mutex-lock';
    default: return null;
  }
}

/** The operation a wait state implies when no source says more (semacquire is read from the sync frames). */
export function waitOperationFromState(goroutine: Goroutine): WaitOperation | null {
  switch (goroutine.waitClass) {
    case 'chan-send':
    case 'chan-send-nil': return 'chan-send';
    case 'chan-receive':
    case 'chan-receive-nil': return 'chan-receive';
    case 'select':
    case 'select-no-cases': return 'select';
    case 'mutex': return 'mutex-lock';
    case 'rwmutex-write': return 'rwmutex-lock';
    case 'rwmutex-read': return 'rwmutex-rlock';
    case 'waitgroup': return 'waitgroup-wait';
    case 'cond': return 'cond-wait';
    case 'sync':
    case 'unknown': {
      for (const frame of goroutine.frames) {
        if (frame.pkg !== 'sync') continue;
        if (frame.receiver === 'WaitGroup' && frame.name === 'Wait') return 'waitgroup-wait';
        if (frame.receiver === 'Cond' && frame.name === 'Wait') return 'cond-wait';
        if (frame.receiver === 'RWMutex' && frame.name === 'RLock') return 'rwmutex-rlock';
        if (frame.receiver === 'RWMutex' && frame.name === 'Lock') return 'rwmutex-lock';
        if (frame.receiver === 'Mutex' && frame.name === 'Lock') return 'mutex-lock';
      }
      return goroutine.waitClass === 'sync' ? 'mutex-lock' : null;
    }
    default: return null;
  }
}

/** The function the goroutine was started with: its bottom frame, looking through `go` wrappers. */
export function identityOf(goroutine: Goroutine): string | null {
  if (goroutine.framesElided) return null;
  for (let i = goroutine.frames.length - 1; i >= 0; i--) {
    const frame = goroutine.frames[i];
    if (isRuntimeFrame(frame)) continue;
    // `go f(x)` runs f through a generated wrapper: `.gowrapN` since Go 1.21, a plain `.funcN`
    // before, recognisable because it sits on the `go` statement's own line. The goroutine is f's.
    const wrapper =
      /\.gowrap\d+$/.test(frame.function) ||
      (/\.func\d+$/.test(frame.function) && goroutine.createdBy?.file === frame.file && goroutine.createdBy.line === frame.line);
    if (wrapper && i > 0) return goroutine.frames[i - 1].function;
    return frame.function;
  }
  return null;
}

function activityOf(goroutine: Goroutine): PartyActivity {
  if (BLOCKED_CLASSES.has(goroutine.waitClass) || goroutine.waitClass === 'unknown') return 'blocked';
  if (goroutine.waitClass === 'gc') return 'system';
  if (goroutine.waitClass === 'other' && goroutine.frames.every(isRuntimeFrame)) return 'system';
  return 'live';
}

function caseFor(graph: CodeGraph | null, site: OperationSite, operation: WaitOperation): WaitCase {
  const resource = site.resource;
  return {
    operation,
    resource,
    wakerSites: graph && resource.kind !== 'unknown' ? graph.counterSites(operation, resource) : [],
    alwaysReady: resource.external !== null,
    neverReady: resource.nil,
  };
}

/** The blocked operation at a site the index knows, as a wait with its cases. */
export function waitAtSite(graph: CodeGraph | null, site: OperationSite, dumpFile: string, dumpLine: number, frameFunction: string, nilChannel: boolean): BlockingWait | null {
  const operation = waitOperationOf(site);
  if (!operation) return null;
  const common = {
    site: { function: frameFunction, file: dumpFile, line: dumpLine, diskFile: site.file, statement: site.statement },
    operation,
    inferredPath: [],
  };
  if (site.kind === 'select') {
    const cases = (site.cases ?? [])
      .map((c) => {
        const op = waitOperationOf(c);
        return op ? caseFor(graph, c, op) : null;
      })
      .filter((c): c is WaitCase => c !== null);
    if (site.hasDefault) cases.push({ operation: 'select', resource: null, wakerSites: [], alwaysReady: true, neverReady: false });
    // Only a literal `select {}` parks for good; a select whose cases could not be named is not one.
    return { ...common, resource: null, cases, intentionalPark: (site.cases ?? []).length === 0 && !site.hasDefault };
  }
  const single = caseFor(graph, site, operation);
  if (nilChannel) single.neverReady = true;
  return { ...common, resource: site.resource, cases: [single], intentionalPark: false };
}

/**
 * Builds one party per group. `index` and `mapping` are null when no source was found: parties
 * then carry the operation the wait state implies, with no resource.
 */
export function resolveParties(groups: GoroutineGroup[], index: SourceIndex | null, mapping: PathMapping | null, graph: CodeGraph | null): { parties: Party[]; mismatches: string[] } {
  const mismatches: string[] = [];
  const parties = groups.map((group, groupIndex): Party => {
    const goroutine = group.representative;
    const frames: PartyFrame[] = goroutine.frames.map((frame) => ({
      function: frame.function,
      file: frame.file,
      line: frame.line,
      diskFile: mapping?.mapped.get(frame.file) ?? null,
    }));
    const party: Party = {
      id: `G${groupIndex + 1}`,
      inferred: false,
      count: group.count,
      identity: identityOf(goroutine),
      frames,
      activity: activityOf(goroutine),
      wait: null,
      waitMinutes: group.waitMinutes,
    };
    if (party.activity !== 'blocked') return party;

    const at = blockingFrameIndex(goroutine);
    const frame = at >= 0 ? goroutine.frames[at] : null;
    const partyFrame = at >= 0 ? frames[at] : null;
    const nilChannel = goroutine.waitClass === 'chan-send-nil' || goroutine.waitClass === 'chan-receive-nil';
    if (frame && partyFrame?.diskFile && index) {
      const kinds = SITE_KINDS_FOR_CLASS[goroutine.waitClass] ?? [];
      const sites = operationsAt(index, partyFrame.diskFile, frame.line);
      const site = kinds.map((kind) => sites.find((s) => s.kind === kind)).find((s) => s !== undefined);
      if (site) {
        party.wait = waitAtSite(graph, site, frame.file, frame.line, frame.function, nilChannel);
      } else if (goroutine.waitClass !== 'unknown' || sites.length > 0) {
        mismatches.push(`${frame.file}:${frame.line} holds no ${goroutine.state || 'blocking'} operation for ${frame.function} (source from another version?)`);
      }
    }
    if (!party.wait) {
      const operation = waitOperationFromState(goroutine);
      if (!operation) {
        // A debug=1 record whose line holds no blocking operation: nothing says it is blocked.
        party.activity = 'live';
        return party;
      }
      const intentionalPark = goroutine.waitClass === 'select-no-cases';
      party.wait = {
        site: {
          function: frame?.function ?? goroutine.frames[0]?.function ?? '?',
          file: frame?.file ?? '',
          line: frame?.line ?? 0,
          diskFile: partyFrame?.diskFile ?? null,
          statement: '',
        },
        operation,
        resource: null,
        cases: intentionalPark ? [] : [{ operation, resource: null, wakerSites: [], alwaysReady: false, neverReady: nilChannel }],
        intentionalPark,
        inferredPath: [],
      };
    }
    return party;
  });
  return { parties, mismatches };
}
