// Without --source, the dump's paths are looked up in the module cache ($GOMODCACHE), as a Go
// developer's machine has it: a dependency's code is found and its leaked lock named.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeDump } from '../../src/analyze.js';
import { readDumpText } from '../../src/dump/index.js';

const program = fileURLToPath(new URL('../../testdata/programs/14-internal-store/', import.meta.url));

test('a dump whose files live in the module cache is diagnosed with no --source', async (t) => {
  const cache = mkdtempSync(join(tmpdir(), 'gridlock-gomodcache-'));
  t.after(() => rmSync(cache, { recursive: true, force: true }));
  cpSync(program, join(cache, 'example.com', 'x@v1.4.2'), { recursive: true });
  // The dump as the machine that hung printed it: the module from its module cache.
  const dump = readFileSync(join(program, 'dump-go1.26.txt'), 'utf8').replaceAll('/src/gridlock/testdata/programs/14-internal-store/', '/home/ci/go/pkg/mod/example.com/x@v1.4.2/');
  const elsewhere = mkdtempSync(join(tmpdir(), 'gridlock-cwd-'));
  t.after(() => rmSync(elsewhere, { recursive: true, force: true }));

  const { report } = await analyzeDump(readDumpText(dump), { sourceRoots: [], cwd: elsewhere, env: { GOMODCACHE: cache }, cacheDir: null });
  const [leak] = report.findings;
  assert.equal(leak?.kind, 'leaked-lock', JSON.stringify(report.snapshot.warnings));
  assert.equal(leak.waits[0].resource?.name, 'example.com/x/internal/store.Store.mu');
  assert.ok(leak.fixes.some((f) => f.file.endsWith('x@v1.4.2/internal/store/store.go') && f.line === 26));

  const { report: withoutCache } = await analyzeDump(readDumpText(dump), { sourceRoots: [], cwd: elsewhere, env: {}, cacheDir: null });
  assert.deepEqual(withoutCache.findings, []);
  assert.match(withoutCache.snapshot.warnings.map((w) => w.message).join('\n'), /no Go source given/);
});
