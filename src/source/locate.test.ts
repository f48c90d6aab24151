// Mapping dump paths onto disk (roots by longest suffix, module cache, vendor), import paths,
// build constraints, the facts cache and progress reporting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildIndex, importPathOf, locateSource, moduleCacheDir } from './index.js';
import { evalBuildExpr, isBuilt } from './constraints.js';
import { FACTS_VERSION } from './facts.js';

const DIR = resolve('testdata/source/locate');
const APP = join(DIR, 'app');
const OTHER = join(DIR, 'other');
const MODCACHE = join(DIR, 'gopath', 'pkg', 'mod');

const DUMP_PATHS = {
  main: '/root/gocode/src/github.com/acme/app/main.go',
  manager: '/root/gocode/src/github.com/acme/app/netsync/manager.go',
  queue: '/home/ci/go/pkg/mod/github.com/!big!corp/lib@v1.2.0/queue/queue.go',
  vendored: '/build/app/vendor/example.org/vend/q/q.go',
  missing: '/root/gocode/src/github.com/acme/app/gone.go',
};

test('dump paths map by longest suffix on the roots, then module cache, then vendor', async () => {
  const { mapping, files } = await locateSource(Object.values(DUMP_PATHS), {
    roots: [APP, OTHER], cwd: DIR, env: { GOMODCACHE: MODCACHE },
  });
  assert.equal(mapping.mapped.get(DUMP_PATHS.main), join(APP, 'main.go'));
  // Both roots hold netsync/manager.go: the tie goes to the first root.
  assert.equal(mapping.mapped.get(DUMP_PATHS.manager), join(APP, 'netsync', 'manager.go'));
  assert.equal(mapping.mapped.get(DUMP_PATHS.queue), join(MODCACHE, 'github.com/!big!corp/lib@v1.2.0/queue/queue.go'));
  assert.equal(mapping.mapped.get(DUMP_PATHS.vendored), join(APP, 'vendor/example.org/vend/q/q.go'));
  assert.deepEqual(mapping.unmapped, [DUMP_PATHS.missing]);
  // Every root file, plus whole packages the dump touched outside the roots; untouched vendor stays out.
  assert.ok(files.includes(join(OTHER, 'netsync', 'manager.go')));
  assert.ok(files.includes(join(MODCACHE, 'github.com/!big!corp/lib@v1.2.0/queue/pop.go')));
  assert.ok(files.includes(join(APP, 'vendor/example.org/vend/q/q_other.go')));
  assert.ok(!files.some((f) => f.includes('untouched')));
});

test('a longer matching suffix beats the first root', async () => {
  const { mapping } = await locateSource(['/x/netsync/manager.go'], { roots: [OTHER, APP], cwd: DIR, env: {} });
  assert.equal(mapping.mapped.get('/x/netsync/manager.go'), join(OTHER, 'netsync', 'manager.go'));
  const { mapping: m2 } = await locateSource(['/y/app/main.go'], { roots: [OTHER, APP], cwd: DIR, env: {} });
  assert.equal(m2.mapped.get('/y/app/main.go'), join(APP, 'main.go'));
});

test('with no roots, the module enclosing the working directory is the root', async () => {
  const { mapping } = await locateSource([DUMP_PATHS.manager], { roots: [], cwd: join(APP, 'netsync'), env: {} });
  assert.equal(mapping.mapped.get(DUMP_PATHS.manager), join(APP, 'netsync', 'manager.go'));
});

test('module cache directory: GOMODCACHE, then GOPATH, then HOME', () => {
  assert.equal(moduleCacheDir({ GOMODCACHE: '/m', GOPATH: '/g', HOME: '/h' }), '/m');
  assert.equal(moduleCacheDir({ GOPATH: '/g:/g2', HOME: '/h' }), '/g/pkg/mod');
  assert.equal(moduleCacheDir({ HOME: '/h' }), '/h/go/pkg/mod');
  assert.equal(moduleCacheDir({}), null);
});

test('import paths as the runtime prints them', () => {
  assert.equal(importPathOf(join(APP, 'netsync'), 'netsync'), 'github.com/acme/app/netsync');
  assert.equal(importPathOf(APP, 'main'), 'main');
  assert.equal(importPathOf(join(MODCACHE, 'github.com/!big!corp/lib@v1.2.0/queue'), 'queue'), 'github.com/BigCorp/lib/queue');
  assert.equal(importPathOf(join(APP, 'vendor/example.org/vend/q'), 'q'), 'example.org/vend/q');
  assert.equal(importPathOf('/gopath/src/github.com/x/y', 'y'), 'github.com/x/y');
});

test('index across module cache and vendor: resources and callees carry their import paths', async () => {
  const { files } = await locateSource([DUMP_PATHS.queue, DUMP_PATHS.vendored], { roots: [APP], cwd: DIR, env: { GOMODCACHE: MODCACHE } });
  const index = await buildIndex(files, { cacheDir: null });
  const main = index.functions.get('main.main');
  assert.ok(main);
  assert.deepEqual(main.calls.map((c) => c.callees),
    [['github.com/acme/app/netsync.New'], ['github.com/acme/app/netsync.(*Manager).Run'], ['github.com/BigCorp/lib/queue.Push'], ['example.org/vend/q.Wait']]);
  assert.equal(index.sitesByResource.get('github.com/BigCorp/lib/queue.items')?.length, 2);
  assert.deepEqual(index.sitesByResource.get('example.org/vend/q.ready')?.map((s) => s.kind).sort(), ['chan-close', 'chan-receive']);
  assert.equal(index.sitesByResource.get('github.com/acme/app/netsync.Manager.msgChan')?.[0]?.kind, 'chan-send');
});

test('build constraints: a default linux/amd64 build', () => {
  assert.equal(evalBuildExpr('linux && amd64'), true);
  assert.equal(evalBuildExpr('!deadlock'), true);
  assert.equal(evalBuildExpr('deadlock'), false);
  assert.equal(evalBuildExpr('(darwin || windows) && !cgo'), false);
  assert.equal(evalBuildExpr('go1.18'), true);
  assert.equal(isBuilt('sync.go', '// +build !deadlock\n\npackage sync\n'), true);
  assert.equal(isBuilt('deadlock.go', '// +build deadlock\n\npackage sync\n'), false);
  assert.equal(isBuilt('x_windows.go', 'package x\n'), false);
  assert.equal(isBuilt('x_linux_amd64_test.go', 'package x\n'), true);
  assert.equal(isBuilt('x_darwin_arm64.go', 'package x\n'), false);
  assert.equal(isBuilt('long_name.go', 'package x\n'), true);
});

test('facts cache: a second build reads every file from it and gives the same index', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'gridlock-source-cache-'));
  try {
    const { files } = await locateSource([], { roots: [APP], cwd: DIR, env: {} });
    const coldProgress: number[] = [];
    const cold = await buildIndex(files, { cacheDir, onProgress: (done) => coldProgress.push(done) });
    // The content-addressed facts store (cache.ts) and the linked index of these files (index-cache.ts).
    assert.deepEqual(readdirSync(cacheDir).sort(), [`facts-v${FACTS_VERSION}`, 'index-v1']);
    assert.equal(coldProgress.length, files.length);
    assert.equal(coldProgress[coldProgress.length - 1], files.length);
    const warmProgress: number[] = [];
    const warm = await buildIndex(files, { cacheDir, onProgress: (done) => warmProgress.push(done) });
    // Nothing left to parse: no progress to report.
    assert.deepEqual(warmProgress, []);
    assert.deepEqual([...warm.functions.keys()].sort(), [...cold.functions.keys()].sort());
    assert.deepEqual([...warm.sitesByResource.keys()].sort(), [...cold.sitesByResource.keys()].sort());
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('bad input never throws: unreadable paths and broken Go give warnings and partial facts', async () => {
  const broken = join(DIR, 'broken.go.txt');
  const index = await buildIndex([join(DIR, 'no-such-file.go'), broken, join(APP, 'main.go')], { cacheDir: null });
  assert.ok(index.warnings.some((w) => w.includes('no-such-file.go') && w.includes('cannot read')));
  assert.ok(index.warnings.some((w) => w.includes('broken.go.txt') && w.includes('syntax errors')));
  assert.ok(index.functions.has('main.main'));
  // The broken file's well-formed function is still indexed.
  assert.ok(index.functions.has('main.stillFine'));
});

test('parsing on worker threads gives the same index as parsing here', { timeout: 60_000 }, async () => {
  const root = resolve('testdata/source/ops');
  const { files } = await locateSource([], { roots: [root], cwd: root, env: {} });
  const here = await buildIndex(files, { cacheDir: null, workers: 0 });
  const progress: number[] = [];
  // Every file left to the workers, so that they, not this thread, parse them.
  const onWorkers = await buildIndex(files, { cacheDir: null, workers: 2, parseHere: false, onProgress: (done) => progress.push(done) });
  assert.deepEqual(onWorkers.warnings, []);
  assert.equal(progress.length, files.length);
  const summary = (index: typeof here) => [...index.sitesByResource].map(([name, sites]) => `${name}:${sites.map((s) => `${s.kind}@${s.line}`).join(',')}`).sort();
  assert.deepEqual([...onWorkers.functions.keys()].sort(), [...here.functions.keys()].sort());
  assert.deepEqual(summary(onWorkers), summary(here));
});
