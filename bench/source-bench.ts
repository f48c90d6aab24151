// Source-stage benchmark: index a generated 700-file / 210,000-line Go tree in 35 packages cold
// (no cache: parsed on this thread and a worker thread per other core, and linked) and warm (the
// same tree again: the index from the cache). Targets on 2 cores: cold under 3 s, warm under
// 0.5 s. Writing the cache entries a build adds (each parsed file's facts, the linked index) is
// timed on a row of its own: the command does it once its answer is out (IndexOptions.storeLater). A last row, with no target, edits one
// file: its facts are parsed again, the others' read from the cache, and the whole linked again.
// Runs the built code (dist/), as the command does: `npm run bench` builds it first.
// Usage: node --import tsx bench/source-bench.ts
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateGoTree } from './gen-go-tree.js';

const built = resolve('dist/source/index.js');
const { buildIndex, locateSource } = (await import(built).catch(() => {
  console.error(`${built} is missing: run npm run build first`);
  process.exit(2);
})) as typeof import('../src/source/index.js');

const treeDir = resolve('bench/out/go-tree');
const shape = generateGoTree(treeDir, { files: 700, linesPerFile: 300, packages: 35 });
console.log(`tree: ${shape.files} files, ${shape.lines} lines, ${(shape.bytes / 1e6).toFixed(1)} MB`);

const cacheDir = mkdtempSync(join(tmpdir(), 'gridlock-bench-cache-'));
try {
  const { files } = await locateSource([], { roots: [treeDir], cwd: treeDir, env: {} });
  const verdict = (ms: number, limitMs: number | null) => {
    if (limitMs === null) return 'no target';
    if (ms > limitMs) process.exitCode = 1;
    return `limit ${limitMs} ms, ${ms <= limitMs ? 'ok' : 'OVER'}`;
  };
  const timed = async (label: string, limitMs: number | null) => {
    const stores: (() => void)[] = [];
    const start = performance.now();
    const index = await buildIndex(files, { cacheDir, storeLater: (store) => stores.push(store) });
    const ms = performance.now() - start;
    console.log(`${label}: ${ms.toFixed(0)} ms (${verdict(ms, limitMs)}); ${index.functions.size} functions, ${index.sitesByResource.size} resources, ${index.warnings.length} warnings`);
    if (stores.length === 0) return;
    const storing = performance.now();
    for (const store of stores) store();
    console.log(`  then storing facts and index for later runs: ${(performance.now() - storing).toFixed(0)} ms (after the answer; no target)`);
  };
  await timed('cold', 3000);
  await timed('warm', 500);
  await timed('warm again', 500);
  const edited = files[Math.floor(files.length / 2)];
  const original = readFileSync(edited);
  appendFileSync(edited, '\n// an edit\n');
  try {
    await timed('one file edited', null);
  } finally {
    writeFileSync(edited, original);
  }
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
