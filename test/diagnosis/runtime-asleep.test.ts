// "fatal error: all goroutines are asleep - deadlock!": the runtime has proved every goroutine
// stuck. Without source gridlock still says so, naming every stuck goroutine (an intentional
// `select {}` excepted); with source it names each cycle and orphaned wait.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeDump } from '../../src/analyze.js';
import { readDumpText } from '../../src/dump/index.js';

const dir = fileURLToPath(new URL('../../testdata/dumps/deadlock/', import.meta.url));

for (const version of ['go1.26', 'go1.19']) {
  const input = readDumpText(readFileSync(`${dir}${version}.txt`, 'utf8'));

  test(`${version}: without source, one certain finding names every stuck goroutine`, async () => {
    const { report } = await analyzeDump(input, { sourceRoots: [], cwd: dir + '..', env: {}, cacheDir: null });
    assert.equal(report.findings.length, 1);
    const [finding] = report.findings;
    assert.equal(finding.kind, 'orphaned-wait');
    assert.equal(finding.confidence, 'certain');
    assert.deepEqual(finding.waits.map((w) => w.function).sort(), [
      'main.(*store).lockTwice', 'main.(*store).readThenWrite', 'main.main', 'main.main.func1', 'main.main.func3', 'main.waitForValue',
    ]);
  });

  test(`${version}: with source, the self-deadlocks and the orphaned waits by name`, async () => {
    const { report } = await analyzeDump(input, { sourceRoots: [dir], cwd: dir, env: {}, cacheDir: null });
    const summary = report.findings.map((f) => `${f.kind} ${f.waits[0].resource?.name}`);
    assert.deepEqual(summary.sort(), [
      'deadlock-cycle main.store.mu',
      'deadlock-cycle main.store.rw',
      'orphaned-wait main.main.func1#nilChan',
      'orphaned-wait main.main.func3#cond',
      // waitForValue's parameter ch holds s.ready: the class is named by the field.
      'orphaned-wait main.store.ready',
    ]);
    assert.ok(report.findings.every((f) => f.confidence === 'certain'));
    // main's wg.Wait waits behind a goroutine whose deferred wg.Done never runs.
    assert.ok(report.findings.some((f) => f.waits.some((w) => w.function === 'main.main' && w.operation === 'waitgroup-wait')));
  });
}
