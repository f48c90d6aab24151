// Shapes found in dumps pasted into issues and logs, one hand-written fixture each (see the
// fixture's header for the Go version and the runtime source it follows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesRoot } from '../../testdata/dumps/summary.js';
import { readDumpStream, readDumpText } from './index.js';
import type { DumpReadResult } from './index.js';

function fixture(name: string, folder = 'handwritten'): string {
  return readFileSync(join(fixturesRoot, folder, name), 'utf8');
}

async function* chunksOf(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

function allWarnings(result: DumpReadResult): string[] {
  return [...result.warnings, ...result.snapshots.flatMap((s) => s.warnings)].map((w) => `${w.line}: ${w.message}`);
}

function frameTexts(result: DumpReadResult, goroutine: number): string[] {
  const g = result.snapshots[0].goroutines[goroutine];
  return g.frames.map((f) => `${f.function} ${f.file}:${f.line}`);
}

test('pasted: SIGQUIT behind the terminal echo ^\\ keeps its reason', () => {
  const result = readDumpText(fixture('go1.20-sigquit-terminal-echo.txt'));
  assert.equal(result.snapshots.length, 1);
  const snapshot = result.snapshots[0];
  assert.equal(snapshot.format, 'traceback');
  assert.equal(snapshot.reason, 'SIGQUIT: quit\nPC=0x46a1c1 m=0 sigcode=128');
  assert.equal(snapshot.startLine, 6);
  assert.deepEqual(snapshot.goroutines.map((g) => [g.id, g.state, g.waitMinutes, g.frames.length]), [[1, 'chan receive', 3, 6]]);
  assert.deepEqual(allWarnings(result), []);
});

test('pasted: a fatal error opened by a backtick keeps its reason and both goroutines', () => {
  const result = readDumpText(fixture('go1.23-backtick-reason.txt'));
  const snapshot = result.snapshots[0];
  assert.equal(snapshot.format, 'traceback');
  assert.equal(snapshot.reason, 'fatal error: all goroutines are asleep - deadlock!');
  assert.deepEqual(snapshot.goroutines.map((g) => [g.id, g.state, g.waitMinutes]), [[1, 'chan send', 2], [7, 'chan send', 2]]);
  assert.deepEqual(frameTexts(result, 1), ['main.(*pool).submit /src/app/pool.go:31', 'main.produce /src/app/main.go:25']);
  assert.deepEqual(snapshot.goroutines[1].createdBy, { function: 'main.main', file: '/src/app/main.go', line: 15, goroutine: 1 });
  assert.deepEqual(allWarnings(result), []);
});

test('pasted: blanks after call lines (Markdown hard breaks) do not lose the frames', () => {
  const result = readDumpText(fixture('go1.14-trailing-blanks.txt'));
  assert.deepEqual(frameTexts(result, 0), ['main.lookup /src/app/main.go:9', 'main.main /src/app/main.go:14']);
  assert.equal(result.snapshots[0].goroutines[0].frames[0].args, '0xc00000c060, 0x3, 0x3, 0x3');
  assert.deepEqual(allWarnings(result), []);
});

test('pasted: text cut in the middle of a call name marks the last goroutine as cut off', async () => {
  const text = fixture('go1.14-cut-mid-call.txt');
  assert.ok(!text.endsWith('\n'));
  for (const result of [readDumpText(text), await readDumpStream(chunksOf(text))]) {
    const goroutines = result.snapshots[0].goroutines;
    assert.deepEqual(goroutines.map((g) => [g.id, g.truncated, g.frames.length]), [[21, false, 1], [6, true, 1]]);
    assert.deepEqual(allWarnings(result), [
      '16: the input ends inside a call line of goroutine 6: main.TestHu',
      '13: goroutine 6 is cut off: its stack ends before it is complete',
    ]);
  }
  // Prose after a dump that ends cleanly is still prose, cut or not.
  const prose = readDumpText('goroutine 1 [select]:\nmain.main()\n\t/src/app/main.go:5 +0x1d\nexit status 2');
  assert.equal(prose.snapshots[0].goroutines[0].truncated, false);
  assert.deepEqual(allWarnings(prose), []);
});

test('pasted: a location line wrapped by a terminal keeps the frames and creator after it', () => {
  const result = readDumpText(fixture('go1.6-wrapped-location.txt'));
  assert.deepEqual(frameTexts(result, 0), [
    'runtime.throw /usr/local/go/src/runtime/panic.go:530',
    'runtime.mapassign1 /usr/local/go/src/runtime/hashmap.go:445',
    'main.(*store).put.func1 /src/app/store.go:22',
    'runtime.goexit /usr/local/go/src/runtime/asm_amd64.s:1998',
  ]);
  assert.deepEqual(result.snapshots[0].goroutines[0].createdBy, { function: 'main.(*store).put', file: '/src/app/store.go', line: 24, goroutine: null });
  assert.deepEqual(allWarnings(result), ['13: "8" in goroutine 31 looks like the wrapped end of the line before; skipped']);
});

test('pasted: a log export with a timestamp before and a column after every line', () => {
  const result = readDumpText(fixture('go1.8-log-prefix-suffix.txt', 'mangled'));
  assert.equal(result.snapshots.length, 1);
  const snapshot = result.snapshots[0];
  assert.equal(snapshot.reason, 'fatal error: concurrent map read and map write');
  assert.deepEqual(snapshot.goroutines.map((g) => [g.id, g.state, g.waitMinutes]), [[812, 'running', null], [1, 'IO wait', 14]]);
  assert.deepEqual(frameTexts(result, 0).slice(2), ['main.(*registry).lookup /src/app/registry.go:58', 'main.serve /src/app/server.go:110']);
  assert.deepEqual(frameTexts(result, 1), ['main.main /src/app/main.go:20']);
  assert.deepEqual(allWarnings(result), []);
});

test('pasted: annotations between frames, `...` cuts and a comment after a header keep every frame', () => {
  const result = readDumpText(fixture('go1.22-annotated.txt'));
  const [stuck, locker, main] = result.snapshots[0].goroutines;
  assert.deepEqual([stuck.id, stuck.waitMinutes, stuck.framesElided], [9711, 212, true]);
  assert.deepEqual(frameTexts(result, 0), ['main.(*Conn).readLoop /src/app/conn.go:88', 'main.(*Server).serve.func1 /src/app/server.go:41']);
  assert.equal(stuck.createdBy?.function, 'main.(*Server).serve');
  assert.deepEqual(frameTexts(result, 1).slice(3), ['main.(*Conn).Close /src/app/conn.go:120', 'main.(*Conn).fail /src/app/conn.go:131', 'main.(*Conn).writeLoop /src/app/conn.go:102']);
  assert.equal(locker.createdBy?.line, 40);
  assert.deepEqual([main.id, main.frames.length, main.truncated], [1, 2, false]);
  assert.deepEqual(allWarnings(result), [
    '6: text after the header of goroutine 9711 skipped: // this routine was stuck for hours',
    '24: text inside goroutine 9720 skipped: *** CALLER TRIES TO LOCK AGAIN: ***',
  ]);
});

test('pasted: function lines without their file:line lines are frames without a location', () => {
  const result = readDumpText(fixture('go1.21-no-locations.txt'));
  const goroutines = result.snapshots[0].goroutines;
  assert.deepEqual(goroutines.map((g) => [g.id, g.state, g.frames.length, g.truncated]), [
    [812, 'select', 5, false], [1, 'chan receive', 3, false], [7, 'semacquire', 3, false],
  ]);
  assert.deepEqual(frameTexts(result, 0).slice(2, 4), ['main.(*Pool).worker :0', 'main.(*Pool).Start.gowrap1 :0']);
  assert.deepEqual(frameTexts(result, 1), ['main.(*Pool).Wait :0', 'main.run /src/app/main.go:44', 'main.main :0']);
  assert.equal(goroutines[2].frames[2].name, 'drain');
  assert.deepEqual(goroutines[2].createdBy, { function: 'main.(*Pool).Start', file: '/src/app/pool.go', line: 31, goroutine: 1 });
  assert.deepEqual(allWarnings(result), ['6: text after the header of goroutine 812 skipped: 1 times: [[812]']);
});

test('pasted: a header the reader cannot take is a warning with its line, never silence', () => {
  const result = readDumpText([
    'goroutine 1 [running]:',
    'main.main()',
    '\t/src/app/main.go:5 +0x1d',
    '',
    'goroutine 2 [chan receive',
    'main.worker()',
    '\t/src/app/main.go:9 +0x1d',
  ].join('\n'));
  // The frames below it are still read, as a goroutine of unknown state.
  assert.deepEqual(result.snapshots[0].goroutines.map((g) => [g.id, g.waitClass, g.frames.length]), [[1, 'running', 1], [null, 'unknown', 1]]);
  assert.deepEqual(allWarnings(result), [
    '5: a goroutine header that could not be read was skipped: goroutine 2 [chan receive',
    '6: frames without a goroutine header read as a goroutine of unknown state: main.worker()',
  ]);
});

test('pasted: a run of frames whose header a log lost is a goroutine of unknown state', () => {
  const result = readDumpText([
    'level=error msg="worker stuck, stack follows"',
    'main.(*Pool).get(0xc000010000)',
    '\t/src/app/pool.go:41 +0x1d',
    'main.serve()',
    '\t/src/app/main.go:12 +0x2b',
    'level=info msg="restarting"',
    'main.notAFrame(x)',
    'prose again',
  ].join('\n'));
  assert.deepEqual(result.snapshots[0].goroutines.map((g) => [g.id, g.state, g.frames.map((f) => `${f.function}:${f.line}`)]), [
    [null, '', ['main.(*Pool).get:41', 'main.serve:12']],
  ]);
});

test('pasted: prose after a stack still ends it, whatever its length', () => {
  for (const tail of [['exit status 2'], ['FAIL\texample.com/app\t1.2s', 'FAIL'], ['one', 'two', 'three', 'four', 'main.after()']]) {
    const result = readDumpText(['goroutine 1 [select]:', 'main.main()', '\t/src/app/main.go:5 +0x1d', ...tail].join('\n'));
    assert.deepEqual(result.snapshots[0].goroutines.map((g) => [g.id, g.frames.length, g.truncated]), [[1, 1, false]], tail.join('|'));
  }
});
