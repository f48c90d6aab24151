// Builds and runs testdata/watch-target, the live Go program the watch tests observe.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { request } from 'node:http';

export const TARGET_SOURCE = fileURLToPath(new URL('../../testdata/watch-target', import.meta.url));

/** Why the live tests cannot run here, or null when `go` is on PATH. */
export function goMissing(): string | null {
  const probe = spawnSync('go', ['version'], { encoding: 'utf8' });
  return probe.status === 0 ? null : 'go is not on PATH: the live watch tests need it to build testdata/watch-target';
}

export interface BuiltTarget {
  binary: string;
  dispose(): void;
}

/** `go build` into a fresh temporary directory. */
export function buildTarget(): BuiltTarget {
  const dir = mkdtempSync(join(tmpdir(), 'gridlock-watch-'));
  const binary = join(dir, 'watchtarget');
  const build = spawnSync('go', ['build', '-o', binary, '.'], { cwd: TARGET_SOURCE, encoding: 'utf8', timeout: 120_000 });
  if (build.status !== 0) throw new Error(`go build failed: ${build.stderr}`);
  return { binary, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunningTarget {
  process: ChildProcess;
  /** `127.0.0.1:PORT` */
  address: string;
  base: string;
  stop(): Promise<void>;
}

/** Starts the target (on `addr` when given) and waits for the address it prints first. */
export async function startTarget(binary: string, addr = '127.0.0.1:0'): Promise<RunningTarget> {
  const child = spawn(binary, ['-addr', addr], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const lines = createInterface({ input: child.stdout! });
  const address = await new Promise<string>((resolveAddress, reject) => {
    const timer = setTimeout(() => reject(new Error(`target printed no address in 10s: ${stderr}`)), 10_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolveAddress(line.trim());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`target exited with ${code}: ${stderr}`));
    });
  });
  if (!/^127\.0\.0\.1:\d+$/.test(address)) throw new Error(`target is not on loopback: ${address}`);
  const stop = () =>
    new Promise<void>((resolveStop) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
      child.once('exit', () => resolveStop());
      child.kill('SIGKILL');
    });
  return { process: child, address, base: `http://${address}/debug/pprof/`, stop };
}

/** GETs a path of the target and returns the body. */
export function hit(address: string, path: string): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const req = request(`http://${address}${path}`, { agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += String(chunk)));
      res.on('end', () => (res.statusCode === 200 ? resolveBody(body) : reject(new Error(`${path}: HTTP ${res.statusCode} ${body}`))));
    });
    req.on('timeout', () => req.destroy(new Error(`${path}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Reads a watch's events with time limits. A read that times out stays pending and is picked up
 * by the next wait, so no event is lost between waits.
 */
export class EventReader<T> {
  private pending: Promise<IteratorResult<T>> | null = null;

  constructor(private readonly events: AsyncIterator<T>) {}

  /**
   * Pulls events until one matches, giving up after `withinMs` or `maxEvents` events. The events
   * passed over are returned too, so a failure message can show what did arrive.
   */
  async waitFor(matches: (event: T) => boolean, withinMs: number, maxEvents = 500): Promise<{ found: T | null; seen: T[] }> {
    const seen: T[] = [];
    const deadline = Date.now() + withinMs;
    while (seen.length < maxEvents) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      this.pending ??= this.events.next();
      let timer: NodeJS.Timeout | undefined;
      const next = await Promise.race([this.pending, new Promise<null>((resolveNull) => (timer = setTimeout(() => resolveNull(null), left)))]);
      clearTimeout(timer);
      if (next === null) break;
      this.pending = null;
      if (next.done) break;
      seen.push(next.value);
      if (matches(next.value)) return { found: next.value, seen };
    }
    return { found: null, seen };
  }
}
