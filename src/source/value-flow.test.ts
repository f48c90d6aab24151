// Value flow (layer 2) on one Go file whose lines say what the classes must be: `// class: A B`
// (one class), `// open: A`, `// closed: A`, `// home: A F` (made fresh by each call of F).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildIndex, locateSource } from './index.js';

const DIR = resolve('testdata/source/flows');

test('value flow: every class, open, closed and home mark of the flows fixture holds', async () => {
  const { files } = await locateSource([], { roots: [DIR], cwd: DIR, env: {} });
  const index = await buildIndex(files, { cacheDir: null });
  const { classOf, open, home } = index.classes;
  const rep = (name: string) => classOf.get(name) ?? name;
  const lines = readFileSync(join(DIR, 'main.go'), 'utf8').split('\n');
  let marks = 0;
  lines.forEach((text, i) => {
    const m = /\/\/ (class|open|closed|home): ([\w.#()*/]+(?: [\w.#()*/]+)*)\s*$/.exec(text);
    if (!m) return;
    marks++;
    const [what, rest] = [m[1], m[2].trim().split(/\s+/)];
    const at = `main.go:${i + 1}`;
    if (what === 'class') for (const name of rest.slice(1)) assert.equal(rep(name), rep(rest[0]), `${at}: ${name} should be in the class of ${rest[0]}`);
    if (what === 'open') assert.ok(open.has(rep(rest[0])), `${at}: ${rest[0]} should be open`);
    if (what === 'closed') assert.ok(!open.has(rep(rest[0])), `${at}: ${rest[0]} should be closed (${open.get(rep(rest[0]))})`);
    if (what === 'home') assert.equal(home.get(rep(rest[0])), rest[1], `${at}: ${rest[0]} should be made fresh by each call of ${rest[1]}`);
  });
  assert.ok(marks >= 10, `the fixture carries its marks (${marks})`);
});

test('value flow: a function nothing calls, a method value and a literal handed on are entry points', async () => {
  const { files } = await locateSource([], { roots: [DIR], cwd: DIR, env: {} });
  const index = await buildIndex(files, { cacheDir: null });
  // ServeHTTP is called only by net/http; the literal passed to After runs where After calls it.
  assert.ok(index.entryPoints.has('main.handler.ServeHTTP'));
  assert.ok(index.entryPoints.has('main.main.func1'));
  assert.ok(!index.entryPoints.has('main.main'), 'main runs once, on its own goroutine');
  assert.ok(!index.entryPoints.has('main.drain'), 'drain is started by a go statement');
});

test('value flow: a call through a function value runs what was stored in its class', async () => {
  const { files } = await locateSource([], { roots: [DIR], cwd: DIR, env: {} });
  const index = await buildIndex(files, { cacheDir: null });
  // h.on(func() {}) stores main's first literal in hub.subs; fire calls it through a range element.
  const call = index.functions.get('main.(*hub).fire')?.calls.find((c) => c.expression === 'f');
  assert.ok(call, 'fire calls f');
  assert.deepEqual(call.callees, ['main.main.func1']);
  assert.equal(call.open, undefined, 'every value stored in the class is known');
});

test('value flow: a context whose cancel function was followed is cancellable, one without is not', async () => {
  const { files } = await locateSource([], { roots: [DIR], cwd: DIR, env: {} });
  const index = await buildIndex(files, { cacheDir: null });
  const rep = (name: string) => index.classes.classOf.get(name) ?? name;
  assert.ok(index.classes.cancellable.has(rep('main.begin#ctx')), 'begin stores its cancel in tx.cancel');
  assert.ok(!index.classes.cancellable.has(rep('main.Server.quit')), 'a channel has no cancel function');
});
