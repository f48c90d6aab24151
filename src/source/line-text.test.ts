import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeOfLine } from './line-text.js';

test('a trailing comment is dropped, the code kept', () => {
  assert.equal(codeOfLine('\ts.donePeers <- sp // want: chan-send main.server.donePeers'), 's.donePeers <- sp');
  assert.equal(codeOfLine('\tr.mtx.Lock()'), 'r.mtx.Lock()');
});

test('// inside string, raw string and rune literals is code', () => {
  assert.equal(codeOfLine('\tch <- "http://x" // send'), 'ch <- "http://x"');
  assert.equal(codeOfLine('\tch <- `a//b`'), 'ch <- `a//b`');
  assert.equal(codeOfLine(`\tch <- "say \\"//\\"" // c`), `ch <- "say \\"//\\""`);
  assert.equal(codeOfLine("\tr <- '/' // slash"), "r <- '/'");
});
