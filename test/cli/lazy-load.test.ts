// A small run loads only what it needs: no parser (tree-sitter) when there is no source or every
// file's facts are cached, no Graphviz unless an HTML report is written, no linker without source.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'gridlock-lazy-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

// Module hooks that name every module loaded, one `LOADED <url>` line on stderr each.
const hooks = join(scratch, 'hooks.mjs');
writeFileSync(hooks, "export async function load(url, context, next) { process.stderr.write(`LOADED ${url}\\n`); return next(url, context); }\n");
const register = join(scratch, 'register.mjs');
writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
const neutral = join(scratch, 'cwd');
mkdirSync(neutral);
const cacheDir = join(scratch, 'cache');

/** The modules one run of the command loads. */
function loaded(args: string[]): string[] {
  // tsx by its own address: the run's working directory is outside this checkout.
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), '--import', register, join(root, 'src/cli/main.ts'), ...args], {
    cwd: neutral,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', GOMODCACHE: join(scratch, 'no-modcache') },
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  // (with --html alone, the page is the report and stdout stays quiet)
  assert.match(args.includes('--html') ? r.stderr : r.stdout, args.includes('--html') ? /^wrote /m : /^gridlock: /, 'the run reported');
  return r.stderr.split('\n').filter((line) => line.startsWith('LOADED ')).map((line) => line.slice(7));
}

const dump = join(root, 'examples/btcd-shape/dump.txt');
const source = join(root, 'examples/btcd-shape');
const has = (urls: string[], part: string) => urls.some((url) => url.includes(part));

test('without source: no parser, no Graphviz, no linker, no cache', () => {
  const urls = loaded([dump]);
  assert.ok(has(urls, '/src/report/text.ts'), 'the hook sees the modules');
  for (const part of ['web-tree-sitter', '@viz-js', '/src/source/extract.ts', '/src/source/link.ts', '/src/source/cache.ts', '/src/report/html.ts']) {
    assert.ok(!has(urls, part), `${part} loaded`);
  }
});

test('with source and a warm cache: the linker and the cache, still no parser', () => {
  const cold = loaded([dump, '--source', source, '--cache-dir', cacheDir]);
  assert.ok(has(cold, 'web-tree-sitter'), 'the cold run parses');
  const warm = loaded([dump, '--source', source, '--cache-dir', cacheDir]);
  assert.ok(has(warm, '/src/source/link.ts') && has(warm, '/src/source/cache.ts'));
  assert.ok(!has(warm, 'web-tree-sitter'), 'every file\'s facts came from the cache');
  assert.ok(!has(warm, '@viz-js'));
});

test('--html loads Graphviz', () => {
  const urls = loaded([dump, '--source', source, '--cache-dir', cacheDir, '--html', join(scratch, 'report.html')]);
  assert.ok(has(urls, '@viz-js'));
});
