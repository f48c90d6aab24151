// The report: version 1 of the JSON contract in DESIGN.md. Every renderer (text, JSON, Markdown,
// Mermaid, DOT, HTML) and every driver (CLI, serve, watch) reads only this.

export const CONTRACT_VERSION = 1;

export type FindingKind = 'deadlock-cycle' | 'leaked-lock' | 'orphaned-wait' | 'pile-up' | 'long-wait';
export type Confidence = 'certain' | 'likely' | 'possible';
export type WaitOperation =
  | 'chan-send'
  | 'chan-receive'
  | 'select'
  | 'mutex-lock'
  | 'rwmutex-lock'
  | 'rwmutex-rlock'
  | 'waitgroup-wait'
  | 'cond-wait';

export interface ReportLocation {
  file: string;
  line: number;
}

export interface ReportFrame {
  function: string;
  file: string;
  line: number;
}

export interface ReportResource {
  kind: 'chan' | 'mutex' | 'rwmutex' | 'waitgroup' | 'cond';
  name: string;
  expression: string;
  declared: ReportLocation | null;
}

export interface ReportWaker {
  function: string;
  /** The group running that function, or null when no goroutine in the dump runs it. */
  group?: string | null;
  site: ReportLocation;
}

export interface ReportSelectCase {
  operation: WaitOperation;
  resource: ReportResource;
  wokenBy: ReportWaker[];
}

export interface ReportBlocking {
  site: { function: string; file: string; line: number; statement: string };
  operation: WaitOperation;
  resource: ReportResource | null;
  wokenBy: ReportWaker[];
  cases: ReportSelectCase[] | null;
}

export interface ReportGroup {
  id: string;
  count: number;
  goroutineIds: number[];
  state: string;
  waitMinutes: { min: number; max: number } | null;
  frames: ReportFrame[];
  createdBy: { function: string; file: string; line: number; goroutine: number | null } | null;
  identity: string | null;
  /** The group's name for people (additive to v1); see ReportWait.name. */
  name?: string;
  blocking: ReportBlocking | null;
  /** pprof labels every goroutine of the group carries (`{"job": "ingest"}`); {} when none (additive to v1). */
  labels: Record<string, string>;
  /**
   * The verdict on the group (additive to v1): true when nothing still running can wake it, false
   * when something can (or it is not blocked), null when it could not be judged (no source, an
   * unnamed wait, an open class). Drivers such as `watch` must not call a group stuck that the
   * analysis found live.
   */
  stuck?: boolean | null;
}

export interface ReportWait {
  group: string | null;
  inferred: boolean;
  function: string;
  /** The party's name for people (additive to v1): the handler under a dispatcher, a pprof label. */
  name?: string;
  blockedIn: ReportFrame;
  operation: WaitOperation;
  resource: ReportResource | null;
  wokenBy: ReportWaker[];
}

export interface ReportFix {
  file: string;
  line: number;
  hint: string;
}

export interface ReportFinding {
  kind: FindingKind;
  confidence: Confidence;
  title: string;
  explanation: string;
  waits: ReportWait[];
  fixes: ReportFix[];
  mermaid: string;
}

export interface ReportSnapshot {
  format: 'traceback' | 'debug1' | 'debug2' | 'pprof' | 'flattened' | 'panicparse';
  goroutines: number;
  declaredTotal: number | null;
  warnings: { line: number; message: string }[];
}

/**
 * How much of the dump was checked against matching source (additive to contract v1). A verdict
 * of "nothing stuck" is a claim only when every blocked group was checked.
 */
export interface ReportCoverage {
  /** Blocked groups (intentional parks such as `select {}` excluded). */
  blockedGroups: number;
  /** Blocked groups whose blocking line was matched to an operation in the source. */
  checkedGroups: number;
  /** The groups that could not be checked, by reason. */
  unchecked: { reason: 'no-source' | 'no-operation' | 'no-frame'; message: string; groups: string[] }[];
}

export interface Report {
  gridlock: typeof CONTRACT_VERSION;
  snapshot: ReportSnapshot;
  groups: ReportGroup[];
  findings: ReportFinding[];
  /** Always written by this version; optional so that renderers read reports of earlier ones. */
  coverage?: ReportCoverage;
}

/**
 * Source text that travels beside the report for renderers that show code (HTML, serve). Not part
 * of the JSON contract: the CLI fills it from the source index when one was built.
 */
export interface SourceExcerpt {
  /** Disk path, as in the report's `site`, `wokenBy[].site` and `declared` locations. */
  file: string;
  /** Line number of `lines[0]`. */
  startLine: number;
  lines: string[];
  marks: { line: number; kind: 'blocked' | 'waker' | 'held' | 'fix'; note: string }[];
}
