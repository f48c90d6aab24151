// The comparison of polls, on plain data: sites and reports in, alerts out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Report, ReportFinding } from '../../src/analysis/types.js';
import type { WaitClass } from '../../src/dump/types.js';
import { comparePoll, createWatchMemory, findingIdentity, type PollObservation } from '../../src/watch/compare.js';
import type { SiteObservation } from '../../src/watch/sites.js';

function site(fn: string, line: number, waitClass: WaitClass, ids: number[], count = ids.length): SiteObservation {
  return {
    key: `${waitClass}|${fn}|/src/app/main.go:${line}`,
    waitClass,
    state: waitClass,
    site: { function: fn, file: '/src/app/main.go', line },
    identity: fn,
    count,
    ids,
  };
}

function report(findings: ReportFinding[] = []): Report {
  return {
    gridlock: 1,
    snapshot: { format: 'debug2', goroutines: 10, declaredTotal: null, warnings: [] },
    groups: [],
    findings,
  };
}

function cycle(groupIds: [string, string], lines: [number, number] = [43, 51]): ReportFinding {
  return {
    kind: 'deadlock-cycle',
    confidence: 'certain',
    title: 'peerHandler and blockHandler wait on each other',
    explanation: '…',
    waits: [
      {
        group: groupIds[0],
        inferred: false,
        function: 'main.(*server).peerHandler',
        blockedIn: { function: 'main.(*server).peerHandler', file: '/src/app/main.go', line: lines[0] },
        operation: 'chan-send',
        resource: { kind: 'chan', name: 'main.syncManager.msgChan', expression: 's.sm.msgChan', declared: null },
        wokenBy: [],
      },
      {
        group: groupIds[1],
        inferred: false,
        function: 'main.(*syncManager).blockHandler',
        blockedIn: { function: 'main.(*syncManager).blockHandler', file: '/src/app/main.go', line: lines[1] },
        operation: 'chan-send',
        resource: { kind: 'chan', name: 'main.server.relayInv', expression: 'sm.s.relayInv', declared: null },
        wokenBy: [],
      },
    ],
    fixes: [],
    mermaid: 'graph TD',
  };
}

function poll(at: number, sites: SiteObservation[], findings: ReportFinding[] = []): PollObservation {
  return { at, sites, report: report(findings) };
}

test('a new deadlock-cycle alerts once, however many polls show it and however its groups are numbered', () => {
  const memory = createWatchMemory();
  const first = comparePoll(memory, poll(0, [], [cycle(['G1', 'G2'])]));
  assert.equal(first.length, 1);
  assert.equal(first[0].reason, 'new-finding');
  assert.equal(first[0].finding.kind, 'deadlock-cycle');
  assert.deepEqual(comparePoll(memory, poll(1000, [], [cycle(['G4', 'G7'])])), []);
  assert.deepEqual(comparePoll(memory, poll(2000, [], [])), []);
  assert.deepEqual(comparePoll(memory, poll(3000, [], [cycle(['G2', 'G1'])])), []);
});

test('findings of kinds not asked for do not alert; a different resource is a different finding', () => {
  const memory = createWatchMemory();
  const orphan: ReportFinding = { ...cycle(['G1', 'G2']), kind: 'orphaned-wait' };
  assert.deepEqual(comparePoll(memory, poll(0, [], [orphan])), []);
  const base = cycle(['G1', 'G2']);
  const other: ReportFinding = {
    ...base,
    waits: base.waits.map((wait) => ({ ...wait, resource: wait.resource && { ...wait.resource, name: `${wait.resource.name}2` } })),
  };
  assert.notEqual(findingIdentity(base), findingIdentity(other));
  assert.equal(comparePoll(memory, poll(1000, [], [base, other])).length, 2);
});

test('goroutines that stay at a lock for three polls alert once as a stuck group', () => {
  const memory = createWatchMemory();
  const stuck = () => site('main.(*reactor).processPeerUpdate', 84, 'mutex', [7]);
  assert.deepEqual(comparePoll(memory, poll(0, [stuck()])), []);
  assert.deepEqual(comparePoll(memory, poll(1000, [stuck()])), []);
  const alerts = comparePoll(memory, poll(2000, [stuck()]));
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].reason, 'stuck-group');
  assert.equal(alerts[0].finding.kind, 'long-wait');
  assert.equal(alerts[0].finding.waits[0].operation, 'mutex-lock');
  assert.equal(alerts[0].finding.waits[0].blockedIn.line, 84);
  assert.match(alerts[0].finding.title, /for 3 polls/);
  assert.deepEqual(comparePoll(memory, poll(3000, [stuck()])), []);
});

test('a busy site where different goroutines come and go is not stuck', () => {
  const memory = createWatchMemory();
  for (let i = 0; i < 6; i++) {
    assert.deepEqual(comparePoll(memory, poll(i * 1000, [site('main.worker', 20, 'mutex', [100 + i])])), []);
  }
});

test('a site that vanishes for one poll starts its run again', () => {
  const memory = createWatchMemory();
  const s = () => site('main.send', 30, 'chan-send', [5]);
  comparePoll(memory, poll(0, [s()]));
  comparePoll(memory, poll(1000, [s()]));
  assert.deepEqual(comparePoll(memory, poll(2000, [])), []);
  assert.deepEqual(comparePoll(memory, poll(3000, [s()])), []);
  assert.deepEqual(comparePoll(memory, poll(4000, [s()])), []);
  assert.equal(comparePoll(memory, poll(5000, [s()])).length, 1);
});

test('idle receivers and selects never count as stuck, and the duration threshold holds alerts back', () => {
  const idle = createWatchMemory();
  for (let i = 0; i < 5; i++) {
    assert.deepEqual(comparePoll(idle, poll(i * 1000, [site('main.loop', 10, 'select', [3]), site('main.recv', 11, 'chan-receive', [4])])), []);
  }
  const slow = createWatchMemory({ stuckMs: 60_000 });
  for (let i = 0; i < 5; i++) assert.deepEqual(comparePoll(slow, poll(i * 1000, [site('main.lock', 12, 'mutex', [9])])), []);
  assert.equal(comparePoll(slow, poll(60_000, [site('main.lock', 12, 'mutex', [9])])).length, 1);
});

test('a stuck group already explained by a deadlock finding does not alert a second time', () => {
  const memory = createWatchMemory();
  const sites = [site('main.(*server).peerHandler', 43, 'chan-send', [22]), site('main.(*syncManager).blockHandler', 51, 'chan-send', [23])];
  const alerts = [0, 1, 2, 3].flatMap((i) => comparePoll(memory, poll(i * 1000, sites, [cycle(['G1', 'G2'])])));
  assert.deepEqual(alerts.map((alert) => alert.reason), ['new-finding']);
});

test('a crowd that grows three polls in a row alerts once as a pile-up; a pause resets the count', () => {
  const memory = createWatchMemory({ stuckPolls: 1000 });
  const crowd = (count: number) => site('main.waitForCrowdLock', 110, 'mutex', [], count);
  const counts = [10, 20, 20, 30, 40];
  for (const [i, count] of counts.entries()) assert.deepEqual(comparePoll(memory, poll(i * 1000, [crowd(count)])), [], `poll ${i}`);
  const alerts = comparePoll(memory, poll(5000, [crowd(50)]));
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].reason, 'growing-crowd');
  assert.equal(alerts[0].finding.kind, 'pile-up');
  assert.match(alerts[0].finding.title, /^50 goroutines piling up in main\.waitForCrowdLock \(main\.go:110\): \+30 over 3 polls$/);
  assert.deepEqual(comparePoll(memory, poll(6000, [crowd(60)])), []);
});

test('small crowds do not alert however they grow', () => {
  const memory = createWatchMemory({ stuckPolls: 1000 });
  for (let i = 1; i <= 9; i++) assert.deepEqual(comparePoll(memory, poll(i, [site('main.f', 1, 'chan-receive', [], i)])), []);
});

test('memory keeps only the sites of the last poll and a bounded set of alerted identities', () => {
  const memory = createWatchMemory({ maxRemembered: 50, stuckPolls: 1 });
  for (let i = 0; i < 500; i++) {
    const alerts = comparePoll(memory, poll(i, [site(`main.f${i}`, i, 'mutex', [i])]));
    assert.equal(alerts.length, 1);
    assert.equal(memory.sites.size, 1);
    assert.ok(memory.alerted.size <= 50);
  }
});

test('the stuck finding takes the resource and group from the report group at the same site', () => {
  const memory = createWatchMemory({ stuckPolls: 1 });
  const observed: PollObservation = {
    at: 0,
    sites: [site('main.(*reactor).processPeerUpdate', 84, 'mutex', [7])],
    report: {
      ...report(),
      groups: [
        {
          id: 'G5',
          count: 1,
          goroutineIds: [7],
          state: 'sync.Mutex.Lock',
          waitMinutes: null,
          frames: [{ function: 'main.(*reactor).processPeerUpdate', file: '/src/app/main.go', line: 84 }],
          createdBy: null,
          identity: 'main.(*reactor).processPeerUpdate',
          labels: {},
          blocking: {
            site: { function: 'main.(*reactor).processPeerUpdate', file: '/src/app/main.go', line: 84, statement: 'r.mtx.Lock()' },
            operation: 'mutex-lock',
            resource: { kind: 'mutex', name: 'main.reactor.mtx', expression: 'r.mtx', declared: null },
            wokenBy: [],
            cases: null,
          },
        },
      ],
    },
  };
  const [alert] = comparePoll(memory, observed);
  assert.equal(alert.finding.waits[0].group, 'G5');
  assert.equal(alert.finding.waits[0].resource?.name, 'main.reactor.mtx');
  assert.match(alert.finding.mermaid, /main\.reactor\.mtx/);
});

test('a group the analysis found live (a live goroutine will wake it) never alerts as stuck; one it could not judge does', () => {
  const waiting = site('main.main', 30, 'waitgroup', [1]);
  const group = (stuck: boolean | null) => ({
    id: 'kmbtq', count: 1, goroutineIds: [1], state: 'sync.WaitGroup.Wait', waitMinutes: null,
    frames: [
      { function: 'sync.(*WaitGroup).Wait', file: '/usr/local/go/src/sync/waitgroup.go', line: 118 },
      { function: 'main.main', file: '/src/app/main.go', line: 30 },
    ],
    createdBy: null, identity: 'main.main', labels: {}, stuck, blocking: null,
  });
  for (const [stuck, alerts] of [[false, 0], [null, 1]] as const) {
    const memory = createWatchMemory();
    const fired = [0, 1, 2, 3].flatMap((i) => comparePoll(memory, { ...poll(i * 1000, [waiting]), report: { ...report(), groups: [group(stuck)] } }));
    assert.equal(fired.filter((a) => a.reason === 'stuck-group').length, alerts, `stuck: ${stuck}`);
  }
});
