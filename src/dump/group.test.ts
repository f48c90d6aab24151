import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupGoroutines, readDumpText } from './index.js';

function goroutine(id: number, state: string, call: string, line: number, minutes?: number): string {
  return [
    `goroutine ${id} [${state}${minutes === undefined ? '' : `, ${minutes} minutes`}]:`,
    `main.${call}`,
    `\t/src/app/main.go:${line} +0x1d`,
    'created by main.main in goroutine 1',
    '\t/src/app/main.go:40 +0x25',
    '',
  ].join('\n');
}

const dump = [
  goroutine(5, 'chan send', 'send(0xc000010000)', 10, 5),
  goroutine(6, 'chan send', 'send(0xc000010008)', 10, 37),
  goroutine(7, 'chan send', 'send(0xc000010000)', 11),
  goroutine(8, 'chan receive', 'send(0xc000010000)', 10),
  goroutine(9, 'chan send', 'send(0xc000010000)', 10, 6),
].join('\n');

test('groupGoroutines: stack level ignores arguments, keeps lines and state classes apart', () => {
  const groups = groupGoroutines(readDumpText(dump).snapshots[0].goroutines);
  assert.deepEqual(groups.map((g) => g.goroutineIds), [[5, 6, 9], [7], [8]]);
  assert.deepEqual(groups[0].waitMinutes, { min: 5, max: 37 });
  assert.equal(groups[0].count, 3);
  assert.equal(groups[0].representative.id, 5);
  assert.equal(groups[1].waitMinutes, null);
  assert.equal(groups[2].waitClass, 'chan-receive');
});

test('groupGoroutines: exact level splits by arguments, functions level merges lines', () => {
  const goroutines = readDumpText(dump).snapshots[0].goroutines;
  assert.deepEqual(groupGoroutines(goroutines, 'exact').map((g) => g.goroutineIds), [[5, 9], [6], [7], [8]]);
  assert.deepEqual(groupGoroutines(goroutines, 'functions').map((g) => g.goroutineIds), [[5, 6, 7, 9], [8]]);
});

test('groupGoroutines: debug=1 records count N each; largest first', () => {
  const records = [
    'goroutine profile: total 12',
    '2 @ 0x1 0x2',
    '#\t0x1\tmain.a+0x1\t/src/app/a.go:1',
    '',
    '10 @ 0x3 0x4',
    '#\t0x3\tmain.b+0x1\t/src/app/b.go:2',
    '',
  ].join('\n');
  const groups = groupGoroutines(readDumpText(records).snapshots[0].goroutines);
  assert.deepEqual(groups.map((g) => g.count), [10, 2]);
  assert.deepEqual(groups[0].goroutineIds, []);
});
