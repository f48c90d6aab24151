// `gridlock watch`: poll a running Go program's goroutine profile and alert when it gets stuck.
import type { ReportFinding } from '../analysis/types.js';
import { formatEventJson, formatEventText } from './format.js';
import { watch, type WatchOptions } from './watch.js';

export { watch, type WatchEvent, type WatchOptions } from './watch.js';
export { parseWatchArgs, parseDuration, WATCH_USAGE, type WatchArgs, type ParsedWatchArgs } from './args.js';
export { comparePoll, createWatchMemory, findingIdentity, DEFAULT_COMPARE_SETTINGS, type CompareSettings, type WatchAlert, type WatchMemory, type PollObservation } from './compare.js';
export { observeSites, type SiteObservation } from './sites.js';
export { backoffDelay, backoffForInterval, type BackoffPolicy } from './backoff.js';
export type { WatchStages } from './stages.js';

export interface RunWatchOptions extends WatchOptions {
  /** JSON lines instead of text. */
  json?: boolean;
}

/** Where runWatch writes: a stream or anything with the same `write`. */
export interface WatchOutput {
  write(text: string): unknown;
}

/**
 * Runs a watch and prints its events. Resolves with the exit code: with `once`, 0 when the target
 * is fine, 1 when it shows a deadlock or leaked lock of at least likely confidence, 2 when it could
 * not be read; a continuous watch ends with 0 when its signal aborts it.
 */
export async function runWatch(options: RunWatchOptions, out: WatchOutput): Promise<number> {
  let reachedTarget = false;
  let stuck = false;
  for await (const event of watch(options)) {
    const text = options.json ? formatEventJson(event) : formatEventText(event, options.once === true);
    if (text !== '') out.write(text);
    if (event.event === 'poll') reachedTarget = true;
    if (event.event === 'alert' && isDeadlockOfNote(event.finding)) stuck = true;
  }
  if (!options.once) return 0;
  if (!reachedTarget) return 2;
  return stuck ? 1 : 0;
}

/** What makes `--once` (and the dump command) exit with 1. */
export function isDeadlockOfNote(finding: ReportFinding): boolean {
  return (finding.kind === 'deadlock-cycle' || finding.kind === 'leaked-lock') && finding.confidence !== 'possible';
}
