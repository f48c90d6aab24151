// The `--html` report of the btcd-shaped program, opened from disk in a real browser: the deadlock
// graph shows both loops, both channels and both crowds, and clicking a loop brings its blocked
// source line into view. What to expect comes from the fixture itself (expected.json and the
// `// want:` marks on the blocking lines), not from the report under test.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Locator, Page } from 'playwright-core';
import { BTCD_DUMP_FILE, BTCD_PROGRAM_DIR, CHROMIUM_MISSING, REPO_ROOT, btcdExpectedFindings, STEP_TIMEOUT_MS, artifactPath, chromiumAvailable, launchChromium, newPage } from './browser.js';

const run = promisify(execFile);

/** A blocking line of the fixture: the statement before its `// want: <operation> <resource>` mark. */
interface WantedLine {
  file: string;
  line: number;
  statement: string;
  resource: string;
}

function wantedLines(dir: string): WantedLine[] {
  const found: WantedLine[] = [];
  for (const name of readdirSync(dir).filter((entry) => entry.endsWith('.go'))) {
    readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .forEach((text, index) => {
        const mark = /^\s*(.*?)\s*\/\/ want: \S+ (\S+)/.exec(text);
        if (mark) found.push({ file: name, line: index + 1, statement: mark[1], resource: mark[2] });
      });
  }
  return found;
}

describe('the HTML report in Chromium', { skip: chromiumAvailable() ? false : CHROMIUM_MISSING }, () => {
  let browser: Browser;
  let page: Page;
  let reportFile: string;
  const expected = { findings: btcdExpectedFindings() };
  const cycle = expected.findings.find((finding) => finding.kind === 'deadlock-cycle');
  const crowds = expected.findings.filter((finding) => finding.kind === 'pile-up');

  before(async () => {
    // The report exactly as a user gets it: the command line's --html.
    reportFile = artifactPath('btcd-cycle-report.html');
    await run(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'main.ts'), BTCD_DUMP_FILE, '--source', BTCD_PROGRAM_DIR, '--no-cache', '--html', reportFile],
      { cwd: REPO_ROOT, timeout: STEP_TIMEOUT_MS * 4, maxBuffer: 64 * 1024 * 1024 },
    );
    browser = await launchChromium();
    page = await newPage(browser);
    await page.goto(pathToFileURL(reportFile).href);
  });
  after(async () => {
    await browser?.close();
  });

  it('draws the cycle: both loops, both channels, both crowds with their counts', async () => {
    assert.ok(cycle, 'the fixture expects a deadlock cycle');
    assert.equal(crowds.length, 2, 'the fixture expects two crowds');
    const graph = page.locator('article[data-kind="deadlock-cycle"] [data-testid="finding-graph"] svg').first();
    await graph.waitFor();
    const labels = await graph.locator('text').allTextContents();
    const drawn = labels.join('\n');
    for (const party of cycle.parties) assert.ok(labels.some((label) => label.startsWith(`${shortName(party)} `)), `a node for ${shortName(party)} in:\n${drawn}`);
    for (const resource of cycle.resources) assert.ok(labels.some((label) => label.endsWith(` ${lastPart(resource)}`)), `an edge on ${lastPart(resource)} in:\n${drawn}`);
    for (const crowd of crowds) {
      const name = shortName(crowd.parties[0]);
      const count = crowd.count ?? 0;
      const wanted = [`${name} ×${count.toLocaleString('en-US')}`, `${name} ×${count}`];
      assert.ok(labels.some((label) => wanted.includes(label)), `a node "${wanted[0]}" in:\n${drawn}`);
    }
    await graph.scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('report-graph.png') });
  });

  it('clicking a loop in the graph shows the source line it is blocked on', async () => {
    assert.ok(cycle);
    const wanted = wantedLines(BTCD_PROGRAM_DIR);
    for (const party of cycle.parties) {
      const node = page.locator('article[data-kind="deadlock-cycle"] [data-testid="finding-graph"] g.node', { hasText: `${shortName(party)} ×` }).first();
      await node.scrollIntoViewIfNeeded();
      await node.locator('a').first().click();
      await page.waitForFunction(() => location.hash.length > 1, undefined, { timeout: STEP_TIMEOUT_MS });
      const target = page.locator(':target');
      assert.equal(await target.getAttribute('data-testid'), 'party', `the click lands on ${shortName(party)}'s party section`);
      assert.match((await target.locator('h4').textContent()) ?? '', new RegExp(`\\b${shortName(party)}\\b`));
      const source = target.locator('[data-testid="party-source"]');
      const focus = source.locator('.ln.focus');
      assert.equal(await focus.count(), 1, `${shortName(party)}'s section shows its blocked line; it shows: ${(await source.innerText()).trim()}`);
      const shown = ((await focus.textContent()) ?? '').replace(/\s+/g, ' ');
      // The line it is blocked on is one of the cycle's `want` lines: its statement is on screen.
      const line = wanted.find((want) => cycle.resources.includes(want.resource) && shown.includes(want.statement));
      assert.ok(line, `the focused line "${shown}" is one of the cycle's blocking lines`);
      assert.match(shown, new RegExp(`^${line.line}\\b`), 'with its line number');
      assert.ok(await inViewport(focus), 'and scrolled into view');
      await page.screenshot({ path: artifactPath(`report-click-${shortName(party)}.png`) });
    }
  });
});

/** `main.(*server).peerHandler` → `peerHandler`; `main.(*serverPeer).start.func1` → `start.func1`. */
function shortName(fn: string): string {
  const closure = /\.(func\d+(?:\.\d+)*)$/.exec(fn);
  const base = closure ? fn.slice(0, -closure[0].length) : fn;
  const name = base.slice(base.lastIndexOf('.') + 1);
  return closure ? `${name}.${closure[1]}` : name;
}

function lastPart(resource: string): string {
  return resource.slice(resource.lastIndexOf('.') + 1);
}

async function inViewport(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
  });
}
