// The graph codec: what goes in comes out equal, shared objects come out shared, and anything it
// cannot rebuild faithfully (a class instance, a function, a cycle, damaged bytes) is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { packGraph, unpackGraph } from './graph-codec.js';

test('plain data, Maps and Sets round-trip to equal values, key order and odd numbers included', () => {
  const value = {
    n: [0, 1, 127, 128, 2 ** 40, -5, -0, 1.5, Number.NaN, Infinity, -Infinity],
    s: ['', 'a', 'ü→', 'a'],
    nested: { z: 1, a: [null, undefined, true, false] },
    m: new Map<unknown, unknown>([['k', new Set(['x', 'y'])], [3, { deep: new Map() }]]),
    empty: {},
  };
  const back = unpackGraph(packGraph(value)) as typeof value;
  assert.deepEqual(back, value);
  assert.deepEqual(Object.keys(back.nested), ['z', 'a']);
  assert.ok(Object.is(back.n[6], -0));
});

test('an object reached twice comes back as one object when it is shared, as copies when not', () => {
  const site = { kind: 'chan-send', line: 3 };
  const plain = { x: 1 };
  const graph = { byFunction: [site, plain], byResource: new Map([['r', [site, plain]]]) };
  const back = unpackGraph(packGraph(graph, { shared: (o) => 'kind' in o })) as typeof graph;
  assert.equal(back.byFunction[0], back.byResource.get('r')![0]);
  assert.notEqual(back.byFunction[1], back.byResource.get('r')![1]);
  assert.deepEqual(back.byFunction[1], back.byResource.get('r')![1]);
});

test('property: any JSON-like graph round-trips, and sharing is kept exactly', () => {
  // A `__proto__` key is refused (below): no such value here.
  const json = fc.jsonValue().filter((v) => !JSON.stringify(v).includes('"__proto__"'));
  fc.assert(fc.property(fc.array(json, { maxLength: 8 }), fc.array(fc.nat(7), { maxLength: 12 }), (values, picks) => {
    const pool = values.map((v) => ({ v }));
    const graph = { picks: picks.filter((i) => i < pool.length).map((i) => pool[i]), pool };
    const back = unpackGraph(packGraph(graph)) as typeof graph;
    assert.deepEqual(back, graph);
    graph.picks.forEach((o, i) => assert.equal(back.picks[i], back.pool[graph.pool.indexOf(o)]));
  }));
});

test('class instances, functions, __proto__ keys and cycles are refused, and collections where plain data is asked for; damaged bytes throw', () => {
  assert.throws(() => packGraph({ d: new Date() }), /class/);
  assert.throws(() => packGraph({ f: () => 1 }), /function/);
  assert.throws(() => packGraph(JSON.parse('{"__proto__": 1}')), /__proto__/);
  assert.throws(() => packGraph({ m: new Map() }, { plainOnly: true }), /Map or Set/);
  const a: Record<string, unknown> = { kind: 'a' };
  a.self = a;
  assert.throws(() => packGraph(a), /cycle/);
  const bytes = packGraph({ a: [1, 2, 3], b: 'text' });
  assert.throws(() => unpackGraph(bytes.subarray(0, bytes.length - 2)));
  assert.throws(() => unpackGraph(bytes.subarray(0, 3)));
  const extra = new Uint8Array(bytes.length + 1);
  extra.set(bytes);
  assert.throws(() => unpackGraph(extra));
});
