import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parseWatchArgs } from '../../src/watch/args.js';

test('durations read with units, bare numbers as seconds', () => {
  assert.deepEqual(['10s', '200ms', '1.5s', '2m', '1h', '3', '.5s'].map(parseDuration), [10_000, 200, 1500, 120_000, 3_600_000, 3000, 500]);
  assert.deepEqual(['', 's', '-1s', '0s', '10x', '1e3'].map(parseDuration), [null, null, null, null, null, null]);
});

test('defaults: 10s interval, 5s timeout, text, no report dir, continuous', () => {
  assert.deepEqual(parseWatchArgs(['http://127.0.0.1:6060/debug/pprof/']), {
    ok: true,
    args: { url: 'http://127.0.0.1:6060/debug/pprof/', sourceRoots: [], intervalMs: 10_000, timeoutMs: 5000, json: false, reportDir: null, once: false },
  });
});

test('every option, in both spellings, sources repeatable', () => {
  const parsed = parseWatchArgs([
    '--source', 'a', '--source=b', 'http://127.0.0.1:1/debug/pprof/goroutine?debug=1',
    '--interval', '200ms', '--timeout=1s', '--json', '--report-dir', 'out', '--once',
  ]);
  assert.deepEqual(parsed, {
    ok: true,
    args: { url: 'http://127.0.0.1:1/debug/pprof/goroutine?debug=1', sourceRoots: ['a', 'b'], intervalMs: 200, timeoutMs: 1000, json: true, reportDir: 'out', once: true },
  });
});

test('bad arguments are errors that say what is wrong', () => {
  const error = (argv: string[]) => {
    const parsed = parseWatchArgs(argv);
    assert.equal(parsed.ok, false);
    return parsed.ok ? '' : parsed.error;
  };
  assert.match(error([]), /needs the URL/);
  assert.match(error(['http://a/', 'http://b/']), /one URL/);
  assert.match(error(['not a url']), /not a URL/);
  assert.match(error(['ftp://127.0.0.1/x']), /http or https/);
  assert.match(error(['http://a/', '--interval']), /--interval needs a duration/);
  assert.match(error(['http://a/', '--interval', 'soon']), /--interval needs a duration/);
  assert.match(error(['http://a/', '--source']), /--source needs a directory/);
  assert.match(error(['http://a/', '--json=yes']), /--json takes no value/);
  assert.match(error(['http://a/', '--verbose']), /unknown option --verbose/);
});
