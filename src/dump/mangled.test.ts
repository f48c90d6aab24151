// Synthetic damage the fixtures do not show, one row each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readDumpText } from './index.js';

const base = [
  'goroutine 1 [chan receive]:',
  'main.main()',
  '\t/src/app/main.go:9 +0x1d',
  '',
  'goroutine 6 [select, 3 minutes]:',
  'main.loop(0xc000012000)',
  '\t/src/app/loop.go:20 +0x5a',
  'created by main.main in goroutine 1',
  '\t/src/app/main.go:8 +0x25',
];

const rows: Array<{ name: string; text: string; ids: number[][]; warnings?: number }> = [
  { name: 'quoted twice', text: base.map((l) => '>> ' + l).join('\n'), ids: [[1, 6]] },
  { name: 'quoted with bare > on blank lines', text: base.map((l) => (l === '' ? '>' : '> ' + l)).join('\n'), ids: [[1, 6]] },
  { name: 'docker compose prefix', text: base.map((l) => 'pod-xyz app | ' + l).join('\n'), ids: [[1, 6]] },
  { name: 'CRLF', text: base.join('\r\n'), ids: [[1, 6]] },
  { name: 'fenced with prose around', text: ['Look:', '```', ...base, '```', 'Thanks!'].join('\n'), ids: [[1, 6]] },
  { name: 'two dumps of the same program', text: [...base, '', 'later:', '', ...base].join('\n'), ids: [[1, 6], [1, 6]] },
  { name: 'garbage line inside a stack', text: [...base.slice(0, 7), '\t???garbage', ...base.slice(7)].join('\n'), ids: [[1, 6]], warnings: 1 },
];

for (const row of rows) {
  test(`mangled: ${row.name}`, () => {
    const result = readDumpText(row.text);
    assert.deepEqual(result.snapshots.map((s) => s.goroutines.map((g) => g.id)), row.ids);
    const loop = result.snapshots[0].goroutines[1];
    assert.equal(loop.frames[0].function, 'main.loop');
    assert.equal(loop.frames[0].line, 20);
    assert.equal(loop.waitMinutes, 3);
    assert.equal(loop.createdBy?.goroutine, 1);
    const warnings = result.snapshots.flatMap((s) => s.warnings).length + result.warnings.length;
    assert.equal(warnings, row.warnings ?? 0, JSON.stringify(result.snapshots.map((s) => s.warnings)));
  });
}

test('mangled: a dump cut inside a call line marks the goroutine truncated and warns', () => {
  const text = base.slice(0, 6).join('\n') + '\n\t/src/app/lo';
  const [snapshot] = readDumpText(text).snapshots;
  const loop = snapshot.goroutines[1];
  assert.equal(loop.truncated, true);
  assert.ok(snapshot.warnings.some((w) => w.line === 5 && /cut off/.test(w.message)));
  assert.equal(snapshot.goroutines[0].truncated, false);
});

test('mangled: HTML entities in a pasted dump', () => {
  const text = ['goroutine 3 [chan send labels:{&quot;k&quot;: &quot;a&amp;b&quot;}]:', 'main.f()', '\t/src/app/f.go:1 +0x1'].join('\n');
  const g = readDumpText(text).snapshots[0].goroutines[0];
  assert.equal(g.state, 'chan send');
  assert.deepEqual(g.labels, { k: 'a&b' });
});

test('mangled: input that is not a dump yields no snapshot and no warning', () => {
  const result = readDumpText('hello\n\nthis (is) prose: with colons 12:30\n');
  assert.deepEqual(result, { snapshots: [], warnings: [] });
});
