// The poll loop: fetch, read, analyse, compare, and say what changed. One request is in flight at
// a time; after a failure the next try backs off exponentially; every poll's dump is dropped once
// compared, so memory stays that of one poll however long the watch runs.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DumpFormat } from '../dump/types.js';
import type { Report, ReportFinding, SourceExcerpt } from '../analysis/types.js';
import { backoffDelay, backoffForInterval } from './backoff.js';
import { comparePoll, createWatchMemory, type AlertReason, type CompareSettings } from './compare.js';
import { observeSites } from './sites.js';
import { loadWatchStages, type WatchStages } from './stages.js';
import { fetchFirstExposed, isNotExposed, profileCandidates, type FetchOutcome, type TargetProblem } from './target.js';

export interface WatchOptions {
  /** A pprof base or a goroutine profile URL. */
  url: string;
  intervalMs?: number;
  /** Time limit of one request. */
  timeoutMs?: number;
  /** Largest answer read, in bytes. */
  maxBytes?: number;
  sourceRoots?: string[];
  cwd?: string;
  env?: Record<string, string | undefined>;
  cacheDir?: string | null;
  /** Where to keep the dump and HTML report of each poll that raised an alert; null = nowhere. */
  reportDir?: string | null;
  /** Poll once and stop. */
  once?: boolean;
  /** Ends the watch (the iterator then finishes). */
  signal?: AbortSignal;
  /** Longest wait between tries while the target fails. */
  backoffMaxMs?: number;
  compare?: Partial<CompareSettings>;
  /** The pipeline; the real one by default. */
  stages?: WatchStages;
}

export type WatchEvent =
  | { event: 'start'; at: string; url: string; intervalMs: number }
  | { event: 'poll'; at: string; url: string; format: DumpFormat; goroutines: number; findings: number; ms: number }
  | {
      event: 'alert';
      at: string;
      reason: AlertReason;
      id: string;
      finding: ReportFinding;
      /** The files kept for this alert, when a report directory was given. */
      saved: { dump: string; html: string | null } | null;
    }
  | { event: 'unreachable'; at: string; url: string; problem: TargetProblem['kind']; message: string; failures: number; retryInMs: number }
  | { event: 'recovered'; at: string; url: string; downMs: number; failures: number }
  | { event: 'warning'; at: string; message: string };

const DEFAULT_INTERVAL_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_BYTES = 1 << 30;

/** Watches the target until the signal aborts (or after one poll with `once`), yielding what happens. */
export async function* watch(options: WatchOptions): AsyncGenerator<WatchEvent, void, undefined> {
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const limits = { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES, signal: options.signal };
  const backoff = backoffForInterval(intervalMs, options.backoffMaxMs);
  const memory = createWatchMemory(options.compare);
  const candidates = profileCandidates(options.url);
  const analyzeOptions = {
    sourceRoots: options.sourceRoots ?? [],
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    cacheDir: options.cacheDir ?? null,
  };
  let stages = options.stages ?? null;
  let chosenUrl: string | null = candidates.length === 1 ? candidates[0] : null;
  let failures = 0;
  let downSince = 0;
  let lastProblem: TargetProblem['kind'] | null = null;

  yield { event: 'start', at: stamp(), url: options.url, intervalMs };

  while (!options.signal?.aborted) {
    const startedAt = Date.now();
    const fetched = await fetchFirstExposed(chosenUrl === null ? candidates : [chosenUrl], limits);
    if (options.signal?.aborted) return;
    chosenUrl = fetched.ok || !isNotExposed(fetched) ? fetched.url : null;

    let problem: TargetProblem | null = fetched.ok ? null : fetched.problem;
    if (fetched.ok) {
      try {
        stages ??= await loadWatchStages();
        const events = await examine(fetched.body, fetched.contentType, fetched.url, startedAt, stages);
        if (events === null) {
          problem = { kind: 'unusable', message: `no goroutine in the answer (${fetched.body.length} bytes${fetched.contentType ? `, ${fetched.contentType}` : ''})` };
        } else {
          if (failures > 0) {
            yield { event: 'recovered', at: stamp(), url: fetched.url, downMs: Date.now() - downSince, failures };
          }
          failures = 0;
          lastProblem = null;
          yield* events;
        }
      } catch (error) {
        problem = { kind: 'unusable', message: `could not analyse the answer: ${error instanceof Error ? error.message : String(error)}` };
      }
    }
    if (problem !== null) {
      failures++;
      if (failures === 1) downSince = startedAt;
      const retryInMs = backoffDelay(backoff, failures);
      // One line per outage, and one more only when the kind of trouble changes.
      if (failures === 1 || problem.kind !== lastProblem) {
        yield { event: 'unreachable', at: stamp(), url: fetched.url, problem: problem.kind, message: problem.message, failures, retryInMs: options.once ? 0 : retryInMs };
      }
      lastProblem = problem.kind;
    }
    if (options.once) return;
    const delay = failures === 0 ? Math.max(0, intervalMs - (Date.now() - startedAt)) : backoffDelay(backoff, failures);
    try {
      await sleep(delay, undefined, { signal: options.signal });
    } catch {
      return; // aborted
    }
  }

  /** Reads, analyses and compares one answer; null when it holds no goroutine. */
  async function examine(body: Buffer, contentType: string, url: string, startedAt: number, pipeline: WatchStages): Promise<WatchEvent[] | null> {
    const input = await pipeline.readDump(body);
    const snapshot = input.snapshots[input.snapshots.length - 1];
    if (snapshot === undefined) return null;
    const at = Date.now();
    const sites = observeSites(snapshot);
    const { report, excerpts } = await pipeline.analyze(input, analyzeOptions);
    const alerts = comparePoll(memory, { at, sites, report });
    const events: WatchEvent[] = [
      {
        event: 'poll',
        at: stamp(at),
        url,
        format: snapshot.format,
        goroutines: snapshot.goroutines.reduce((sum, goroutine) => sum + Math.max(1, goroutine.count), 0),
        findings: report.findings.length,
        ms: at - startedAt,
      },
    ];
    if (alerts.length === 0) return events;
    let saved: { dump: string; html: string | null } | null = null;
    if (options.reportDir) {
      const kept = await keepMoment(options.reportDir, at, body, contentType, report, excerpts, pipeline);
      saved = kept.saved;
      if (kept.warning !== null) events.push({ event: 'warning', at: stamp(), message: kept.warning });
    }
    for (const alert of alerts) {
      events.push({ event: 'alert', at: stamp(at), reason: alert.reason, id: alert.id, finding: alert.finding, saved });
    }
    return events;
  }
}

/** Writes the dump and the HTML report of the moment an alert fired. Failures become a warning. */
async function keepMoment(
  dir: string,
  at: number,
  body: Buffer,
  contentType: string,
  report: Report,
  excerpts: SourceExcerpt[],
  stages: WatchStages,
): Promise<{ saved: { dump: string; html: string | null } | null; warning: string | null }> {
  const base = join(dir, `gridlock-${new Date(at).toISOString().replace(/[:.]/g, '-')}`);
  const dumpPath = `${base}${dumpExtension(body, contentType)}`;
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(dumpPath, body);
  } catch (error) {
    return { saved: null, warning: `could not keep the dump in ${dir}: ${(error as Error).message}` };
  }
  if (stages.renderHtml === null) {
    return { saved: { dump: dumpPath, html: null }, warning: 'no HTML renderer available: kept the dump only' };
  }
  const htmlPath = `${base}.html`;
  try {
    await writeFile(htmlPath, await stages.renderHtml(report, excerpts));
  } catch (error) {
    return { saved: { dump: dumpPath, html: null }, warning: `could not write the HTML report: ${(error as Error).message}` };
  }
  return { saved: { dump: dumpPath, html: htmlPath }, warning: null };
}

function dumpExtension(body: Buffer, contentType: string): string {
  if (body[0] === 0x1f && body[1] === 0x8b) return '.pb.gz';
  if (contentType.startsWith('application/octet-stream')) return '.pb';
  return '.txt';
}

function stamp(at: number = Date.now()): string {
  return new Date(at).toISOString();
}
