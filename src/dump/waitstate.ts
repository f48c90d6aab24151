// Folds the runtime's printed goroutine status into a WaitClass.
//
// The strings come from the Go runtime's `waitReasonStrings` and `gStatusStrings`
// (runtime/runtime2.go, runtime/traceback.go) from Go 1.13 to Go 1.26. The header may decorate the
// reason: ` (scan)`, ` (leaked)`, ` (durable)` (synctest bubbles); those suffixes are removed
// before the lookup, the raw text stays on the goroutine.
import type { WaitClass } from './types.js';

const classByReason: ReadonlyMap<string, WaitClass> = new Map<string, WaitClass>([
  // Channels.
  ['chan send', 'chan-send'],
  ['chan receive', 'chan-receive'],
  ['chan send (nil chan)', 'chan-send-nil'],
  ['chan receive (nil chan)', 'chan-receive-nil'],
  ['chan send (durable)', 'chan-send'],
  ['chan receive (durable)', 'chan-receive'],
  ['chan send (synctest)', 'chan-send'],
  ['chan receive (synctest)', 'chan-receive'],
  ['select', 'select'],
  ['select (durable)', 'select'],
  ['select (synctest)', 'select'],
  ['select (no cases)', 'select-no-cases'],
  // The sync package. Go 1.20+ names the primitive; older Go prints `semacquire` for all of them.
  ['sync.Mutex.Lock', 'mutex'],
  ['sync.RWMutex.RLock', 'rwmutex-read'],
  ['sync.RWMutex.Lock', 'rwmutex-write'],
  ['sync.WaitGroup.Wait', 'waitgroup'],
  ['sync.WaitGroup.Wait (durable)', 'waitgroup'],
  ['sync.Cond.Wait', 'cond'],
  ['semacquire', 'sync'],
  // Timers, I/O and system calls.
  ['sleep', 'sleep'],
  ['IO wait', 'io'],
  ['syscall', 'syscall'],
  ['waiting for cgo callback', 'syscall'],
  // Garbage collector and other runtime-internal waits.
  ['GC assist marking', 'gc'],
  ['GC assist wait', 'gc'],
  ['GC sweep wait', 'gc'],
  ['GC scavenge wait', 'gc'],
  ['GC worker (idle)', 'gc'],
  ['GC worker (active)', 'gc'],
  ['GC mark termination', 'gc'],
  ['GC weak to strong wait', 'gc'],
  ['garbage collection', 'gc'],
  ['garbage collection scan', 'gc'],
  ['wait for GC cycle', 'gc'],
  ['force gc (idle)', 'gc'],
  ['finalizer wait', 'gc'],
  ['cleanup wait', 'gc'],
  // Scheduler states (gStatusStrings).
  ['running', 'running'],
  ['runnable', 'runnable'],
  ['preempted', 'runnable'],
  ['copystack', 'runnable'],
]);

/** Decorations the runtime appends to the reason inside the brackets (Go 1.25+). */
const reasonSuffixes = [' (scan)', ' (leaked)', ' (durable)'];

/**
 * The class of a printed state such as `chan receive`, `sync.Mutex.Lock` or `semacquire`.
 * Accepts the bare reason; callers strip `, N minutes` and `, locked to thread` first (the scanner
 * does). Everything else the runtime can print (`idle`, `dead`, `dumping heap`, `panicwait`,
 * `trace reader (blocked)`, `timer goroutine (idle)`, `coroutine`, `synctest.Run`, …) is `other`;
 * an empty state (debug=1, pprof) is `unknown`.
 */
export function classifyWaitState(state: string): WaitClass {
  let reason = state.trim();
  if (reason === '') return 'unknown';
  const direct = classByReason.get(reason);
  if (direct !== undefined) return direct;
  const comma = reason.indexOf(', ');
  if (comma > 0) reason = reason.slice(0, comma);
  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of reasonSuffixes) {
      if (reason.endsWith(suffix) && classByReason.has(reason) === false) {
        const shorter = reason.slice(0, -suffix.length);
        if (shorter.length > 0) {
          reason = shorter;
          changed = true;
        }
      }
    }
  }
  return classByReason.get(reason) ?? 'other';
}
