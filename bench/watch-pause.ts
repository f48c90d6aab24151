// What watching costs the watched program: testdata/watch-target with 100,000 idle workers (waiting
// to receive; `--crowd` queues them on a held mutex instead, which the ladder rightly finds
// suspicious and escalates), its pause probe (the longest a 1ms sleeper overslept, GET /pause) read over a stretch
// of time with nobody watching, with `watch` on the ladder (a pprof base URL: debug=1 polls), and
// with `watch` polling debug=2 every time; plus one goroutineleak?debug=1 (rung 3), which forces a
// garbage collection. Each watch's first poll (always a full one) is let through before the probe
// is read. Needs `go`; prints a table and exits 0 (these are figures, not targets).
//   node --import tsx bench/watch-pause.ts [--goroutines 100000] [--seconds 10] [--interval 1s] [--crowd]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { watch, parseDuration, type WatchEvent } from '../src/watch/index.js';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const at = argv.indexOf(name);
  return at >= 0 && argv[at + 1] !== undefined ? argv[at + 1] : fallback;
};
const goroutines = Number(flag('--goroutines', '100000'));
const seconds = Number(flag('--seconds', '10'));
const intervalMs = parseDuration(flag('--interval', '1s')) ?? 1000;
const source = fileURLToPath(new URL('../testdata/watch-target', import.meta.url));

const dir = mkdtempSync(join(tmpdir(), 'gridlock-pause-'));
const binary = join(dir, 'watchtarget');
// Go 1.27 when it can be had, so that the leak profile is there; else the go on PATH.
const go127 = spawnSync('go', ['version'], { env: { ...process.env, GOTOOLCHAIN: 'go1.27.0' }, encoding: 'utf8' });
const goEnv = go127.status === 0 ? { ...process.env, GOTOOLCHAIN: 'go1.27.0' } : process.env;
const build = spawnSync('go', ['build', '-o', binary, '.'], { cwd: source, env: goEnv, encoding: 'utf8' });
if (build.status !== 0) {
  console.log(`cannot build the target: ${build.stderr}`);
  process.exit(0);
}
const child = spawn(binary, [], { stdio: ['ignore', 'pipe', 'inherit'] });
const address: string = await new Promise((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
const base = `http://${address}/debug/pprof/`;
const get = async (path: string) => (await fetch(`http://${address}${path}`)).text();

try {
  const kind = argv.includes('--crowd') ? 'crowd' : 'idle';
  for (let added = 0; added < goroutines; added += 100_000) await get(`/${kind}?n=${Math.min(100_000, goroutines - added)}`);
  await sleep(1000);
  const rows: Array<{ what: string; maxPauseMs: number; samples: number; polls: string }> = [];

  // Each row: the watch is started and its first poll (always a full one, the baseline) is let
  // through; then the probe is reset and read again `seconds` later, the polls in between counted.
  const stretch = async (what: string, url: string | null) => {
    const controller = new AbortController();
    const events: WatchEvent[] = [];
    let measuring = false;
    let firstPoll: () => void = () => {};
    const started = new Promise<void>((resolve) => (firstPoll = resolve));
    const running = url === null ? null : (async () => {
      for await (const event of watch({ url, intervalMs, timeoutMs: 120_000, signal: controller.signal, sourceRoots: [source], cwd: source, env: {}, cacheDir: null })) {
        if (event.event === 'poll' && !measuring) firstPoll();
        else if (measuring) events.push(event);
      }
    })();
    if (running === null) firstPoll();
    await started;
    await get('/pause');
    measuring = true;
    await sleep(seconds * 1000);
    const pause = JSON.parse(await get('/pause')) as { maxUs: number; samples: number };
    controller.abort();
    await running;
    const byRung = new Map<string, number[]>();
    for (const event of events) {
      if (event.event !== 'poll') continue;
      const rung = `${event.rung} ${event.format}`;
      byRung.set(rung, [...(byRung.get(rung) ?? []), event.fetchMs]);
    }
    const polls = [...byRung].map(([rung, times]) => {
      const sorted = times.sort((a, b) => a - b);
      return `${sorted.length} ${rung} (answer ${sorted[sorted.length >> 1]} ms median, ${sorted[sorted.length - 1]} ms max)`;
    }).join(', ') || (url === null ? '-' : 'none finished');
    rows.push({ what, maxPauseMs: pause.maxUs / 1000, samples: pause.samples, polls });
  };

  await stretch('nobody watching', null);
  await stretch('watch, ladder (pprof base URL)', base);
  await stretch('watch, debug=2 every poll', `${base}goroutine?debug=2`);
  await get('/pause');
  const leakStarted = Date.now();
  const leak = await fetch(`${base}goroutineleak?debug=1`);
  const leakText = await leak.text();
  const leakMs = Date.now() - leakStarted;
  const leakPause = JSON.parse(await get('/pause')) as { maxUs: number; samples: number };
  rows.push({ what: 'one goroutineleak?debug=1', maxPauseMs: leakPause.maxUs / 1000, samples: leakPause.samples, polls: leak.ok ? `answer ${leakMs} ms (${leakText.split('\n')[0]})` : `HTTP ${leak.status}` });

  console.log(`${goroutines} goroutines (${kind === 'idle' ? 'idle workers' : 'queued on a held mutex'}), ${seconds}s per row, polls every ${intervalMs} ms (${go127.status === 0 ? go127.stdout.trim() : 'go on PATH'})`);
  console.log('  longest pause   probe samples   what                               polls');
  for (const row of rows) {
    console.log(`  ${row.maxPauseMs.toFixed(1).padStart(10)} ms   ${String(row.samples).padStart(13)}   ${row.what.padEnd(34)} ${row.polls}`);
  }
} finally {
  child.kill();
  rmSync(dir, { recursive: true, force: true });
}
