// Fixture-driven checks: Go programs under testdata/source/ carry `// want: <what> <name…>` on the
// lines where the index must find something. An unmatched mark and an unmarked finding both fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildIndex, locateSource } from './index.js';
import type { SourceIndex } from './types.js';

const FIXTURES = resolve('testdata/source');

interface Mark { file: string; line: number; what: string; names: string[] }

function readMarks(files: string[]): Mark[] {
  const marks: Mark[] = [];
  for (const file of files) {
    readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
      const at = text.indexOf('// want: ');
      if (at < 0) return;
      const [what, ...names] = text.slice(at + '// want: '.length).trim().split(/\s+/);
      marks.push({ file, line: i + 1, what, names });
    });
  }
  return marks;
}

/** Everything the index found on marked files, as `file:line what names` strings. */
function found(index: SourceIndex, files: Set<string>): string[] {
  const out: string[] = [];
  for (const fn of new Set(index.functions.values())) {
    if (!files.has(fn.file)) continue;
    const key = (line: number, what: string, names: string[]) => `${fn.file}:${line} ${[what, ...names].join(' ')}`;
    for (const op of fn.operations) {
      out.push(key(op.line, op.kind, op.kind === 'select' ? [] : [op.resource.name]));
      for (const c of op.cases ?? []) out.push(key(c.line, c.kind, [c.resource.name]));
    }
    for (const leak of fn.leakyReturns) out.push(key(leak.returnLine, 'leaky-return', [leak.resource.name]));
  }
  return out.sort();
}

async function indexFixture(dir: string): Promise<{ index: SourceIndex; files: string[] }> {
  const root = join(FIXTURES, dir);
  const { files } = await locateSource([], { roots: [root], cwd: root, env: {} });
  return { index: await buildIndex(files, { cacheDir: null }), files };
}

test('operations fixture: every want mark is found and every finding is wanted', async () => {
  const { index, files } = await indexFixture('ops');
  assert.ok(files.length >= 4, `expected the fixture's Go files, got ${files.length}`);
  const marks = readMarks(files);
  const expected = marks
    .filter((m) => m.what !== 'go' && m.what !== 'call')
    .map((m) => `${m.file}:${m.line} ${[m.what, ...m.names].join(' ')}`)
    .sort();
  assert.deepEqual(found(index, new Set(files)), expected);
});

test('operations fixture: go statement targets and call callees', async () => {
  const { index, files } = await indexFixture('ops');
  const marks = readMarks(files).filter((m) => m.what === 'go' || m.what === 'call');
  assert.ok(marks.length >= 6);
  const fns = [...new Set(index.functions.values())];
  for (const m of marks) {
    const fn = fns.find((f) => f.file === m.file && f.startLine <= m.line && m.line <= f.endLine
      && (m.what === 'go' ? f.goStatements : f.calls).some((s) => s.line === m.line));
    assert.ok(fn, `${m.file}:${m.line}: no ${m.what} statement found`);
    const site = m.what === 'go'
      ? fn.goStatements.find((g) => g.line === m.line)!.targets
      : fn.calls.find((c) => c.line === m.line)!.callees;
    assert.deepEqual([...site].sort(), [...m.names].sort(), `${m.file}:${m.line}`);
  }
});

test('held regions: defer-unlock to the end, unlock-then-return ends the region', async () => {
  const { index } = await indexFixture('ops');
  const sync = index.functions.get('main.(*reactor).Sync');
  assert.ok(sync);
  assert.deepEqual(sync.heldRegions.map((h) => [h.resource.name, h.mode, h.lockLine, h.endLine, h.deferredUnlock]),
    [['main.reactor.mtx', 'write', 34, 42, false]]);
  const read = index.functions.get('main.(*reactor).read')!;
  assert.deepEqual(read.heldRegions.map((h) => [h.mode, h.endLine, h.deferredUnlock]), [['read', read.endLine, true]]);
  assert.equal(read.leakyReturns.length, 0);
  const helper = index.functions.get('main.lockedHelper')!;
  assert.deepEqual(helper.heldRegions.map((h) => h.endLine), [helper.endLine]);
});

test('resources: declared sites, external wake-ups, nil', async () => {
  const { index } = await indexFixture('ops');
  const sends = index.sitesByResource.get('main.server.newPeers') ?? [];
  assert.ok(sends.length >= 2);
  assert.match(sends[0].resource.declared?.file ?? '', /chans\.go$/);
  assert.equal(sends[0].resource.declared?.line, 15);
  const external = (name: string) => index.sitesByResource.get(name)?.[0]?.resource.external;
  assert.equal(external('time.After'), 'timer');
  assert.equal(external('main.locals#ticker.C'), 'timer');
  assert.equal(external('main.locals#sigs'), 'signal');
  assert.equal(external('main.contexts#tctx'), 'deadline');
  assert.equal(external('main.contexts#ctx'), null);
  assert.equal(index.sitesByResource.get('main.contexts#ctx')?.[0]?.resource.kind, 'context');
  const peerHandler = index.functions.get('main.(*server).peerHandler')!;
  const select = peerHandler.operations.find((o) => o.kind === 'select')!;
  assert.equal(select.hasDefault, false);
  assert.equal(select.cases?.length, 4);
  assert.equal(select.statement, 'select {', 'the statement is the code, without its trailing comment');
  const poll = index.functions.get('main.(*server).poll')!;
  assert.equal(poll.operations.find((o) => o.kind === 'select')?.hasDefault, true);
});
