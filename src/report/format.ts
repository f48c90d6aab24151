// Small text helpers shared by the text and Markdown renderers.

import type { ReportGroup, ReportSnapshot } from '../analysis/types.js';

/** `21172` → `21,172`, independent of the machine's locale. */
export function formatCount(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

/** `5–37 min`, `12 min`, or '' when the dump printed no wait time. */
export function formatWait(waitMinutes: ReportGroup['waitMinutes']): string {
  if (!waitMinutes) return '';
  return waitMinutes.min === waitMinutes.max ? `${waitMinutes.max} min` : `${waitMinutes.min}–${waitMinutes.max} min`;
}

/** Breaks text into lines of at most `width` characters at spaces (longer words stay whole); blank lines separate paragraphs. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const words = paragraph.split(/\s+/).filter((word) => word.length > 0);
    if (words.length === 0) continue;
    if (lines.length > 0) lines.push('');
    let current = '';
    for (const word of words) {
      if (current.length === 0) current = word;
      else if (current.length + 1 + word.length <= width) current += ` ${word}`;
      else {
        lines.push(current);
        current = word;
      }
    }
    lines.push(current);
  }
  return lines;
}

/**
 * Code-point order. `localeCompare` would do, but its first call loads the locale data, which
 * costs a short run more than everything else in the renderer.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ids in natural order: `G2` before `G10`; the digits compared as numbers, the rest as text. */
export function compareIds(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    const numeric = /^\d/.test(x) && /^\d/.test(y);
    if (numeric && Number(x) !== Number(y)) return Number(x) - Number(y);
    return compareText(x, y);
  }
  return pa.length - pb.length;
}

export interface StateCount {
  state: string;
  count: number;
}

/** Goroutine counts per printed state, largest first; '' (not printed) is named as such. */
export function countByState(groups: ReportGroup[]): StateCount[] {
  const counts = new Map<string, number>();
  for (const group of groups) counts.set(group.state, (counts.get(group.state) ?? 0) + group.count);
  return [...counts.entries()]
    .map(([state, count]) => ({ state: state === '' ? 'state not printed' : state, count }))
    .sort((a, b) => b.count - a.count || compareText(a.state, b.state));
}

export function largestGroups(groups: ReportGroup[], limit: number): ReportGroup[] {
  return [...groups].sort((a, b) => b.count - a.count || compareIds(a.id, b.id)).slice(0, limit);
}

/** Groups with a printed wait time, longest first. */
export function longestWaits(groups: ReportGroup[], limit: number): ReportGroup[] {
  return groups
    .filter((group) => group.waitMinutes !== null)
    .sort(
      (a, b) =>
        (b.waitMinutes?.max ?? 0) - (a.waitMinutes?.max ?? 0) ||
        b.count - a.count ||
        compareIds(a.id, b.id),
    )
    .slice(0, limit);
}

export interface CreationSite {
  function: string;
  file: string;
  line: number;
  goroutines: number;
  groups: number;
}

/** Goroutines summed per `created by` site (function + file:line), most first. */
export function creationSites(groups: ReportGroup[], limit: number): CreationSite[] {
  const sites = new Map<string, CreationSite>();
  for (const group of groups) {
    if (!group.createdBy) continue;
    const { function: fn, file, line } = group.createdBy;
    const key = `${fn}\u0000${file}\u0000${line}`;
    const site = sites.get(key) ?? { function: fn, file, line, goroutines: 0, groups: 0 };
    site.goroutines += group.count;
    site.groups += 1;
    sites.set(key, site);
  }
  return [...sites.values()]
    .sort((a, b) => b.goroutines - a.goroutines || compareText(a.function, b.function) || a.line - b.line)
    .slice(0, limit);
}

/** `21,078 goroutines (the dump declares 21,172)`, or just the count when they agree. */
export function goroutineTotals(snapshot: ReportSnapshot): string {
  const read = plural(snapshot.goroutines, 'goroutine');
  if (snapshot.declaredTotal !== null && snapshot.declaredTotal !== snapshot.goroutines) {
    return `${read} (the dump declares ${formatCount(snapshot.declaredTotal)})`;
  }
  return read;
}

export const KIND_TITLES: Record<string, string> = {
  'deadlock-cycle': 'DEADLOCK CYCLE',
  'leaked-lock': 'LEAKED LOCK',
  'orphaned-wait': 'ORPHANED WAIT',
  'pile-up': 'PILE-UP',
  'long-wait': 'LONG WAIT',
};

/**
 * What to say when a wait lists no waker: a leaked lock, a wait nothing can end, or — when the
 * resource was not identified (no source) — that gridlock cannot tell.
 */
export function noWakerText(wait: { operation: string; resource: unknown }): string {
  if (!wait.resource && wait.operation !== 'select') return 'unknown: without the source, who could wake it cannot be told';
  const lock = wait.operation === 'mutex-lock' || wait.operation === 'rwmutex-lock' || wait.operation === 'rwmutex-rlock';
  return lock ? 'nothing: no goroutine holds the lock (it leaked)' : 'nothing: no goroutine and no code path can wake it';
}
