// Every fixture under testdata/dumps/ is read and compared with its expected.json; plain
// tracebacks are also checked against an independent count of their `goroutine N [` headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { fixtureDumps, fixturesRoot, summarizeFixture } from '../../testdata/dumps/summary.js';
import { readDumpBytes, readDumpStream, readDumpText } from './index.js';

const expectedByFolder = new Map<string, Record<string, unknown>>();
function expected(name: string): unknown {
  const [folder, file] = name.split('/');
  if (!expectedByFolder.has(folder)) {
    expectedByFolder.set(folder, JSON.parse(readFileSync(join(fixturesRoot, folder, 'expected.json'), 'utf8')));
  }
  return expectedByFolder.get(folder)![file];
}

for (const name of fixtureDumps()) {
  test(`golden: ${name}`, () => {
    const want = expected(name);
    assert.notEqual(want, undefined, `${name} has no entry in expected.json`);
    assert.deepEqual(summarizeFixture(name), want);
  });
}

test('golden: unmangled text dumps hold exactly the goroutines their headers announce', () => {
  for (const name of fixtureDumps()) {
    if (!name.endsWith('.txt') || name.startsWith('mangled/') || name.startsWith('seeds/') || name.startsWith('panicparse/') || name.includes('debug1')) continue;
    const text = readFileSync(join(fixturesRoot, name), 'utf8');
    const announced = [...text.matchAll(/^goroutine (\d+)(?: gp=\S+ m=\S+(?: mp=\S+)?)? \[/gm)].map((m) => Number(m[1]));
    const read = readDumpText(text).snapshots.flatMap((s) => s.goroutines.map((g) => g.id));
    assert.deepEqual(read, announced, name);
  }
});

test('golden: debug=0, debug=1 and debug=2 of one program agree', () => {
  for (const version of ['go1.19', 'go1.26']) {
    const bytes = (form: string) => readFileSync(join(fixturesRoot, 'pprof', `${version}.${form}`));
    const proto = readDumpBytes(bytes('debug0.pb.gz')).snapshots[0];
    const debug1 = readDumpBytes(bytes('debug1.txt')).snapshots[0];
    const debug2 = readDumpBytes(bytes('debug2.txt')).snapshots[0];
    assert.equal(proto.format, 'pprof');
    assert.equal(proto.declaredTotal, debug1.declaredTotal);
    assert.equal(debug2.goroutines.length, debug1.declaredTotal);
    // debug=1 hides the runtime's own frames above the first frame outside it.
    const key = (g: { frames: Array<{ function: string; line: number }> }) =>
      g.frames.filter((f) => !f.function.startsWith('runtime.')).map((f) => `${f.function}:${f.line}`).join(' ');
    const records = (s: typeof proto) => s.goroutines.map((g) => `${g.count} ${JSON.stringify(g.labels)} ${key(g)}`).sort();
    assert.deepEqual(records(proto), records(debug1), version);
  }
});

test('golden: readDumpStream reads a file in any chunking like readDumpText', async () => {
  for (const name of ['sigquit/go1.26-system.txt', 'mangled/crlf.txt', 'seeds/tendermint-7029-flattened.txt', 'pprof/go1.26.debug0.pb.gz']) {
    const bytes = readFileSync(join(fixturesRoot, name));
    async function* chunks(size: number) {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    }
    const whole = readDumpBytes(bytes);
    for (const size of [1, 7, 4096]) {
      assert.deepEqual(await readDumpStream(chunks(size), { keepArgs: true }), whole, `${name} in chunks of ${size}`);
    }
  }
});

test('golden: a freshly run Go program reads like its committed dump', (t) => {
  const probe = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    t.skip('go is not on PATH: cannot run the fixture program');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'gridlock-dump-'));
  try {
    const run = spawnSync('go', ['run', join(fixturesRoot, 'deadlock', 'main.go')], { encoding: 'utf8', cwd: dir });
    const fresh = readDumpText(run.stderr).snapshots;
    const committed = readDumpText(readFileSync(join(fixturesRoot, 'deadlock', 'go1.26.txt'), 'utf8')).snapshots;
    assert.equal(fresh.length, 1);
    // Ids depend on scheduling; states and stacks do not.
    const shape = (s: typeof fresh) => s[0].goroutines.map((g) => [g.state, g.frames.map((f) => `${f.function}:${f.line}`)]);
    assert.deepEqual(shape(fresh), shape(committed));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
