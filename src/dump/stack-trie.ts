// The trie of the stacks a scanner has read (scanner.ts, "Speed"): a goroutine walks it frame by
// frame, and goroutines with the same stack end on the same node and share its frames array. The
// prints and textAt let a line be compared with a node's texts without cutting or hashing it.
import type { Creator, Frame } from './types.js';

/**
 * A node of the trie of the stacks read so far: the path from the root is a stack, top frame
 * first. Goroutines with the same stack walk the same path, so reading a frame that was seen at
 * this point before costs two prefix comparisons with the node's texts instead of parsing and
 * hashing, and the finished stack is the node's shared array.
 */
export interface StackNode {
  frame: Frame | null;
  parent: StackNode | null;
  depth: number;
  /** The call line's identifying prefix: the name, or the whole line when arguments are kept or the call is inlined. */
  callKey: string;
  /** The location text without per-goroutine words (see parseLocation). */
  locationKey: string;
  /** The scanner's framePrint of the two keys: most candidates are told apart without comparing text. */
  print: number;
  /** Children in the order they were first seen. */
  children: StackNode[];
  /** All children by print, once there is more than one. */
  childByPrint: Map<number, StackNode[]> | null;
  /** All children by frame, once there are more than a few. */
  childByFrame: Map<Frame, StackNode> | null;
  /** The frames from the root to here, built when a goroutine first ends here. */
  stack: Frame[] | null;
  /** `created by` lines seen after this stack, with their interned creators. */
  creators: CreatorSeen[] | null;
}

export interface CreatorSeen {
  /** The `created by …` line as handed to onCreatedBy. */
  createdLine: string;
  locationKey: string;
  print: number;
  creator: Creator;
}

/** The frames read at one location, by call key; the keys are detached copies, kept for the trie. */
export interface FramesAt {
  locationKey: string;
  byCall: Map<string, InternedFrame>;
}

export interface InternedFrame {
  frame: Frame;
  callKey: string;
}

export function addByPrint(index: Map<number, StackNode[]>, child: StackNode): void {
  const same = index.get(child.print);
  if (same === undefined) index.set(child.print, [child]);
  else same.push(child);
}

/** How many children a stack node may have before they are indexed by print (one: compared directly). */
export const fastChildren = 1;
/** How many children of a stack node are searched by frame before they get a Map. */
export const indexedChildren = 8;
/** Bound on the creators kept per node, so that hostile input cannot grow them without end. */
export const maxCreatorsPerNode = 16;
export function newStackNode(frame: Frame | null, parent: StackNode | null, callKey: string, locationKey: string, print: number): StackNode {
  return {
    frame, parent, depth: parent === null ? 0 : parent.depth + 1, callKey, locationKey, print,
    children: [], childByPrint: null, childByFrame: null, stack: null, creators: null,
  };
}

/**
 * True when `text` holds `part` at `at`: startsWith, but several times faster in V8, where
 * startsWith at an offset takes a slow generic path and indexOf a fast one. Callers compare
 * prints first, and two characters are probed here, so that a different text almost never
 * reaches indexOf, which would search on past `at` (to the end of the chunk at worst: pushText
 * is handed chunks, not whole inputs).
 */
export function textAt(text: string, part: string, at: number): boolean {
  const length = part.length;
  if (length === 0) return true;
  const middle = length >> 1;
  return text.charCodeAt(at + length - 1) === part.charCodeAt(length - 1)
    && text.charCodeAt(at + middle) === part.charCodeAt(middle)
    && text.indexOf(part, at) === at;
}

/**
 * A small-integer digest of a location key `line[start, end)`: its length and last characters,
 * which hold the line number and the pc offset, the parts that differ between neighbours.
 */
export function locationPrint(line: string, start: number, end: number): number {
  let print = end - start;
  for (let i = end - 12 > start ? end - 12 : start; i < end; i++) print = (Math.imul(print, 31) + line.charCodeAt(i)) | 0;
  return print & 0x3fffffff;
}

/**
 * The print of a frame's keys. Without arguments a location nearly always has one call, so the
 * location alone will do; with arguments kept, the calls at one location differ in their last
 * characters (the arguments), which join the print so that they do not all share one.
 */
export function framePrint(keepArgs: boolean, call: string, callStart: number, callEnd: number, line: string, start: number, end: number): number {
  const location = locationPrint(line, start, end);
  return keepArgs ? (Math.imul(location, 31) + locationPrint(call, callStart, callEnd)) & 0x3fffffff : location;
}
