// Progress for a long index build, for drivers to hand to buildIndex's onProgress: written to a
// terminal only, and only once indexing has taken more than a moment, so quick runs and piped
// output stay clean.

export interface ProgressSink {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressPrinter {
  onProgress: (done: number, total: number) => void;
  /** Clears the progress line, if one was written. */
  finish: () => void;
}

export function terminalProgress(sink: ProgressSink, options: { delayMs?: number; intervalMs?: number; now?: () => number } = {}): ProgressPrinter {
  const delayMs = options.delayMs ?? 300;
  const intervalMs = options.intervalMs ?? 100;
  const now = options.now ?? (() => performance.now());
  const started = now();
  let lastWrite = -Infinity;
  let written = false;
  return {
    onProgress(done, total) {
      if (!sink.isTTY) return;
      const t = now();
      if (t - started < delayMs || (t - lastWrite < intervalMs && done < total)) return;
      lastWrite = t;
      written = true;
      sink.write(`\rindexing Go source: ${done}/${total} files`);
    },
    finish() {
      if (written) sink.write('\r\x1b[K');
      written = false;
    },
  };
}
