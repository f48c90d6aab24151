// Source from another version than the program that wrote the dump is said, not silently used.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeDump } from '../../src/analyze.js';
import { readDumpText } from '../../src/dump/index.js';

const program = fileURLToPath(new URL('../../testdata/programs/01-btcd-cycle/', import.meta.url));
const input = readDumpText(readFileSync(join(program, 'dump-go1.26.txt'), 'utf8'));
const analyse = (root: string) => analyzeDump(input, { sourceRoots: [root], cwd: root, env: {}, cacheDir: null });

test('the matching source gives no version warning', async () => {
  const { report } = await analyse(program);
  assert.deepEqual(report.snapshot.warnings.filter((w) => /another version/.test(w.message)), []);
  assert.equal(report.findings[0].kind, 'deadlock-cycle');
});

test('a checkout whose server.go moved by 40 lines is named in a warning', async (t) => {
  const moved = mkdtempSync(join(tmpdir(), 'gridlock-moved-'));
  t.after(() => rmSync(moved, { recursive: true, force: true }));
  cpSync(program, moved, { recursive: true });
  const server = join(moved, 'server.go');
  const text = readFileSync(server, 'utf8');
  // Forty comment lines before the first declaration push every line of the file down.
  writeFileSync(server, text.replace(/\ntype /, `\n${'// moved\n'.repeat(40)}type `));
  const { report } = await analyse(moved);
  const warnings = report.snapshot.warnings.map((w) => w.message);
  assert.ok(warnings.some((m) => /server\.go: \d+ frame\(s\) do not match the source/.test(m)), warnings.join('\n'));
  assert.ok(!warnings.some((m) => /syncmanager\.go: .*do not match/.test(m)), 'untouched files are not blamed');
});
