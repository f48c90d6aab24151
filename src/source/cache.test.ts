// The facts cache as a content-addressed store: one entry per file content, damaged entries are
// misses, concurrent writers never leave half an entry, the size cap evicts the least recently used.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { buildIndex, locateSource } from './index.js';
import { FactsStore } from './cache.js';
import { FACTS_VERSION } from './facts.js';

const scratch = mkdtempSync(join(tmpdir(), 'gridlock-store-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let count = 0;
const freshDir = () => mkdtempSync(join(scratch, `c${++count}-`));

const OPS = resolve('testdata/source/ops');
const APP = resolve('testdata/source/locate/app');

async function filesOf(root: string): Promise<string[]> {
  return (await locateSource([], { roots: [root], cwd: root, env: {} })).files;
}

/** Every entry file of the store: `<root>/<2 hex>/<38 hex>.facts`. */
function entries(cacheDir: string): string[] {
  const root = join(cacheDir, `facts-v${FACTS_VERSION}`);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((shard) => /^[0-9a-f]{2}$/.test(shard))
    .flatMap((shard) => readdirSync(join(root, shard)).map((name) => join(root, shard, name)));
}

test('one entry per file content, named by its hash; a warm build parses nothing', async () => {
  const cacheDir = freshDir();
  const files = await filesOf(OPS);
  const distinct = new Set(files.map((f) => readFileSync(f, 'utf8'))).size;
  const cold = await buildIndex(files, { cacheDir });
  const stored = entries(cacheDir);
  assert.equal(stored.length, distinct);
  for (const path of stored) assert.match(path, /[0-9a-f]{2}[/\\][0-9a-f]{38}\.facts$/);
  const progress: number[] = [];
  const warm = await buildIndex(files, { cacheDir, onProgress: (done) => progress.push(done) });
  assert.deepEqual(progress, [], 'nothing parsed');
  assert.deepEqual([...warm.functions.keys()].sort(), [...cold.functions.keys()].sort());
});

test('a damaged entry is a miss: that file alone is parsed again and its entry rewritten', async () => {
  const cacheDir = freshDir();
  const files = await filesOf(OPS);
  const cold = await buildIndex(files, { cacheDir, reuseIndex: false });
  const [first, second] = entries(cacheDir);
  writeFileSync(first, readFileSync(first).subarray(0, 60)); // cut mid-write
  const other = readFileSync(second);
  other.write('0'.repeat(40), 4, 'latin1'); // names another content
  writeFileSync(second, other);
  const progress: number[] = [];
  const again = await buildIndex(files, { cacheDir, reuseIndex: false, onProgress: (done) => progress.push(done) });
  assert.equal(progress.length, 2, 'two files parsed again');
  assert.deepEqual([...again.functions.keys()].sort(), [...cold.functions.keys()].sort());
  const progressAfter: number[] = [];
  await buildIndex(files, { cacheDir, onProgress: (done) => progressAfter.push(done) });
  assert.deepEqual(progressAfter, [], 'the rewritten entries are read');
});

test('over its cap the store drops the least recently used entries first', async () => {
  const cacheDir = freshDir();
  const opsFiles = await filesOf(OPS);
  const appFiles = await filesOf(APP);
  await buildIndex(opsFiles, { cacheDir });
  const opsEntries = new Set(entries(cacheDir));
  const opsBytes = [...opsEntries].reduce((n, p) => n + statSync(p).size, 0);
  // The first project's entries were last used a day ago.
  const dayAgo = new Date(Date.now() - 24 * 3600 * 1000);
  for (const path of opsEntries) utimesSync(path, dayAgo, dayAgo);
  await buildIndex(appFiles, { cacheDir, cacheMaxBytes: Math.floor(opsBytes / 2) });
  const left = entries(cacheDir);
  const total = left.reduce((n, p) => n + statSync(p).size, 0);
  assert.ok(total <= opsBytes / 2, `${total} bytes left, cap ${Math.floor(opsBytes / 2)}`);
  const appLeft = left.filter((p) => !opsEntries.has(p));
  assert.ok(appLeft.length > 0, 'the entries just written stay');
  assert.ok(left.filter((p) => opsEntries.has(p)).length < opsEntries.size, 'old entries went');
});

test('a hit refreshes an entry\'s time, so a project in use is not the one evicted', async () => {
  const cacheDir = freshDir();
  const files = await filesOf(APP);
  await buildIndex(files, { cacheDir, reuseIndex: false });
  const [path] = entries(cacheDir);
  const dayAgo = new Date(Date.now() - 24 * 3600 * 1000);
  utimesSync(path, dayAgo, dayAgo);
  await buildIndex(files, { cacheDir, reuseIndex: false });
  assert.ok(Date.now() - statSync(path).mtimeMs < 3600 * 1000);
});

test('the single-file cache of earlier versions is removed on the first write', async () => {
  const cacheDir = freshDir();
  writeFileSync(join(cacheDir, 'facts-v6.json'), '{}');
  await buildIndex(await filesOf(APP), { cacheDir });
  assert.deepEqual(readdirSync(cacheDir).sort(), [`facts-v${FACTS_VERSION}`, 'index-v1']);
});

test('concurrent writers: two processes filling one store leave whole entries and no temporary files', { timeout: 120_000 }, async () => {
  const cacheDir = freshDir();
  const script = `import { buildIndex, locateSource } from ${JSON.stringify(new URL('./index.ts', import.meta.url).href)};
    const { files } = await locateSource([], { roots: [${JSON.stringify(OPS)}], cwd: ${JSON.stringify(OPS)}, env: {} });
    const index = await buildIndex(files, { cacheDir: ${JSON.stringify(cacheDir)} });
    console.log(index.functions.size);`;
  const run = () =>
    new Promise<{ code: number | null; out: string }>((done) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
      let out = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.on('close', (code) => done({ code, out }));
    });
  const [a, b] = await Promise.all([run(), run()]);
  assert.equal(a.code, 0);
  assert.equal(b.code, 0);
  assert.equal(a.out, b.out);
  const stored = entries(cacheDir);
  assert.ok(stored.length > 0);
  assert.ok(!stored.some((p) => p.endsWith('.tmp')), 'no temporary file left');
  const store = new FactsStore(cacheDir, FACTS_VERSION);
  for (const path of stored) {
    const hash = basename(dirname(path)) + basename(path, '.facts');
    assert.notEqual(store.get(hash), undefined, `entry ${hash} reads whole`);
  }
});

/** A copy of a fixture tree, to edit. */
function copyTree(from: string): string {
  const dir = freshDir();
  cpSync(from, dir, { recursive: true });
  return dir;
}

test('facts stay valid by content: a changed file alone is parsed again, and the index has its new facts', async () => {
  const cacheDir = freshDir();
  const tree = copyTree(OPS);
  const files = await filesOf(tree);
  const cold = await buildIndex(files, { cacheDir });
  const changed = files.find((f) => readFileSync(f, 'utf8').includes('\nfunc '))!;
  const pkg = /^package (\w+)/m.exec(readFileSync(changed, 'utf8'))![1];
  const name = `${pkg === 'main' ? 'main' : pkg}.addedByTheEdit`;
  assert.ok(!cold.functions.has(name));
  writeFileSync(changed, `${readFileSync(changed, 'utf8')}\nfunc addedByTheEdit(ch chan int) { ch <- 1 }\n`);
  const progress: number[] = [];
  const edited = await buildIndex(files, { cacheDir, onProgress: (done) => progress.push(done) });
  assert.equal(progress.length, 1, 'one file parsed again');
  assert.ok([...edited.functions.keys()].some((k) => k.endsWith('.addedByTheEdit')), 'the edit is in the index');
  assert.equal(entries(cacheDir).length, new Set(files.map((f) => readFileSync(f, 'utf8'))).size + 1, 'an entry for the new content beside the old');
  // Back to the old content: its entry is still there, nothing is parsed.
  writeFileSync(changed, readFileSync(join(OPS, relative(tree, changed))));
  const back: number[] = [];
  const restored = await buildIndex(files, { cacheDir, onProgress: (done) => back.push(done) });
  assert.deepEqual(back, []);
  assert.deepEqual([...restored.functions.keys()].sort(), [...cold.functions.keys()].sort());
});

test('entries written by the parse workers are read back whole, and give the index parsed here', { timeout: 60_000 }, async () => {
  const cacheDir = freshDir();
  const files = await filesOf(OPS);
  const here = await buildIndex(files, { cacheDir: null, workers: 0 });
  const onWorkers = await buildIndex(files, { cacheDir, workers: 2, parseHere: false });
  assert.deepEqual(onWorkers.warnings, []);
  assert.ok(!entries(cacheDir).some((p) => p.endsWith('.tmp')));
  const progress: number[] = [];
  const warm = await buildIndex(files, { cacheDir, reuseIndex: false, onProgress: (done) => progress.push(done) });
  assert.deepEqual(progress, [], 'every entry was read');
  const summary = (index: typeof here) => [...index.sitesByResource].map(([name, sites]) => `${name}:${sites.map((s) => `${s.kind}@${s.line}`).join(',')}`).sort();
  assert.deepEqual([...warm.functions.keys()].sort(), [...here.functions.keys()].sort());
  assert.deepEqual(summary(warm), summary(here));
  assert.deepEqual(warm.functions, here.functions);
});

test('a build handed storeLater leaves the index entry to the store, whose promise settles once every entry is written', { timeout: 60_000 }, async () => {
  for (const workers of [0, 2]) {
    const cacheDir = freshDir();
    const files = await filesOf(OPS);
    const stores: (() => Promise<void>)[] = [];
    const cold = await buildIndex(files, { cacheDir, workers, parseHere: workers === 0, storeLater: (store) => stores.push(store) });
    assert.equal(stores.length, 1, `${workers} workers: one store for the facts and the index`);
    // The facts entries are on their way (a worker writes them meanwhile); the index is not.
    assert.ok(!existsSync(join(cacheDir, 'index-v1')) || readdirSync(join(cacheDir, 'index-v1')).length === 0, 'no index entry before the store runs');
    await stores[0]();
    assert.equal(entries(cacheDir).length, new Set(files.map((f) => readFileSync(f, 'utf8'))).size);
    assert.equal(readdirSync(join(cacheDir, 'index-v1')).filter((f) => f.endsWith('.index')).length, 1, 'and the index entry');
    assert.ok(Number(readFileSync(join(cacheDir, `facts-v${FACTS_VERSION}`, 'size'), 'utf8')) > 0, 'the store counted what the worker wrote');
    const progress: number[] = [];
    const fromFacts = await buildIndex(files, { cacheDir, reuseIndex: false, onProgress: (done) => progress.push(done) });
    assert.deepEqual(progress, [], `${workers} workers: every facts entry was read`);
    assert.deepEqual(fromFacts.functions, cold.functions);
    const again: (() => void)[] = [];
    const fromIndex = await buildIndex(files, { cacheDir, storeLater: (store) => again.push(store) });
    assert.deepEqual(again, [], 'the index entry was read: nothing to store');
    assert.deepEqual(fromIndex.functions, cold.functions);
  }
});

test('files with the same content are parsed once and share one entry, and each is indexed', async () => {
  const cacheDir = freshDir();
  const tree = copyTree(APP);
  cpSync(join(tree, 'netsync'), join(tree, 'netsync2'), { recursive: true });
  const files = await filesOf(tree);
  assert.ok(files.some((f) => f.includes('netsync2')));
  const progress: number[] = [];
  const index = await buildIndex(files, { cacheDir, onProgress: (done) => progress.push(done) });
  assert.equal(progress.length, files.length, 'every file counted');
  assert.equal(entries(cacheDir).length, new Set(files.map((f) => readFileSync(f, 'utf8'))).size);
  // Both copies are indexed, each under its own package.
  const names = [...index.functions.keys()];
  const inCopy = names.filter((n) => n.includes('/netsync2.'));
  assert.ok(inCopy.length > 0);
  for (const name of inCopy) assert.ok(index.functions.has(name.replace('/netsync2.', '/netsync.')), name);
  const warm = await buildIndex(files, { cacheDir });
  assert.deepEqual([...warm.functions.keys()].sort(), [...names].sort());
});
