// The default text output gives the answer first and once: findings with their parties one line
// each, the fixes, a one-screen summary; `verbose` adds wakers, stacks, waits and creation sites.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { coverageLine, renderText } from '../../src/report/text.js';
import type { Report } from '../../src/analysis/types.js';

const load = (name: string) => JSON.parse(readFileSync(new URL(`./golden/${name}.report.json`, import.meta.url), 'utf8')) as Report;
const btcd = load('btcd-cycle');
const tendermint = load('tendermint-leaked-lock');
const healthy = load('healthy-no-findings');

/** Party lines of the default output: `[n] name (Gx…)`, by group id. */
function partyLineGroups(text: string): string[] {
  return [...text.matchAll(/^ {3}\[\d+\] \S+ \((G\d+|inferred from source)/gm)].map((m) => m[1]);
}

test('default: every party of every finding is listed once, with its blocking line', () => {
  for (const report of [btcd, tendermint]) {
    const text = renderText(report, { color: false, width: 100 });
    const listed = partyLineGroups(text).filter((g) => g !== 'inferred from source');
    assert.equal(new Set(listed).size, listed.length, `a group listed twice: ${listed.join(', ')}`);
    const expected = new Set(report.findings.flatMap((f) => f.waits.map((w) => w.group).filter((g): g is string => g !== null)));
    assert.deepEqual(new Set(listed), expected);
    for (const finding of report.findings) {
      for (const wait of finding.waits) {
        if (!wait.group) continue;
        assert.match(text, new RegExp(`\\(${wait.group}[,)].*:${wait.blockedIn.line}\\b|\\(${wait.group}[,)][^\\n]*\\n\\s+\\S+:${wait.blockedIn.line}\\b`), `${wait.group} with line ${wait.blockedIn.line}`);
      }
    }
  }
});

test('default: the fix locations are printed; stacks, wakers and creation sites only with verbose', () => {
  const brief = renderText(btcd, { color: false });
  const verbose = renderText(btcd, { color: false, verbose: true });
  for (const fix of btcd.findings.flatMap((f) => f.fixes)) assert.match(brief, new RegExp(`server\\.go:${fix.line}\\b|manager\\.go:${fix.line}\\b`));
  assert.doesNotMatch(brief, /woken by /);
  assert.match(verbose, /woken by /);
  // A frame below the top of a stack appears only in the verbose stacks.
  const deepFrame = btcd.groups.flatMap((g) => g.frames.slice(1)).find((f) => !brief.includes(f.function));
  assert.ok(deepFrame && verbose.includes(deepFrame.function));
  assert.doesNotMatch(renderText(healthy, { color: false }), /created by /);
  assert.match(renderText(healthy, { color: false, verbose: true }), /created by /);
  assert.ok(brief.split('\n').length < verbose.split('\n').length / 2, `${brief.split('\n').length} vs ${verbose.split('\n').length} lines`);
});

test('default: the summary is one screen and names the largest groups by id', () => {
  const text = renderText(healthy, { color: false, maxGroups: 5 });
  const summary = text.slice(text.indexOf('SUMMARY'));
  assert.ok(summary.split('\n').length <= 24, summary);
  for (const group of [...healthy.groups].sort((a, b) => b.count - a.count).slice(0, 5)) assert.match(summary, new RegExp(`\\b${group.id}\\b`));
});

test('coverage: a line under the headline naming the groups not checked; none when all were', () => {
  assert.equal(coverageLine(btcd), null, 'a report without coverage');
  const partly: Report = {
    ...btcd,
    coverage: { blockedGroups: 3, checkedGroups: 1, unchecked: [{ reason: 'no-source', message: 'the source does not have the file', groups: ['G2', 'G3'] }] },
  };
  const second = renderText(partly, { color: false, width: 200 }).split('\n')[1];
  assert.match(second, /\bG2\b/);
  assert.match(second, /\bG3\b/);
  assert.match(second, /\b2 of 3\b/);
  const complete: Report = { ...btcd, coverage: { blockedGroups: 3, checkedGroups: 3, unchecked: [] } };
  assert.equal(renderText(complete, { color: false, width: 200 }).split('\n')[1], '');
});
