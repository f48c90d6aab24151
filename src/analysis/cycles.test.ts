import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findCycles } from './cycles.js';

const edge = (from: string, to: string) => ({ from, to });

test('a two-party circular wait is one cycle; a chain into it is not part of it', () => {
  const cycles = findCycles(['crowd', 'a', 'b'], [edge('crowd', 'a'), edge('a', 'b'), edge('b', 'a')]);
  assert.deepEqual(cycles.map((c) => [...c].sort()), [['a', 'b']]);
});

test('a self-loop (a second Lock of a held mutex) is a cycle; a lone node is not', () => {
  assert.deepEqual(findCycles(['a', 'b'], [edge('a', 'a')]), [['a']]);
  assert.deepEqual(findCycles(['a'], []), []);
});

test('separate cycles are reported separately, and a long ring as one', () => {
  const ring = Array.from({ length: 5000 }, (_, i) => `n${i}`);
  const edges = ring.map((n, i) => edge(n, ring[(i + 1) % ring.length]));
  edges.push(edge('x', 'y'), edge('y', 'x'));
  const cycles = findCycles([...ring, 'x', 'y'], edges);
  assert.equal(cycles.length, 2);
  assert.deepEqual(cycles.map((c) => c.length).sort((a, b) => a - b), [2, 5000]);
});
