// The analysis reads the source index and never changes it: the command stores a newly linked
// index in the cache only after its answer is out (IndexOptions.storeLater), which is sound only
// if the index it stores is still the one the linker made. Checked on every program's every dump.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { groupGoroutines, readDumpBytes } from '../../src/dump/index.js';
import { buildIndex, locateSource } from '../../src/source/index.js';
import { diagnose } from '../../src/analysis/index.js';

const programsDir = fileURLToPath(new URL('../../testdata/programs/', import.meta.url));

test('diagnosing a dump leaves the index as the linker made it, for every program', { timeout: 300_000 }, async () => {
  let dumps = 0;
  for (const name of readdirSync(programsDir)) {
    const dir = join(programsDir, name);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir).filter((f) => /^dump.*\.txt$/.test(f))) {
      const input = readDumpBytes(readFileSync(join(dir, file)));
      const snapshot = input.snapshots[input.snapshots.length - 1];
      if (!snapshot) continue;
      const dumpFiles = new Set<string>();
      for (const g of snapshot.goroutines) for (const f of g.frames) dumpFiles.add(f.file);
      const located = await locateSource([...dumpFiles], { roots: [dir], cwd: dir, env: {} });
      const index = await buildIndex(located.files, { cacheDir: null });
      const asLinked = structuredClone(index);
      diagnose(snapshot, groupGoroutines(snapshot.goroutines, 'stack'), index, located.mapping);
      assert.deepEqual(index, asLinked, `${name}/${file}`);
      dumps++;
    }
  }
  assert.ok(dumps >= 100, `${dumps} dumps`);
});
