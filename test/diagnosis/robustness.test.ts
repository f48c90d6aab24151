// The whole pipeline never throws on damaged input: a cut, garbled or duplicated dump analysed
// against its real source still gives a report (partial results plus warnings), and what is left
// of a deadlock's parties is still resolved.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { analyzeDump } from '../../src/analyze.js';
import { readDumpText } from '../../src/dump/index.js';

const program = fileURLToPath(new URL('../../testdata/programs/02-tendermint-leaked-lock/', import.meta.url));
const dumpLines = readFileSync(join(program, 'dump-go1.26.txt'), 'utf8').split('\n');
const options = { sourceRoots: [program], cwd: program, env: {}, cacheDir: null };

test('damaged dumps of the leaked-lock program: never a throw; an intact lock waiter is still resolved', async () => {
  const waiterHeader = dumpLines.findIndex((line) => /^goroutine \d+ \[(semacquire|sync\.(RW)?Mutex\.Lock)/.test(line));
  assert.ok(waiterHeader >= 0, 'the fixture has the lock waiter');
  let waiterEnd = waiterHeader;
  while (waiterEnd < dumpLines.length && dumpLines[waiterEnd] !== '') waiterEnd++;

  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.oneof(
          fc.record({ kind: fc.constant('drop' as const), line: fc.nat(dumpLines.length - 1) }),
          fc.record({ kind: fc.constant('garbage' as const), line: fc.nat(dumpLines.length - 1), text: fc.string({ maxLength: 60 }) }),
          fc.record({ kind: fc.constant('cut' as const), line: fc.nat(dumpLines.length - 1) }),
        ),
        { maxLength: 6 },
      ),
      async (mutations) => {
        const lines = dumpLines.map((text, index) => ({ text, index }));
        let touchedWaiter = false;
        for (const m of mutations) {
          const at = lines.findIndex((l) => l.index === m.line);
          if (at < 0) continue;
          if (m.line >= waiterHeader - 1 && m.line <= waiterEnd) touchedWaiter = true;
          if (m.kind === 'drop') lines.splice(at, 1);
          else if (m.kind === 'garbage') lines.splice(at, 0, { text: m.text.replace(/\n/g, ' '), index: -1 });
          else {
            if (m.line <= waiterEnd) touchedWaiter = true;
            lines.splice(at);
          }
        }
        const input = readDumpText(lines.map((l) => l.text).join('\n'));
        if (input.snapshots.length === 0) return; // nothing left to analyse: the CLI says so
        const { report } = await analyzeDump(input, options);
        assert.equal(report.gridlock, 1);
        if (!touchedWaiter) {
          const waiter = report.groups.find((g) => g.blocking?.resource?.name === 'main.Reactor.mtx');
          assert.ok(waiter, 'the untouched lock waiter is still resolved to main.Reactor.mtx');
        }
      },
    ),
    { numRuns: 60 },
  );
});

test('every format fixture of the reader goes through the whole pipeline without a throw', async () => {
  const root = fileURLToPath(new URL('../../testdata/dumps/', import.meta.url));
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.txt')) files.push(path);
    }
  };
  walk(root);
  assert.ok(files.length > 10, `format fixtures found: ${files.length}`);
  for (const file of files) {
    const input = readDumpText(readFileSync(file, 'utf8'));
    if (input.snapshots.length === 0) continue;
    const { report } = await analyzeDump(input, { sourceRoots: [], cwd: root, env: {}, cacheDir: null });
    assert.ok(report.groups.length > 0, file);
  }
});
