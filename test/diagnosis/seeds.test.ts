// The two seed documents against their real sources, when checkouts are at hand (they are never
// committed): GRIDLOCK_BTCD = btcd at 67b8efd3ba53b60ff0eba5d79babe2c3d82f6c54,
// GRIDLOCK_TENDERMINT = tendermint at v0.35.0-rc1.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeDump } from '../../src/analyze.js';
import { readDumpBytes } from '../../src/dump/index.js';

const seeds = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));
const btcd = process.env.GRIDLOCK_BTCD;
const tendermint = process.env.GRIDLOCK_TENDERMINT;

async function diagnose(seed: string, source: string) {
  const input = readDumpBytes(readFileSync(seeds + seed));
  return (await analyzeDump(input, { sourceRoots: [source], cwd: source, env: {}, cacheDir: null })).report;
}

test('btcd #2258: the cycle peerHandler ↔ blockHandler, peerHandler inferred, both crowds behind it', async (t) => {
  if (!btcd || !existsSync(seeds)) return t.skip('set GRIDLOCK_BTCD to a btcd checkout at 67b8efd3 to run this');
  const report = await diagnose('000_ee07be610e3102c8.txt', btcd);
  const [cycle] = report.findings;
  assert.equal(cycle.kind, 'deadlock-cycle');
  assert.equal(cycle.confidence, 'possible');
  const parties = cycle.waits.map((w) => `${w.function}${w.inferred ? ' (inferred)' : ''} ${w.operation} ${w.resource?.name}`);
  assert.deepEqual(parties.slice(0, 2).sort(), [
    'github.com/btcsuite/btcd/netsync.(*SyncManager).blockHandler chan-send main.server.relayInv',
    'main.(*server).peerHandler (inferred) chan-send github.com/btcsuite/btcd/netsync.SyncManager.msgChan',
  ]);
  const crowds = report.findings.filter((f) => f.kind === 'pile-up').map((f) => report.groups.find((g) => g.id === f.waits[0].group)?.count);
  assert.deepEqual(crowds.sort(), [11514, 9563].sort());
  assert.match(cycle.explanation, /11,514/);
  assert.match(cycle.explanation, /9,563/);
});

test('tendermint #7029: r.mtx leaked by an early return of Sync, OnStop stuck behind it', async (t) => {
  if (!tendermint || !existsSync(seeds)) return t.skip('set GRIDLOCK_TENDERMINT to a tendermint checkout at v0.35.0-rc1 to run this');
  const report = await diagnose('004_102381bbb3503e09.txt', tendermint);
  const [leak] = report.findings;
  assert.equal(leak.kind, 'leaked-lock');
  assert.equal(leak.waits[0].resource?.name, 'github.com/tendermint/tendermint/internal/statesync.Reactor.mtx');
  assert.equal(leak.waits[0].blockedIn.function, 'github.com/tendermint/tendermint/internal/statesync.(*Reactor).processPeerUpdate');
  assert.ok(leak.waits.some((w) => /\(\*Reactor\)\.OnStop$/.test(w.blockedIn.function)), 'OnStop waits behind it');
  assert.ok(leak.fixes.some((f) => f.file.endsWith('internal/statesync/reactor.go') && f.line === 262 && /^Sync /.test(f.hint)), JSON.stringify(leak.fixes));
});
