// Grouping goroutines that wait the same way at the same place, like panicparse's buckets.
// The policy is one value, a similarity level:
//   'exact'     same state class, same frames (function, file, line) and the same arguments;
//   'stack'     same state class and frames, arguments ignored (the default);
//   'functions' same state class and the same functions, any line.
// The `created by` function is part of the stack at every level (file and line as the level says),
// and so is the leak detector's `(leaked)` mark. Labels do not split groups: a group keeps the
// labels all its members share.
// Cost: a key string per distinct (frames array, creator, wait class) combination (the reader
// shares frames arrays and creator objects between goroutines), then identity lookups.
import type { Creator, Frame, Goroutine, WaitClass } from './types.js';

export type Similarity = 'exact' | 'stack' | 'functions';

export interface GoroutineGroup {
  /** Sum of the members' counts (a debug=1 record counts N). */
  count: number;
  /** Members in input order. */
  members: Goroutine[];
  /** The first member. */
  representative: Goroutine;
  state: string;
  waitClass: WaitClass;
  /** Smallest and largest `N minutes` among members that printed one; null when none did. */
  waitMinutes: { min: number; max: number } | null;
  /** Ids of members that have one, in input order. */
  goroutineIds: number[];
  /** True when the leak detector marked the members `(leaked)` (leaked and other goroutines never share a group). */
  leaked: boolean;
  /** The pprof labels every member has with the same value (`{job: ingest}`); {} when none. */
  labels: Record<string, string>;
}

function frameKey(frame: Frame, similarity: Similarity): string {
  if (similarity === 'functions') return frame.function;
  const site = frame.function + '@' + frame.file + ':' + frame.line;
  return similarity === 'exact' ? site + '(' + (frame.args ?? '') + ')' : site;
}

function stackKey(frames: Frame[], similarity: Similarity): string {
  let key = '';
  for (const frame of frames) key += frameKey(frame, similarity) + '\n';
  return key;
}

function creatorKey(goroutine: Goroutine, similarity: Similarity): string {
  const creator = goroutine.createdBy;
  if (creator === null) return '';
  return similarity === 'functions' ? creator.function : creator.function + '@' + creator.file + ':' + creator.line;
}

/**
 * The groups already found for one shared frames array, by creator and then by wait class: most
 * goroutines reach their group through three identity lookups, and the string key of a
 * (frames, creator, class) combination is built only the first time that combination is seen.
 */
interface StackGroups {
  key: string;
  byCreator: Map<Creator | null, Map<WaitClass | `${WaitClass} leaked`, GoroutineGroup>>;
}

/** Groups goroutines; largest count first, ties in order of first appearance. */
export function groupGoroutines(goroutines: Goroutine[], similarity: Similarity = 'stack'): GoroutineGroup[] {
  const stacks = new Map<Frame[], StackGroups>();
  // Equal keys from different arrays or creator objects still meet here.
  const groups = new Map<string, GoroutineGroup>();
  for (const goroutine of goroutines) {
    let stack = stacks.get(goroutine.frames);
    if (stack === undefined) {
      stack = { key: stackKey(goroutine.frames, similarity), byCreator: new Map() };
      stacks.set(goroutine.frames, stack);
    }
    let byClass = stack.byCreator.get(goroutine.createdBy);
    if (byClass === undefined) {
      byClass = new Map();
      stack.byCreator.set(goroutine.createdBy, byClass);
    }
    const classKey = goroutine.leaked ? (`${goroutine.waitClass} leaked` as const) : goroutine.waitClass;
    let group = byClass.get(classKey);
    if (group === undefined) {
      const key = classKey + '\n' + creatorKey(goroutine, similarity) + '\n' + stack.key;
      group = groups.get(key);
      if (group === undefined) {
        group = {
          count: 0, members: [], representative: goroutine, state: goroutine.state,
          waitClass: goroutine.waitClass, waitMinutes: null, goroutineIds: [],
          leaked: goroutine.leaked, labels: goroutine.labels,
        };
        groups.set(key, group);
      }
      byClass.set(classKey, group);
    }
    if (group.labels !== goroutine.labels && !isEmpty(group.labels)) group.labels = sharedLabels(group.labels, goroutine.labels);
    group.count += goroutine.count;
    group.members.push(goroutine);
    if (goroutine.id !== null) group.goroutineIds.push(goroutine.id);
    const minutes = goroutine.waitMinutes;
    if (minutes !== null) {
      const range = group.waitMinutes;
      if (range === null) group.waitMinutes = { min: minutes, max: minutes };
      else {
        if (minutes < range.min) range.min = minutes;
        if (minutes > range.max) range.max = minutes;
      }
    }
  }
  // Array.prototype.sort is stable: equal counts keep their first-appearance order.
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

function isEmpty(labels: Record<string, string>): boolean {
  for (const _ in labels) return false;
  return true;
}

/** The entries of `a` that `b` has with the same value; `a` itself when that is all of them. */
function sharedLabels(a: Record<string, string>, b: Record<string, string>): Record<string, string> {
  let same = true;
  for (const key in a) if (b[key] !== a[key]) same = false;
  if (same) return a;
  const shared: Record<string, string> = {};
  for (const key in a) if (b[key] === a[key]) shared[key] = a[key];
  return shared;
}
