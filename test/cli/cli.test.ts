// The `gridlock` command as a user runs it: arguments, exit codes, one-line errors, output formats.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const btcdShape = join(root, 'testdata/programs/01-btcd-cycle');
const tendermintShape = join(root, 'testdata/programs/02-tendermint-leaked-lock');
const controls = join(root, 'testdata/programs/13-controls');

function gridlock(args: string[], input?: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'gridlock-cache-')) },
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
  const dir = mkdtempSync(join(tmpdir(), 'gridlock-cli-'));
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
  const out = join(mkdtempSync(join(tmpdir(), 'gridlock-html-')), 'report.html');
  const r = gridlock([dump, '--source', btcdShape, '--html', out]);
  assert.equal(r.code, 0, r.stderr);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /<svg/);
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href="http/);
});

test('several dumps in one file: the last by default, --snapshot N picks another, a missing one is exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridlock-multi-'));
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
  assert.match(missing.stderr, /holds 2 dumps; there is no dump number 3/);
});

test('--explain tells how the verdict on one group was reached', () => {
  const dump = join(btcdShape, 'dump-go1.26.txt');
  const report = JSON.parse(gridlock([dump, '--source', btcdShape, '--json']).stdout);
  const peerHandler = report.groups.find((g: { identity: string }) => g.identity === 'main.(*server).peerHandler');
  const r = gridlock([dump, '--source', btcdShape, '--explain', peerHandler.id]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /wait: chan-send on main\.syncManager\.msgChan/);
  assert.match(r.stdout, /woken through chan-range in main\.\(\*syncManager\)\.blockHandler at .*syncmanager\.go:\d+: G\d+ \(stuck\)/);
  assert.match(r.stdout, /verdict: stuck/);
  const bad = gridlock([dump, '--explain', 'peerHandler']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--explain takes a group id such as G3/);
});
