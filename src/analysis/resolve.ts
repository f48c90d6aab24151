// From a goroutine group to a party of the wait-for graph: its identity, the frame it is blocked
// in, and the operation and resource at that line (DESIGN.md, "From a frame to a blocked operation").

import type { Creator, Frame, Goroutine, WaitClass } from '../dump/types.js';
import type { GoroutineGroup } from '../dump/index.js';
import { blockingFrameIndex, isRuntimeFrame } from '../dump/index.js';
import type { FunctionFacts, OperationKind, OperationSite, PathMapping, SourceIndex } from '../source/types.js';
import { functionAt, operationsAt } from '../source/index.js';
import { functionsAt, functionsOf } from '../source/query.js';
import { shortFunction } from './names.js';
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
    lines: [site.line],
  };
}

/** The blocked operation at a site the index knows, as a wait with its cases. */
export function waitAtSite(graph: CodeGraph | null, site: OperationSite, dumpFile: string, dumpLine: number, frameFunction: string, nilChannel: boolean): BlockingWait | null {
  const operation = waitOperationOf(site);
  if (!operation) return null;
  const at = { function: frameFunction, file: dumpFile, line: dumpLine, diskFile: site.file, diskLine: site.line, statement: site.statement };
  if (site.kind === 'select') {
    const cases: WaitCase[] = [];
    for (const c of site.cases ?? []) {
      const op = waitOperationOf(c);
      if (op) cases.push(caseFor(graph, c, op));
    }
    if (site.hasDefault) cases.push({ operation: 'select', resource: null, wakerSites: [], alwaysReady: true, neverReady: false, lines: [] });
    // Only a literal `select {}` parks for good; a select whose cases could not be named is not one.
    return { site: at, operation, resource: null, cases, intentionalPark: (site.cases ?? []).length === 0 && !site.hasDefault, inferredPath: [] };
  }
  const single = caseFor(graph, site, operation);
  if (nilChannel) single.neverReady = true;
  return { site: at, operation, resource: site.resource, cases: [single], intentionalPark: false, inferredPath: [] };
}

/**
 * Standard-library packages whose code never calls back into the program while it runs (beyond
 * what its visible frames show): a goroutine parked in them has no future of its own.
 */
const LIBRARY_PACKAGE = /^(runtime|sync|internal|syscall|time|os|net|io|bufio|bytes|strings|fmt|strconv|encoding|crypto|compress|math|context|errors|log|unicode|path|hash|container|regexp|archive|sort|slices|maps|iter|unique|mime|image|embed|debug|flag|errgroup)(\/|$)/;
/** … except these, which run handlers, callbacks and methods of values handed to them. */
const CALLS_BACK = /^(net\/http|net\/rpc|log\/slog|database\/sql|text\/template|html\/template|testing|reflect|expvar|plugin)(\/|$)/;

/** `func2.1` → 2, `func1` → 1, none → 0: how deep in function literals a frame is. */
function printedClosureDepth(frame: Frame): number {
  if (!frame.closure) return 0;
  return frame.closure.split('.').filter((part) => /^(func)?\d+$/.test(part)).length;
}

function closureDepthOf(name: string): number {
  let depth = 0;
  let rest = name;
  for (let m = /\.(?:func\d+|\d+)$/.exec(rest); m; m = /\.(?:func\d+|\d+)$/.exec(rest)) {
    depth++;
    rest = rest.slice(0, m.index);
  }
  return depth;
}

/** `main.(*T).m.func1` → `(*T).m.func1`: the name without its package, which a build can print differently. */
function withoutPackage(name: string, pkg: string): string {
  if (pkg && name.startsWith(`${pkg}.`)) return name.slice(pkg.length + 1);
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  return dot >= 0 ? name.slice(dot + 1) : name;
}

/**
 * The index function a frame runs, by place: among the bodies containing the line, the one as deep
 * in literals as the printed name. When the printed name (without its package) names another
 * function of the same file, the source has moved under the frame: that function wins.
 */
const placed = new WeakMap<SourceIndex, Map<string, FunctionFacts | null>>();

function functionByPlace(index: SourceIndex, diskFile: string, line: number, frame: Frame): FunctionFacts | null {
  let memo = placed.get(index);
  if (!memo) placed.set(index, (memo = new Map()));
  const key = `${diskFile}:${line}|${frame.function}|${frame.closure ?? ''}`;
  let found = memo.get(key);
  if (found === undefined) memo.set(key, (found = findFunctionByPlace(index, diskFile, line, frame)));
  return found;
}

function findFunctionByPlace(index: SourceIndex, diskFile: string, line: number, frame: Frame): FunctionFacts | null {
  const printed = withoutPackage(frame.function, frame.pkg);
  const candidates = functionsAt(index, diskFile, line);
  const depth = printedClosureDepth(frame);
  const sameDepth = candidates.filter((c) => closureDepthOf(c.name) === depth);
  const byPlace = sameDepth.length > 0 ? sameDepth[sameDepth.length - 1] : functionAt(index, diskFile, line);
  if (byPlace && withoutPackage(byPlace.name, byPlace.pkg) === printed) return byPlace;
  const byName = functionsOf(index, diskFile).find((fn) => withoutPackage(fn.name, fn.pkg) === printed);
  return byName ?? byPlace;
}

function isWrapperFrame(goroutine: Goroutine, i: number): boolean {
  const frame = goroutine.frames[i];
  if (frame.closure !== null && /(^|\.)(gowrap|deferwrap)\d+$/.test(frame.closure)) return true;
  // Go 1.17–1.20 print `go f(x)`'s wrapper as a plain `F.funcN` at the `go` statement's own line.
  const creator = goroutine.createdBy;
  if (i === 0 || creator?.line !== frame.line || creator.file !== frame.file || !/\.func\d+$/.test(frame.function)) return false;
  for (let j = i + 1; j < goroutine.frames.length; j++) if (!isRuntimeFrame(goroutine.frames[j])) return false;
  return true;
}

function libraryPackage(pkg: string): boolean {
  return LIBRARY_PACKAGE.test(pkg) && !CALLS_BACK.test(pkg);
}

/** The operation kinds the stack's own sync frames prove (`sync.(*RWMutex).RLock` → an RLock), or null. */
function kindsFromStack(goroutine: Goroutine): OperationKind[] | null {
  const op = waitOperationFromState(goroutine);
  switch (op) {
    case 'chan-send': return ['chan-send'];
    case 'chan-receive': return ['chan-receive', 'chan-range'];
    case 'select': return ['select'];
    case 'rwmutex-rlock': return ['rwmutex-rlock'];
    case 'rwmutex-lock':
    case 'mutex-lock': return goroutine.frames.some((f) => f.pkg === 'sync') ? ['mutex-lock'] : ['mutex-lock', 'once-do'];
    case 'waitgroup-wait': return ['waitgroup-wait'];
    case 'cond-wait': return ['cond-wait'];
    default: return null;
  }
}

/**
 * True when the dump's line itself reads like the wait (`s.mu.RLock()`, `<-ch`, `wg.Wait()`): the
 * source has not moved, gridlock only failed to name what the line operates on.
 */
function looksLikeTheWait(code: string, goroutine: Goroutine): boolean {
  switch (waitOperationFromState(goroutine)) {
    case 'chan-send': return /<-/.test(code);
    case 'chan-receive': return /<-|\brange\b/.test(code);
    case 'select': return /\bselect\b/.test(code);
    case 'mutex-lock':
    case 'rwmutex-lock': return /\.Lock\(|\.Do\(/.test(code);
    case 'rwmutex-rlock': return /\.RLock\(/.test(code);
    case 'waitgroup-wait':
    case 'cond-wait': return /\.Wait\(/.test(code);
    default: return false;
  }
}

/** How far each disk file's lines have moved from the dump's, learned from blocked frames. */
type FileShifts = Map<string, number>;

/** Operation kinds that can explain a wait class, each found in `fn`: with the site when exactly one fits. */
function movedSite(fn: FunctionFacts, kinds: OperationKind[], dumpLine: number): OperationSite | null {
  const candidates = fn.operations.filter((op) => kinds.includes(op.kind) && !op.deferred);
  if (candidates.length === 1) return candidates[0];
  // Several: the nearest, when it is the only one that near.
  const sorted = candidates.map((op) => ({ op, d: Math.abs(op.line - dumpLine) })).sort((a, b) => a.d - b.d);
  if (sorted.length > 0 && sorted[0].d <= 12 && (sorted.length === 1 || sorted[1].d > sorted[0].d)) return sorted[0].op;
  return null;
}

interface Placed {
  frames: PartyFrame[];
  at: number;
}

/**
 * Builds one party per group. `index` and `mapping` are null when no source was found: parties
 * then carry the operation the wait state implies, with no resource.
 */
export function resolveParties(groups: GoroutineGroup[], index: SourceIndex | null, mapping: PathMapping | null, graph: CodeGraph | null): { parties: Party[]; mismatches: string[] } {
  const mismatches: string[] = [];
  const shifts: FileShifts = new Map();
  const moves: { file: string; from: number; to: number; fn: string }[] = [];
  const movedGroups = new Set<GoroutineGroup>();
  // First the blocked lines: they tell whether the checkout has moved from the binary.
  const blockedSites = new Map<GoroutineGroup, OperationSite | null>();
  if (index && mapping) {
    const votes = new Map<string, Map<number, number>>();
    // Groups at the same place share the answer: a crowd of 34,000 groups has a few hundred places.
    const siteAt = new Map<string, { site: OperationSite | null; moved: boolean }>();
    for (const group of groups) {
      const goroutine = group.representative;
      if (!BLOCKED_CLASSES.has(goroutine.waitClass) && goroutine.waitClass !== 'unknown') continue;
      const at = blockingFrameIndex(goroutine);
      const frame = at >= 0 ? goroutine.frames[at] : null;
      const diskFile = frame ? mapping.mapped.get(frame.file) : undefined;
      if (!frame || !diskFile) continue;
      const placeKey = `${diskFile}:${frame.line}|${goroutine.waitClass}|${frame.function}|${waitOperationFromState(goroutine)}`;
      let known = siteAt.get(placeKey);
      if (!known) {
        const kinds = SITE_KINDS_FOR_CLASS[goroutine.waitClass] ?? [];
        const sites = operationsAt(index, diskFile, frame.line);
        known = { site: kinds.map((kind) => sites.find((s) => s.kind === kind)).find((s) => s !== undefined) ?? null, moved: false };
        if (!known.site && goroutine.waitClass !== 'unknown' && !looksLikeTheWait(index.files.get(diskFile)?.lines[frame.line - 1] ?? '', goroutine)) {
          const fn = functionByPlace(index, diskFile, frame.line, frame);
          const moved = fn ? movedSite(fn, kindsFromStack(goroutine) ?? kinds, frame.line) : null;
          if (moved && fn) {
            known = { site: moved, moved: true };
            moves.push({ file: frame.file, from: frame.line, to: moved.line, fn: fn.name });
          }
        }
        siteAt.set(placeKey, known);
      }
      const site = known.site;
      if (known.moved) movedGroups.add(group);
      blockedSites.set(group, site);
      if (site) {
        const perFile = votes.get(diskFile) ?? new Map<number, number>();
        perFile.set(site.line - frame.line, (perFile.get(site.line - frame.line) ?? 0) + 1);
        votes.set(diskFile, perFile);
      }
    }
    for (const [file, perFile] of votes) {
      const [best] = [...perFile].sort((a, b) => b[1] - a[1]);
      if (best && best[0] !== 0) shifts.set(file, best[0]);
    }
    for (const move of moves) {
      mismatches.push(`${move.file}:${move.from}: the source has moved ${Math.abs(move.to - move.from)} line(s) ${move.to > move.from ? 'down' : 'up'} from the program that wrote the dump; matched to the one such operation in ${move.fn}, at line ${move.to}`);
    }
  }

  const placeFrame = (frame: Frame, wrapper: boolean): PartyFrame => {
    const diskFile = mapping?.mapped.get(frame.file) ?? null;
    const diskLine = frame.line + (diskFile ? shifts.get(diskFile) ?? 0 : 0);
    const at = (fn: string | null, place: PartyFrame['place']): PartyFrame => ({ function: frame.function, file: frame.file, line: frame.line, diskFile, diskLine, fn, place });
    if (isRuntimeFrame(frame)) return at(null, 'runtime');
    if (wrapper) return at(null, 'wrapper');
    if (index && diskFile) return at(functionByPlace(index, diskFile, diskLine, frame)?.name ?? null, 'code');
    if (index && !frame.file) {
      const named = index.functions.get(frame.function);
      if (named) return at(named.name, 'code');
    }
    return at(null, libraryPackage(frame.pkg) ? 'library' : 'outside');
  };
  // A frame placed is the same at every stack it appears in (nothing changes a PartyFrame after):
  // the groups of a crowd share a few hundred of them. By file, line, function; wrappers apart.
  const placedFrames = [new Map<string, Map<number, Map<string, PartyFrame>>>(), new Map<string, Map<number, Map<string, PartyFrame>>>()];
  const sharedFrame = (frame: Frame, wrapper: boolean): PartyFrame => {
    const byFile = placedFrames[wrapper ? 1 : 0];
    let byLine = byFile.get(frame.file);
    if (byLine === undefined) byFile.set(frame.file, (byLine = new Map()));
    let byFunction = byLine.get(frame.line);
    if (byFunction === undefined) byLine.set(frame.line, (byFunction = new Map()));
    let placed = byFunction.get(frame.function);
    if (placed === undefined) byFunction.set(frame.function, (placed = placeFrame(frame, wrapper)));
    return placed;
  };
  const place = (goroutine: Goroutine): Placed => {
    const frames: PartyFrame[] = new Array(goroutine.frames.length);
    for (let i = 0; i < frames.length; i++) frames[i] = sharedFrame(goroutine.frames[i], isWrapperFrame(goroutine, i));
    return { frames, at: blockingFrameIndex(goroutine) };
  };

  // By creator object: the reader shares them between the goroutines a place created.
  const creatorFns = new Map<Creator, string | null>();
  const creatorOf = (goroutine: Goroutine): string | null => {
    const c = goroutine.createdBy;
    if (!c) return null;
    let fn = creatorFns.get(c);
    if (fn === undefined) creatorFns.set(c, (fn = creatorFnOf(c)));
    return fn;
  };
  const creatorFnOf = (c: Creator): string | null => {
    const diskFile = mapping?.mapped.get(c.file);
    if (!diskFile || !index) return null;
    const line = c.line + (shifts.get(diskFile) ?? 0);
    const pkgEnd = c.function.lastIndexOf('/');
    const dot = c.function.indexOf('.', pkgEnd + 1);
    const frame = { function: c.function, pkg: dot >= 0 ? c.function.slice(0, dot) : '', closure: closureSuffix(c.function) } as Frame;
    return functionByPlace(index, diskFile, line, frame)?.name ?? null;
  };

  const ids = groupIds(groups);
  const parties = groups.map((group, groupIndex): Party => {
    const goroutine = group.representative;
    const { frames, at } = place(goroutine);
    const identity = identityOf(goroutine);
    const party: Party = {
      id: ids[groupIndex],
      inferred: false,
      count: group.count,
      identity,
      name: nameOf(goroutine, frames, identity, group.labels),
      frames,
      activity: activityOf(goroutine),
      wait: null,
      waitMinutes: group.waitMinutes,
      goroutineIds: group.goroutineIds,
      creatorId: goroutine.createdBy?.goroutine ?? null,
      creatorFn: creatorOf(goroutine),
      leaked: goroutine.leaked === true,
    };
    if (party.activity !== 'blocked') return party;

    const frame = at >= 0 ? goroutine.frames[at] : null;
    const partyFrame = at >= 0 ? frames[at] : null;
    const nilChannel = goroutine.waitClass === 'chan-send-nil' || goroutine.waitClass === 'chan-receive-nil';
    if (frame && partyFrame?.diskFile && index) {
      const site = blockedSites.get(group) ?? null;
      if (site) {
        party.wait = waitAtSite(graph, site, frame.file, frame.line, frame.function, nilChannel);
        if (party.wait && movedGroups.has(group)) party.wait.moved = site.line - frame.line;
      } else if (goroutine.waitClass !== 'unknown' || operationsAt(index, partyFrame.diskFile, frame.line).length > 0) {
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
          diskLine: partyFrame?.diskLine ?? 0,
          statement: '',
        },
        operation,
        resource: null,
        cases: intentionalPark ? [] : [{ operation, resource: null, wakerSites: [], alwaysReady: false, neverReady: nilChannel, lines: [] }],
        intentionalPark,
        inferredPath: [],
      };
    }
    return party;
  });
  return { parties, mismatches };
}


/** The name people know a goroutine by (see Party.name). */
function nameOf(goroutine: Goroutine, frames: PartyFrame[], identity: string | null, labels: Record<string, string>): string {
  const first = Object.values(labels)[0];
  if (first) return `${first} worker`;
  let base = identity;
  const bottom = findLast(frames, (f) => f.place !== 'runtime' && f.place !== 'wrapper');
  if (bottom && (bottom.place === 'outside' || bottom.place === 'library')) {
    // A dispatcher outside the program started it: the program's own outermost frame is the handler.
    const own = findLast(frames, (f) => f.place === 'code');
    if (own) base = own.function;
  }
  return shortFunction(base ?? goroutine.frames[0]?.function ?? '?');
}

function findLast<T>(items: T[], test: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return items[i];
  return undefined;
}

/** Letters only, no vowels: an id never reads as a number (a goroutine id) nor as a word. */
const ID_LETTERS = 'bcdfghjkmnpqrstvwxz';
const ID_LENGTH = 5;

/**
 * Group ids derived from where each group is (its blocking frame, then its callers while two
 * groups still agree), so that the same program gives the same ids in a debug=2, debug=1 or
 * protobuf dump and from one `watch` poll to the next. Package paths are left out: a binary built
 * under another package path prints the same code under another name.
 */
export function groupIds(groups: GoroutineGroup[]): string[] {
  // Where each stack's own code starts, found once.
  const starts = groups.map((g) => blockingFrameIndex(g.representative));
  const keyOf = (i: number, depth: number): string => {
    const g = groups[i].representative;
    const at = Math.max(0, starts[i]);
    return g.frames.slice(at, at + depth).map((f) => `${withoutPackage(f.function, f.pkg)}@${f.file.slice(f.file.lastIndexOf('/') + 1)}:${f.line}`).join('<') || g.state;
  };
  const ids: string[] = new Array(groups.length);
  let pending = groups.map((_, i) => i);
  for (let depth = 1; pending.length > 0; depth++) {
    const byKey = new Map<string, number[]>();
    for (const i of pending) {
      const key = keyOf(i, depth);
      const list = byKey.get(key) ?? [];
      list.push(i);
      byKey.set(key, list);
    }
    const next: number[] = [];
    for (const [key, members] of byKey) {
      const deeper = members.some((i) => groups[i].representative.frames.length > starts[i] + depth);
      if (members.length === 1 || !deeper || depth >= 12) {
        // Still alike when the stacks run out: the same place, told apart by state and order.
        members
          .sort((a, b) => {
            const sa = groups[a].representative.state;
            const sb = groups[b].representative.state;
            return (sa === sb ? 0 : sa.localeCompare(sb)) || a - b;
          })
          .forEach((i, n) => (ids[i] = tag(key) + (n === 0 ? '' : `-${n + 1}`)));
      } else next.push(...members);
    }
    pending = next;
  }
  // Two different places may still hash alike: the later ones get a suffix.
  const seen = new Map<string, number>();
  return ids.map((id) => {
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}-${n}`;
  });
}

/** Five letters from a 32-bit FNV-1a hash of the key. */
function tag(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let out = '';
  for (let i = 0; i < ID_LENGTH; i++) {
    out += ID_LETTERS[h % ID_LETTERS.length];
    h = Math.floor(h / ID_LETTERS.length);
  }
  return out;
}

function closureSuffix(name: string): string | null {
  const m = /((?:\.(?:func\d+|\d+))+)$/.exec(name);
  return m ? m[1].slice(1) : null;
}
