// Dumps inside logs: Docker's json-file records, journalctl -r's newest-first order, input sniffing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesRoot } from '../../testdata/dumps/summary.js';
import { readDumpStream, readDumpText } from './index.js';
import { looksReversed } from './logs.js';
import { describeInput } from './sniff.js';

const dump = readFileSync(join(fixturesRoot, 'deadlock', 'go1.26.txt'), 'utf8');
const shape = (text: string) => readDumpText(text).snapshots.map((s) => [s.reason, s.goroutines.map((g) => `${g.id} ${g.state} ${g.frames.length}`)]);

test('logs: Docker json-file records, long lines cut into pieces without \\n, read like the dump', () => {
  const records = dump.split('\n').flatMap((line, i) => {
    const text = `${line}\n`;
    // Docker cuts lines longer than 16 KB; here every tenth line is cut in two to show the joins.
    const pieces = i % 10 === 0 && text.length > 4 ? [text.slice(0, 3), text.slice(3)] : [text];
    return pieces.map((log) => JSON.stringify({ log, stream: 'stderr', time: '2024-04-26T18:18:57.000000000Z' }));
  });
  assert.deepEqual(shape(records.join('\n')), shape(dump));
});

test('logs: journalctl -r order is recognised and read from its last line up', async () => {
  const lines = dump.trimEnd().split('\n').map((line) => `Apr 26 18:18:57 host app[412644]: ${line}`);
  const reversed = [...lines].reverse().join('\n');
  assert.equal(looksReversed(reversed), true);
  assert.equal(looksReversed(lines.join('\n')), false);
  const result = readDumpText(reversed);
  assert.deepEqual(shape(reversed), shape(dump));
  assert.match(result.warnings[0].message, /newest line first/);
  const streamed = await readDumpStream((async function* () { yield Buffer.from(reversed); })());
  assert.deepEqual(streamed.snapshots.map((s) => s.goroutines.length), readDumpText(dump).snapshots.map((s) => s.goroutines.length));
});

test('sniff: inputs without goroutines are named by what they look like', () => {
  const look = (text: string | Uint8Array) => describeInput(typeof text === 'string' ? Buffer.from(text) : text)?.kind ?? null;
  assert.equal(look(''), 'empty');
  assert.equal(look(' \n\t\n'), 'empty');
  assert.equal(look(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00])), 'binary');
  assert.equal(look('"main" #1 prio=5 os_prio=0 tid=0x00007f nid=0x1 waiting on condition\n   java.lang.Thread.State: WAITING\n'), 'java');
  assert.equal(look('Traceback (most recent call last):\n  File "x.py", line 1, in <module>\n'), 'python');
  assert.equal(look('WARNING: DATA RACE\nRead at 0x00c by goroutine 7:\n'), 'race');
  assert.equal(look("thread 'main' panicked at src/main.rs:2:5:\n"), 'rust');
  assert.equal(look('TypeError: x is undefined\n    at run (/srv/app.js:10:5)\n'), 'javascript');
  assert.equal(look('<!DOCTYPE html>\n<html><body>Sign in</body></html>\n'), 'html');
  assert.equal(look('meeting notes\n'), null);
});

test('gzip: text is gunzipped; a cut-off .gz is read as far as it goes, with a warning', async () => {
  const { gzipSync } = await import('node:zlib');
  const { readDumpBytes } = await import('./index.js');
  const whole = gzipSync(Buffer.from(dump));
  assert.deepEqual(shape(new TextDecoder().decode(Buffer.from(dump))), readDumpBytes(whole).snapshots.map((s) => [s.reason, s.goroutines.map((g) => `${g.id} ${g.state} ${g.frames.length}`)]));
  const cut = whole.subarray(0, whole.length >> 1);
  for (const result of [readDumpBytes(cut), await readDumpStream((async function* () { yield cut; })())]) {
    assert.ok(result.snapshots[0].goroutines.length > 0);
    assert.match(result.warnings[0].message, /cut off or damaged/);
  }
});
