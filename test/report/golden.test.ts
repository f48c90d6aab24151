// Golden tests for the renderers: each `golden/<name>.report.json` (a hand-written Report, with an
// optional `<name>.excerpts.json` source sidecar) is rendered in every format and compared with the
// committed outputs beside it. `UPDATE_GOLDEN=1` rewrites the outputs; review them as a diff.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report, SourceExcerpt } from '../../src/analysis/types.js';
import { renderDot, renderHtml, renderJson, renderMarkdown, renderMermaid, renderText } from '../../src/report/index.js';

const goldenDir = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

interface Case {
  name: string;
  report: Report;
  excerpts: SourceExcerpt[];
}

function loadCases(): Case[] {
  return readdirSync(goldenDir)
    .filter((file) => file.endsWith('.report.json'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.report.json'.length);
      const excerptsFile = join(goldenDir, `${name}.excerpts.json`);
      return {
        name,
        report: JSON.parse(readFileSync(join(goldenDir, file), 'utf8')) as Report,
        excerpts: existsSync(excerptsFile) ? (JSON.parse(readFileSync(excerptsFile, 'utf8')) as SourceExcerpt[]) : [],
      };
    });
}

const renderers: { suffix: string; render: (c: Case) => Promise<string> | string }[] = [
  { suffix: 'txt', render: (c) => renderText(c.report, { color: false }) },
  { suffix: 'color.txt', render: (c) => renderText(c.report, { color: true, width: 80, maxGroups: 3 }) },
  { suffix: 'verbose.txt', render: (c) => renderText(c.report, { color: false, verbose: true }) },
  { suffix: 'md', render: (c) => renderMarkdown(c.report) },
  { suffix: 'mmd', render: (c) => renderMermaid(c.report) },
  { suffix: 'dot', render: (c) => renderDot(c.report) },
  { suffix: 'json', render: (c) => renderJson(c.report) },
  { suffix: 'html', render: (c) => renderHtml(c.report, c.excerpts, { title: `gridlock: ${c.name}` }) },
];

const cases = loadCases();

test('golden inputs exist: btcd cycle, tendermint leaked lock, no findings', () => {
  const names = cases.map((c) => c.name);
  for (const expected of ['btcd-cycle', 'tendermint-leaked-lock', 'healthy-no-findings']) assert.ok(names.includes(expected), expected);
});

for (const c of cases) {
  for (const { suffix, render } of renderers) {
    test(`golden ${c.name}.${suffix}`, async () => {
      const actual = await render(c);
      const path = join(goldenDir, `${c.name}.${suffix}`);
      if (update) {
        writeFileSync(path, actual);
        return;
      }
      assert.ok(existsSync(path), `missing golden file ${c.name}.${suffix}: run with UPDATE_GOLDEN=1 and review it`);
      assert.equal(actual, readFileSync(path, 'utf8'), `${c.name}.${suffix} differs from the golden file (UPDATE_GOLDEN=1 to refresh)`);
    });
  }
}
