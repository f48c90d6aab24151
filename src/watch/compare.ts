// The comparison at the heart of watch: each poll's sites and report against what earlier polls
// left behind. Plain data in, alerts out. The memory holds only what the next comparison needs
// (one small record per site seen in the last poll, and the identities already alerted), never
// past snapshots, so a watch of days stays the size of one poll.
import { createHash } from 'node:crypto';
import type { WaitClass } from '../dump/types.js';
import type { FindingKind, Report, ReportFinding, ReportGroup, ReportWait, WaitOperation } from '../analysis/types.js';
import type { SiteObservation } from './sites.js';

/** Why an alert fired: the analysis found something new, a group stays put, or a crowd keeps growing. */
export type AlertReason = 'new-finding' | 'stuck-group' | 'growing-crowd';

export interface WatchAlert {
  reason: AlertReason;
  /** Short stable hash of `key`. */
  id: string;
  /** What identifies the finding across polls: kind, parties and resources. */
  key: string;
  /** The finding in the version-1 contract. Stuck groups are `long-wait`, growing crowds `pile-up`. */
  finding: ReportFinding;
}

export interface CompareSettings {
  /** Analysis findings of these kinds alert as soon as they appear. */
  alertKinds: FindingKind[];
  /** A group alerts once the same goroutines wait at the same site for this many polls in a row… */
  stuckPolls: number;
  /** …and for at least this long, in ms. */
  stuckMs: number;
  /** A crowd alerts once its count rose this many polls in a row… */
  growthPolls: number;
  /** …and it holds at least this many goroutines. */
  minCrowd: number;
  /** How many alerted identities to remember; the oldest are forgotten beyond it. */
  maxRemembered: number;
}

export const DEFAULT_COMPARE_SETTINGS: CompareSettings = {
  alertKinds: ['deadlock-cycle', 'leaked-lock'],
  stuckPolls: 3,
  stuckMs: 0,
  growthPolls: 3,
  minCrowd: 10,
  maxRemembered: 10_000,
};

/** One poll as the comparison sees it. */
export interface PollObservation {
  /** When the poll's response arrived, ms since the epoch. */
  at: number;
  sites: SiteObservation[];
  report: Report;
}

/** What watch keeps of a site between polls. */
interface SiteTrack {
  /** When the current run of polls with the same goroutines at this site began. */
  since: number;
  /** Polls in a row the site was seen (with at least one of the same goroutines, when ids are printed). */
  polls: number;
  /** The goroutines present at every poll of the run; null when the format prints no ids. */
  ids: number[] | null;
  lastCount: number;
  /** Polls in a row the count rose. */
  growth: number;
  /** The count before the growth run began. */
  growthFrom: number;
}

export interface WatchMemory {
  settings: CompareSettings;
  sites: Map<string, SiteTrack>;
  /** Identities already alerted, oldest first. */
  alerted: Set<string>;
}

export function createWatchMemory(settings: Partial<CompareSettings> = {}): WatchMemory {
  return { settings: { ...DEFAULT_COMPARE_SETTINGS, ...settings }, sites: new Map(), alerted: new Set() };
}

// Waits where a goroutine that does not move is suspect. Receives, selects and Cond waits are how
// idle workers and event loops spend their lives, so staying there proves nothing.
export const STUCK_PRONE: ReadonlySet<WaitClass> = new Set<WaitClass>([
  'chan-send',
  'chan-send-nil',
  'chan-receive-nil',
  'mutex',
  'rwmutex-read',
  'rwmutex-write',
  'waitgroup',
  'sync',
]);

/**
 * Compares one poll with the memory, updates the memory, and returns the alerts that fire now.
 * Each identity alerts once for the life of the memory.
 */
export function comparePoll(memory: WatchMemory, poll: PollObservation): WatchAlert[] {
  const { settings } = memory;
  const alerts: WatchAlert[] = [];
  const coveredSites = new Set<string>();

  for (const finding of poll.report.findings) {
    if (!settings.alertKinds.includes(finding.kind)) continue;
    for (const wait of finding.waits) coveredSites.add(siteSpot(wait.blockedIn));
    const key = findingIdentity(finding);
    if (remember(memory, key)) alerts.push({ reason: 'new-finding', id: shortHash(key), key, finding });
  }

  // Where the analysis found the goroutines live (a live goroutine will wake them): staying there
  // is how a healthy program waits, and the dump command says nothing of it either.
  const liveSpots = new Set<string>();
  for (const group of poll.report.groups) {
    if (group.stuck !== false) continue;
    const top = group.frames.find((f) => !/^(runtime|sync|internal)[./]/.test(f.function));
    if (top) liveSpots.add(siteSpot(top));
  }

  const nextSites = new Map<string, SiteTrack>();
  for (const site of poll.sites) {
    const track = advanceTrack(memory.sites.get(site.key), site, poll.at);
    nextSites.set(site.key, track);

    if (
      STUCK_PRONE.has(site.waitClass) &&
      track.polls >= settings.stuckPolls &&
      poll.at - track.since >= settings.stuckMs &&
      !coveredSites.has(siteSpot(site.site)) &&
      !liveSpots.has(siteSpot(site.site))
    ) {
      const key = `stuck|${site.key}`;
      if (remember(memory, key)) {
        alerts.push({ reason: 'stuck-group', id: shortHash(key), key, finding: stuckFinding(site, track, poll) });
      }
    }
    if (track.growth >= settings.growthPolls && site.count >= settings.minCrowd) {
      const key = `crowd|${site.key}`;
      if (remember(memory, key)) {
        alerts.push({ reason: 'growing-crowd', id: shortHash(key), key, finding: crowdFinding(site, track, poll) });
      }
    }
  }
  // Sites absent from this poll are forgotten: their runs are broken.
  memory.sites = nextSites;
  return alerts;
}

/** `kind|parties|resources`: the same deadlock seen in two polls (or twice in one) has one identity. */
export function findingIdentity(finding: ReportFinding): string {
  const parties = uniqueSorted(finding.waits.map((wait) => `${wait.function}@${wait.blockedIn.function}`));
  const resources = uniqueSorted(finding.waits.map((wait) => wait.resource?.name ?? '-'));
  return `${finding.kind}|${parties.join(',')}|${resources.join(',')}`;
}

function advanceTrack(previous: SiteTrack | undefined, site: SiteObservation, at: number): SiteTrack {
  const ids = site.ids.length > 0 ? site.ids : null;
  if (previous === undefined) {
    return { since: at, polls: 1, ids, lastCount: site.count, growth: 0, growthFrom: site.count };
  }
  let { since, polls } = previous;
  let keptIds: number[] | null = ids;
  if (previous.ids !== null && ids !== null) {
    keptIds = intersectSorted(previous.ids, ids);
    if (keptIds.length === 0) {
      // Other goroutines now wait here: a busy site, not a stuck one. Start a new run.
      since = at;
      polls = 0;
      keptIds = ids;
    }
  }
  const grew = site.count > previous.lastCount;
  return {
    since,
    polls: polls + 1,
    ids: keptIds,
    lastCount: site.count,
    growth: grew ? previous.growth + 1 : 0,
    growthFrom: grew ? (previous.growth === 0 ? previous.lastCount : previous.growthFrom) : site.count,
  };
}

/** Records an identity; false when it was alerted before. */
function remember(memory: WatchMemory, key: string): boolean {
  if (memory.alerted.has(key)) return false;
  memory.alerted.add(key);
  while (memory.alerted.size > memory.settings.maxRemembered) {
    const oldest = memory.alerted.values().next().value;
    if (oldest === undefined) break;
    memory.alerted.delete(oldest);
  }
  return true;
}

function stuckFinding(site: SiteObservation, track: SiteTrack, poll: PollObservation): ReportFinding {
  const seconds = Math.round((poll.at - track.since) / 1000);
  const who = track.ids !== null ? `${track.ids.length} goroutine${track.ids.length === 1 ? '' : 's'}` : `${site.count} goroutine${site.count === 1 ? '' : 's'}`;
  const where = `${site.site.function} (${baseName(site.site.file)}:${site.site.line})`;
  return siteFinding(site, poll.report, {
    kind: 'long-wait',
    title: `${who} blocked in ${where} for ${track.polls} polls`,
    explanation:
      `${who} ${track.ids !== null ? `(${idList(track.ids)}) ` : ''}waited in state "${site.state || site.waitClass}" at ` +
      `${site.site.file}:${site.site.line} in each of the last ${track.polls} polls (${seconds}s) without moving. ` +
      'Nothing has woken them: look for the goroutine that should release this resource, and whether it is itself blocked or gone.',
  });
}

function crowdFinding(site: SiteObservation, track: SiteTrack, poll: PollObservation): ReportFinding {
  const where = `${site.site.function} (${baseName(site.site.file)}:${site.site.line})`;
  return siteFinding(site, poll.report, {
    kind: 'pile-up',
    title: `${site.count} goroutines piling up in ${where}: +${site.count - track.growthFrom} over ${track.growth} polls`,
    explanation:
      `The number of goroutines waiting in state "${site.state || site.waitClass}" at ${site.site.file}:${site.site.line} ` +
      `rose in each of the last ${track.growth} polls, from ${track.growthFrom} to ${site.count}. ` +
      'Work arrives faster than this point lets it through: find what holds it up, or bound what is started.',
  });
}

function siteFinding(
  site: SiteObservation,
  report: Report,
  text: { kind: 'long-wait' | 'pile-up'; title: string; explanation: string },
): ReportFinding {
  const group = groupAtSite(report.groups, site);
  const operation = group?.blocking?.operation ?? operationOfClass(site.waitClass);
  const waits: ReportWait[] =
    operation === null
      ? []
      : [
          {
            group: group?.id ?? null,
            inferred: false,
            function: group?.identity ?? site.identity ?? site.site.function,
            blockedIn: { ...site.site },
            operation,
            resource: group?.blocking?.resource ?? null,
            wokenBy: group?.blocking?.wokenBy ?? [],
          },
        ];
  return {
    kind: text.kind,
    confidence: 'possible',
    title: text.title,
    explanation: text.explanation,
    waits,
    fixes: [],
    mermaid: siteMermaid(site, waits[0]),
  };
}

/** The largest report group whose goroutines block at the site, or have it among their frames. */
function groupAtSite(groups: ReportGroup[], site: SiteObservation): ReportGroup | null {
  const spot = siteSpot(site.site);
  let best: ReportGroup | null = null;
  for (const group of groups) {
    const matches =
      (group.blocking !== null && siteSpot(group.blocking.site) === spot) || group.frames.some((frame) => siteSpot(frame) === spot);
    if (matches && (best === null || group.count > best.count)) best = group;
  }
  return best;
}

const OPERATION_OF_CLASS: Partial<Record<WaitClass, WaitOperation>> = {
  'chan-send': 'chan-send',
  'chan-send-nil': 'chan-send',
  'chan-receive': 'chan-receive',
  'chan-receive-nil': 'chan-receive',
  select: 'select',
  mutex: 'mutex-lock',
  'rwmutex-write': 'rwmutex-lock',
  'rwmutex-read': 'rwmutex-rlock',
  waitgroup: 'waitgroup-wait',
  cond: 'cond-wait',
};

function operationOfClass(waitClass: WaitClass): WaitOperation | null {
  return OPERATION_OF_CLASS[waitClass] ?? null;
}

function siteMermaid(site: SiteObservation, wait: ReportWait | undefined): string {
  const label = (text: string) => text.replace(/"/g, '#quot;');
  const crowd = `g["${label(`${site.count} × ${site.site.function}`)}"]`;
  if (wait === undefined) return `graph TD\n  ${crowd}`;
  const resource = wait.resource?.name ?? `${baseName(site.site.file)}:${site.site.line}`;
  return `graph TD\n  ${crowd} -->|${wait.operation}| r["${label(resource)}"]`;
}

function siteSpot(site: { function: string; file: string; line: number }): string {
  return `${site.function}|${site.file}:${site.line}`;
}

function intersectSorted(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(a[i]);
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return out;
}

function uniqueSorted(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function idList(ids: number[]): string {
  const shown = ids.slice(0, 5).map((id) => `goroutine ${id}`).join(', ');
  return ids.length > 5 ? `${shown}, … ${ids.length - 5} more` : shown;
}

function baseName(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? file : file.slice(slash + 1);
}

function shortHash(key: string): string {
  return createHash('sha1').update(key).digest('hex').slice(0, 12);
}
