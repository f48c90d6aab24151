// Structural checks on the renderers, so that a golden refresh cannot hide a real break: the DOT
// lays out with Graphviz, the Mermaid graph holds both halves of the btcd cycle, links in the
// HTML resolve, colour and width options do what they say, and a 100,000-goroutine report stays
// small and fast.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { instance } from '@viz-js/viz';
import type { Report, ReportGroup, SourceExcerpt } from '../../src/analysis/types.js';
import {
  buildWaitGraph,
  findingDot,
  findingMermaid,
  renderDot,
  renderHtml,
  renderJson,
  renderMarkdown,
  renderMermaid,
  renderText,
  shortenPath,
} from '../../src/report/index.js';
import { escapeMermaidLabel } from '../../src/report/mermaid.js';
import { dotString } from '../../src/report/dot.js';

const goldenDir = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const load = (name: string): Report => JSON.parse(readFileSync(join(goldenDir, `${name}.report.json`), 'utf8')) as Report;
const loadExcerpts = (name: string): SourceExcerpt[] =>
  JSON.parse(readFileSync(join(goldenDir, `${name}.excerpts.json`), 'utf8')) as SourceExcerpt[];
const btcd = load('btcd-cycle');
const tendermint = load('tendermint-leaked-lock');
const healthy = load('healthy-no-findings');

/** Mermaid edges as `from label to`, with node ids replaced by their labels. */
function mermaidEdges(mermaid: string): string[] {
  const labels = new Map<string, string>();
  for (const match of mermaid.matchAll(/^\s+(p\d+)[[(]+"([^"]*)"/gm)) labels.set(match[1], match[2].split('<br/>')[0]);
  return [...mermaid.matchAll(/^\s+(p\d+) -\.?->\|"([^"]*)"\| (p\d+)$/gm)].map(
    (match) => `${labels.get(match[1])} --${match[2]}--> ${labels.get(match[3])}`,
  );
}

test('shortenPath: module cache, GOPATH, GOROOT, unchanged otherwise', () => {
  assert.equal(shortenPath('/home/u/go/pkg/mod/github.com/x/y@v1.2.3/z.go'), 'github.com/x/y@v1.2.3/z.go');
  assert.equal(shortenPath('/home/u/go/pkg/mod/github.com/!burnt!sushi/toml@v1.3.2/decode.go'), 'github.com/BurntSushi/toml@v1.3.2/decode.go');
  assert.equal(shortenPath('/root/gocode/src/github.com/btcsuite/btcd/server.go'), 'github.com/btcsuite/btcd/server.go');
  assert.equal(shortenPath('/usr/local/go/src/sync/mutex.go'), '$GOROOT/src/sync/mutex.go');
  assert.equal(shortenPath('/usr/lib/go-1.19/src/runtime/proc.go'), '$GOROOT/src/runtime/proc.go');
  assert.equal(shortenPath('/home/u/sdk/go1.22.1/src/net/http/server.go'), '$GOROOT/src/net/http/server.go');
  assert.equal(shortenPath('github.com/tendermint/tendermint/internal/statesync/reactor.go'), 'github.com/tendermint/tendermint/internal/statesync/reactor.go');
  assert.equal(shortenPath('/srv/app/src/main.go'), '/srv/app/src/main.go');
  assert.equal(shortenPath('runtime/sema.go'), 'runtime/sema.go');
});

test('Mermaid: the btcd report holds both halves of the cycle and the two crowds', () => {
  const edges = mermaidEdges(renderMermaid(btcd));
  assert.ok(edges.includes('blockHandler ×1 --chan-send relayInv--> peerHandler (inferred)'), edges.join('\n'));
  assert.ok(edges.includes('peerHandler (inferred) --chan-send msgChan--> blockHandler ×1'), edges.join('\n'));
  assert.ok(edges.includes('peerDoneHandler ×11,514 --chan-send donePeers--> peerHandler (inferred)'), edges.join('\n'));
  assert.ok(edges.includes('start.func1 ×9,563 --chan-send newPeers--> peerHandler (inferred)'), edges.join('\n'));
  // The inferred party is drawn differently from the parties the dump shows.
  assert.match(renderMermaid(btcd), /\("peerHandler \(inferred\)[^"]*"\):::inferred/);
  assert.match(renderMermaid(btcd), /\[\["peerDoneHandler ×11,514"\]\]:::crowd/);
});

test('Mermaid: one finding draws its crowds; a pile-up draws the cycle it waits behind', () => {
  const cycle = mermaidEdges(findingMermaid(btcd, 0));
  const pileUp = mermaidEdges(findingMermaid(btcd, 1));
  assert.equal(cycle.length, 4);
  assert.deepEqual([...pileUp].sort(), [...cycle].sort());
  assert.equal(findingMermaid(btcd, 7), '');
});

test('Mermaid labels escape quotes, entity starts and angle brackets', () => {
  assert.equal(escapeMermaidLabel('a "b" #c <d>'), 'a #quot;b#quot; #35;c #lt;d#gt;');
  const report = structuredClone(tendermint);
  report.findings[0].waits[0].function = 'main.(*T).run#"quoted"<x>';
  const mermaid = renderMermaid(report);
  for (const line of mermaid.split('\n').filter((l) => l.includes('[') || l.includes('('))) {
    const quotes = line.match(/"/g) ?? [];
    assert.equal(quotes.length % 2, 0, line);
  }
});

test('DOT: every golden report and every finding lays out with Graphviz; labels escape', async () => {
  const viz = await instance();
  for (const report of [btcd, tendermint, healthy]) {
    const results = [renderDot(report), ...report.findings.map((_, index) => findingDot(report, index))].map((dot) =>
      viz.render(dot, { format: 'svg' }),
    );
    for (const result of results) assert.equal(result.status, 'success', JSON.stringify(result.errors));
  }
  const report = structuredClone(btcd);
  report.findings[0].waits[0].function = 'main.(*T).run\\n"quoted"';
  const tricky = viz.render(renderDot(report), { format: 'svg' });
  assert.equal(tricky.status, 'success', JSON.stringify(tricky.errors));
  assert.equal(dotString('a"b\\c\nd'), '"a\\"b\\\\c\\nd"');
});

test('DOT: only findings parties and crowds; inferred dashed; crowds with counts', () => {
  const dot = renderDot(btcd);
  assert.equal((dot.match(/^\s+p\d+ \[/gm) ?? []).length, 4);
  assert.match(dot, /label="peerHandler \(inferred\)[^"]*", style="dashed,rounded"/);
  assert.match(dot, /label="peerDoneHandler ×11,514[^"]*", shape=box3d/);
  assert.match(dot, /label="start\.func1 ×9,563[^"]*", shape=box3d/);
  assert.doesNotMatch(renderDot(healthy), /->/);
  const graph = buildWaitGraph(tendermint);
  assert.deepEqual(
    graph.edges.map((edge) => `${edge.from}->${edge.to}`),
    ['G2->nobody', 'G1->G2'],
  );
});

test('text: findings before the summary, waker status, colour only when asked', () => {
  const plain = renderText(btcd, { color: false, verbose: true });
  assert.doesNotMatch(plain, /\u001b\[/);
  assert.match(renderText(btcd, { color: true }), /\u001b\[31m/);
  assert.ok(plain.indexOf('DEADLOCK CYCLE') < plain.indexOf('PILE-UP'));
  assert.ok(plain.indexOf('PILE-UP') < plain.indexOf('SUMMARY'));
  assert.match(plain, /stuck itself: \[2\], inferred from source/);
  assert.match(plain, /stuck itself: finding 1 \[2\], inferred from source/);
  assert.match(plain, /21,078 goroutines \(the dump declares 21,172\)/);
  assert.match(renderText(tendermint, { color: false, verbose: true }), /nothing: no goroutine holds the lock \(it leaked\)/);
  const summary = renderText(healthy, { color: false, verbose: true });
  assert.match(summary, /longest waits\n\s+3 {2}G1 {2}\[IO wait, 3–41 min\]/);
  assert.match(summary, /4 {2}net\/http\.\(\*Server\)\.Serve {2}\$GOROOT\/src\/net\/http\/server\.go:3086 \(2 groups\)/);
});

test('text: lines stay within the width when no single word is longer', () => {
  for (const width of [80, 100]) {
    for (const [report, verbose] of [btcd, tendermint, healthy].flatMap((r) => [[r, false], [r, true]] as const)) {
      for (const line of renderText(report, { color: false, width, verbose }).split('\n')) {
        const longestWord = Math.max(...line.trim().split(/\s+/).map((word) => word.length));
        if (longestWord + 16 < width) assert.ok(line.length <= width, `${line.length} > ${width}: ${line}`);
      }
    }
  }
  const limited = renderText(healthy, { color: false, maxGroups: 2, verbose: true });
  assert.match(limited, /largest groups \(2 of 6\)/);
});

test('JSON: contract key order whatever the input order, and a fixed point', () => {
  const reversed = JSON.parse(JSON.stringify(btcd), (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).reverse())
      : value,
  ) as Report;
  const json = renderJson(btcd);
  assert.equal(renderJson(reversed), json);
  assert.equal(renderJson(JSON.parse(json) as Report), json);
  assert.ok(json.endsWith('}\n'));
  assert.deepEqual(Object.keys(JSON.parse(json) as object), ['gridlock', 'snapshot', 'groups', 'findings']);
  assert.deepEqual(JSON.parse(json), btcd);
});

test('Markdown: each finding has a Mermaid block; pipes in table cells are escaped', () => {
  const markdown = renderMarkdown(btcd);
  assert.equal((markdown.match(/```mermaid/g) ?? []).length, 2);
  const report = structuredClone(healthy);
  report.groups[0].state = 'IO | wait';
  assert.match(renderMarkdown(report), /\| IO \\\| wait \| 3 \|/);
});

test('HTML: self-contained, one SVG per finding, links resolve, groups embedded as JSON', async () => {
  const html = await renderHtml(btcd, loadExcerpts('btcd-cycle'));
  assert.ok(!/<script[^>]+src=|<link |@import|url\(/.test(html), 'no external resources');
  assert.ok(!/https?:\/\//.test(html.replace(/xmlns(:xlink)?="http:\/\/www\.w3\.org\/[^"]*"|"-\/\/W3C[^"]*"|http:\/\/www\.w3\.org\/Graphics\/SVG\/1\.1\/DTD\/svg11\.dtd/g, '')), 'no network addresses');
  assert.equal((html.match(/<svg /g) ?? []).length, btcd.findings.length);
  const ids = new Set([...html.matchAll(/ id="([^"]+)"/g)].map((match) => match[1]));
  assert.equal(ids.size, [...html.matchAll(/ id="([^"]+)"/g)].length, 'ids are unique');
  for (const match of html.matchAll(/href="#([^"]+)"/g)) {
    if (match[1].startsWith('group-')) continue; // group rows are created by the page's script
    assert.ok(ids.has(match[1]), `link target #${match[1]} exists`);
  }
  assert.ok(html.includes('xlink:href="#f1-party-G3"'), 'the cycle graph links blockHandler to its party section');
  assert.ok(html.includes('class="node role_inferred"'), 'the inferred party has its own class');
  assert.ok(html.includes('class="node role_crowd"'), 'crowds have their own class');
  const data = JSON.parse(/<script type="application\/json" id="groups-data">(.*?)<\/script>/s.exec(html)?.[1] ?? 'null') as { id: string }[];
  assert.deepEqual(data.map((group) => group.id), ['G1', 'G2', 'G3']);
  assert.ok(/class="ln mark-blocked focus"[^>]*data-line="2341"/.test(html), 'the blocking line is marked');
  for (const testId of ['summary', 'findings', 'finding', 'finding-graph', 'party', 'party-source', 'waker', 'fix', 'groups', 'group-search', 'group-state', 'group-package', 'group-min-wait', 'group-count', 'group-list', 'group-more', 'warnings', 'warning', 'sources', 'excerpt']) {
    assert.ok(html.includes(`data-testid="${testId}"`), testId);
  }
  const leaked = await renderHtml(tendermint, loadExcerpts('tendermint-leaked-lock'));
  assert.ok(/class="ln mark-held"[^>]*data-line="253"/.test(leaked), 'held region shaded');
  const none = await renderHtml(healthy, []);
  assert.ok(none.includes('data-testid="no-findings"'));
});

function bigReport(groupCount: number, goroutines: number): Report {
  const groups: ReportGroup[] = [];
  const base = Math.floor(goroutines / groupCount);
  for (let index = 0; index < groupCount; index++) {
    const count = index === 0 ? goroutines - base * (groupCount - 1) : base;
    groups.push({
      id: `G${index + 1}`,
      count,
      goroutineIds: [],
      state: index % 3 === 0 ? 'chan receive' : index % 3 === 1 ? 'select' : 'IO wait',
      waitMinutes: index % 2 === 0 ? { min: index % 50, max: (index % 50) + 3 } : null,
      frames: Array.from({ length: 8 }, (_, depth) => ({
        function: `example.com/svc/pkg${index % 40}.(*worker${index}).step${depth}`,
        file: `/home/ci/go/pkg/mod/example.com/svc@v1.0.0/pkg${index % 40}/worker.go`,
        line: 100 + depth,
      })),
      createdBy: { function: `example.com/svc/pkg${index % 40}.start`, file: '/home/ci/go/pkg/mod/example.com/svc@v1.0.0/start.go', line: 10 + (index % 7), goroutine: 1 },
      identity: `example.com/svc/pkg${index % 40}.(*worker${index}).step7`,
      blocking: null,
      labels: {},
    });
  }
  return { ...btcd, snapshot: { ...btcd.snapshot, goroutines, declaredTotal: goroutines }, groups };
}

test('a 100,000-goroutine report in 3,000 groups renders quickly and the page stays lazy', async () => {
  const report = bigReport(3000, 100_000);
  const started = performance.now();
  const text = renderText(report, { color: false });
  const html = await renderHtml(report, []);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 5000, `rendering took ${Math.round(elapsed)} ms`);
  assert.match(text, /100,000 goroutines/);
  assert.doesNotMatch(html, /data-testid="group-row"/, 'no group rows are emitted up front');
  assert.ok(html.length < 3_000_000, `HTML is ${html.length} bytes`);
});
