// The polling ladder: how watch keeps its own cost on the target low. Collecting `debug=2` stops
// the world for a traceback of every goroutine (1.2 s to answer at 100,000 goroutines, measured by
// bench/watch-pause.ts), while `debug=1` and the protobuf are collected concurrently with the
// program (0.2 s to answer), and the leak profile forces a garbage collection. So:
//
//   rung 1, every interval   `goroutine?debug=1` (else the protobuf): where goroutines wait, how many
//   rung 2, when suspicious  `goroutine?debug=2`: states, ids and wait times, analysed in full;
//                            suspicious = a stuck-prone site (a send, a lock, a WaitGroup) seen in
//                            two cheap polls in a row, a crowd that grew, or `fullEvery` cheap polls
//                            since the last full one. The first poll is always full.
//   rung 3, rarely           `goroutineleak?debug=1` every `leakEveryMs` (Go 1.26+ with the leak
//                            detector): a total that rose takes `goroutineleak?debug=2`, the full
//                            dump with `(leaked)` marks, as the next full poll
//
// debug=1 prints no state and hides the runtime's frames, so a cheap poll cannot tell a send from a
// receive: a site's wait class comes from the last full poll that saw the same frame, and a frame
// no full poll has seen yet counts as stuck-prone (a new stuck site until a full poll says more).
// A site escalates at most `stuckPolls` times in a row, which is what the comparison needs to call
// it stuck; after that only a change (it grows, it goes and comes back) escalates it again.
// Plain data in, decisions out; cost per poll: one pass over the cheap poll's sites.
import { STUCK_PRONE, type CompareSettings } from './compare.js';
import { blockingFrame, effectiveWaitClass, type SiteObservation } from './sites.js';
import type { Snapshot, WaitClass } from '../dump/types.js';

export type Escalation = 'stuck-site' | 'growing-crowd' | 'periodic' | 'leak';

export interface LadderSettings {
  /** Full polls at least this often, counted in cheap polls. */
  fullEvery: number;
  /** How often to ask the leak profile, in ms. */
  leakEveryMs: number;
  /** A crowd must hold this many goroutines and grow by `growth` of itself to escalate. */
  minCrowd: number;
  growth: number;
  /** Escalations in a row per stuck site (the comparison's stuckPolls). */
  stuckPolls: number;
}

export const DEFAULT_LADDER_SETTINGS: LadderSettings = {
  fullEvery: 30,
  leakEveryMs: 10 * 60_000,
  minCrowd: 10,
  growth: 0.1,
  stuckPolls: 3,
};

export function ladderSettings(compare: Partial<CompareSettings> = {}, settings: Partial<LadderSettings> = {}): LadderSettings {
  return { ...DEFAULT_LADDER_SETTINGS, stuckPolls: compare.stuckPolls ?? DEFAULT_LADDER_SETTINGS.stuckPolls, minCrowd: compare.minCrowd ?? DEFAULT_LADDER_SETTINGS.minCrowd, ...settings };
}

export interface LadderMemory {
  settings: LadderSettings;
  /** Count per site key in the last cheap poll. */
  previous: Map<string, number> | null;
  /** Escalations in a row per stuck site key. */
  escalated: Map<string, number>;
  cheapSinceFull: number;
  /** When the leak profile was last asked, ms since the epoch; 0 = never. */
  leakAskedAt: number;
  /** Its last total; null until read. */
  leakTotal: number | null;
  /** False once the target said it has no leak profile. */
  leakExposed: boolean;
  /** A rise in the leak total seen, not yet followed by a full poll. */
  leakPending: boolean;
  /** Wait class per blocking frame (`function|file:line`), as the full polls printed it. */
  classBySpot: Map<string, WaitClass>;
}

export function createLadder(settings: LadderSettings = DEFAULT_LADDER_SETTINGS): LadderMemory {
  return { settings, previous: null, escalated: new Map(), cheapSinceFull: 0, leakAskedAt: 0, leakTotal: null, leakExposed: true, leakPending: false, classBySpot: new Map() };
}

/** Whether this cheap poll calls for a full one, and why; updates the memory. */
export function judgeCheapPoll(memory: LadderMemory, sites: SiteObservation[]): Escalation | null {
  const { settings } = memory;
  const previous = memory.previous;
  const current = new Map<string, number>();
  for (const site of sites) current.set(site.key, (current.get(site.key) ?? 0) + site.count);
  memory.previous = current;
  let reason: Escalation | null = null;
  if (memory.leakPending) reason = 'leak';
  const escalated = new Map<string, number>();
  for (const site of sites) {
    const before = previous?.get(site.key);
    if (before === undefined) continue;
    if (site.count >= settings.minCrowd && site.count - before >= Math.max(1, Math.ceil(before * settings.growth))) reason ??= 'growing-crowd';
    if (!STUCK_PRONE.has(waitClassOf(memory, site))) continue;
    const times = memory.escalated.get(site.key) ?? 0;
    if (times < settings.stuckPolls) {
      reason ??= 'stuck-site';
      escalated.set(site.key, times + 1);
    } else {
      escalated.set(site.key, times);
    }
  }
  // Sites gone from this poll start afresh when they come back.
  memory.escalated = escalated;
  if (reason === null && memory.cheapSinceFull + 1 >= settings.fullEvery) reason = 'periodic';
  memory.cheapSinceFull = reason === null ? memory.cheapSinceFull + 1 : 0;
  if (reason !== null) memory.leakPending = false;
  return reason;
}

/**
 * Learns the wait classes of a full poll's goroutines by blocking frame, for the cheap polls that
 * print none; running ones too (the goroutine answering the poll is one).
 */
export function noteFullPoll(memory: LadderMemory, snapshot: Snapshot): void {
  if (memory.classBySpot.size > 100_000) memory.classBySpot.clear();
  for (const goroutine of snapshot.goroutines) {
    const waitClass = effectiveWaitClass(goroutine);
    const frame = blockingFrame(goroutine);
    if (waitClass !== 'unknown' && frame !== null) memory.classBySpot.set(`${frame.function}|${frame.file}:${frame.line}`, waitClass);
  }
}

function spotOf(site: SiteObservation): string {
  return site.key.slice(site.key.indexOf('|') + 1);
}

/** The site's class; for a cheap poll's `unknown`, what a full poll printed there, else stuck-prone. */
function waitClassOf(memory: LadderMemory, site: SiteObservation): WaitClass {
  if (site.waitClass !== 'unknown') return site.waitClass;
  return memory.classBySpot.get(spotOf(site)) ?? 'sync';
}

/** True when the leak profile is due. */
export function leakProfileDue(memory: LadderMemory, now: number): boolean {
  return memory.leakExposed && now - memory.leakAskedAt >= memory.settings.leakEveryMs;
}

/** Takes the answer of `goroutineleak?debug=1`; true when the total rose (the next poll goes full). */
export function noteLeakTotal(memory: LadderMemory, now: number, total: number | null): boolean {
  memory.leakAskedAt = now;
  if (total === null) return false;
  const rose = total > 0 && (memory.leakTotal === null || total > memory.leakTotal);
  memory.leakTotal = total;
  if (rose) memory.leakPending = true;
  return rose;
}

/** `goroutineleak profile: total N` (or `goroutine profile: total N`) at the start of a debug=1 answer. */
export function profileTotal(body: string): number | null {
  const match = /^goroutine(?:leak)? profile: total (\d+)/m.exec(body.slice(0, 256));
  return match === null ? null : Number(match[1]);
}
