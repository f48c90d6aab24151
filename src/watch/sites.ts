// What watch remembers of one snapshot: where goroutines wait, how many, and which ones. A site is
// the goroutine's blocking frame (its top frame outside the runtime and sync internals) together
// with the kind of wait, so the same line reached as a send and as a select stays apart.
import type { Frame, Goroutine, Snapshot, WaitClass } from '../dump/types.js';

export interface SiteObservation {
  /** `waitClass|function|file:line`: stable across polls of the same program. */
  key: string;
  waitClass: WaitClass;
  /** The state as printed by the first goroutine seen there. */
  state: string;
  site: { function: string; file: string; line: number };
  /** The function the goroutines were started with (their bottom frame), or null when no frame was read. */
  identity: string | null;
  /** How many goroutines wait there (debug=1 and pprof records stand for many). */
  count: number;
  /** Goroutine ids, sorted; empty for formats that print none. */
  ids: number[];
}

// Waits that are not waits: the goroutine runs, or the runtime itself is busy.
const NOT_WAITING: ReadonlySet<WaitClass> = new Set<WaitClass>(['running', 'runnable', 'gc', 'syscall']);

/** True for frames of the runtime and of the synchronisation internals, which are never the blocking site. */
export function isRuntimeFrame(frame: Frame): boolean {
  const pkg = frame.pkg;
  return pkg === 'runtime' || pkg === 'sync' || pkg === 'sync/atomic' || pkg.startsWith('internal/') || pkg.startsWith('runtime/');
}

/**
 * True for frames of the standard library (import paths whose first element has no dot), `main`
 * excepted. Programs wait inside library calls (`time.Sleep`, `net.(*conn).Read`); the place to
 * show is the program's own frame that made the call, or every sleeper would share one site.
 */
export function isStandardLibraryFrame(frame: Frame): boolean {
  const pkg = frame.pkg;
  if (pkg === 'main' || pkg === '') return false;
  const slash = pkg.indexOf('/');
  return !(slash < 0 ? pkg : pkg.slice(0, slash)).includes('.');
}

/**
 * The frame a watch site is named after: the first frame of the program's own code, else the
 * first outside the runtime and sync internals, else the top frame; null without frames.
 */
export function blockingFrame(goroutine: Goroutine): Frame | null {
  for (const frame of goroutine.frames) if (!isStandardLibraryFrame(frame) && !isRuntimeFrame(frame)) return frame;
  for (const frame of goroutine.frames) if (!isRuntimeFrame(frame)) return frame;
  return goroutine.frames[0] ?? null;
}

// debug=1 and pprof records print no state: the runtime functions on top of the stack tell the
// wait instead. First match wins, so the more specific entries come first.
const WAIT_BY_RUNTIME_FUNCTION: ReadonlyArray<[string, WaitClass]> = [
  ['sync.(*RWMutex).RLock', 'rwmutex-read'],
  ['sync.(*RWMutex).Lock', 'rwmutex-write'],
  ['sync.(*WaitGroup).Wait', 'waitgroup'],
  ['sync.(*Cond).Wait', 'cond'],
  ['sync.(*Mutex).Lock', 'mutex'],
  ['sync.runtime_SemacquireMutex', 'mutex'],
  ['internal/sync.runtime_SemacquireMutex', 'mutex'],
  ['runtime.chansend', 'chan-send'],
  ['runtime.chanrecv', 'chan-receive'],
  ['runtime.selectgo', 'select'],
  ['runtime.block', 'select-no-cases'],
  ['runtime.netpollblock', 'io'],
  ['internal/poll.runtime_pollWait', 'io'],
  ['time.Sleep', 'sleep'],
  ['runtime.timeSleep', 'sleep'],
];

/** The goroutine's wait class, guessed from its runtime frames when the dump printed no state. */
export function effectiveWaitClass(goroutine: Goroutine): WaitClass {
  if (goroutine.waitClass !== 'unknown') return goroutine.waitClass;
  for (const frame of goroutine.frames) {
    for (const [prefix, waitClass] of WAIT_BY_RUNTIME_FUNCTION) {
      if (frame.function.startsWith(prefix)) return waitClass;
    }
    if (!isRuntimeFrame(frame)) break;
  }
  return 'unknown';
}

/** Every site where goroutines of the snapshot wait, merged by key. */
export function observeSites(snapshot: Snapshot): SiteObservation[] {
  const byKey = new Map<string, SiteObservation>();
  for (const goroutine of snapshot.goroutines) {
    const waitClass = effectiveWaitClass(goroutine);
    if (NOT_WAITING.has(waitClass)) continue;
    const frame = blockingFrame(goroutine);
    if (frame === null) continue;
    const key = `${waitClass}|${frame.function}|${frame.file}:${frame.line}`;
    let site = byKey.get(key);
    if (site === undefined) {
      const bottom = goroutine.frames[goroutine.frames.length - 1];
      site = {
        key,
        waitClass,
        state: goroutine.state,
        site: { function: frame.function, file: frame.file, line: frame.line },
        identity: goroutine.framesElided ? null : bottom.function,
        count: 0,
        ids: [],
      };
      byKey.set(key, site);
    }
    site.count += Math.max(1, goroutine.count);
    if (goroutine.id !== null) site.ids.push(goroutine.id);
  }
  const sites = [...byKey.values()];
  for (const site of sites) site.ids.sort((a, b) => a - b);
  return sites;
}
