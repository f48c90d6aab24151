import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { loadStages, pickRoot, ServeStartError, startServer, type AnalyzeAnswer, type RunningServer } from './index.js';

const PROGRAM_DIR = join(import.meta.dirname, '..', '..', 'testdata', 'programs', '01-btcd-cycle');

/** A raw HTTP exchange, so tests can send what a browser would not (odd Host headers, chunked bodies). */
function exchange(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[] },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const target = new URL(options.path ?? '/', url);
  return new Promise((done, fail) => {
    const outgoing = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: options.method ?? 'GET', headers: options.headers, timeout: 10_000 },
      (incoming) => {
        const parts: Buffer[] = [];
        incoming.on('data', (part: Buffer) => parts.push(part));
        incoming.on('end', () => done({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(parts).toString('utf8') }));
        incoming.on('error', fail);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('request timed out')));
    outgoing.on('error', fail);
    if (options.chunks) for (const chunk of options.chunks) outgoing.write(chunk);
    outgoing.end(options.body);
  });
}

describe('serve: routes and guards', () => {
  let server: RunningServer;
  let rootA: string;
  let rootB: string;
  const logged: string[] = [];

  before(async () => {
    rootA = await mkdtemp(join(tmpdir(), 'gridlock-root-a-'));
    rootB = await mkdtemp(join(tmpdir(), 'gridlock-root-b-'));
    server = await startServer({ port: 0, sourceRoots: [rootA, rootB], maxInputBytes: 1000, log: (line) => logged.push(line) });
  });
  after(async () => {
    await server.close();
    await rm(rootA, { recursive: true, force: true });
    await rm(rootB, { recursive: true, force: true });
  });

  it('listens on loopback by default, on the port it was given (0 = any)', () => {
    const url = new URL(server.url);
    assert.equal(url.hostname, '127.0.0.1');
    assert.ok(Number(url.port) > 0);
    assert.equal(url.pathname, '/');
  });

  it('serves a self-contained page that lists the roots by index', async () => {
    const answer = await exchange(server.url, {});
    assert.equal(answer.status, 200);
    assert.match(String(answer.headers['content-type']), /^text\/html/);
    assert.match(String(answer.headers['content-security-policy']), /default-src 'none'/);
    assert.match(answer.body, /<textarea id="dump-text"/);
    assert.match(answer.body, new RegExp(`<option value="0" selected>${rootA.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</option>`));
    assert.match(answer.body, /<option value="1">/);
    // Nothing is loaded from elsewhere: no src/href attribute and no url() pointing off the page.
    assert.doesNotMatch(answer.body, /\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    assert.doesNotMatch(answer.body, /url\(\s*["']?(https?:)?\/\//i);
    assert.doesNotMatch(answer.body, /<link\b/i);
  });

  it('rejects a root that is not an index of the start-up roots', async () => {
    for (const root of ['2', '-1', '../etc', rootA, '0x1', '1e0']) {
      const answer = await exchange(server.url, { method: 'POST', path: `/analyze?root=${encodeURIComponent(root)}`, body: 'goroutine 1 [running]:\n' });
      assert.equal(answer.status, 400, `root=${root}`);
      const json = JSON.parse(answer.body) as { ok: boolean; message: string };
      assert.equal(json.ok, false);
      assert.match(json.message, /Unknown source root/);
    }
    const twice = await exchange(server.url, { method: 'POST', path: '/analyze?root=0&root=1', body: 'x' });
    assert.equal(twice.status, 400);
  });

  it('refuses a body whose declared length is over the cap, with the limit in the message', async () => {
    const answer = await exchange(server.url, { method: 'POST', path: '/analyze', body: Buffer.alloc(5000, 0x61) });
    assert.equal(answer.status, 413);
    const json = JSON.parse(answer.body) as { ok: boolean; message: string };
    assert.equal(json.ok, false);
    assert.match(json.message, /4\.9 KiB; this server reads at most 1000 bytes/);
  });

  it('answers only requests addressed to localhost (no DNS rebinding)', async () => {
    const answer = await exchange(server.url, { headers: { host: 'attacker.example:80' } });
    assert.equal(answer.status, 421);
    const ok = await exchange(server.url, { headers: { host: `localhost:${new URL(server.url).port}` } });
    assert.equal(ok.status, 200);
  });

  it('answers unknown paths and wrong methods plainly', async () => {
    assert.equal((await exchange(server.url, { path: '/etc/passwd' })).status, 404);
    const getAnalyze = await exchange(server.url, { path: '/analyze' });
    assert.equal(getAnalyze.status, 405);
    assert.equal(getAnalyze.headers.allow, 'POST');
    assert.equal((await exchange(server.url, { method: 'POST', path: '/', body: 'x' })).status, 405);
  });
});

describe('serve: analysing what is posted', () => {
  let server: RunningServer;
  const logged: string[] = [];
  const dump = readFileSync(join(PROGRAM_DIR, 'dump-go1.26.txt'));

  before(async () => {
    server = await startServer({ port: 0, sourceRoots: [PROGRAM_DIR], maxInputBytes: 4 * 1024 * 1024, log: (line) => logged.push(line) });
  });
  after(async () => {
    await server.close();
  });

  async function analyze(body: Buffer | string, query = '', chunked = false): Promise<{ status: number; answer: AnalyzeAnswer }> {
    const bytes = Buffer.from(body);
    const options = chunked
      ? { method: 'POST', path: `/analyze${query}`, headers: { 'transfer-encoding': 'chunked' }, chunks: chunksOf(bytes, 64 * 1024) }
      : { method: 'POST', path: `/analyze${query}`, body: bytes };
    const reply = await exchange(server.url, options);
    return { status: reply.status, answer: JSON.parse(reply.body) as AnalyzeAnswer };
  }

  it('reports on a dump streamed in chunks, reading source from the picked root', async () => {
    const { status, answer } = await analyze(dump, '?root=0', true);
    assert.equal(status, 200, answer.message);
    assert.equal(answer.ok, true);
    const expected = JSON.parse(readFileSync(join(PROGRAM_DIR, 'expected.json'), 'utf8')) as { findings: unknown[] };
    const goroutines = (dump.toString('utf8').match(/^goroutine \d+ \[/gm) ?? []).length;
    assert.equal(answer.summary, `${expected.findings.length} findings in ${goroutines} goroutines (debug2 dump).`);
    assert.match(answer.html ?? '', /^<!DOCTYPE html>/i);
    assert.match(answer.html ?? '', /data-kind="deadlock-cycle"/);
    assert.match(answer.html ?? '', /data-testid="sources"/, 'source excerpts from the root');
    assert.match(logged.at(-1) ?? '', new RegExp(`POST /analyze 1\\.\\d MiB: ${expected.findings.length} findings in`));
  });

  it('reads no source when no root is picked', async () => {
    const { status, answer } = await analyze(dump);
    assert.equal(status, 200, answer.message);
    assert.doesNotMatch(answer.html ?? '', /data-testid="sources"/);
  });

  it('answers 422 with the reader\'s warnings when no goroutine is found', async () => {
    const prose = await analyze('the program hung, here is what top said\n');
    assert.equal(prose.status, 422);
    assert.equal(prose.answer.ok, false);
    assert.match(prose.answer.message ?? '', /No goroutine found in the 40 bytes given/);
    const damaged = await analyze(Buffer.concat([gzipSync(Buffer.from('not a profile')).subarray(0, 12)]));
    assert.equal(damaged.status, 422);
    assert.ok(damaged.answer.warnings.length > 0, 'the reader said why');
    const empty = await analyze('');
    assert.equal(empty.status, 422);
    assert.match(empty.answer.message ?? '', /The input is empty/);
  });

  it('stops reading a chunked body at the cap and says so', async () => {
    const big = Buffer.concat([dump, dump, dump]);
    assert.ok(big.length > 4 * 1024 * 1024);
    const { status, answer } = await analyze(big, '', true);
    assert.equal(status, 413);
    assert.match(answer.message ?? '', /larger than 4 MiB; this server reads at most 4 MiB/);
    // The server is still fine afterwards.
    assert.equal((await analyze(dump, '?root=0')).status, 200);
  });
});

describe('serve: a failure inside gridlock', () => {
  it('answers 500 with a clear message and logs one line', async () => {
    const logged: string[] = [];
    const real = await loadStages();
    const stages = { ...real, analyze: async () => Promise.reject(new Error('index out of range\n  while resolving')) };
    const server = await startServer({ port: 0, stages, log: (line) => logged.push(line) });
    try {
      const reply = await exchange(server.url, { method: 'POST', path: '/analyze', body: 'goroutine 1 [running]:\nmain.main()\n\t/src/app/main.go:3 +0x1\n' });
      assert.equal(reply.status, 500);
      const answer = JSON.parse(reply.body) as AnalyzeAnswer;
      assert.equal(answer.ok, false);
      assert.match(answer.message ?? '', /^gridlock failed while analysing this input: index out of range/);
      assert.doesNotMatch(answer.message ?? '', /\bat \S+ \(/, 'no stack trace in the answer');
      assert.equal(logged.length, 1);
      assert.match(logged[0], /^gridlock serve: POST \/analyze failed: index out of range while resolving/);
      assert.doesNotMatch(logged[0], /\n/);
    } finally {
      await server.close();
    }
  });
});

describe('serve: a browser that goes away mid-upload', () => {
  it('logs one line and keeps serving', async () => {
    const logged: string[] = [];
    const server = await startServer({ port: 0, log: (line) => logged.push(line) });
    try {
      const target = new URL(server.url);
      const upload = httpRequest({ host: target.hostname, port: target.port, path: '/analyze', method: 'POST', headers: { 'transfer-encoding': 'chunked' } });
      upload.on('error', () => undefined);
      upload.write('goroutine 1 [running]:\nmain.main()\n');
      // Let the server start reading; it must cope whether or not it has.
      await new Promise((done) => setTimeout(done, 100));
      upload.destroy();
      await waitUntil(() => logged.some((line) => /went away/.test(line)), 5000);
      assert.equal(logged.length, 1, logged.join('\n'));
      assert.match(logged[0], /^gridlock serve: POST \/analyze: the browser went away after \d+ bytes$/);
      assert.equal((await exchange(server.url, {})).status, 200);
    } finally {
      await server.close();
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 10));
  }
}

function chunksOf(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) chunks.push(bytes.subarray(offset, offset + size));
  return chunks;
}

describe('serve: start-up', () => {
  it('refuses a --source that is not a directory', async () => {
    const missing = join(tmpdir(), 'gridlock-no-such-dir-3141');
    await assert.rejects(startServer({ port: 0, sourceRoots: [missing] }), (error: Error) => error instanceof ServeStartError && error.message.includes(missing));
    const file = fileURLToPath(import.meta.url);
    await assert.rejects(startServer({ port: 0, sourceRoots: [file] }), (error: Error) => error instanceof ServeStartError && error.message.includes(file));
  });

  it('says so clearly when the port is taken', async () => {
    const first = await startServer({ port: 0 });
    try {
      const port = Number(new URL(first.url).port);
      await assert.rejects(startServer({ port }), /port is in use/);
    } finally {
      await first.close();
    }
  });
});

describe('pickRoot', () => {
  const roots = ['/a', '/b'];
  it('takes an index or nothing', () => {
    assert.deepEqual(pickRoot(new URLSearchParams(''), roots), { root: null });
    assert.deepEqual(pickRoot(new URLSearchParams('root='), roots), { root: null });
    assert.deepEqual(pickRoot(new URLSearchParams('root=1'), roots), { root: '/b' });
  });
  it('rejects paths, out-of-range and malformed indexes', () => {
    for (const query of ['root=/a', 'root=2', 'root=01x', 'root=%2e%2e', 'root=0&root=1']) {
      assert.ok('error' in pickRoot(new URLSearchParams(query), roots), query);
    }
    assert.ok('error' in pickRoot(new URLSearchParams('root=0'), []));
  });
});

describe('serve: source is read only under the roots given at start-up', () => {
  it('a dump whose paths point into a module cache does not reach it', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'gridlock-modcache-'));
    const root = await mkdtemp(join(tmpdir(), 'gridlock-root-'));
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const pkg = join(cache, 'example.com', 'secret@v1.0.0');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'go.mod'), 'module example.com/secret\n');
    writeFileSync(join(pkg, 'secret.go'), 'package secret\n\nvar ch = make(chan int)\n\nfunc Wait() {\n\t<-ch // the secret line\n}\n');
    const server = await startServer({ port: 0, sourceRoots: [root], env: { GOMODCACHE: cache, HOME: cache }, log: () => {} });
    try {
      const dump = `goroutine 7 [chan receive]:\nexample.com/secret.Wait()\n\t/go/pkg/mod/example.com/secret@v1.0.0/secret.go:6 +0x1d\ncreated by main.main\n\t/app/main.go:9 +0x25\n`;
      const answer = await exchange(server.url, { method: 'POST', path: '/analyze?root=0', body: dump });
      assert.equal(answer.status, 200, answer.body);
      const parsed = JSON.parse(answer.body) as AnalyzeAnswer & { html?: string };
      assert.doesNotMatch(parsed.html ?? '', /the secret line/);
    } finally {
      await server.close();
      await rm(cache, { recursive: true, force: true });
      await rm(root, { recursive: true, force: true });
    }
  });
});
