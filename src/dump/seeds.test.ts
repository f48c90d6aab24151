// The two dumps the project started from must read as their authors saw them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readDumpText, blockingFrameIndex } from './index.js';

const seed = (name: string) => readFileSync(fileURLToPath(new URL(`../../testdata/dumps/seeds/${name}`, import.meta.url)), 'utf8');

test('btcd #2258: a debug=1 excerpt with runs of spaces for tabs', () => {
  const result = readDumpText(seed('btcd-2258-debug1.txt'));
  assert.equal(result.snapshots.length, 1);
  const [snapshot] = result.snapshots;
  assert.equal(snapshot.format, 'debug1');
  assert.equal(snapshot.declaredTotal, 21172);
  assert.deepEqual(snapshot.goroutines.map((g) => g.count), [11514, 9563, 1]);
  assert.deepEqual(snapshot.goroutines.map((g) => g.frames.length), [1, 6, 13]);
  for (const g of snapshot.goroutines) {
    assert.equal(g.id, null);
    assert.equal(g.waitClass, 'unknown');
  }
  const relay = snapshot.goroutines[2].frames[0];
  assert.equal(relay.function, 'main.(*server).RelayInventory');
  assert.equal(relay.line, 2341);
  assert.equal(relay.pc, 0x8a29b6);
  assert.equal(relay.pcOffset, 0xb6);
  assert.equal(snapshot.goroutines[2].frames[12].name, 'blockHandler');
  assert.deepEqual(snapshot.warnings, []);
});

test('tendermint #7029: three copies of a dump flattened onto single lines', () => {
  const result = readDumpText(seed('tendermint-7029-flattened.txt'));
  assert.equal(result.snapshots.length, 3);
  for (const snapshot of result.snapshots) {
    assert.equal(snapshot.format, 'flattened');
    assert.deepEqual(snapshot.goroutines.map((g) => g.id), [36, 188]);
    const [onStop, update] = snapshot.goroutines;
    assert.equal(onStop.state, 'chan receive');
    assert.equal(onStop.waitClass, 'chan-receive');
    assert.equal(onStop.frames[0].function, 'github.com/tendermint/tendermint/internal/statesync.(*Reactor).OnStop');
    assert.equal(onStop.frames[0].file, 'github.com/tendermint/tendermint/internal/statesync/reactor.go');
    assert.equal(onStop.frames[0].line, 243);
    assert.equal(onStop.createdBy?.function, 'github.com/tendermint/tendermint/libs/os.TrapSignal');
    assert.equal(update.state, 'semacquire');
    assert.equal(update.waitClass, 'sync');
    assert.equal(update.frames[0].function, 'sync.runtime_SemacquireMutex');
    assert.equal(update.frames[2].inlined, true);
    const site = update.frames[blockingFrameIndex(update)];
    assert.equal(site.function, 'github.com/tendermint/tendermint/internal/statesync.(*Reactor).processPeerUpdate');
    assert.equal(site.line, 849);
    assert.equal(update.createdBy?.line, 219);
    assert.equal(update.truncated, false);
  }
});
