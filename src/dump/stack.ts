// Where in a stack a goroutine is blocked: the top frame that is the program's own code rather
// than the runtime or the standard library's synchronisation machinery.
import type { Frame, Goroutine } from './types.js';

/**
 * True for frames of the runtime and of the sync package's own implementation: `runtime.*`,
 * `runtime/internal/*`, `internal/*` (which holds the Mutex implementation since Go 1.24),
 * `sync.runtime_*`, and every function of `sync` and `sync/atomic` (`(*Mutex).lockSlow`,
 * `(*Mutex).Lock`, `(*RWMutex).RLock`, `(*WaitGroup).Wait`, `(*Cond).Wait`, `(*Once).doSlow`,
 * `OnceFunc` closures …): the line that matters is the caller's.
 * `time.Sleep` and `context` are deliberately not internal: their frames are the blocking site
 * when they are the top non-runtime frame (a context's own goroutine, a sleeping caller).
 */
export function isRuntimeFrame(frame: Pick<Frame, 'pkg' | 'function'>): boolean {
  const pkg = frame.pkg;
  if (pkg === 'runtime' || pkg === 'sync' || pkg === 'sync/atomic') return true;
  if (pkg.startsWith('runtime/internal/') || pkg.startsWith('internal/')) return true;
  // A frame whose package could not be parsed: judge by the printed name.
  if (pkg === '') return frame.function.startsWith('runtime.') || frame.function.startsWith('sync.');
  return false;
}

/** Index in `goroutine.frames` of the blocking site (see isRuntimeFrame), or -1 when every frame is internal. */
export function blockingFrameIndex(goroutine: Pick<Goroutine, 'frames'>): number {
  const frames = goroutine.frames;
  for (let i = 0; i < frames.length; i++) {
    if (!isRuntimeFrame(frames[i])) return i;
  }
  return -1;
}
