// The HTML report without repetition: each source excerpt once (parties and fixes link to it), a
// legend for the bands, each note once and wrapped, the held band under the party holding the
// lock, a party listed again by a later finding named not repeated, no loop for a crowd that
// waits on itself.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Report, ReportGroup, ReportWait, SourceExcerpt } from '../../src/analysis/types.js';
import { buildWaitGraph, renderHtml } from '../../src/report/index.js';

const load = <T>(name: string) => JSON.parse(readFileSync(new URL(`./golden/${name}`, import.meta.url), 'utf8')) as T;
const btcd = load<Report>('btcd-cycle.report.json');
const btcdExcerpts = load<SourceExcerpt[]>('btcd-cycle.excerpts.json');
const tendermint = load<Report>('tendermint-leaked-lock.report.json');
const tendermintExcerpts = load<SourceExcerpt[]>('tendermint-leaked-lock.excerpts.json');

/** The HTML of each element with the attribute, up to the next one of the same tag (flat sections). */
function sections(html: string, testId: string): string[] {
  const parts = html.split(`data-testid="${testId}"`).slice(1);
  return parts.map((part) => part.slice(0, part.indexOf('</section>')));
}

/** Code-line ids per rendered <pre>: each excerpt's lines must be in exactly one. */
function renderedExcerpts(html: string): string[] {
  return [...html.matchAll(/<pre class="code"><code>(.*?)<\/code><\/pre>/gs)].map((m) => /id="(src-\d+)-L/.exec(m[1])?.[1] ?? 'no-ids');
}

for (const [name, report, excerpts] of [['btcd-cycle', btcd, btcdExcerpts], ['tendermint-leaked-lock', tendermint, tendermintExcerpts]] as const) {
  test(`${name}: each excerpt is rendered once; every other place links to a line that exists`, async () => {
    const html = await renderHtml(report, excerpts);
    const rendered = renderedExcerpts(html);
    assert.ok(!rendered.includes('no-ids'), 'every rendered excerpt carries its line ids');
    assert.equal(new Set(rendered).size, rendered.length, `an excerpt rendered twice: ${rendered.join(', ')}`);
    assert.equal(rendered.length, excerpts.length, 'and each excerpt somewhere');
    const ids = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    for (const m of html.matchAll(/class="muted source-ref">Source: <a class="loc" href="#([^"]+)"/g)) assert.ok(ids.has(m[1]), `#${m[1]} exists`);
    // Every party section shows its blocked line or links to it.
    for (const party of sections(html, 'party')) assert.ok(/class="ln [^"]*focus/.test(party) || /source-ref/.test(party) || /No source excerpt/.test(party), party.slice(0, 200));
  });
}

test('a party listed again by a later finding is named and linked, not described twice', async () => {
  // The pile-up lists the cycle's blockHandler again, as the chain down to the cycle.
  const report = structuredClone(btcd);
  report.findings[1].waits.push(structuredClone(report.findings[0].waits[0]));
  const html = await renderHtml(report, btcdExcerpts);
  const described = [...html.matchAll(/data-testid="party" data-group="([^"]*)"/g)].map((m) => m[1]).filter((g) => g !== '');
  assert.equal(new Set(described).size, described.length, `described twice: ${described.join(', ')}`);
  const all = new Set(report.findings.flatMap((f) => f.waits.map((w) => w.group)).filter((g): g is string => g !== null));
  const referred = [...html.matchAll(/data-testid="party-ref" data-group="([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(new Set([...described, ...referred]), all);
  assert.ok(referred.length > 0, 'the pile-ups refer to the cycle\'s parties');
});

test('the legend names the bands the excerpts use, once', async () => {
  const html = await renderHtml(tendermint, tendermintExcerpts);
  assert.equal((html.match(/data-testid="legend"/g) ?? []).length, 1);
  const shown = new Set([...html.matchAll(/class="swatch mark-(\w+)" data-mark="\w+"/g)].map((m) => m[1]));
  assert.deepEqual(shown, new Set(tendermintExcerpts.flatMap((e) => e.marks.map((m) => m.kind))));
  assert.doesNotMatch(await renderHtml(tendermint, []), /data-testid="legend"/);
});

// A lock held while sending: Len waits for h.mu (hub.go:38), Broadcast holds it (locked at 45)
// and is blocked sending at 49. Len is listed first; the one excerpt shows both.
function heldWhileSending(): { report: Report; excerpts: SourceExcerpt[] } {
  const file = '/src/hub/hub.go';
  const group = (id: string, fn: string, line: number, state: string): ReportGroup => ({
    id, count: 1, goroutineIds: [], state, waitMinutes: null,
    frames: [{ function: fn, file, line }], createdBy: null, identity: fn, blocking: null, labels: {},
  } as ReportGroup);
  const wait = (g: string, fn: string, line: number, operation: ReportWait['operation'], resource: string, expression: string, waker: string, wakerLine: number): ReportWait => ({
    group: g, inferred: false, function: fn, blockedIn: { function: fn, file, line }, operation,
    resource: { kind: operation === 'chan-send' ? 'chan' : 'mutex', name: resource, expression, declared: null },
    wokenBy: [{ function: waker, group: g === 'G1' ? 'G2' : 'G1', site: { file, line: wakerLine } }],
  });
  const report: Report = {
    gridlock: 1,
    snapshot: { format: 'debug2', goroutines: 2, declaredTotal: 2, warnings: [] },
    groups: [group('G1', 'main.(*Hub).Len', 38, 'sync.Mutex.Lock'), group('G2', 'main.(*Hub).Broadcast', 49, 'chan send')],
    findings: [{
      kind: 'deadlock-cycle', confidence: 'certain', title: 'Broadcast holds h.mu while it sends on c.out', explanation: 'x',
      waits: [
        wait('G1', 'main.(*Hub).Len', 38, 'mutex-lock', 'main.Hub.mu', 'h.mu', 'main.(*Hub).Broadcast', 50),
        wait('G2', 'main.(*Hub).Broadcast', 49, 'chan-send', 'main.client.out', 'c.out', 'main.(*Hub).Len', 40),
      ],
      fixes: [], mermaid: '',
    }],
  };
  const lines = Array.from({ length: 24 }, (_, i) => `\tline ${32 + i}`);
  const marks: SourceExcerpt['marks'] = [
    { line: 38, kind: 'blocked', note: 'G1 blocked: mutex-lock main.Hub.mu' },
    ...[45, 46, 47, 48, 49].map((line) => ({ line, kind: 'held' as const, note: 'h.mu held' })),
    { line: 49, kind: 'blocked', note: 'G2 blocked: chan-send main.client.out' },
    { line: 40, kind: 'waker', note: 'chan-receive main.client.out' },
    { line: 40, kind: 'waker', note: 'chan-receive main.client.out' },
  ];
  return { report, excerpts: [{ file, startLine: 32, lines, marks }] };
}

test('the held band is shown under the party that holds the lock, not the one waiting for it', async () => {
  const { report, excerpts } = heldWhileSending();
  const html = await renderHtml(report, excerpts);
  const [len, broadcast] = sections(html, 'party');
  assert.match(broadcast, /class="ln mark-held[^"]*"[^>]*data-line="45"/);
  assert.doesNotMatch(len, /mark-held/);
  assert.match(len, /source-ref/, 'the waiting party links to the lines instead');
});

test('a note is shown once per line, on a line of its own (wrapped, not cut off)', async () => {
  const { report, excerpts } = heldWhileSending();
  const html = await renderHtml(report, excerpts);
  const line40 = /<span class="ln[^"]*"[^>]*data-line="40">(.*?)<\/span><span class="ln/s.exec(html)?.[1] ?? '';
  assert.equal((line40.match(/chan-receive main\.client\.out/g) ?? []).length, 1, line40);
  assert.match(html, /\.note\{display:block;white-space:pre-wrap/);
});

test('a crowd waiting on itself has no loop; one goroutine re-locking its own mutex keeps it', () => {
  const crowd = structuredClone(btcd);
  const g = crowd.findings[0].waits[0].group ?? '';
  const crowdGroup = crowd.groups.find((x) => x.id === g);
  assert.ok(crowdGroup);
  crowdGroup.count = 40;
  crowd.findings[0].waits[0].wokenBy = [{ function: crowd.findings[0].waits[0].function, group: g, site: { file: '/src/x.go', line: 1 } }];
  const graph = buildWaitGraph(crowd, [0]);
  assert.ok(!graph.edges.some((e) => e.from === g && e.to === g), 'no self-loop for the crowd');
  assert.ok(graph.nodes.find((n) => n.key === g)?.waitsOnItself);
  crowdGroup.count = 1;
  const single = buildWaitGraph(crowd, [0]);
  assert.ok(single.edges.some((e) => e.from === g && e.to === g), 'a single goroutine waiting on itself keeps its loop');
});
