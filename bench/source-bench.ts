// Source-stage benchmark: index a generated 700-file / 210,000-line Go tree in 35 packages cold
// (no cache: parsed on this thread and a worker thread per other core) and warm (facts from the
// on-disk cache). Targets on 2 cores: cold under 3 s, warm under 0.5 s.
// Usage: node --import tsx bench/source-bench.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildIndex, locateSource } from '../src/source/index.js';
import { generateGoTree } from './gen-go-tree.js';

const treeDir = resolve('bench/out/go-tree');
const shape = generateGoTree(treeDir, { files: 700, linesPerFile: 300, packages: 35 });
console.log(`tree: ${shape.files} files, ${shape.lines} lines, ${(shape.bytes / 1e6).toFixed(1)} MB`);

const cacheDir = mkdtempSync(join(tmpdir(), 'gridlock-bench-cache-'));
try {
  const { files } = await locateSource([], { roots: [treeDir], cwd: treeDir, env: {} });
  const timed = async (label: string, limitMs: number) => {
    const start = performance.now();
    const index = await buildIndex(files, { cacheDir });
    const ms = performance.now() - start;
    const verdict = ms <= limitMs ? 'ok' : 'OVER';
    if (ms > limitMs) process.exitCode = 1;
    console.log(`${label}: ${ms.toFixed(0)} ms (limit ${limitMs} ms, ${verdict}); ${index.functions.size} functions, ${index.sitesByResource.size} resources, ${index.warnings.length} warnings`);
    return ms;
  };
  await timed('cold', 3000);
  await timed('warm', 500);
  await timed('warm again', 500);
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
