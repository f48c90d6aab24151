import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pickRoot, startServer, type RunningServer } from './index.js';

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

describe('serve: start-up', () => {
  it('refuses a --source that is not a directory', async () => {
    await assert.rejects(startServer({ port: 0, sourceRoots: [join(tmpdir(), 'gridlock-no-such-dir-3141')] }), /not a directory/);
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
