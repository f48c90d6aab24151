// The analysis stage's own working data: parties of the wait-for graph and what each waits on.
// It is built from the dump's groups and the source index, and turned into the Report at the end.

import type { ResourceRef, OperationSite } from '../source/types.js';
import type { WaitOperation } from './types.js';

/** A frame as the analysis sees it: the dump's location plus where it lives on disk. */
export interface PartyFrame {
  function: string;
  /** Path as printed in the dump. */
  file: string;
  line: number;
  /** The mapped disk path, or null when the file was not found. */
  diskFile: string | null;
  /** The line on disk: `line`, or `line` moved by the shift found for a checkout a few lines off. */
  diskLine: number;
  /** The index function this frame runs, found by file and line (DESIGN.md layer 1); null when none. */
  fn: string | null;
  /**
   * What kind of code the frame is in: `code` (the index has it: `fn`, or a hole in it when null),
   * `wrapper` (a `go` or `defer` argument wrapper, which only runs the frame above it), `runtime`
   * (the runtime and sync internals), `library` (standard-library code that does not call the
   * program back), `outside` (code the index does not have, which may call the program back).
   */
  place: 'code' | 'wrapper' | 'runtime' | 'library' | 'outside';
}

/** One alternative way a blocked party can be woken: one case of a select, or the single wait. */
export interface WaitCase {
  operation: WaitOperation;
  resource: ResourceRef | null;
  /** Sites whose operation would wake this case (receives for a send, sends/closes for a receive …). */
  wakerSites: OperationSite[];
  /** True when the case is always eventually ready: a timer, a signal, a deadline, a `default`. */
  alwaysReady: boolean;
  /** True when the case can never be ready: a nil channel. */
  neverReady: boolean;
  /** Disk lines of the case's own site (a select case's line), so a blocked party's current operation is not counted as its future. */
  lines: number[];
}

export interface BlockingWait {
  /** Location of the blocked statement: the dump's file path and line, the disk file when mapped. */
  site: { function: string; file: string; line: number; diskFile: string | null; diskLine: number; statement: string };
  operation: WaitOperation;
  /** The resource of a single wait; null for a select (see cases) or when it could not be named. */
  resource: ResourceRef | null;
  /** One case for a plain wait, one per case for a select. */
  cases: WaitCase[];
  /** True when the select statement is a `select {}` or the state says so: an intentional park. */
  intentionalPark: boolean;
  /** Calls from the party's identity down to the site, for an inferred party (empty otherwise). */
  inferredPath: string[];
  /** Set when the blocking line was matched to an operation a few lines away (the source has moved): by how many. */
  moved?: number;
}

/**
 * `live`: running, runnable, in IO, a syscall, a sleep, or blocked on something we cannot name;
 * `blocked`: waiting on a named operation (may still be woken);
 * `system`: runtime-internal goroutines that never take part in a user's deadlock.
 */
export type PartyActivity = 'live' | 'blocked' | 'system';

/** A node of the wait-for graph: a group of goroutines from the dump, or one inferred from source. */
export interface Party {
  /** `G1`… for dump groups (the report's group ids), `I1`… for inferred parties. */
  id: string;
  inferred: boolean;
  count: number;
  /** The function the goroutine was started with, or null when unknown. */
  identity: string | null;
  /**
   * Its name for people (DESIGN.md, identity and name): the identity when it is the program's own
   * code; under a dispatcher outside the program (`net/http.(*conn).serve`), the outermost frame of
   * the program's own code (the handler); a labelled goroutine by its first pprof label (`ingest
   * worker`). Short: no package path.
   */
  name: string;
  frames: PartyFrame[];
  activity: PartyActivity;
  wait: BlockingWait | null;
  waitMinutes: { min: number; max: number } | null;
  /** Goroutine ids of the group (empty when the dump prints none: debug=1, protobuf). */
  goroutineIds: number[];
  /** The creating goroutine's id (`created by … in goroutine N`), when printed. */
  creatorId: number | null;
  /** The function containing the `go` statement that started it, found by place; null when unknown. */
  creatorFn: string | null;
  /** Go's leak detector marked it `(leaked)`: certainly stuck. */
  leaked: boolean;
}
