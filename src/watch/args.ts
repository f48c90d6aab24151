// `gridlock watch URL [--source DIR] [--interval 10s] [--json] [--report-dir DIR] [--once] [--timeout 5s]`
// parsed into plain options. No I/O here: the CLI prints the error and the usage.

export interface WatchArgs {
  url: string;
  sourceRoots: string[];
  intervalMs: number;
  timeoutMs: number;
  json: boolean;
  reportDir: string | null;
  once: boolean;
}

export type ParsedWatchArgs = { ok: true; args: WatchArgs } | { ok: false; error: string };

export const WATCH_USAGE = `usage: gridlock watch URL [options]

Polls a Go program's goroutine profile and alerts when it gets stuck.
URL is a pprof base (http://127.0.0.1:6060/debug/pprof/) or a goroutine profile URL
(…/goroutine?debug=2, ?debug=1, or the protobuf ?debug=0).

  --source DIR       Go source of the program (repeatable); default: the current module
  --interval 10s     time between polls
  --timeout 5s       time limit of one request
  --json             one JSON object per line instead of text
  --report-dir DIR   keep the dump and an HTML report of each alert's moment
  --once             poll once and exit: 0 ok, 1 deadlock or leaked lock, 2 target unusable

How a pprof base URL is polled (the ladder: the target pays for debug=2 only when needed)
  1. every interval   goroutine?debug=1 (else ?debug=0): stacks and counts, collected
                      concurrently with the program
  2. when suspicious  goroutine?debug=2, analysed in full: the first poll; a send, lock or
                      WaitGroup site seen in two cheap polls in a row (up to 3 times running);
                      a site holding 10+ goroutines that grew by 10%; every 30th poll anyway.
                      debug=2 stops the world for a traceback of every goroutine: polled
                      every second at 100,000 goroutines, it left a program a quarter of its
                      run time, the ladder 86% (node --import tsx bench/watch-pause.ts)
  3. every 10 minutes goroutineleak?debug=1 (Go 1.26+ leak detector; it forces a GC): a count
                      that rose takes goroutineleak?debug=2, the full dump with (leaked) marks
A goroutine profile URL (…/goroutine?debug=N) is polled as given, every interval.
When the watch ends, a last line says how many polls each rung took and how long the target
took to answer them.
`;

const DEFAULT_INTERVAL_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 5_000;

/** A duration such as `10s`, `200ms`, `1.5m`, `1h`, or a bare number of seconds; null when unreadable. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)?$/.exec(text.trim());
  if (match === null) return null;
  const value = Number(match[1]);
  const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  const ms = Math.round(value * unitMs);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

/** Parses the arguments after `watch`. Accepts `--flag value` and `--flag=value`. */
export function parseWatchArgs(argv: string[]): ParsedWatchArgs {
  const args: WatchArgs = {
    url: '',
    sourceRoots: [],
    intervalMs: DEFAULT_INTERVAL_MS,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    json: false,
    reportDir: null,
    once: false,
  };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const inlineValue = eq < 0 ? null : arg.slice(eq + 1);
    const takeValue = (): string | null => {
      if (inlineValue !== null) return inlineValue;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) return null;
      i++;
      return next;
    };
    switch (name) {
      case '--json':
      case '--once':
        if (inlineValue !== null) return { ok: false, error: `${name} takes no value` };
        if (name === '--json') args.json = true;
        else args.once = true;
        break;
      case '--source':
      case '--report-dir': {
        const value = takeValue();
        if (value === null || value === '') return { ok: false, error: `${name} needs a directory` };
        if (name === '--source') args.sourceRoots.push(value);
        else args.reportDir = value;
        break;
      }
      case '--interval':
      case '--timeout': {
        const value = takeValue();
        const ms = value === null ? null : parseDuration(value);
        if (ms === null) return { ok: false, error: `${name} needs a duration such as 10s or 500ms` };
        if (name === '--interval') args.intervalMs = ms;
        else args.timeoutMs = ms;
        break;
      }
      default:
        return { ok: false, error: `unknown option ${name}` };
    }
  }
  if (positional.length === 0) return { ok: false, error: 'watch needs the URL of a pprof endpoint' };
  if (positional.length > 1) return { ok: false, error: `watch takes one URL, got ${positional.length}` };
  const url = positional[0];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, error: `not a URL: ${url}` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, error: `watch reads http or https URLs, not ${parsed.protocol}` };
  }
  args.url = url;
  return { ok: true, args };
}
