// Sites read from real dumps of testdata/watch-target (made by its gen-dumps.sh with Go 1.26):
// the stuck goroutines land on their blocking lines, the runtime and idle ones do not count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readDumpText } from '../../src/dump/index.js';
import { observeSites } from '../../src/watch/sites.js';

const dumps = fileURLToPath(new URL('../../testdata/watch-target/dumps/', import.meta.url));
const MAIN = '/src/gridlock/testdata/watch-target/main.go';

function sitesOf(name: string) {
  const input = readDumpText(readFileSync(`${dumps}${name}`, 'utf8'));
  assert.equal(input.snapshots.length, 1);
  return observeSites(input.snapshots[0]);
}

test('debug=2: each stuck goroutine at its blocking line, with its wait and its id', () => {
  const sites = sitesOf('stuck.debug2.txt').filter((site) => site.site.file === MAIN);
  const summary = sites.map((site) => `${site.waitClass} ${site.site.function}:${site.site.line} x${site.count}`).sort();
  assert.deepEqual(summary, [
    'chan-send main.(*server).peerHandler:43 x1',
    'chan-send main.(*syncManager).blockHandler:51 x1',
    'io main.main:154 x1',
    'mutex main.(*reactor).processPeerUpdate:84 x1',
    'mutex main.waitForCrowdLock:110 x3',
    'sleep main.holdCrowdLock:105 x1',
  ]);
  const crowd = sites.find((site) => site.site.function === 'main.waitForCrowdLock')!;
  assert.equal(crowd.ids.length, 3);
  assert.deepEqual(crowd.ids, [...crowd.ids].sort((a, b) => a - b));
});

test('debug=2: running goroutines (the one writing the profile) are not sites', () => {
  const sites = sitesOf('stuck.debug2.txt');
  assert.ok(sites.every((site) => site.waitClass !== 'running' && site.waitClass !== 'runnable'));
  assert.ok(!sites.some((site) => site.site.function.startsWith('runtime/pprof.')));
});

test('debug=1: the wait is read from the sync frames when no state is printed; counts come from the records', () => {
  const sites = sitesOf('stuck.debug1.txt');
  const crowd = sites.find((site) => site.site.function === 'main.waitForCrowdLock');
  assert.ok(crowd);
  assert.equal(crowd.waitClass, 'mutex');
  assert.equal(crowd.count, 3);
  assert.deepEqual(crowd.ids, []);
  const accept = sites.find((site) => site.site.function === 'main.main');
  assert.equal(accept?.waitClass, 'io');
});
