// Function naming checked against real dumps: the program in testdata/source/closures parks
// goroutines inside closures, nested closures, generic functions, methods and package-level
// initialisers, and prints a debug=2 dump (Go 1.26 and Go 1.19, committed beside it). Every frame
// in the program's own file must resolve to an indexed function of exactly the printed name, and
// every `created by` location must hold a go statement whose targets include the goroutine's
// bottom frame.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { buildIndex, functionAt, locateSource } from './index.js';

const DIR = resolve('testdata/source/closures');
const PREFIX = '/src/gridlock/testdata/source/closures/';

interface Frame { fn: string; file: string; line: number }
interface Goroutine { frames: Frame[]; createdBy: Frame | null }

/** Just enough of the debug=2 format for this test: function lines, each followed by its location. */
function readDump(text: string): Goroutine[] {
  const out: Goroutine[] = [];
  const lines = text.split('\n');
  let current: Goroutine | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('goroutine ')) {
      current = { frames: [], createdBy: null };
      out.push(current);
      continue;
    }
    const location = /^\t(\S+):(\d+)/.exec(lines[i + 1] ?? '');
    if (!current || line.startsWith('\t') || !location) continue;
    const created = /^created by (\S+)/.exec(line);
    const frame = { fn: created ? created[1] : line.replace(/\([^()]*\)$/, ''), file: location[1], line: Number(location[2]) };
    if (created) current.createdBy = frame;
    else current.frames.push(frame);
    i++;
  }
  return out;
}

/** Checks every frame of a dump (file paths under `prefix`) against the index of DIR. */
async function checkDump(text: string, prefix: string): Promise<void> {
  const goroutines = readDump(text);
  const ours = (f: Frame) => f.file.startsWith(prefix);
  const dumpFiles = goroutines.flatMap((g) => g.frames).filter(ours).map((f) => f.file);
  const { mapping, files } = await locateSource(dumpFiles, { roots: [DIR], cwd: DIR, env: {} });
  assert.deepEqual(mapping.unmapped, []);
  const index = await buildIndex(files, { cacheDir: null });
  let checkedFrames = 0;
  let checkedCreators = 0;
  for (const g of goroutines) {
    for (const frame of g.frames.filter(ours)) {
      const fn = functionAt(index, mapping.mapped.get(frame.file)!, frame.line);
      assert.ok(fn, `no function at ${frame.file}:${frame.line}`);
      assert.ok([fn.name, ...(fn.aliases ?? [])].includes(frame.fn), `${frame.file}:${frame.line}: dump says ${frame.fn}, index says ${fn.name}`);
      checkedFrames++;
    }
    const bottom = g.frames[g.frames.length - 1];
    if (g.createdBy && ours(g.createdBy) && bottom && ours(bottom)) {
      // A one-line literal shares its line with the go statement: look the creator up by name.
      const creator = index.functions.get(g.createdBy.fn);
      assert.ok(creator && creator.startLine <= g.createdBy.line && g.createdBy.line <= creator.endLine, `creator ${g.createdBy.fn}`);
      const go = creator.goStatements.find((s) => s.line === g.createdBy!.line);
      assert.ok(go, `no go statement at ${g.createdBy.file}:${g.createdBy.line}`);
      assert.ok(go.targets.some((t) => t === bottom.fn || index.functions.get(t)?.aliases?.includes(bottom.fn)),
        `go statement at line ${go.line} targets ${go.targets.join(', ')}, the goroutine starts in ${bottom.fn}`);
      checkedCreators++;
    }
  }
  // The program parks 13 goroutines of its own; all must have been checked.
  assert.ok(checkedFrames >= 16, `only ${checkedFrames} frames checked`);
  assert.ok(checkedCreators >= 13, `only ${checkedCreators} creators checked`);
}

for (const version of ['1.26', '1.19']) {
  test(`closure, wrapper and method names match the committed Go ${version} dump`, async () => {
    await checkDump(readFileSync(join(DIR, `dump-go${version}.txt`), 'utf8'), PREFIX);
  });
}

test('closure, wrapper and method names match a dump from the Go on PATH', { timeout: 120_000 }, async (t) => {
  const probe = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    t.skip('go is not on PATH');
    return;
  }
  const run = spawnSync('go', ['run', '.'], { cwd: DIR, encoding: 'utf8', timeout: 110_000 });
  assert.equal(run.status, 0, run.stderr);
  await checkDump(run.stdout, `${DIR}/`);
});
