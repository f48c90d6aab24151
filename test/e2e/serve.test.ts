// `gridlock serve` in a real browser: paste the btcd-shaped dump, analyse it against its source,
// and see the findings; paste text that is no dump and see why nothing was found.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { BTCD_DUMP_FILE, BTCD_PROGRAM_DIR, CHROMIUM_MISSING, REPO_ROOT, btcdExpectedFindings, STEP_TIMEOUT_MS, artifactPath, chromiumAvailable, launchChromium, newPage } from './browser.js';


describe('gridlock serve in Chromium', { skip: chromiumAvailable() ? false : CHROMIUM_MISSING }, () => {
  let browser: Browser;
  let server: RunningServer;
  let page: Page;
  const serverLog: string[] = [];

  before(async () => {
    browser = await launchChromium();
    server = await startServer({ port: 0, sourceRoots: [BTCD_PROGRAM_DIR], log: (line) => serverLog.push(line) });
  });
  beforeEach(async () => {
    page = await newPage(browser);
  });
  afterEach(async () => {
    await page?.close();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the findings of a pasted dump, analysed against the picked source root', async () => {
    const expected = { findings: btcdExpectedFindings() };
    await page.goto(server.url);
    assert.equal(await page.locator('#source-root').inputValue(), '0', 'the only root is picked by default');
    const dump = readFileSync(BTCD_DUMP_FILE, 'utf8');
    const goroutineCount = (dump.match(/^goroutine \d+ \[/gm) ?? []).length;
    await pasteInto(page, '#dump-text', dump);
    await page.locator('#analyze').click();

    await page.locator('#status[data-kind="done"], #status[data-kind="error"]').waitFor({ timeout: STEP_TIMEOUT_MS * 2 });
    const status = await page.locator('#status').textContent();
    assert.equal(await page.locator('#status').getAttribute('data-kind'), 'done', `status: ${status}; server log: ${serverLog.join(' | ')}`);
    assert.match(status ?? '', new RegExp(`\\b${expected.findings.length} findings in ${goroutineCount} goroutines`));

    const report = page.frameLocator('#report');
    const body = report.locator('body');
    await body.waitFor();
    const text = (await body.innerText()).replace(/\s+/g, ' ');
    for (const finding of expected.findings) {
      for (const party of finding.parties) assert.ok(text.includes(shortName(party)), `report names ${shortName(party)}`);
      for (const resource of finding.resources) assert.ok(text.includes(fieldName(resource)), `report names ${fieldName(resource)}`);
    }
    assert.match(text, /deadlock/i);
    // Source was read from the picked root: the blocking statements appear as written.
    assert.ok(text.includes('sm.msgChan <- &newPeerMsg{peer: sp}'), 'source line of NewPeer is shown');
    await page.screenshot({ path: artifactPath('serve-report.png') });

    // Links inside the report move within the report: clicking a loop in the graph targets its
    // party section in the frame instead of loading some other page there.
    const loop = shortName(expected.findings[0].parties[0]);
    await report.locator('[data-testid="finding-graph"] g.node', { hasText: `${loop} ×` }).first().locator('a').first().click();
    const target = report.locator('section:target');
    await target.waitFor();
    assert.equal(await target.getAttribute('data-testid'), 'party');
    assert.match((await target.locator('h4').textContent()) ?? '', new RegExp(`\\b${loop}\\b`));
    assert.equal(await page.locator('#status').getAttribute('data-kind'), 'done', 'the page itself stayed put');
  });

  it('lists the reader\'s warnings for a chosen file it cannot read', async () => {
    await page.goto(server.url);
    // A gzip'd file whose deflate stream is cut: the reader's own words about it must show.
    await page.locator('#dump-file').setInputFiles({ name: 'goroutine.pb.gz', mimeType: 'application/gzip', buffer: Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5]) });
    assert.match((await page.locator('#file-chip').textContent()) ?? '', /goroutine\.pb\.gz \(9 bytes\)/);
    await page.locator('#analyze').click();
    await page.locator('#status[data-kind="error"]').waitFor();
    assert.match((await page.locator('#status').textContent()) ?? '', /No goroutine found in the 9 bytes/);
    const warnings = await page.locator('#warnings li').allTextContents();
    assert.ok(warnings.some((warning) => /gunzip/.test(warning)), `the reader's warning is listed: ${JSON.stringify(warnings)}`);
    assert.equal(await page.locator('#report').isHidden(), true);
    await page.screenshot({ path: artifactPath('serve-bad-file.png'), fullPage: true });
  });

  it('reads a dropped gzip\'d pprof profile', async () => {
    const profile = readFileSync(join(REPO_ROOT, 'testdata', 'dumps', 'pprof', 'go1.26.debug0.pb.gz'));
    await page.goto(server.url);
    // What a file dropped from the desktop delivers: a drop event carrying the file.
    await page.evaluate((bytes) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], 'goroutine.pb.gz', { type: 'application/gzip' }));
      document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, [...profile]);
    assert.match((await page.locator('#file-chip').textContent()) ?? '', /goroutine\.pb\.gz \([\d.]+ (bytes|KiB)\)/);
    await page.locator('#analyze').click();
    await page.locator('#status[data-kind="done"], #status[data-kind="error"]').waitFor();
    const status = (await page.locator('#status').textContent()) ?? '';
    assert.match(status, /in \d+ goroutines \(pprof dump\)/, `status: ${status}; server log: ${serverLog.join(' | ')}`);
    const title = page.frameLocator('#report').locator('[data-testid="summary"] h1');
    await title.waitFor();
    assert.equal(await title.textContent(), 'gridlock: goroutine.pb.gz', 'the report is titled after the file');
  });

  it('shows why nothing was found when the pasted text is not a dump', async () => {
    await page.goto(server.url);
    await page.locator('#dump-text').fill('Here is what I saw:\nthe server hung after an hour\nno stack, sorry\n');
    await page.locator('#dump-text').press('Control+Enter');
    await page.locator('#status[data-kind="error"]').waitFor();
    const status = (await page.locator('#status').textContent()) ?? '';
    assert.match(status, /No goroutine found/);
    assert.equal(await page.locator('#status').getAttribute('role'), 'alert');
    assert.equal(await page.locator('#report').isHidden(), true, 'no stale or blank report is shown');
    await page.screenshot({ path: artifactPath('serve-not-a-dump.png'), fullPage: true });
  });

  it('refuses an empty paste in the page without a request', async () => {
    await page.goto(server.url);
    const logged = serverLog.length;
    await page.locator('#analyze').click();
    await page.locator('#status[data-kind="error"]').waitFor();
    assert.match((await page.locator('#status').textContent()) ?? '', /Paste a goroutine dump/);
    assert.equal(serverLog.length, logged);
  });
});

/**
 * Puts a large text into a textarea as one paste would: the value in one step, then one `input`
 * event. (Typing it with `fill` or `keyboard.insertText` takes minutes for 1.7 MB in Chromium.)
 */
async function pasteInto(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).evaluate((element, value) => {
    const area = element as HTMLTextAreaElement;
    area.value = value;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

/** `main.(*server).peerHandler` → `peerHandler`: how any view of the report names a function. */
function shortName(fn: string): string {
  return fn.slice(fn.lastIndexOf('.') + 1);
}

/** `main.server.relayInv` → `relayInv`. */
function fieldName(resource: string): string {
  return resource.slice(resource.lastIndexOf('.') + 1);
}
