// Shared set-up of the browser tests: Debian's Chromium driven by playwright-core (no browser
// download). Tests skip, saying why, when that Chromium is not installed.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts');

/** Every wait in these tests is bounded by this, so a broken page fails instead of hanging CI. */
export const STEP_TIMEOUT_MS = 15_000;

export const CHROMIUM_MISSING = `${CHROMIUM_PATH} is not installed (scripts/install-chromium.sh installs it); browser tests skipped`;

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    timeout: STEP_TIMEOUT_MS * 2,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page with every wait bounded, at a size where the report lays out as on a laptop. */
export async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  page.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
  return page;
}

/** Where a test saves what it saw; the folder is git-ignored. */
export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return join(ARTIFACTS_DIR, name);
}

/** The btcd-shaped fixture program both browser tests open, and what its report must show. */
export const BTCD_PROGRAM_DIR = join(REPO_ROOT, 'testdata', 'programs', '01-btcd-cycle');
export const BTCD_DUMP_FILE = join(BTCD_PROGRAM_DIR, 'dump-go1.26.txt');

export interface ExpectedFinding {
  kind: string;
  parties: string[];
  resources: string[];
  count?: number;
}

export function btcdExpectedFindings(): ExpectedFinding[] {
  return (JSON.parse(readFileSync(join(BTCD_PROGRAM_DIR, 'expected.json'), 'utf8')) as { findings: ExpectedFinding[] }).findings;
}
