// Small runs must feel instant. Two rows, each a ratio of two commands timed in the same run
// (interleaved, median of --runs each, so a busy machine slows both alike):
//   1. a 5-goroutine dump without source, against `node -e 0`               target ≤ 1.6×
//   2. the same dump with its source, the index cache grown by four large
//      projects, against a cache that holds only this project                 target ≤ 1.2×
// Runs the built command (package.json's bin). Exits 1 when a row misses its target.
//   node --import tsx bench/startup-bench.ts [--runs 21]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateGoTree } from './gen-go-tree.js';
import { buildIndex, locateSource } from '../src/source/index.js';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Math.max(3, Number(process.argv[runsArg + 1])) : 21;
const cli = resolve((JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> }).bin.gridlock);
const project = resolve('examples/btcd-shape');

/** The example's dump cut to its first `count` distinct stacks, one goroutine each. */
function smallDump(path: string, count: number): number {
  const blocks = readFileSync(join(project, 'dump.txt'), 'utf8').split(/\n\s*\n/).filter((b) => b.startsWith('goroutine '));
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const block of blocks) {
    const stack = block.replace(/^goroutine \d+/, '').replace(/0x[0-9a-f]+/g, '');
    if (seen.has(stack) || kept.length === count) continue;
    seen.add(stack);
    kept.push(block);
  }
  writeFileSync(path, `${kept.join('\n\n')}\n`);
  return kept.length;
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(path) : statSync(path).size;
  }
  return total;
}

const scratch = mkdtempSync(join(tmpdir(), 'gridlock-startup-bench-'));
let failed = false;
try {
  const neutral = join(scratch, 'cwd'); // no go.mod: nothing found without --source
  const emptyModCache = join(scratch, 'gomodcache');
  mkdirSync(neutral);
  mkdirSync(emptyModCache);
  const env = { ...process.env, GOMODCACHE: emptyModCache, NO_COLOR: '1', XDG_CACHE_HOME: join(scratch, 'xdg') };
  const dump = join(scratch, 'small.txt');
  const goroutines = smallDump(dump, 5);

  const time = (args: string[]): number => {
    const start = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: neutral, env, stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = performance.now() - start;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return ms;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  /** Interleaved runs of two commands; each one's median. */
  const compare = (a: string[], b: string[]): [number, number] => {
    time(a);
    time(b); // warm the file system cache
    const ta: number[] = [];
    const tb: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      ta.push(time(a));
      tb.push(time(b));
    }
    return [median(ta), median(tb)];
  };
  const row = (label: string, ms: number, baseLabel: string, base: number, target: number) => {
    const ratio = ms / base;
    const ok = ratio <= target;
    if (!ok) failed = true;
    console.log(`${label.padEnd(58)} ${ms.toFixed(0).padStart(5)} ms  vs ${baseLabel} ${base.toFixed(0)} ms: ${ratio.toFixed(2)}× (target ≤ ${target}×: ${ok ? 'ok' : 'MISSED'})`);
  };

  console.log(`dump: ${goroutines} goroutines; ${RUNS} interleaved runs per command, medians`);
  const [plain, node] = compare([cli, dump], ['-e', '0']);
  row(`${goroutines}-goroutine dump, no source`, plain, 'node -e 0', node, 1.6);

  // A cache holding only this project, and one grown by four large projects first.
  const small = join(scratch, 'cache-small');
  const grown = join(scratch, 'cache-grown');
  const withSource = (cache: string) => [cli, dump, '--source', project, '--cache-dir', cache];
  time(withSource(small));
  for (let i = 1; i <= 4; i++) {
    const tree = join(scratch, `project${i}`);
    generateGoTree(tree, { files: 500, linesPerFile: 300, packages: 25, module: `example.com/large${i}` });
    const start = performance.now();
    const { files } = await locateSource([], { roots: [tree], cwd: tree, env: {} });
    await buildIndex(files, { cacheDir: grown });
    console.log(`  grown cache: project ${i} (${files.length} files, 150,000 lines) indexed in ${(performance.now() - start).toFixed(0)} ms`);
    rmSync(tree, { recursive: true, force: true });
  }
  time(withSource(grown));
  console.log(`  cache sizes: only this project ${(dirBytes(small) / 1e6).toFixed(2)} MB, grown ${(dirBytes(grown) / 1e6).toFixed(1)} MB`);
  const [grownMs, smallMs] = compare(withSource(grown), withSource(small));
  row(`${goroutines}-goroutine dump with source, cache grown by 4 projects`, grownMs, 'only this project', smallMs, 1.2);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
