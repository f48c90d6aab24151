// The goroutine header grammar of runtime/traceback.go goroutineheader, Go 1.5 to 1.27: one table
// row per shape, with what the reader must take from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHeader } from './line-grammar.js';
import { readDumpText } from './reader.js';

type Row = [string, Partial<NonNullable<ReturnType<typeof parseHeader>>> | null];

const rows: Row[] = [
  ['goroutine 1 [running]:', { id: 1, state: 'running', labels: null, trailing: '' }],
  ['goroutine 5 [chan receive, 2 minutes, locked to thread]:', { state: 'chan receive', waitMinutes: 2, lockedToThread: true }],
  // Go 1.23+: `gp= m= mp=` on SIGQUIT and GOTRACEBACK=system headers, `m=nil` when not running.
  ['goroutine 1 gp=0xc000002380 m=0 mp=0x5fa680 [running]:', { id: 1, state: 'running', crashHeader: true }],
  ['goroutine 2 gp=0xc000002e00 m=nil [force gc (idle), 3 minutes]:', { state: 'force gc (idle)', waitMinutes: 3, crashHeader: true }],
  // Go 1.26 with GODEBUG=tracebacklabels=1: labels inside the bracket, always quoted.
  ['goroutine 18 [chan receive labels:{"job": "ingest", "tenant": "a b\\"c"}]:', { state: 'chan receive', labels: { job: 'ingest', tenant: 'a b"c' } }],
  ['goroutine 18 [select, 4 minutes labels:{"k": "v]:x"}]:', { state: 'select', waitMinutes: 4, labels: { k: 'v]:x' } }],
  // Go 1.27: labels after the bracket, quoted only when needed (printquoted escapes).
  ['goroutine 19 [chan receive] {job: ingest, tenant: "a b\\"c"}:', { state: 'chan receive', labels: { job: 'ingest', tenant: 'a b"c' } }],
  ['goroutine 19 [sleep, 7 minutes] {path: /v1/x.y_z, "": "\\t\\x01\\u00e9\\U0001f600"}:', { waitMinutes: 7, labels: { path: '/v1/x.y_z', '': '\t\x01é😀' } }],
  ['goroutine 20 gp=0x19c323e805a0 m=nil [sleep] {job: flush}:', { crashHeader: true, labels: { job: 'flush' } }],
  ['goroutine 21 [select] {}:', { labels: {} }],
  // The leak detector and synctest.
  ['goroutine 7 [chan receive (leaked)]:', { state: 'chan receive (leaked)', leaked: true, durable: false }],
  ['goroutine 9 [select (leaked), 12 minutes] {job: ingest}:', { leaked: true, waitMinutes: 12, labels: { job: 'ingest' } }],
  ['goroutine 23 [chan receive (durable), synctest bubble 1]:', { durable: true, bubble: 1 }],
  ['goroutine 25 [sync.Cond.Wait (durable), 2 minutes, synctest bubble 12]:', { durable: true, bubble: 12, waitMinutes: 2 }],
  ['goroutine 8 [running, synctest bubble 3]:', { state: 'running', durable: false, bubble: 3 }],
  // Text after the header is kept aside for a warning.
  ['goroutine 9711 [chan receive]:  // this routine was stuck', { id: 9711, trailing: '// this routine was stuck' }],
  ['goroutine 4 [select, 85 minutes]: 1 times: [[4]', { waitMinutes: 85, trailing: '1 times: [[4]' }],
  // Not headers.
  ['goroutine profile: total 4', null],
  ['goroutine 5 is stuck [somewhere]', null],
  ['goroutine 5 [chan receive] {job ingest}:', null],
  ['goroutine 5 [chan receive labels:{"job": "x"]:', null],
  ['goroutine 5 gp=0xc0 [running]:', null],
];

test('header grammar: every shape of goroutineheader', () => {
  for (const [line, want] of rows) {
    const got = parseHeader(line);
    if (want === null) {
      assert.equal(got, null, line);
      continue;
    }
    assert.notEqual(got, null, line);
    for (const [key, value] of Object.entries(want)) assert.deepEqual(got![key as keyof typeof got], value, `${line}: ${key}`);
  }
});

test('header grammar: a header with trailing text keeps its goroutine and says what it skipped', () => {
  const result = readDumpText([
    'goroutine 9711 [chan receive]:  // this routine was stuck for hours',
    'main.worker()',
    '\t/src/app/main.go:12 +0x1d',
    '',
    'goroutine 9712 [chan receive]:',
    'main.worker()',
    '\t/src/app/main.go:12 +0x1d',
  ].join('\n'));
  assert.deepEqual(result.snapshots[0].goroutines.map((g) => [g.id, g.frames.length]), [[9711, 1], [9712, 1]]);
  assert.deepEqual(result.snapshots[0].warnings, [{ line: 1, message: 'text after the header of goroutine 9711 skipped: // this routine was stuck for hours' }]);
});

test('header grammar: an RWMutex writer queued behind a writer is an rwmutex-write wait', () => {
  const result = readDumpText([
    'goroutine 5 [sync.Mutex.Lock]:',
    'internal/sync.runtime_SemacquireMutex(0x0?, 0x0?, 0x0?)',
    '\t/usr/local/go/src/runtime/sema.go:95 +0x25',
    'sync.(*Mutex).Lock(...)',
    '\t/usr/local/go/src/sync/mutex.go:46',
    'sync.(*RWMutex).Lock(0x0?)',
    '\t/usr/local/go/src/sync/rwmutex.go:150 +0x31',
    'main.(*store).compact(0xc000010000)',
    '\t/src/app/main.go:30 +0x1a',
    '',
    'goroutine 6 [sync.Mutex.Lock]:',
    'sync.(*Mutex).Lock(...)',
    '\t/usr/local/go/src/sync/mutex.go:46',
    'main.(*store).get(0xc000010000)',
    '\t/src/app/main.go:40 +0x1a',
  ].join('\n'));
  assert.deepEqual(result.snapshots[0].goroutines.map((g) => [g.state, g.waitClass]), [['sync.Mutex.Lock', 'rwmutex-write'], ['sync.Mutex.Lock', 'mutex']]);
});

test('the leak profile at debug=1 (`goroutineleak profile: total N`): every record is leaked', () => {
  const result = readDumpText('goroutineleak profile: total 3\n3 @ 0x47d96e 0x41491c 0x4dbffa 0x483e81\n#\t0x4dbff9\tmain.forgotten+0x79\t/src/app/main.go:21\n\n');
  const snapshot = result.snapshots[0];
  assert.deepEqual([snapshot.format, snapshot.declaredTotal], ['debug1', 3]);
  assert.deepEqual(snapshot.goroutines.map((g) => [g.count, g.leaked, g.frames[0].function]), [[3, true, 'main.forgotten']]);
  const plain = readDumpText('goroutine profile: total 3\n3 @ 0x47d96e 0x41491c 0x4dbffa 0x483e81\n#\t0x4dbff9\tmain.forgotten+0x79\t/src/app/main.go:21\n\n');
  assert.equal(plain.snapshots[0].goroutines[0].leaked, false);
});
