// With only partial evidence (no source, a dump that prints wait times), a goroutine waiting far
// longer than its peers is still pointed out, as a long-wait of `possible` confidence.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeDump } from '../../src/analyze.js';
import { readDumpText } from '../../src/dump/index.js';

const file = fileURLToPath(new URL('../../testdata/dumps/handwritten/go1.16-minutes.txt', import.meta.url));

test('a 42-minute wait among 3- and 5-minute ones is a long-wait; the others are not', async () => {
  const { report } = await analyzeDump(readDumpText(readFileSync(file, 'utf8')), { sourceRoots: [], cwd: '/', env: {}, cacheDir: null });
  assert.deepEqual(
    report.findings.map((f) => [f.kind, f.confidence, f.waits.map((w) => w.function)]),
    [['long-wait', 'possible', ['main.main']]],
  );
  const waited = report.groups.find((g) => g.id === report.findings[0].waits[0].group);
  assert.deepEqual(waited?.waitMinutes, { min: 42, max: 42 });
});
