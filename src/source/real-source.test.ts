// Checks against the real code behind the two seed dumps. They need checkouts, which are not
// part of this repository: set GRIDLOCK_BTCD to btcd at 67b8efd3ba53b60ff0eba5d79babe2c3d82f6c54
// and GRIDLOCK_TENDERMINT to tendermint at v0.35.0-rc1; each test skips, saying so, otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildIndex, functionAt, locateSource, operationsAt } from './index.js';
import type { SourceIndex } from './types.js';

async function indexCheckout(root: string, dumpFiles: string[]): Promise<{ index: SourceIndex; mapped: Map<string, string> }> {
  const { mapping, files } = await locateSource(dumpFiles, { roots: [root], cwd: root, env: {} });
  assert.deepEqual(mapping.unmapped, []);
  return { index: await buildIndex(files, { cacheDir: null }), mapped: mapping.mapped };
}

function siteAt(index: SourceIndex, file: string, line: number): string[] {
  return operationsAt(index, file, line).map((s) => `${s.kind} ${s.resource.name}`);
}

const btcd = process.env.GRIDLOCK_BTCD;
test('btcd #2258: the sends of the cycle and the select that would drain them', { timeout: 60_000 }, async (t) => {
  if (!btcd || !existsSync(join(btcd, 'server.go'))) {
    t.skip('GRIDLOCK_BTCD does not point at a btcd checkout (commit 67b8efd3)');
    return;
  }
  // Paths as the seed dump prints them.
  const server = '/root/gocode/src/github.com/btcsuite/btcd/server.go';
  const manager = '/root/gocode/src/github.com/btcsuite/btcd/netsync/manager.go';
  const { index, mapped } = await indexCheckout(btcd, [server, manager]);
  const serverFile = mapped.get(server)!;
  assert.equal(serverFile, join(btcd, 'server.go'));
  assert.equal(mapped.get(manager), join(btcd, 'netsync', 'manager.go'));
  assert.equal(functionAt(index, serverFile, 2211)?.name, 'main.(*server).peerDoneHandler');
  assert.deepEqual(siteAt(index, serverFile, 2211), ['chan-send main.server.donePeers']);
  assert.equal(functionAt(index, serverFile, 2330)?.name, 'main.(*server).AddPeer');
  assert.deepEqual(siteAt(index, serverFile, 2330), ['chan-send main.server.newPeers']);
  assert.equal(functionAt(index, serverFile, 2341)?.name, 'main.(*server).RelayInventory');
  assert.deepEqual(siteAt(index, serverFile, 2341), ['chan-send main.server.relayInv']);
  const newPeer = index.functions.get('github.com/btcsuite/btcd/netsync.(*SyncManager).NewPeer');
  assert.ok(newPeer);
  assert.ok(newPeer.operations.some((o) => o.kind === 'chan-send' && o.resource.name === 'github.com/btcsuite/btcd/netsync.SyncManager.msgChan'));
  const peerHandler = index.functions.get('main.(*server).peerHandler');
  assert.ok(peerHandler);
  const receives = peerHandler.operations.filter((o) => o.kind === 'select').flatMap((s) => s.cases ?? []);
  assert.ok(receives.some((c) => c.kind === 'chan-receive' && c.resource.name === 'main.server.relayInv'));
  // The waker of relayInv is found by resource, as the analysis will look it up.
  const relayReceivers = (index.sitesByResource.get('main.server.relayInv') ?? []).filter((s) => s.kind === 'chan-receive');
  assert.ok(relayReceivers.some((s) => s.function === 'main.(*server).peerHandler'));
  // The call chain of the stuck blockHandler resolves through fields into the netsync package.
  const handleBlockchain = index.functions.get('github.com/btcsuite/btcd/netsync.(*SyncManager).handleBlockchainNotification');
  assert.ok(handleBlockchain?.calls.some((c) => c.callees.includes('main.(*server).AnnounceNewTransactions')
    || c.callees.some((x) => x.endsWith('.AnnounceNewTransactions'))));
});

const tendermint = process.env.GRIDLOCK_TENDERMINT;
test('tendermint #7029: the reactor lock, the Done() receive and the leaky return in Sync', { timeout: 60_000 }, async (t) => {
  if (!tendermint || !existsSync(join(tendermint, 'internal', 'statesync', 'reactor.go'))) {
    t.skip('GRIDLOCK_TENDERMINT does not point at a tendermint checkout (tag v0.35.0-rc1)');
    return;
  }
  const reactor = 'github.com/tendermint/tendermint/internal/statesync/reactor.go';
  const { index, mapped } = await indexCheckout(tendermint, [reactor]);
  const file = mapped.get(reactor)!;
  const pkg = 'github.com/tendermint/tendermint/internal/statesync';
  assert.deepEqual(siteAt(index, file, 849), [`mutex-lock ${pkg}.Reactor.mtx`]);
  assert.deepEqual(siteAt(index, file, 243), ['chan-receive github.com/tendermint/tendermint/internal/p2p.PeerUpdates.closeCh']);
  const sync = index.functions.get(`${pkg}.(*Reactor).Sync`);
  assert.ok(sync);
  const leaks = sync.leakyReturns.map((l) => [l.resource.name, l.lockLine, l.returnLine]);
  assert.deepEqual(leaks, [[`${pkg}.Reactor.mtx`, 255, 262]]);
});
