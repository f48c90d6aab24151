import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeExpr, encodeExpr, fromWire, toWire } from './codec.js';
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
