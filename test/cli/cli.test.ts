// The `gridlock` command as a user runs it: arguments, exit codes, one-line errors, output formats.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const btcdShape = join(root, 'testdata/programs/01-btcd-cycle');
const tendermintShape = join(root, 'testdata/programs/02-tendermint-leaked-lock');
const controls = join(root, 'testdata/programs/13-controls');

/** Every temporary file and folder of this test file lives here and goes when the tests end. */
const scratch = mkdtempSync(join(tmpdir(), 'gridlock-cli-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let scratchCount = 0;
const scratchDir = (name: string) => mkdtempSync(join(scratch, `${name}-${++scratchCount}-`));
/** One cache for the whole file: runs after the first read the index from it, as a user's do. */
const cacheHome = scratchDir('cache');

function gridlock(args: string[], input?: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cacheHome },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('--help and --version exit 0 and print to stdout', () => {
  const help = gridlock(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--source DIR/);
  assert.match(help.stdout, /Exit codes/);
  const version = gridlock(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^gridlock \d+\.\d+\.\d+\n$/);
});

test('a missing file is one line on stderr naming it, exit 2, no stack trace', () => {
  const r = gridlock(['no/such/dump.txt']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /no\/such\/dump\.txt: no such file/);
});

test('a file without any goroutine exits 2 with one line', () => {
  const dir = scratchDir('cli');
  const file = join(dir, 'notes.txt');
  writeFileSync(file, 'these are meeting notes\nnothing to see here\n');
  const r = gridlock([file]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /no goroutine found/);
});

test('unknown options and bad values are usage errors (exit 2)', () => {
  for (const args of [['--frobnicate', 'x.txt'], ['--format', 'yaml', 'x.txt'], ['--fail-on'], []]) {
    const r = gridlock(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /^gridlock: /);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});

test('the btcd shape: findings first in text, the cycle on top in JSON, exit 1 with --fail-on deadlock', () => {
  const dump = join(btcdShape, 'dump-go1.26.txt');
  const text = gridlock([dump, '--source', btcdShape]);
  assert.equal(text.code, 0);
  assert.ok(text.stdout.indexOf('DEADLOCK CYCLE') < text.stdout.indexOf('SUMMARY'), 'findings come before the summary');

  const json = gridlock([dump, '--source', btcdShape, '--json']);
  const report = JSON.parse(json.stdout);
  assert.equal(report.gridlock, 1);
  assert.equal(report.findings[0].kind, 'deadlock-cycle');
  assert.deepEqual(report.findings[0].waits.slice(0, 2).map((w: { function: string }) => w.function).sort(), ['main.(*server).peerHandler', 'main.(*syncManager).blockHandler']);

  assert.equal(gridlock([dump, '--source', btcdShape, '--fail-on', 'deadlock']).code, 1);
});

test('--fail-on deadlock stays 0 for the controls, which have no finding', () => {
  const r = gridlock([join(controls, 'dump-go1.26.txt'), '--source', controls, '--fail-on', 'deadlock', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).findings, []);
});

test('reads standard input with -', () => {
  const dump = readFileSync(join(tendermintShape, 'dump-go1.19.txt'), 'utf8');
  const r = gridlock(['-', '--source', tendermintShape, '--json'], dump);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).findings[0].kind, 'leaked-lock');
});

test('mermaid and dot draw the cycle; --html writes a self-contained file', () => {
  const dump = join(btcdShape, 'dump-go1.26.txt');
  const mermaid = gridlock([dump, '--source', btcdShape, '--format', 'mermaid']).stdout;
  assert.match(mermaid, /^(graph|flowchart) /m);
  assert.match(mermaid, /peerHandler/);
  assert.match(mermaid, /blockHandler/);
  const dot = gridlock([dump, '--source', btcdShape, '--format', 'dot']).stdout;
  assert.match(dot, /digraph/);
  assert.match(dot, /relayInv/);
  const out = join(scratchDir('html'), 'report.html');
  const r = gridlock([dump, '--source', btcdShape, '--html', out]);
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /<svg/);
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href="http/);
});

test('several dumps in one file: the last by default, --snapshot N picks another, a missing one is exit 2', () => {
  const dir = scratchDir('multi');
  const file = join(dir, 'two.txt');
  const first = readFileSync(join(tendermintShape, 'dump-go1.19.txt'), 'utf8');
  const second = readFileSync(join(btcdShape, 'dump-go1.26.txt'), 'utf8');
  writeFileSync(file, `${first}\nlater the same day:\n\n${second}`);
  const last = JSON.parse(gridlock([file, '--json']).stdout);
  assert.equal(last.snapshot.goroutines, 5003);
  assert.ok(last.snapshot.warnings.some((w: { message: string }) => /holds 2 dumps/.test(w.message)));
  const firstReport = JSON.parse(gridlock([file, '--json', '--snapshot', '1']).stdout);
  assert.ok(firstReport.snapshot.goroutines < 10, `first dump read: ${firstReport.snapshot.goroutines} goroutines`);
  const missing = gridlock([file, '--snapshot', '3']);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr.trim().split('\n').length, 1);
  assert.match(missing.stderr, /\b3\b/);
  assert.match(missing.stderr, /\b2 dumps\b/);
  // One dump in the file: counted in the singular.
  const single = gridlock([join(btcdShape, 'dump-go1.26.txt'), '--snapshot', '2']);
  assert.equal(single.code, 2);
  assert.match(single.stderr, /\b1 dump\b/);
  assert.doesNotMatch(single.stderr, /1 dumps/);
});

test('--explain tells how the verdict on one group was reached', () => {
  const dump = join(btcdShape, 'dump-go1.26.txt');
  const report = JSON.parse(gridlock([dump, '--source', btcdShape, '--json']).stdout);
  const peerHandler = report.groups.find((g: { identity: string }) => g.identity === 'main.(*server).peerHandler');
  const r = gridlock([dump, '--source', btcdShape, '--explain', peerHandler.id]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /wait: chan-send on main\.syncManager\.msgChan/);
  const blockHandler = report.groups.find((g: { identity: string }) => g.identity === 'main.(*syncManager).blockHandler');
  assert.match(r.stdout, new RegExp(`woken through chan-range in main\\.\\(\\*syncManager\\)\\.blockHandler at .*syncmanager\\.go:\\d+: ${blockHandler.id} \\(stuck\\)`));
  assert.match(r.stdout, /verdict: stuck/);
  const bad = gridlock([dump, '--explain', 'peerHandler']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--explain takes a group id/);
});

/** One line on stderr starting `gridlock:`, nothing on stdout, no stack, exit 2. */
function assertUserError(r: { code: number | null; stdout: string; stderr: string }, what: string, mentions: RegExp) {
  assert.equal(r.code, 2, `${what}: ${r.stderr}`);
  assert.equal(r.stdout, '', what);
  assert.equal(r.stderr.trim().split('\n').length, 1, `${what}: ${r.stderr}`);
  assert.match(r.stderr, /^gridlock: /, what);
  assert.doesNotMatch(r.stderr, /internal error/, what);
  assert.match(r.stderr, mentions, what);
}

test('user errors are one line and exit 2: a bad --source, a missing --html folder, an unknown --explain id', () => {
  const dump = join(btcdShape, 'dump-go1.26.txt');
  assertUserError(gridlock([dump, '--source', 'no/such/tree']), 'missing --source', /no\/such\/tree/);
  assertUserError(gridlock([dump, '--source', join(btcdShape, 'main.go')]), '--source is a file', /main\.go/);
  assertUserError(gridlock([dump, '--source', btcdShape, '--html', join(scratch, 'no-such-folder', 'report.html')]), 'missing --html folder', /no-such-folder/);
  assertUserError(gridlock([dump, '--source', btcdShape, '--explain', 'zzzzz']), '--explain zzzzz', /zzzzz/);
});

test('serve --help prints its usage; serve on a port in use and serve --source FILE are user errors', async () => {
  const help = gridlock(['serve', '--help']);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /--port/);
  assertUserError(gridlock(['serve', '--port', '0', '--source', join(btcdShape, 'main.go')]), 'serve --source FILE', /main\.go/);
  const blocker = createServer();
  await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
  const port = (blocker.address() as { port: number }).port;
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'serve', '--port', String(port), '--no-cache'], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill(), 30_000);
    const code = await new Promise<number | null>((done) => child.on('close', done));
    clearTimeout(timer);
    assertUserError({ code, stdout, stderr }, 'port in use', new RegExp(String(port)));
  } finally {
    blocker.close();
  }
});

test('the README example: the answer in at most 60 lines, each party once, paths as on disk', () => {
  const r = gridlock(['examples/btcd-shape/dump.txt', '--source', 'examples/btcd-shape']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.ok(lines.length <= 60, `${lines.length} lines`);
  const report = JSON.parse(gridlock(['examples/btcd-shape/dump.txt', '--source', 'examples/btcd-shape', '--json']).stdout);
  assert.equal(report.findings[0].kind, 'deadlock-cycle');
  for (const wait of report.findings[0].waits) assert.match(r.stdout, new RegExp(`\\(${wait.group}[,)]`), wait.group);
  // The dump was taken elsewhere (/src/gridlock/…): every location reads as the checkout's path.
  const locations = [...r.stdout.matchAll(/(\S*\.go):\d+/g)].map((m) => m[1].replace(/^[(`]/, ''));
  assert.ok(locations.length > 0);
  for (const file of locations) assert.ok(file.startsWith('examples/btcd-shape/'), file);
  const verbose = gridlock(['examples/btcd-shape/dump.txt', '--source', 'examples/btcd-shape', '--verbose']);
  assert.ok(verbose.stdout.split('\n').length > lines.length);
  assert.match(verbose.stdout, /created by /);
});

test('the package is go-gridlock and installs the gridlock command', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'go-gridlock');
  assert.deepEqual(Object.keys(pkg.bin), ['gridlock']);
});

test('<autogenerated> frames and the Go installation\'s files are not "not found in the source"', () => {
  const dump = readFileSync(join(btcdShape, 'dump-go1.26.txt'), 'utf8');
  const extra = [
    'goroutine 901 [select]:',
    'main.(*server).wrapper(0xc000123456)',
    '\t<autogenerated>:1 +0x2a',
    'runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)',
    '\t/root/sdk/go1.22.1/src/runtime/proc.go:402 +0xce',
    'created by main.main in goroutine 1',
    '\t/opt/hostedtoolcache/go/1.22.1/x64/src/runtime/asm_amd64.s:1695 +0x1',
    '',
  ].join('\n');
  const file = join(scratchDir('autogen'), 'dump.txt');
  writeFileSync(file, `${dump.trimEnd()}\n\n${extra}`);
  const r = gridlock([file, '--source', btcdShape, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const warnings: string[] = JSON.parse(r.stdout).snapshot.warnings.map((w: { message: string }) => w.message);
  for (const name of ['<autogenerated>', 'proc.go']) assert.ok(!warnings.some((w) => w.includes(name)), `${name}: ${warnings.join(' | ')}`);
});

test('the linked index is cached once the answer is out, and a second run reads it', () => {
  const cacheDir = scratchDir('index-store');
  const dump = join(btcdShape, 'dump-go1.26.txt');
  const first = gridlock([dump, '--source', btcdShape, '--json', '--cache-dir', cacheDir]);
  assert.equal(first.code, 0, first.stderr);
  const stored = readdirSync(join(cacheDir, 'index-v1')).filter((name) => name.endsWith('.index'));
  assert.equal(stored.length, 1, 'stored before the command exited');
  const second = gridlock([dump, '--source', btcdShape, '--json', '--cache-dir', cacheDir]);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(second.stdout, first.stdout);
});
