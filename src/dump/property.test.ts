// Damage to a valid dump never makes the reader throw, and goroutines whose lines were not
// touched are still read with the same frames.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { readDumpText } from './index.js';
import type { Goroutine } from './types.js';

const source = readFileSync(fileURLToPath(new URL('../../testdata/dumps/sigquit/go1.26-all.txt', import.meta.url)), 'utf8');
const lines = source.split('\n');

/** The line ranges [header, blank) of each goroutine block in the clean dump. */
const blocks: Array<{ id: number; start: number; end: number }> = [];
lines.forEach((line, i) => {
  const match = /^goroutine (\d+) /.exec(line);
  if (match === null) return;
  let end = i + 1;
  while (end < lines.length && lines[end] !== '') end++;
  blocks.push({ id: Number(match[1]), start: i, end });
});

const frameText = (g: Goroutine) => g.frames.map((f) => `${f.function} ${f.file}:${f.line}`);
const cleanFrames = new Map(readDumpText(source).snapshots[0].goroutines.map((g) => [g.id, frameText(g)]));

type Mutation =
  | { kind: 'cut'; at: number }
  | { kind: 'duplicate'; line: number }
  | { kind: 'garbage'; line: number; text: string }
  | { kind: 'whitespace'; line: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(source.length) }),
  fc.record({ kind: fc.constant('duplicate' as const), line: fc.nat(lines.length - 1) }),
  fc.record({ kind: fc.constant('garbage' as const), line: fc.nat(lines.length), text: fc.string({ maxLength: 40 }) }),
  fc.record({ kind: fc.constant('whitespace' as const), line: fc.nat(lines.length - 1), text: fc.constantFrom(' ', '  ', '\t', '\r') }),
);

/** Applies mutations; returns the text and the set of original line indexes they touched. */
function damage(mutations: Mutation[]): { text: string; touched: Set<number>; cutLine: number } {
  const out = lines.map((line, index) => ({ line, index }));
  const touched = new Set<number>();
  let cutLine = Infinity;
  for (const m of mutations) {
    if (m.kind === 'duplicate') {
      const at = out.findIndex((l) => l.index === m.line);
      if (at >= 0) out.splice(at, 0, { ...out[at] });
      touched.add(m.line);
    } else if (m.kind === 'garbage') {
      const at = Math.min(m.line, out.length);
      out.splice(at, 0, { line: m.text.replace(/\n/g, ' '), index: -1 });
      // Garbage between two lines touches both neighbours' goroutines.
      if (at > 0) touched.add(out[at - 1].index);
      if (at + 1 < out.length) touched.add(out[at + 1].index);
    } else if (m.kind === 'whitespace') {
      const entry = out.find((l) => l.index === m.line);
      if (entry !== undefined) {
        entry.line = m.text === '\r' ? entry.line + '\r' : entry.line.replace(/^\t/, m.text) + m.text;
        // A CR or trailing blank is transparent; leading blanks are only tolerated, not promised.
        if (m.text !== '\r' && entry.line.trim() !== '') touched.add(m.line);
      }
    } else {
      const upTo = source.slice(0, m.at).split('\n').length - 1;
      cutLine = Math.min(cutLine, upTo);
    }
  }
  const kept = out.filter((l) => l.index < cutLine);
  const text = kept.map((l) => l.line).join('\n');
  return { text, touched, cutLine };
}

test('property: damaged dumps never throw and keep untouched goroutines intact', () => {
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
      const { text, touched, cutLine } = damage(mutations);
      const result = readDumpText(text);
      const read = new Map<number, string[][]>();
      for (const s of result.snapshots) {
        for (const g of s.goroutines) {
          if (g.id === null) continue;
          if (!read.has(g.id)) read.set(g.id, []);
          read.get(g.id)!.push(frameText(g));
        }
      }
      for (const block of blocks) {
        // A goroutine is intact when its lines and the blank line closing it were not touched.
        let intact = block.end < cutLine;
        for (let i = block.start - 1; i <= block.end && intact; i++) if (touched.has(i)) intact = false;
        if (!intact) continue;
        const candidates = read.get(block.id) ?? [];
        assert.ok(
          candidates.some((frames) => JSON.stringify(frames) === JSON.stringify(cleanFrames.get(block.id))),
          `goroutine ${block.id} changed after ${JSON.stringify(mutations)}`,
        );
      }
    }),
    { numRuns: 300 },
  );
});

test('property: any text at all is read without throwing', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom(...lines.slice(0, 40))), { maxLength: 30 }), (parts) => {
      const result = readDumpText(parts.join('\n'));
      assert.ok(Array.isArray(result.snapshots));
    }),
    { numRuns: 300 },
  );
});

test('property: CRLF everywhere changes nothing', () => {
  const clean = readDumpText(source);
  const crlf = readDumpText(source.replace(/\n/g, '\r\n'));
  assert.deepEqual(crlf, clean);
});

test('a file converted to CRLF twice (every line ending in \\r\\r\\n) changes nothing', () => {
  // Found by the damage property above (two CR mutations on one frame line): the second CR hid
  // the frame.
  assert.deepEqual(readDumpText(source.replace(/\n/g, '\r\r\n')), readDumpText(source));
});

// Lines of every form the reader knows, shuffled with noise: headers of Go 1.26/1.27 with labels,
// panicparse buckets, Docker records, annotations, cut marks, bare names, journald lines.
const formLines = [
  'goroutine 19 [chan receive] {job: ingest, tenant: "a b\\"c"}:', 'goroutine 18 [select labels:{"k": "v]"}]:',
  'goroutine 7 [chan receive (leaked), 3 minutes, synctest bubble 2]:', 'goroutine 9 gp=0xc0 m=nil [sleep] {a: "\\x01\\u00e9"}:',
  'goroutine 4 [select, 85 minutes]: 1 times: [[4]', 'goroutineleak profile: total 3', '3 @ 0x47d96e 0x41491c',
  '#\t0x4dbff9\tmain.forgotten+0x79\t/src/app/main.go:21', '12: chan receive [1~83 minutes] [locked] [Created by a.(*B).C in goroutine 1 @ b.go:3]',
  '    discovery manager.go:276   (*Manager).ApplyConfig(#23, #167)', '    (...)', '{"log":"goroutine 1 [running]:\\n","stream":"stderr"}',
  '{"log":"main.main()\\n"}', '{"log":"\\t/src/app/main.go:5 +0x1d\\n"}', '{"log":"cut in', '*** CALLER TRIES TO LOCK AGAIN: ***', '...', '…',
  'main.(*Pool).worker', 'main.run({0x1, 0x2})', '\t/src/app/main.go:44 +0x1b2', 'created by main.main in goroutine 1',
  'Apr 26 18:18:57 host app[1]: goroutine 5 [sync.Mutex.Lock]:', 'Apr 26 18:18:57 host app[1]: \t/src/app/x.go:9 +0x1',
  'WARNING: DATA RACE', '', 'exit status 2',
];

test('property: the newer forms, shuffled with noise, never throw and keep their counts sane', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constantFrom(...formLines), fc.string({ maxLength: 20 })), { maxLength: 40 }), (parts) => {
      const result = readDumpText(parts.join('\n'));
      for (const snapshot of result.snapshots) for (const g of snapshot.goroutines) assert.ok(Number.isFinite(g.count) && g.count >= 0);
    }),
    { numRuns: 500 },
  );
});
