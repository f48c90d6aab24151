// Grouping goroutines that wait the same way at the same place, like panicparse's buckets.
// The policy is one value, a similarity level:
//   'exact'     same state class, same frames (function, file, line) and the same arguments;
//   'stack'     same state class and frames, arguments ignored (the default);
//   'functions' same state class and the same functions, any line.
// The `created by` function is part of the stack at every level (file and line as the level says),
// and so is the leak detector's `(leaked)` mark. Labels do not split groups: a group keeps the
// labels all its members share.
// Cost: map lookups per frame of each distinct frames array (the reader shares arrays between
// goroutines where it can), then identity lookups; no key string per goroutine.
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

/**
 * A node of the trie of stacks: one per distinct stack prefix at the similarity level, reached
 * frame by frame through maps keyed by the frame's parts, so that no key string is built per
 * goroutine. At the end of a stack, the groups by creator key and wait class.
 */
interface StackNode {
  /** function → file → line → (args →) child; the levels the similarity compares. */
  children: Map<string, unknown> | null;
  groups: Map<string, Map<WaitClass | `${WaitClass} leaked`, GoroutineGroup>> | null;
}

const newNode = (): StackNode => ({ children: null, groups: null });

function child(map: Map<unknown, unknown>, key: unknown, last: boolean): Map<unknown, unknown> | StackNode {
  let next = map.get(key) as Map<unknown, unknown> | StackNode | undefined;
  if (next === undefined) map.set(key, (next = last ? newNode() : new Map()));
  return next;
}

function stackNode(root: StackNode, frames: Frame[], similarity: Similarity): StackNode {
  let node = root;
  for (const frame of frames) {
    const children = (node.children ??= new Map());
    if (similarity === 'functions') {
      node = child(children, frame.function, true) as StackNode;
      continue;
    }
    const byFile = child(children, frame.function, false) as Map<unknown, unknown>;
    const byLine = child(byFile, frame.file, false) as Map<unknown, unknown>;
    if (similarity === 'exact') node = child(child(byLine, frame.line, false) as Map<unknown, unknown>, frame.args ?? '', true) as StackNode;
    else node = child(byLine, frame.line, true) as StackNode;
  }
  return node;
}

function creatorKey(creator: Creator | null, similarity: Similarity): string {
  if (creator === null) return '';
  return similarity === 'functions' ? creator.function : creator.function + '@' + creator.file + ':' + creator.line;
}

/** Groups goroutines; largest count first, ties in order of first appearance. */
export function groupGoroutines(goroutines: Goroutine[], similarity: Similarity = 'stack'): GoroutineGroup[] {
  // The reader shares frames arrays and creator objects between goroutines where it can: most
  // goroutines reach their place through identity lookups. Equal stacks from different arrays, and
  // equal creators from different objects, still meet in the trie and under one creator key.
  const root = newNode();
  const nodeOfFrames = new Map<Frame[], StackNode>();
  const keyOfCreator = new Map<Creator | null, string>();
  const groups: GoroutineGroup[] = [];
  for (const goroutine of goroutines) {
    let node = nodeOfFrames.get(goroutine.frames);
    if (node === undefined) nodeOfFrames.set(goroutine.frames, (node = stackNode(root, goroutine.frames, similarity)));
    let creator = keyOfCreator.get(goroutine.createdBy);
    if (creator === undefined) keyOfCreator.set(goroutine.createdBy, (creator = creatorKey(goroutine.createdBy, similarity)));
    const byCreator = (node.groups ??= new Map());
    let byClass = byCreator.get(creator);
    if (byClass === undefined) byCreator.set(creator, (byClass = new Map()));
    const classKey = goroutine.leaked ? (`${goroutine.waitClass} leaked` as const) : goroutine.waitClass;
    let group = byClass.get(classKey);
    if (group === undefined) {
      group = {
        count: 0, members: [], representative: goroutine, state: goroutine.state,
        waitClass: goroutine.waitClass, waitMinutes: null, goroutineIds: [],
        leaked: goroutine.leaked, labels: goroutine.labels,
      };
      byClass.set(classKey, group);
      groups.push(group);
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
  return groups.sort((a, b) => b.count - a.count);
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
