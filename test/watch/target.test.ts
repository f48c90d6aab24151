// Fetching the profile from a misbehaving loopback server: every failure comes back as a value
// naming the trouble, within the time limit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fetchProfile, isNotExposed, profileCandidates } from '../../src/watch/target.js';

let server: Server;
let base = '';
const sockets = new Set<Socket>();

before(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    if (path === '/ok') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('goroutine 1 [running]:\nmain.main()\n\t/src/app/main.go:5 +0x1\n');
    } else if (path === '/error') {
      res.writeHead(500, 'Internal Server Error', { 'content-type': 'text/html' });
      res.end('<html>oops</html>');
    } else if (path === '/truncated') {
      res.writeHead(200, { 'content-length': '1000', 'content-type': 'text/plain' });
      res.write('goroutine 1 [running]:\n');
      setTimeout(() => res.socket?.destroy(), 20);
    } else if (path === '/slow') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('goroutine 1 [running]:\n'); // and never more
    } else if (path === '/big') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(Buffer.alloc(5000, 'x'));
    } else {
      res.writeHead(404);
      res.end('404 page not found\n');
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  for (const socket of sockets) socket.destroy();
  server.close();
});

const limits = { timeoutMs: 1000, maxBytes: 1 << 20 };

test('a base URL tries the full dump first, then debug=1, then the protobuf profile', () => {
  assert.deepEqual(profileCandidates('http://127.0.0.1:6060/debug/pprof/'), [
    'http://127.0.0.1:6060/debug/pprof/goroutine?debug=2',
    'http://127.0.0.1:6060/debug/pprof/goroutine?debug=1',
    'http://127.0.0.1:6060/debug/pprof/goroutine?debug=0',
  ]);
  assert.deepEqual(profileCandidates('http://127.0.0.1:6060/debug/pprof'), profileCandidates('http://127.0.0.1:6060/debug/pprof/'));
  assert.deepEqual(profileCandidates('http://127.0.0.1:6060/debug/pprof/goroutine?debug=1'), ['http://127.0.0.1:6060/debug/pprof/goroutine?debug=1']);
  assert.deepEqual(profileCandidates('http://127.0.0.1:6060/debug/pprof/goroutineleak?debug=2'), ['http://127.0.0.1:6060/debug/pprof/goroutineleak?debug=2']);
});

test('a good answer comes back whole', async () => {
  const outcome = await fetchProfile(`${base}/ok`, limits);
  assert.equal(outcome.ok, true);
  assert.ok(outcome.ok && outcome.body.toString().startsWith('goroutine 1 [running]:'));
});

test('an error page is an http-status problem', async () => {
  const outcome = await fetchProfile(`${base}/error`, limits);
  assert.deepEqual(outcome, { ok: false, url: `${base}/error`, problem: { kind: 'http-status', message: 'HTTP 500 Internal Server Error' }, status: 500 });
  assert.equal(isNotExposed(outcome), false);
  assert.equal(isNotExposed(await fetchProfile(`${base}/missing`, limits)), true);
});

test('a body that breaks off is truncated, not a dump', async () => {
  const outcome = await fetchProfile(`${base}/truncated`, limits);
  assert.equal(outcome.ok, false);
  assert.equal(!outcome.ok && outcome.problem.kind, 'truncated');
});

test('a target that stops answering times out within the limit', async () => {
  const started = Date.now();
  const outcome = await fetchProfile(`${base}/slow`, { ...limits, timeoutMs: 300 });
  assert.equal(!outcome.ok && outcome.problem.kind, 'timeout');
  assert.ok(Date.now() - started < 2000);
});

test('an answer over the size limit is refused', async () => {
  const outcome = await fetchProfile(`${base}/big`, { ...limits, maxBytes: 1000 });
  assert.equal(!outcome.ok && outcome.problem.kind, 'too-large');
});

test('a closed port is a refused connection', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const outcome = await fetchProfile(`http://127.0.0.1:${port}/debug/pprof/goroutine?debug=2`, limits);
  assert.deepEqual(!outcome.ok && outcome.problem, { kind: 'refused', message: 'connection refused' });
});

test('an aborted watch ends the request at once', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const started = Date.now();
  const outcome = await fetchProfile(`${base}/slow`, { ...limits, timeoutMs: 5000, signal: controller.signal });
  assert.equal(outcome.ok, false);
  assert.ok(Date.now() - started < 1000);
});
