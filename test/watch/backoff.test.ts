import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, backoffForInterval } from '../../src/watch/backoff.js';

test('backoff doubles from the interval and stops at the cap', () => {
  const policy = backoffForInterval(200, 1000);
  assert.deepEqual([0, 1, 2, 3, 4, 5, 100].map((failures) => backoffDelay(policy, failures)), [200, 200, 400, 800, 1000, 1000, 1000]);
});

test('the default cap is a minute, or the interval when that is longer', () => {
  assert.equal(backoffDelay(backoffForInterval(10_000), 50), 60_000);
  assert.equal(backoffDelay(backoffForInterval(120_000), 50), 120_000);
  assert.equal(backoffDelay(backoffForInterval(10_000), 3), 40_000);
});

test('a very long outage stays finite', () => {
  const delay = backoffDelay(backoffForInterval(1, 5000), 1_000_000);
  assert.equal(delay, 5000);
});
