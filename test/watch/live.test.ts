// watch against a real Go process: testdata/watch-target is built, started on a loopback port,
// made to deadlock, killed and restarted, and the alerts and outage lines must follow within
// bounded time. Needs `go` on PATH.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWatch, watch, type WatchEvent, type WatchOptions } from '../../src/watch/index.js';
import { buildTarget, EventReader, goMissing, hit, startTarget, TARGET_SOURCE, type BuiltTarget, type RunningTarget } from './live-target.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const skipReason = goMissing();
let built: BuiltTarget | null = null;
const running = new Set<RunningTarget>();
const scratch = mkdtempSync(join(tmpdir(), 'gridlock-watch-out-'));

before(() => {
  if (skipReason === null) built = buildTarget();
});

after(async () => {
  await Promise.all([...running].map((target) => target.stop()));
  built?.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

async function launch(addr?: string): Promise<RunningTarget> {
  const target = await startTarget(built!.binary, addr);
  running.add(target);
  return target;
}

function watchOptions(url: string, signal: AbortSignal, extra: Partial<WatchOptions> = {}): WatchOptions {
  return { url, intervalMs: 200, timeoutMs: 3000, backoffMaxMs: 800, sourceRoots: [TARGET_SOURCE], cwd: TARGET_SOURCE, env: {}, cacheDir: null, signal, ...extra };
}

const describe = (seen: WatchEvent[]) => seen.map((event) => (event.event === 'alert' ? `alert ${event.finding.kind}: ${event.finding.title}` : event.event)).join('\n');
const isAlert = (kind: string) => (event: WatchEvent) => event.event === 'alert' && event.finding.kind === kind;
const parties = (event: WatchEvent | null) => (event?.event === 'alert' ? event.finding.waits.map((wait) => wait.blockedIn.function).sort() : []);

test('a cycle and a leaked lock alert once each; a killed target is reported and picked up again on restart', { timeout: 60_000 }, async (t) => {
  if (skipReason !== null) return t.skip(skipReason);
  const target = await launch();
  const controller = new AbortController();
  const iterator = watch(watchOptions(target.base, controller.signal, { reportDir: join(scratch, 'moments') }));
  const events = new EventReader(iterator);
  try {
    const firstPoll = await events.waitFor((event) => event.event === 'poll', 10_000);
    assert.ok(firstPoll.found, `no poll within 10s:\n${describe(firstPoll.seen)}`);
    assert.equal(firstPoll.found.event === 'poll' && firstPoll.found.format, 'debug2');
    const healthy = firstPoll.seen.filter((event) => event.event === 'alert');
    assert.deepEqual(healthy, [], 'a healthy target raises no alert');

    await hit(target.address, '/deadlock/cycle');
    const cycle = await events.waitFor(isAlert('deadlock-cycle'), 10_000);
    assert.ok(cycle.found, `no deadlock-cycle alert within 10s:\n${describe(cycle.seen)}`);
    assert.deepEqual(parties(cycle.found), ['main.(*server).peerHandler', 'main.(*syncManager).blockHandler']);
    // The ladder: cheap debug=1 polls until a send stays put, then debug=2 to analyse it.
    const rungs = cycle.seen.flatMap((event) => (event.event === 'poll' ? [`${event.rung} ${event.format} ${event.escalation ?? '-'}`] : []));
    assert.ok(rungs.includes('cheap debug1 -'), rungs.join('\n'));
    assert.equal(rungs.at(-1), 'full debug2 stuck-site', rungs.join('\n'));
    if (cycle.found.event === 'alert') {
      assert.ok(cycle.found.saved, 'the moment was kept in the report directory');
      assert.match(readFileSync(cycle.found.saved.dump, 'utf8'), /main\.\(\*syncManager\)\.blockHandler/);
      if (cycle.found.saved.html !== null) assert.match(readFileSync(cycle.found.saved.html, 'utf8'), /<html/i);
    }

    await hit(target.address, '/deadlock/leak');
    const leak = await events.waitFor(isAlert('leaked-lock'), 10_000);
    assert.ok(leak.found, `no leaked-lock alert within 10s:\n${describe(leak.seen)}`);
    assert.deepEqual(parties(leak.found), ['main.(*reactor).processPeerUpdate']);
    const repeats = leak.seen.filter(isAlert('deadlock-cycle'));
    assert.deepEqual(repeats, [], 'the cycle alerted once only');

    await target.stop();
    running.delete(target);
    const down = await events.waitFor((event) => event.event === 'unreachable', 5_000);
    assert.ok(down.found, `no unreachable event within 5s:\n${describe(down.seen)}`);
    assert.equal(down.found.event === 'unreachable' && down.found.problem, 'refused');

    // Let it back off a few times, then bring it back on the same port.
    const quiet = await events.waitFor(() => false, 1500);
    assert.ok(quiet.seen.every((event) => event.event !== 'unreachable'), 'one line per outage');
    await launch(target.address);
    const back = await events.waitFor((event) => event.event === 'recovered', 10_000);
    assert.ok(back.found, `no recovery within 10s:\n${describe(back.seen)}`);
    const polled = await events.waitFor((event) => event.event === 'poll', 5_000);
    assert.ok(polled.found, 'polls resume after the restart');
    assert.ok(readdirSync(join(scratch, 'moments')).some((name) => name.endsWith('.txt')));
  } finally {
    controller.abort();
    await iterator.return();
  }
});

test('a crowd that keeps growing poll after poll raises a pile-up alert', { timeout: 60_000 }, async (t) => {
  if (skipReason !== null) return t.skip(skipReason);
  const target = await launch();
  const controller = new AbortController();
  const iterator = watch(watchOptions(`${target.base}goroutine?debug=1`, controller.signal));
  const events = new EventReader(iterator);
  try {
    const seen: WatchEvent[] = [];
    let crowd: WatchEvent | null = null;
    const deadline = Date.now() + 15_000;
    for (let round = 0; round < 12 && crowd === null && Date.now() < deadline; round++) {
      await hit(target.address, '/crowd?n=15');
      const next = await events.waitFor((event) => event.event === 'poll', 5_000);
      seen.push(...next.seen);
      crowd = next.seen.find(isAlert('pile-up')) ?? null;
    }
    if (crowd === null) crowd = (await events.waitFor(isAlert('pile-up'), 2_000)).found;
    assert.ok(crowd, `no pile-up alert after 12 rounds:\n${describe(seen)}`);
    assert.equal(crowd.event === 'alert' && crowd.reason, 'growing-crowd');
    assert.deepEqual(parties(crowd), ['main.waitForCrowdLock']);
    assert.equal(seen.filter((event) => event.event === 'poll' && event.format !== 'debug1').length, 0);
  } finally {
    controller.abort();
    await iterator.return();
  }
});

test('behind a proxy exposing only the protobuf profile: error pages and cut bodies are reported, then watching resumes', { timeout: 60_000 }, async (t) => {
  if (skipReason !== null) return t.skip(skipReason);
  const target = await launch();
  let mode: 'ok' | 'error' | 'truncated' = 'ok';
  const requested: string[] = [];
  const proxy = createServer((req, res) => {
    requested.push(req.url ?? '');
    if (req.url !== '/debug/pprof/goroutine?debug=0') {
      res.writeHead(404);
      res.end('not exposed');
    } else if (mode === 'error') {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>Bad Gateway</body></html>');
    } else {
      get(`http://${target.address}${req.url}`, (upstream) => {
        const chunks: Buffer[] = [];
        upstream.on('data', (chunk: Buffer) => chunks.push(chunk));
        upstream.on('end', () => {
          const body = Buffer.concat(chunks);
          if (mode === 'truncated') {
            res.writeHead(200, { 'content-length': String(body.length) });
            res.write(body.subarray(0, body.length >> 1));
            setTimeout(() => res.socket?.destroy(), 10);
          } else {
            res.writeHead(200, { 'content-type': 'application/octet-stream' });
            res.end(body);
          }
        });
      }).on('error', () => res.destroy());
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const controller = new AbortController();
  const iterator = watch(watchOptions(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}/debug/pprof/`, controller.signal));
  const events = new EventReader(iterator);
  try {
    const first = await events.waitFor((event) => event.event === 'poll', 10_000);
    assert.equal(first.found?.event === 'poll' && first.found.format, 'pprof', describe(first.seen));
    assert.deepEqual(requested.slice(0, 3), ['/debug/pprof/goroutine?debug=2', '/debug/pprof/goroutine?debug=1', '/debug/pprof/goroutine?debug=0']);

    mode = 'error';
    const errorPage = await events.waitFor((event) => event.event === 'unreachable', 5_000);
    assert.equal(errorPage.found?.event === 'unreachable' && errorPage.found.problem, 'http-status', describe(errorPage.seen));
    mode = 'truncated';
    const cut = await events.waitFor((event) => event.event === 'unreachable', 5_000);
    assert.equal(cut.found?.event === 'unreachable' && cut.found.problem, 'truncated', describe(cut.seen));
    mode = 'ok';
    await hit(target.address, '/deadlock/leak');
    const back = await events.waitFor((event) => event.event === 'recovered', 5_000);
    assert.ok(back.found, describe(back.seen));
    const leak = await events.waitFor(isAlert('leaked-lock'), 10_000);
    assert.ok(leak.found, `no leaked-lock alert from the protobuf profile:\n${describe(leak.seen)}`);
    // Once the protobuf form answered, only it is asked for.
    assert.equal(requested.filter((url) => !url.endsWith('debug=0')).length, 2);
  } finally {
    controller.abort();
    await iterator.return();
    proxy.closeAllConnections();
    proxy.close();
  }
});

test('--once exits 0 on a healthy target, 1 on a deadlocked one, 2 on a dead port', { timeout: 60_000 }, async (t) => {
  if (skipReason !== null) return t.skip(skipReason);
  const target = await launch();
  const once = async (url: string) => {
    let text = '';
    const code = await runWatch({ ...watchOptions(url, new AbortController().signal), once: true, json: true }, { write: (chunk: string) => (text += chunk) });
    return { code, lines: text.trim().split('\n').map((line) => JSON.parse(line) as { event: string; finding?: { kind: string } }) };
  };
  const healthy = await once(target.base);
  assert.equal(healthy.code, 0, JSON.stringify(healthy.lines));
  assert.deepEqual(healthy.lines.map((line) => line.event), ['start', 'poll']);

  await hit(target.address, '/deadlock/leak');
  const stuck = await once(target.base);
  assert.equal(stuck.code, 1, JSON.stringify(stuck.lines));
  assert.ok(stuck.lines.some((line) => line.event === 'alert' && line.finding?.kind === 'leaked-lock'));

  await target.stop();
  running.delete(target);
  const dead = await once(target.base);
  assert.equal(dead.code, 2);
  assert.deepEqual(dead.lines.map((line) => line.event), ['start', 'unreachable']);
});

test('the CLI entry watches once and prints JSON lines with the version-1 finding', { timeout: 60_000 }, async (t) => {
  if (skipReason !== null) return t.skip(skipReason);
  const target = await launch();
  await hit(target.address, '/deadlock/cycle');
  const url = `${target.base}goroutine?debug=2`;
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), 'watch', url, '--once', '--json', '--timeout', '3s', '--source', TARGET_SOURCE], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  assert.equal(code, 1, `stdout:\n${stdout}\nstderr:\n${stderr}`);
  const alerts = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { event: string; at?: string; finding?: { kind: string; confidence: string; waits: unknown[]; mermaid: string } })
    .filter((line) => line.event === 'alert');
  assert.equal(alerts.length, 1, stdout);
  assert.equal(alerts[0].finding?.kind, 'deadlock-cycle');
  assert.ok(typeof alerts[0].at === 'string' && !Number.isNaN(Date.parse(alerts[0].at)));
  assert.equal(alerts[0].finding?.waits.length, 2);
});
