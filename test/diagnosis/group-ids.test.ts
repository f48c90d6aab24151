// Group ids are derived from where each group is blocked: the same program gives the same ids in
// its debug=2, SIGQUIT, debug=1 and protobuf dumps, and no id reads like a goroutine id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeDump } from '../../src/analyze.js';
import { readDumpBytes } from '../../src/dump/index.js';

const program = resolve('testdata/programs/18-fanout-early-return');

async function idsByBlockingPlace(dump: string): Promise<Map<string, string>> {
  const input = readDumpBytes(readFileSync(join(program, dump)));
  const { report } = await analyzeDump(input, { sourceRoots: [program], cwd: program, env: {}, cacheDir: null });
  const byPlace = new Map<string, string>();
  for (const g of report.groups) {
    const top = g.blocking?.site;
    if (top) byPlace.set(`${top.function}@${top.line}`, g.id);
  }
  return byPlace;
}

test('group ids: the same blocking places get the same ids in every format of one program', async () => {
  const debug2 = await idsByBlockingPlace('dump-go1.26.txt');
  assert.ok(debug2.size >= 2, 'the dump has blocked groups');
  for (const dump of ['dump-go1.26.sigquit.txt', 'dump-go1.26.debug1.txt', 'dump-go1.26.pb.gz']) {
    const other = await idsByBlockingPlace(dump);
    for (const [place, id] of other) if (debug2.has(place)) assert.equal(id, debug2.get(place), `${dump}: ${place}`);
    assert.ok([...other.keys()].some((place) => debug2.has(place)), `${dump} shares blocking places with the debug=2 dump`);
  }
});

test('group ids: letters only, never a number that could be read as a goroutine id', async () => {
  const input = readDumpBytes(readFileSync(join(program, 'dump-go1.26.txt')));
  const { report } = await analyzeDump(input, { sourceRoots: [program], cwd: program, env: {}, cacheDir: null });
  const ids = report.groups.map((g) => g.id);
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
  for (const id of ids) assert.match(id, /^[b-z]{5}(-\d+)?$/);
});

test('names: a labelled goroutine is named by its first pprof label', async () => {
  const dir = resolve('testdata/dumps/labels');
  const input = readDumpBytes(readFileSync(join(dir, 'go1.27-all.txt')));
  const { report } = await analyzeDump(input, { sourceRoots: [dir], cwd: dir, env: {}, cacheDir: null });
  const ingest = report.groups.find((g) => g.labels.job === 'ingest');
  assert.equal(ingest?.name, 'ingest worker');
  const unlabelled = report.groups.find((g) => Object.keys(g.labels).length === 0 && g.identity === 'main.main');
  assert.equal(unlabelled?.name, 'main');
});
