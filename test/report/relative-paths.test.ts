// In the terminal, source locations under the user's working directory read relative to it; the
// dump's own paths and everything elsewhere keep their shortened absolute form.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderText } from '../../src/report/index.js';
import type { Report } from '../../src/analysis/types.js';

const report = JSON.parse(readFileSync(new URL('./golden/btcd-cycle.report.json', import.meta.url), 'utf8')) as Report;

test('paths under relativeTo are shown relative to it', () => {
  const absolute = renderText(report, { color: false, width: 200 });
  assert.match(absolute, /\/src\/btcd\/server\.go:\d+/);
  const relative = renderText(report, { color: false, width: 200, relativeTo: '/src/btcd' });
  assert.doesNotMatch(relative, /\/src\/btcd\/server\.go/);
  assert.match(relative, / server\.go:\d+/);
  // The dump's paths from the machine that hung are not under the working directory: still shortened.
  assert.match(relative, /github\.com\/btcsuite\/btcd\/server\.go:2341/);
});
