import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeExpr, encodeExpr, fromWire, packWire, toWire, unpackWire } from './codec.js';
import { extractFacts, loadGoParser } from './extract.js';
import type { Expr } from './facts.js';

function goFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.go'))
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

test('cache wire form: every fixture file round-trips to equal facts', async () => {
  const parser = await loadGoParser();
  const files = goFiles(resolve('testdata/source'));
  assert.ok(files.length >= 10);
  for (const file of files) {
    const facts = extractFacts(parser, readFileSync(file, 'utf8'));
    const back = fromWire(JSON.parse(JSON.stringify(toWire(facts))));
    assert.deepEqual(back, facts, file);
  }
});

test('cache wire form: identical expressions decode to one shared object', () => {
  const e: Expr = { k: 'call', f: { k: 'sel', x: { k: 'sel', x: { k: 'id', n: 'r' }, n: 'mtx' }, n: 'Lock' }, a: [] };
  const text = encodeExpr(e);
  assert.equal(text, 'c0,ssir;mtx;Lock;');
  assert.deepEqual(decodeExpr(text), e);
  assert.equal(decodeExpr(text), decodeExpr(`${text}`));
});

test('packed wire form: every fixture file unpacks to the facts, in less than its JSON', async () => {
  const parser = await loadGoParser();
  let packedBytes = 0;
  let jsonBytes = 0;
  for (const file of goFiles(resolve('testdata/source'))) {
    const facts = extractFacts(parser, readFileSync(file, 'utf8'));
    const packed = packWire(toWire(facts));
    assert.deepEqual(fromWire(unpackWire(packed)), facts, file);
    packedBytes += packed.length;
    jsonBytes += JSON.stringify(toWire(facts)).length;
  }
  assert.ok(packedBytes < jsonBytes * 0.6, `${packedBytes} bytes packed, ${jsonBytes} as JSON`);
});

test('packed values keep what JSON keeps, and more: key order, undefined members, every number', () => {
  const value = {
    b: 1, a: [0, -1, 127, 128, 2 ** 40, -(2 ** 53 - 1), 1.5, -0, Number.NaN, Infinity, -Infinity],
    s: ['', 'é – ✓', 'a\u0000b'], nested: [{ x: null, y: true }, { y: false, x: undefined }, []], empty: {},
  };
  const back = unpackWire(packWire(value)) as typeof value;
  assert.deepEqual(back, value);
  assert.deepEqual(Object.keys(back), ['b', 'a', 's', 'nested', 'empty']);
  assert.ok(Object.is(back.a[7], -0));
  assert.ok('x' in back.nested[1]);
  // At an offset, as a cache entry holds it behind its header.
  const packed = packWire(value);
  const framed = new Uint8Array(10 + packed.length);
  framed.set(packed, 10);
  assert.deepEqual(unpackWire(framed, 10), value);
});

test('packing refuses what is not plain data; unpacking refuses cut or damaged bytes', () => {
  assert.throws(() => packWire({ m: new Map() }));
  assert.throws(() => packWire({ f: () => 1 }));
  assert.throws(() => packWire(JSON.parse('{"__proto__": 1}')));
  const packed = packWire({ list: [1, 2, 3], name: 'x' });
  for (let cut = 0; cut < packed.length; cut++) assert.throws(() => unpackWire(packed.subarray(0, cut)), `cut at ${cut}`);
  const extra = new Uint8Array(packed.length + 1);
  extra.set(packed);
  assert.throws(() => unpackWire(extra), 'trailing bytes');
});
