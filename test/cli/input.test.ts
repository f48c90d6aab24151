// How a dump reaches `gridlock`, run as a user runs it: what the reader takes from the newest
// tracebacks, and the ways the dump arrives.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dumps = join(root, 'testdata/dumps');

function gridlock(args: string[], input?: string | Buffer) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'gridlock-cache-')) },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface JsonGroup { state: string; labels: Record<string, string>; goroutineIds: number[] }

test('Go 1.27 and Go 1.26 labels reach the JSON report, every goroutine read', () => {
  for (const file of ['go1.27-all.txt', 'go1.27-system.txt', 'go1.26-all.txt']) {
    const r = gridlock([join(dumps, 'labels', file), '--json', '--source', join(dumps, 'labels')]);
    assert.equal(r.code, 0, `${file}: ${r.stderr}`);
    const report = JSON.parse(r.stdout) as { snapshot: { goroutines: number }; groups: JsonGroup[] };
    const labelled = report.groups.filter((g) => Object.keys(g.labels).length > 0).map((g) => g.labels);
    assert.deepEqual(labelled.sort((a, b) => a.job.localeCompare(b.job)), [
      { job: 'compact' }, { job: 'flush' }, { job: 'ingest', tenant: 'a b"c' },
    ], file);
    assert.equal(report.snapshot.goroutines, file === 'go1.27-system.txt' ? 10 : 5, file);
  }
});
