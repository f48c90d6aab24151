import { test } from 'node:test';
import assert from 'node:assert/strict';
import { terminalProgress } from './progress.js';

function sink(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (s: string) => out.push(s) } };
}

test('progress: silent when not a terminal', () => {
  const { out, stream } = sink(false);
  let clock = 0;
  const p = terminalProgress(stream, { now: () => clock });
  clock = 10_000;
  p.onProgress(1, 2);
  p.finish();
  assert.deepEqual(out, []);
});

test('progress: silent for a quick run, then throttled, then cleared', () => {
  const { out, stream } = sink(true);
  let clock = 0;
  const p = terminalProgress(stream, { delayMs: 300, intervalMs: 100, now: () => clock });
  clock = 100;
  p.onProgress(1, 10); // within the first moment: nothing
  clock = 400;
  p.onProgress(2, 10);
  clock = 450;
  p.onProgress(3, 10); // throttled
  clock = 460;
  p.onProgress(10, 10); // the last one always shows
  p.finish();
  assert.deepEqual(out, ['\rindexing Go source: 2/10 files', '\rindexing Go source: 10/10 files', '\r\x1b[K']);
});
