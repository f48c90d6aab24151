// The polling ladder's decisions, one cheap poll at a time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLadder, judgeCheapPoll, noteFullPoll, leakProfileDue, noteLeakTotal, profileTotal, DEFAULT_LADDER_SETTINGS } from '../../src/watch/ladder.js';
import type { SiteObservation } from '../../src/watch/sites.js';
import { readDumpText } from '../../src/dump/index.js';
import type { WaitClass } from '../../src/dump/types.js';

function site(waitClass: WaitClass, line: number, count = 1): SiteObservation {
  const fn = 'main.worker';
  return { key: `${waitClass}|${fn}|/src/app/main.go:${line}`, waitClass, state: '', site: { function: fn, file: '/src/app/main.go', line }, identity: fn, count, ids: [] };
}

test('ladder: idle receivers stay cheap; a send seen twice escalates up to stuckPolls times, then only a change does', () => {
  const ladder = createLadder({ ...DEFAULT_LADDER_SETTINGS, fullEvery: 1000 });
  const idle = [site('chan-receive', 10, 4), site('select', 20)];
  assert.equal(judgeCheapPoll(ladder, idle), null, 'the baseline poll');
  assert.equal(judgeCheapPoll(ladder, idle), null, 'receivers and selects wait for a living');
  const stuck = [...idle, site('chan-send', 30)];
  // debug=1 prints no state: a frame a full poll saw as a receive stays one, a new frame is suspect.
  noteFullPoll(ladder, readDumpText('goroutine 9 [chan receive]:\nmain.worker()\n\t/src/app/main.go:40 +0x1d\n').snapshots[0]);
  const unknown = (line: number) => ({ ...site('unknown', line), key: `unknown|main.worker|/src/app/main.go:${line}` });
  assert.equal(judgeCheapPoll(ladder, stuck), null, 'a send seen once may be passing');
  const decisions = [1, 2, 3, 4, 5].map(() => judgeCheapPoll(ladder, stuck));
  assert.deepEqual(decisions, ['stuck-site', 'stuck-site', 'stuck-site', null, null]);
  assert.equal(judgeCheapPoll(ladder, idle), null, 'the send is gone');
  assert.equal(judgeCheapPoll(ladder, stuck), null);
  assert.equal(judgeCheapPoll(ladder, stuck), 'stuck-site', 'back again: a new run');

  const cheap = [unknown(40)];
  assert.equal(judgeCheapPoll(ladder, cheap), null);
  assert.equal(judgeCheapPoll(ladder, cheap), null, 'a full poll saw a receive there');
  assert.equal(judgeCheapPoll(ladder, [...cheap, unknown(50)]), null);
  assert.equal(judgeCheapPoll(ladder, [...cheap, unknown(50)]), 'stuck-site', 'no full poll has seen line 50');
});

test('ladder: a crowd that grows escalates; so does every fullEvery-th poll and a rising leak count', () => {
  const ladder = createLadder({ ...DEFAULT_LADDER_SETTINGS, fullEvery: 4 });
  assert.equal(judgeCheapPoll(ladder, [site('chan-receive', 10, 50)]), null);
  assert.equal(judgeCheapPoll(ladder, [site('chan-receive', 10, 52)]), null, '4% is noise');
  assert.equal(judgeCheapPoll(ladder, [site('chan-receive', 10, 60)]), 'growing-crowd');
  const calm = [site('chan-receive', 10, 60)];
  assert.deepEqual([1, 2, 3, 4].map(() => judgeCheapPoll(ladder, calm)), [null, null, null, 'periodic']);

  assert.equal(leakProfileDue(ladder, Date.now()), true);
  assert.equal(noteLeakTotal(ladder, 1000, profileTotal('goroutineleak profile: total 0\n')), false);
  assert.equal(leakProfileDue(ladder, 1000 + DEFAULT_LADDER_SETTINGS.leakEveryMs - 1), false);
  assert.equal(noteLeakTotal(ladder, 2000, profileTotal('goroutineleak profile: total 3\n3 @ 0x1 0x2\n')), true);
  assert.equal(judgeCheapPoll(ladder, calm), 'leak');
  assert.equal(judgeCheapPoll(ladder, calm), null, 'one full poll per rise');
  assert.equal(noteLeakTotal(ladder, 3000, 3), false, 'the same count again');
});
