// panicparse's `pp` output read as a dump: each bucket a group of goroutines, short package and
// file names, `#N` pointer ids kept as the arguments' identities.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesRoot } from '../../testdata/dumps/summary.js';
import { readDumpText } from './index.js';

const read = (name: string) => readDumpText(readFileSync(join(fixturesRoot, 'panicparse', name), 'utf8'));

test('panicparse: buckets are goroutine groups with their counts, states, waits and creators', () => {
  const result = read('handwritten-issue-paste.txt');
  assert.equal(result.snapshots.length, 1);
  const [waiters, senders, main] = result.snapshots[0].goroutines;
  assert.equal(result.snapshots[0].format, 'panicparse');
  assert.deepEqual([waiters.count, waiters.id, waiters.state, waiters.waitClass, waiters.waitMinutes], [83, null, 'sync.WaitGroup.Wait', 'waitgroup', 83]);
  assert.deepEqual(waiters.frames.map((f) => `${f.function} ${f.file}:${f.line} (${f.args})`), [
    'sync.runtime_SemacquireWaitGroup sema.go:110 (*uint32(#23))',
    'sync.(*WaitGroup).Wait waitgroup.go:118 (#23)',
    'discovery.(*Manager).ApplyConfig manager.go:276 (#23, #167)',
    'main.main.func3 main.go:1012 ()',
  ]);
  assert.deepEqual([waiters.frames[2].pkg, waiters.frames[2].receiver, waiters.frames[2].name], ['discovery', 'Manager', 'ApplyConfig']);
  assert.deepEqual(waiters.createdBy, { function: 'run.(*Group).Run', file: 'group.go', line: 37, goroutine: 1 });
  assert.deepEqual([senders.count, senders.waitMinutes, senders.lockedToThread, senders.framesElided], [2, 1, true, true]);
  assert.deepEqual(senders.createdBy, { function: 'discovery.(*Manager).Run', file: 'manager.go', line: 140, goroutine: null });
  assert.deepEqual([main.count, main.state, main.frames[0].function], [1, 'select', 'main.main']);
});

test('panicparse: real pp output of the fixture dumps holds every goroutine of the original', () => {
  for (const [pp, original] of [['deadlock-go1.26.txt', 'deadlock/go1.26.txt'], ['sigquit-go1.26-all.txt', 'sigquit/go1.26-all.txt']]) {
    const buckets = read(pp).snapshots[0];
    const plain = readDumpText(readFileSync(join(fixturesRoot, original), 'utf8')).snapshots[0];
    assert.equal(buckets.reason, plain.reason, pp);
    assert.equal(buckets.goroutines.reduce((n, g) => n + g.count, 0), plain.goroutines.length, pp);
    const states = (gs: typeof plain.goroutines) => gs.flatMap((g) => Array(g.count).fill(g.waitClass)).sort();
    assert.deepEqual(states(buckets.goroutines), states(plain.goroutines), pp);
  }
});

test('panicparse: headers it passed through unread are read as the runtime printed them', () => {
  const snapshot = read('labels-go1.27-all.txt').snapshots[0];
  assert.deepEqual(snapshot.goroutines.map((g) => [g.id, g.state]), [[null, 'running'], [19, 'chan receive'], [20, 'sleep'], [5, 'sync.Mutex.Lock'], [null, 'chan receive']]);
  assert.deepEqual(snapshot.goroutines[1].labels, { job: 'ingest', tenant: 'a b"c' });
});

test('panicparse: a numbered line of prose is not a bucket', () => {
  const result = readDumpText('Steps:\n1: Install Go\n2: run it\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/app/main.go:5 +0x1d\n');
  assert.equal(result.snapshots.length, 1);
  assert.deepEqual(result.snapshots[0].goroutines.map((g) => [g.id, g.state]), [[1, 'running']]);
  assert.equal(result.snapshots[0].format, 'debug2');
});
