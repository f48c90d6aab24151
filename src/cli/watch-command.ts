// `gridlock watch URL …`: polls a live process and prints alerts until interrupted (or once).

import { resolve } from 'node:path';
import { parseWatchArgs, runWatch, WATCH_USAGE } from '../watch/index.js';
import { UsageError } from './args.js';
import { defaultCacheDir } from './cache.js';

export async function runWatchCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(WATCH_USAGE);
    return 0;
  }
  const parsed = parseWatchArgs(argv);
  if (!parsed.ok) throw new UsageError(`watch: ${parsed.error}`);
  const { args } = parsed;
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await runWatch(
      {
        url: args.url,
        intervalMs: args.intervalMs,
        timeoutMs: args.timeoutMs,
        sourceRoots: args.sourceRoots.map((s) => resolve(s)),
        cwd: process.cwd(),
        env: process.env,
        cacheDir: defaultCacheDir(process.env),
        reportDir: args.reportDir,
        once: args.once,
        json: args.json,
        signal: abort.signal,
      },
      process.stdout,
    );
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
