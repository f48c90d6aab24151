// In the terminal each file has one spelling: the path on disk when the source had it (relative to
// the working directory or a source root), the dump's path (shortened) only when it did not.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderText } from '../../src/report/index.js';
import { fileSpelling } from '../../src/report/spelling.js';
import type { Report } from '../../src/analysis/types.js';

const report = JSON.parse(readFileSync(new URL('./golden/btcd-cycle.report.json', import.meta.url), 'utf8')) as Report;
const healthy = JSON.parse(readFileSync(new URL('./golden/healthy-no-findings.report.json', import.meta.url), 'utf8')) as Report;

/** Every `something/server.go:N` or ` server.go:N` location in the text, by the file's spelling. */
function spellingsOf(text: string, base: string): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(new RegExp(`([^\\s(\`]*?)${base.replace('.', '\\.')}:\\d+`, 'g'))) found.add(`${m[1]}${base}`);
  return found;
}

for (const verbose of [false, true]) {
  test(`one spelling per file (${verbose ? 'verbose' : 'default'}): the dump's paths become the disk paths they map to`, () => {
    const text = renderText(report, { color: false, width: 200, verbose, relativeTo: '/src/btcd' });
    assert.doesNotMatch(text, /\/root\/gocode\//, 'no dump path of a file that was found on disk');
    assert.deepEqual([...spellingsOf(text, 'server.go')], ['server.go']);
    assert.deepEqual([...spellingsOf(text, 'manager.go')], ['netsync/manager.go']);
    // Frames of files no waker or fix names, under the same root: mapped by the same root.
    if (verbose) assert.match(text, / blockchain\/chain\.go:\d+/);
  });
}

test('without relativeTo, a source root makes disk paths relative; otherwise they stay absolute', () => {
  const rooted = renderText(report, { color: false, width: 200, sourceRoots: ['/src/btcd'] });
  assert.deepEqual([...spellingsOf(rooted, 'server.go')], ['server.go']);
  const absolute = renderText(report, { color: false, width: 200 });
  assert.deepEqual([...spellingsOf(absolute, 'server.go')], ['/src/btcd/server.go']);
});

test('the findings\' prose names files as the rest of the report does', () => {
  const spelling = fileSpelling(report, { relativeTo: '/src/btcd' });
  assert.equal(spelling.respell('blocked in RelayInventory at btcd/server.go:2341 (`x`)'), 'blocked in RelayInventory at server.go:2341 (`x`)');
  assert.equal(spelling.respell('in NewPeer at netsync/manager.go:1534.'), 'in NewPeer at netsync/manager.go:1534.');
  assert.equal(spelling.respell('at other/unknown.go:3'), 'at other/unknown.go:3', 'a file the report does not name stays as written');
});

test('files the source did not have keep the dump\'s (shortened) path: module cache, GOROOT', () => {
  const text = renderText(healthy, { color: false, width: 200, verbose: true, relativeTo: '/nowhere' });
  assert.match(text, /\$GOROOT\/src\/net\/http\/server\.go:3086/);
});

test('Markdown and HTML spell each file the same way: the disk path of a file the source had', async () => {
  const { renderHtml, renderMarkdown } = await import('../../src/report/index.js');
  const markdown = renderMarkdown(report);
  assert.doesNotMatch(markdown, /github\.com\/btcsuite\/btcd\/server\.go/);
  assert.deepEqual([...spellingsOf(markdown, 'server.go')], ['/src/btcd/server.go']);
  const html = await renderHtml(report, [], { relativeTo: '/src/btcd' });
  assert.doesNotMatch(html, /\/root\/gocode\//, 'the page, including its group data, names no dump path of a found file');
  assert.deepEqual([...spellingsOf(html.replace(/<[^>]+>/g, ' '), 'server.go')], ['server.go']);
});
