// The cold parse's worker threads start with the parent's options but not its module preloads:
// a preload runs only on the thread that asked for it, and the workers still parse every file.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build as esbuild } from 'esbuild';
import { withoutPreloads } from './build.js';

const scratch = mkdtempSync(join(tmpdir(), 'gridlock-build-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('a module preload is dropped with its value, in either spelling; other options stay', () => {
  assert.deepEqual(withoutPreloads([]), []);
  assert.deepEqual(withoutPreloads(['--import', 'tsx', '--enable-source-maps']), ['--enable-source-maps']);
  assert.deepEqual(withoutPreloads(['--import=tsx', '--require=./apm.cjs', '-r', 'x.cjs']), []);
  assert.deepEqual(withoutPreloads(['--loader', 'ts-node/esm', '--experimental-loader=./l.mjs', '--no-warnings']), ['--no-warnings']);
  assert.deepEqual(withoutPreloads(['--stack-size=900', '--conditions=dev']), ['--stack-size=900', '--conditions=dev']);
  // An option that only begins like one is kept.
  assert.deepEqual(withoutPreloads(['--imports-are-fine']), ['--imports-are-fine']);
});

test('run under a preload, the parse workers load only this package, and parse every file', { timeout: 60_000 }, async () => {
  // Bundled as the command is (npm run bundle), next to this package's node_modules: the
  // worker is then a module file, which a preload would reach (an eval'd worker it does not).
  const artifacts = resolve('test-artifacts');
  mkdirSync(artifacts, { recursive: true });
  const bundle = mkdtempSync(join(artifacts, 'build-test-'));
  after(() => rmSync(bundle, { recursive: true, force: true }));
  await esbuild({
    entryPoints: { index: 'src/source/index.ts', 'parse-worker': 'src/source/parse-worker.ts' },
    bundle: true, splitting: true, format: 'esm', platform: 'node', packages: 'external', outdir: bundle, logLevel: 'error',
  });
  const loads = join(scratch, 'loads.txt');
  const preload = join(scratch, 'preload.mjs');
  writeFileSync(preload, [
    "import { appendFileSync } from 'node:fs';",
    "import { threadId } from 'node:worker_threads';",
    `appendFileSync(${JSON.stringify(loads)}, threadId + '\\n');`,
  ].join('\n'));
  const script = join(scratch, 'build.mjs');
  const root = resolve('testdata/source/ops');
  writeFileSync(script, [
    `const { buildIndex, locateSource } = await import(${JSON.stringify(pathToFileURL(join(bundle, 'index.js')).href)});`,
    `const { files } = await locateSource([], { roots: [${JSON.stringify(root)}], cwd: ${JSON.stringify(root)}, env: {} });`,
    'let parsed = 0;',
    'const index = await buildIndex(files, { cacheDir: null, workers: 1, parseHere: false, onProgress: (done) => { parsed = done; } });',
    'console.log(JSON.stringify({ files: files.length, parsed, functions: index.functions.size, warnings: index.warnings }));',
  ].join('\n'));
  const build = (...options: string[]) => {
    const run = spawnSync(process.execPath, [...options, '--import', pathToFileURL(preload).href, script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { files: number; parsed: number; functions: number; warnings: string[] };
    assert.deepEqual(result.warnings, [], 'no worker failed, so none of its files fell back to this thread');
    assert.ok(result.files > 0);
    assert.equal(result.parsed, result.files, 'the worker parsed every file');
    assert.ok(result.functions > 0);
  };
  build();
  assert.deepEqual(readFileSync(loads, 'utf8').trim().split('\n'), ['0'], 'the preload ran on the main thread only');
  // A V8 option, which a worker refuses when given it explicitly: it inherits all instead.
  build('--stack-size=2000');
});
