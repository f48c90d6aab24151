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
import { fetchFirstExposed, fetchProfile, isNotExposed, profileCandidates, type FetchOutcome, type TargetProblem } from './target.js';
import { createLadder, judgeCheapPoll, ladderSettings, leakProfileDue, noteFullPoll, noteLeakTotal, profileTotal, type Escalation, type LadderSettings } from './ladder.js';

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
  /** The polling ladder (ladder.ts); used when `url` is a pprof base. */
  ladder?: Partial<LadderSettings>;
  /** The pipeline; the real one by default. */
  stages?: WatchStages;
}

export type WatchEvent =
  | { event: 'start'; at: string; url: string; intervalMs: number }
  | {
      event: 'poll';
      at: string;
      url: string;
      format: DumpFormat;
      goroutines: number;
      /** Findings of the analysis; 0 for a cheap poll, which is not analysed. */
      findings: number;
      ms: number;
      /** `cheap`: a debug=1 or protobuf poll of the ladder; `full`: analysed. */
      rung: 'cheap' | 'full';
      /** Why a full poll was taken between cheap ones; null for the first poll and without a ladder. */
      escalation: Escalation | null;
      /** How long the target took to answer (its collection of the profile), in ms. */
      fetchMs: number;
    }
  | {
      /** When a continuous watch ends: the polls of each rung and how long the target took to answer them. */
      event: 'summary';
      at: string;
      rungs: Array<{ rung: 'cheap' | 'full' | 'leak'; polls: number; fetchMsMedian: number; fetchMsMax: number }>;
    }
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

  // The ladder needs a pprof base (several forms to choose from) and a target that has debug=2.
  const ladder = candidates.length > 1 ? createLadder(ladderSettings(options.compare, options.ladder)) : null;
  const cheapCandidates = candidates.filter((url) => !url.endsWith('debug=2'));
  let cheapUrl: string | null = null;
  let polled = false;
  const fetchTimes: Record<'cheap' | 'full' | 'leak', number[]> = { cheap: [], full: [], leak: [] };

  while (!options.signal?.aborted) {
    const startedAt = Date.now();
    const climbing = ladder !== null && polled && chosenUrl !== null && chosenUrl.endsWith('debug=2');
    if (climbing && leakProfileDue(ladder, startedAt)) {
      // Rung 3: the leak count alone (debug=1 prints `goroutineleak profile: total N`).
      const leak = await fetchProfile(leakUrl(chosenUrl!, 1), limits);
      if (options.signal?.aborted) break;
      if (leak.ok) {
        fetchTimes.leak.push(Date.now() - startedAt);
        if (noteLeakTotal(ladder, Date.now(), profileTotal(leak.body.toString('latin1')))) {
          yield { event: 'warning', at: stamp(), message: `the leak profile counts ${ladder.leakTotal} leaked goroutines: taking the full leak dump` };
        }
      } else {
        noteLeakTotal(ladder, Date.now(), null);
        if (isNotExposed(leak)) ladder.leakExposed = false;
      }
    }
    let fetched: FetchOutcome;
    let escalation: Escalation | null = null;
    let cheapEvents: WatchEvent[] | null = null;
    let fetchStarted = Date.now();
    if (climbing) {
      // Rung 1: the cheap form; rung 2 only when it looks suspicious.
      const cheap = await fetchFirstExposed(cheapUrl === null ? cheapCandidates : [cheapUrl], limits);
      if (options.signal?.aborted) break;
      fetched = cheap;
      if (cheap.ok) {
        cheapUrl = cheap.url;
        const fetchMs = Date.now() - fetchStarted;
        fetchTimes.cheap.push(fetchMs);
        stages ??= await loadWatchStages();
        const input = await stages.readDump(cheap.body);
        const snapshot = input.snapshots[input.snapshots.length - 1];
        if (snapshot !== undefined) {
          escalation = judgeCheapPoll(ladder, observeSites(snapshot));
          if (escalation === null) {
            cheapEvents = [{
              event: 'poll', at: stamp(), url: cheap.url, format: snapshot.format,
              goroutines: snapshot.goroutines.reduce((sum, goroutine) => sum + Math.max(1, goroutine.count), 0),
              findings: 0, ms: Date.now() - startedAt, rung: 'cheap', escalation: null, fetchMs,
            }];
          } else {
            fetchStarted = Date.now();
            const fullUrl = escalation === 'leak' ? leakUrl(chosenUrl!, 2) : chosenUrl!;
            fetched = await fetchProfile(fullUrl, limits);
            if (options.signal?.aborted) break;
          }
        }
      } else if (isNotExposed(cheap)) {
        cheapUrl = null;
        fetched = await fetchProfile(chosenUrl!, limits);
      }
    } else {
      fetched = await fetchFirstExposed(chosenUrl === null ? candidates : [chosenUrl], limits);
      if (options.signal?.aborted) break;
      chosenUrl = fetched.ok || !isNotExposed(fetched) ? fetched.url : null;
    }
    const fetchMs = Date.now() - fetchStarted;

    let problem: TargetProblem | null = fetched.ok ? null : fetched.problem;
    if (fetched.ok) {
      try {
        stages ??= await loadWatchStages();
        const events = cheapEvents ?? await examine(fetched.body, fetched.contentType, fetched.url, startedAt, stages, escalation, fetchMs);
        if (events === null) {
          problem = { kind: 'unusable', message: `no goroutine in the answer (${fetched.body.length} bytes${fetched.contentType ? `, ${fetched.contentType}` : ''})` };
        } else {
          if (cheapEvents === null) fetchTimes.full.push(fetchMs);
          polled = true;
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
      break; // aborted
    }
  }
  if (!options.once) yield summaryEvent(fetchTimes);

  /** Reads, analyses and compares one answer; null when it holds no goroutine. */
  async function examine(
    body: Buffer, contentType: string, url: string, startedAt: number, pipeline: WatchStages, escalation: Escalation | null, fetchMs: number,
  ): Promise<WatchEvent[] | null> {
    const input = await pipeline.readDump(body);
    const snapshot = input.snapshots[input.snapshots.length - 1];
    if (snapshot === undefined) return null;
    const at = Date.now();
    const sites = observeSites(snapshot);
    if (ladder !== null) noteFullPoll(ladder, snapshot);
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
        rung: 'full',
        escalation,
        fetchMs,
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

/** The leak profile next to a goroutine profile URL: `…/goroutineleak?debug=N`. */
function leakUrl(goroutineUrl: string, debug: 1 | 2): string {
  const url = new URL(goroutineUrl);
  url.pathname = url.pathname.replace(/goroutine\/?$/, 'goroutineleak');
  url.search = `?debug=${debug}`;
  return url.toString();
}

function summaryEvent(times: Record<'cheap' | 'full' | 'leak', number[]>): WatchEvent {
  const rungs = (['cheap', 'full', 'leak'] as const)
    .filter((rung) => times[rung].length > 0)
    .map((rung) => {
      const sorted = [...times[rung]].sort((a, b) => a - b);
      return { rung, polls: sorted.length, fetchMsMedian: sorted[sorted.length >> 1], fetchMsMax: sorted[sorted.length - 1] };
    });
  return { event: 'summary', at: stamp(), rungs };
}

function stamp(at: number = Date.now()): string {
  return new Date(at).toISOString();
}
