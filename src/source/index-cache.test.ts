// The index cached whole: a run over unchanged source gets the very index the linker made (equal,
// with its shared sites shared), any change to what the index depends on is a miss, a damaged
// entry is a miss, and a run's own warnings are not carried into later runs.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildIndex, locateSource } from './index.js';
import { FACTS_VERSION } from './facts.js';
import { IndexCache } from './index-cache.js';
import type { SourceIndex } from './types.js';

const scratch = mkdtempSync(join(tmpdir(), 'gridlock-index-cache-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let count = 0;
const freshDir = () => mkdtempSync(join(scratch, `c${++count}-`));

const PROGRAMS = resolve('testdata/programs');
const APP = resolve('testdata/source/locate/app');

async function filesOf(root: string): Promise<string[]> {
  return (await locateSource([], { roots: [root], cwd: root, env: {} })).files;
}

function indexEntries(cacheDir: string): string[] {
  const root = join(cacheDir, 'index-v1');
  return existsSync(root) ? readdirSync(root).map((name) => join(root, name)) : [];
}

/** Every site listed by resource is the very object its function holds (in its operations or a select's cases). */
function assertSitesShared(index: SourceIndex): void {
  const held = new Set<object>();
  for (const fn of index.functions.values()) {
    for (const op of fn.operations) {
      held.add(op);
      for (const c of op.cases ?? []) held.add(c);
    }
  }
  for (const [name, sites] of index.sitesByResource) for (const site of sites) assert.ok(held.has(site), `a site of ${name} is a copy`);
}

test('over unchanged source the stored index is the linked one: equal, with its sites shared, for every program', { timeout: 120_000 }, async () => {
  const dirs = readdirSync(PROGRAMS, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(PROGRAMS, e.name));
  assert.ok(dirs.length >= 50);
  for (const dir of dirs) {
    const files = await filesOf(dir);
    const linked = await buildIndex(files, { cacheDir: null });
    const cacheDir = freshDir();
    await buildIndex(files, { cacheDir });
    // Without the facts entries a miss would parse every file again: no progress means the index came whole.
    rmSync(join(cacheDir, `facts-v${FACTS_VERSION}`), { recursive: true, force: true });
    const progress: number[] = [];
    const stored = await buildIndex(files, { cacheDir, onProgress: (done) => progress.push(done) });
    assert.deepEqual(progress, [], dir);
    assert.deepEqual(stored, linked, dir);
    assertSitesShared(stored);
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('a changed file, another order of files or another module path is another key', async () => {
  const cache = new IndexCache(freshDir(), FACTS_VERSION, [import.meta.url]);
  const files = [
    { file: '/t/a.go', hash: 'a'.repeat(40), dirImportPath: 'example.com/t' },
    { file: '/t/b.go', hash: 'b'.repeat(40), dirImportPath: 'example.com/t' },
  ];
  const key = cache.key(files);
  assert.match(key ?? '', /^[0-9a-f]{40}$/);
  assert.equal(cache.key(files.map((f) => ({ ...f }))), key);
  assert.notEqual(cache.key([files[0], { ...files[1], hash: 'c'.repeat(40) }]), key);
  assert.notEqual(cache.key([files[1], files[0]]), key);
  assert.notEqual(cache.key(files.map((f) => ({ ...f, dirImportPath: 'example.com/u' }))), key);
  assert.notEqual(new IndexCache(freshDir(), FACTS_VERSION + 1, [import.meta.url]).key(files), key);
});

test('an edit to a file or to go.mod gives the index of the new source, never the stored one', async () => {
  const tree = join(freshDir(), 'app');
  cpSync(APP, tree, { recursive: true });
  const cacheDir = freshDir();
  const files = await filesOf(tree);
  const before = await buildIndex(files, { cacheDir });
  assert.ok([...before.functions.keys()].some((k) => k.startsWith('github.com/acme/app/')));
  writeFileSync(join(tree, 'go.mod'), 'module example.com/renamed\n\ngo 1.21\n');
  const renamed = await buildIndex(files, { cacheDir });
  assert.ok([...renamed.functions.keys()].some((k) => k.startsWith('example.com/renamed/')));
  assert.ok(![...renamed.functions.keys()].some((k) => k.startsWith('github.com/acme/app/')));
  const main = files.find((f) => f.endsWith('main.go'))!;
  writeFileSync(main, `${readFileSync(main, 'utf8')}\nfunc addedByTheEdit(ch chan int) { ch <- 1 }\n`);
  const edited = await buildIndex(files, { cacheDir });
  assert.ok(edited.functions.has('main.addedByTheEdit'));
  assert.equal(indexEntries(cacheDir).length, 3);
});

test('a damaged entry is a miss: the index is linked again and the entry rewritten', async () => {
  const cacheDir = freshDir();
  const files = await filesOf(APP);
  const linked = await buildIndex(files, { cacheDir });
  const [entry] = indexEntries(cacheDir);
  const whole = readFileSync(entry);
  writeFileSync(entry, whole.subarray(0, Math.floor(whole.length / 2)));
  assert.deepEqual(await buildIndex(files, { cacheDir }), linked);
  assert.deepEqual(readFileSync(entry), whole);
  const other = Buffer.from(whole);
  other.write('0'.repeat(40), 4, 'latin1'); // names another key
  writeFileSync(entry, other);
  assert.deepEqual(await buildIndex(files, { cacheDir }), linked);
});

test('a file this run could not read is its warning alone: the stored index does not repeat it', async () => {
  const cacheDir = freshDir();
  const files = [...(await filesOf(APP)), join(APP, 'no-such-file.go')];
  const first = await buildIndex(files, { cacheDir });
  const second = await buildIndex(files, { cacheDir });
  const unread = (index: SourceIndex) => index.warnings.filter((w) => w.includes('no-such-file.go'));
  assert.equal(unread(first).length, 1);
  assert.deepEqual(second.warnings, first.warnings);
});

test('only the newest few entries are kept', async () => {
  const cacheDir = freshDir();
  const dirs = readdirSync(PROGRAMS).slice(0, 6);
  for (const dir of dirs) await buildIndex(await filesOf(join(PROGRAMS, dir)), { cacheDir });
  assert.equal(indexEntries(cacheDir).length, 4);
  // A hit makes an entry new again: the oldest of the four (the third tree's) is read, then a new
  // entry pushes out the fourth tree's, not the third's.
  const isStored = async (dir: string) => {
    rmSync(join(cacheDir, `facts-v${FACTS_VERSION}`), { recursive: true, force: true });
    const progress: number[] = [];
    await buildIndex(await filesOf(join(PROGRAMS, dir)), { cacheDir, onProgress: (done) => progress.push(done) });
    return progress.length === 0;
  };
  assert.ok(await isStored(dirs[2]));
  await buildIndex(await filesOf(join(PROGRAMS, dirs[0])), { cacheDir });
  assert.ok(await isStored(dirs[2]), 'the entry read last is kept');
  assert.ok(!(await isStored(dirs[3])), 'the entry read least recently is gone');
});
