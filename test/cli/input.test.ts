// How a dump reaches `gridlock`, run as a user runs it: what the reader takes from the newest
// tracebacks, and the ways the dump arrives.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dumps = join(root, 'testdata/dumps');
/** One scratch folder for the whole file (caches, written inputs), removed at the end. */
const scratch = mkdtempSync(join(tmpdir(), 'gridlock-input-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let scratchCount = 0;
function scratchDir(): string {
  const dir = join(scratch, String(scratchCount++));
  mkdirSync(dir);
  return dir;
}

function gridlock(args: string[], input?: string | Buffer) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: scratchDir() },
    timeout: 60_000,
    maxBuffer: 1 << 26,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking this process: the test's own HTTP server must answer. */
function gridlockAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: scratchDir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

interface JsonGroup { state: string; labels: Record<string, string>; goroutineIds: number[] }

test('Go 1.27 and Go 1.26 labels reach the JSON report, every goroutine read', () => {
  for (const file of ['go1.27-all.txt', 'go1.27-system.txt', 'go1.26-all.txt']) {
    const r = gridlock([join(dumps, 'labels', file), '--json', '--source', join(dumps, 'labels')]);
    assert.equal(r.code, 0, `${file}: ${r.stderr}`);
    const report = JSON.parse(r.stdout) as { snapshot: { goroutines: number }; groups: JsonGroup[] };
    const labelled = report.groups.filter((g) => Object.keys(g.labels).length > 0).map((g) => g.labels);
    assert.deepEqual(labelled.sort((a, b) => a.job.localeCompare(b.job)), [
      { job: 'compact' }, { job: 'flush' }, { job: 'ingest', tenant: 'a b"c' },
    ], file);
    assert.equal(report.snapshot.goroutines, file === 'go1.27-system.txt' ? 10 : 5, file);
  }
});

const btcd = join(root, 'testdata/programs/01-btcd-cycle');
const btcdDump = join(btcd, 'dump-go1.26.txt');

/** The JSON report without what says how the input was read. */
function diagnosis(stdout: string) {
  const report = JSON.parse(stdout) as { snapshot: { warnings: unknown[] }; findings: unknown[]; groups: unknown[] };
  return { findings: report.findings, groups: report.groups };
}

function tempFile(name: string, content: string | Buffer): string {
  const path = join(scratchDir(), name);
  writeFileSync(path, content);
  return path;
}

test('stdin without -, gzip\'d text, Docker json-file and journalctl -r logs give the plain file\'s diagnosis', () => {
  const text = readFileSync(btcdDump, 'utf8');
  const plain = gridlock([btcdDump, '--source', btcd, '--json']);
  assert.equal(plain.code, 0, plain.stderr);
  const want = diagnosis(plain.stdout);
  const lines = text.replace(/\n$/, '').split('\n');
  const docker = lines.map((line, i) => JSON.stringify({ log: `${line}\n`, stream: 'stderr', time: `2024-04-26T18:18:${String(i % 60).padStart(2, '0')}.000Z` })).join('\n') + '\n';
  const journald = lines.map((line) => `Apr 26 18:18:57 node-3 btcd[412644]: ${line}`).reverse().join('\n') + '\n';
  const cases: Array<[string, string[], string | undefined]> = [
    ['stdin', ['--source', btcd, '--json'], text],
    ['gzip', [tempFile('dump.txt.gz', gzipSync(text)), '--source', btcd, '--json'], undefined],
    ['docker', [tempFile('container-json.log', docker), '--source', btcd, '--json'], undefined],
    ['journalctl -r', [tempFile('journal.txt', journald), '--source', btcd, '--json'], undefined],
  ];
  for (const [name, args, input] of cases) {
    const r = gridlock(args, input);
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    assert.deepEqual(diagnosis(r.stdout), want, name);
  }
});

test('a URL is fetched: a goroutine profile URL as given, a pprof base URL picks debug=2', async () => {
  const text = readFileSync(btcdDump, 'utf8');
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(req.url ?? '');
    if (req.url === '/debug/pprof/goroutine?debug=2') res.end(text);
    else {
      res.statusCode = 404;
      res.end('404 page not found\n');
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  try {
    const plain = diagnosis(gridlock([btcdDump, '--source', btcd, '--json']).stdout);
    for (const url of [`http://127.0.0.1:${port}/debug/pprof/goroutine?debug=2`, `http://127.0.0.1:${port}/debug/pprof/`]) {
      const r = await gridlockAsync([url, '--source', btcd, '--json']);
      assert.equal(r.code, 0, `${url}: ${r.stderr}`);
      assert.deepEqual(diagnosis(r.stdout), plain, url);
    }
    assert.deepEqual(asked, ['/debug/pprof/goroutine?debug=2', '/debug/pprof/goroutine?debug=2']);
    const missing = await gridlockAsync([`http://127.0.0.1:${port}/nothing/goroutine`]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^gridlock: cannot fetch http:\/\/127\.0\.0\.1:\d+\/nothing\/goroutine: HTTP 404/);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
  } finally {
    server.close();
  }
});

test('input that is not a Go dump is named by what it looks like: one line, exit 2', () => {
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ['empty.txt', '', /the input is empty/],
    ['blank.txt', '\n\n  \n', /the input is empty/],
    ['core.bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]), /binary data/],
    ['jstack.txt', '2024-04-26 18:18:57\nFull thread dump OpenJDK 64-Bit Server VM (17.0.2+8-86 mixed mode):\n\n"main" #1 prio=5 os_prio=0 cpu=52.01ms elapsed=3.01s tid=0x00007f tid nid=0x1 waiting on condition\n   java.lang.Thread.State: WAITING (parking)\n\tat jdk.internal.misc.Unsafe.park(java.base@17.0.2/Native Method)\n', /a Java thread dump/],
    ['py.txt', 'Traceback (most recent call last):\n  File "/srv/app/main.py", line 12, in <module>\n    main()\nKeyError: \'x\'\n', /a Python traceback/],
    ['race.txt', '==================\nWARNING: DATA RACE\nWrite at 0x00c0000a4010 by goroutine 7:\n  main.main.func1()\n      /src/app/main.go:12 +0x3c\n\nPrevious read at 0x00c0000a4010 by main goroutine:\n  main.main()\n      /src/app/main.go:15 +0x8e\n==================\n', /go test -race/],
  ];
  for (const [name, content, message] of cases) {
    const r = gridlock([tempFile(name, content)]);
    assert.equal(r.code, 2, name);
    assert.match(r.stderr, message, name);
    assert.equal(r.stderr.trim().split('\n').length, 1, name);
  }
  const stdin = gridlock([], '');
  assert.equal(stdin.code, 2);
  assert.match(stdin.stderr, /^gridlock: standard input: the input is empty/);
});

test('a go test -race report with a timed-out test\'s goroutines is read, with a note', () => {
  const dump = readFileSync(btcdDump, 'utf8');
  const race = '==================\nWARNING: DATA RACE\nWrite at 0x00c0000a4010 by goroutine 7:\n  main.main.func1()\n      /src/app/main.go:12 +0x3c\n==================\n';
  const r = gridlock([tempFile('race-and-timeout.txt', race + 'panic: test timed out after 10m0s\n\n' + dump), '--source', btcd, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(diagnosis(r.stdout), diagnosis(gridlock([btcdDump, '--source', btcd, '--json']).stdout));
});

test('panicparse output of a dump gives the dump\'s findings, its short names mapped onto the source', () => {
  const source = join(dumps, 'deadlock');
  const kinds = (file: string) => {
    const r = gridlock([file, '--source', source, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { findings: Array<{ kind: string; waits: Array<{ function: string; blockedIn: { line: number } }> }> };
    return report.findings.map((f) => `${f.kind} ${f.waits.map((w) => `${w.function}:${w.blockedIn.line}`).join(' ')}`);
  };
  const plain = kinds(join(source, 'go1.26.txt'));
  assert.ok(plain.length > 0);
  assert.deepEqual(kinds(join(dumps, 'panicparse', 'deadlock-go1.26.txt')).sort(), plain.sort());
});

test('--pass-through copies every input line to stdout, then the diagnosis of each dump in it', () => {
  const dump = readFileSync(btcdDump, 'utf8');
  const log = `=== RUN   TestSync\n--- PASS: TestSync (0.00s)\n${readFileSync(join(dumps, 'deadlock', 'go1.26.txt'), 'utf8')}FAIL\texample.com/app\t0.01s\n${dump}ok  \texample.com/other\t0.02s\n`;
  const r = gridlock(['--pass-through', '--source', btcd], log);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.startsWith(log), 'the input comes first, unchanged');
  const after = r.stdout.slice(log.length);
  assert.match(after, /^\n=== gridlock: dump 1 of 2 \(from line 3\) ===\n/);
  assert.ok(after.indexOf('=== gridlock: dump 2 of 2') > 0);
  assert.ok(after.lastIndexOf('DEADLOCK CYCLE') > after.indexOf('=== gridlock: dump 2 of 2'), 'the btcd dump gets its cycle');
  const clean = gridlock(['--pass-through'], 'ok  \texample.com/app\t0.01s\n');
  assert.deepEqual([clean.code, clean.stdout, clean.stderr], [0, 'ok  \texample.com/app\t0.01s\n', '']);
});

test('a log piped without --pass-through passes through by itself; a plain dump still gets the answer alone', () => {
  const dump = readFileSync(join(dumps, 'deadlock', 'go1.26.txt'), 'utf8');
  const log = `=== RUN   TestSync\n${dump}FAIL\texample.com/app\t0.01s\n`;
  const piped = gridlock([], log);
  assert.equal(piped.code, 0, piped.stderr);
  assert.ok(piped.stdout.startsWith(log), 'every input line comes first, unchanged');
  assert.match(piped.stdout.slice(log.length), /^\n=== gridlock: dump 1 of 1 /);
  const plain = gridlock([], dump);
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /^gridlock: /, 'a dump on stdin is answered, not echoed');
  const json = gridlock(['--json'], log);
  assert.doesNotThrow(() => JSON.parse(json.stdout), 'an explicit output format is never mixed with the log');
});
