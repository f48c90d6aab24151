// Diagnosis end to end: a 100,000-goroutine dump against a generated 500-file / 150,000-line Go
// tree, the way a user runs it (`gridlock dump --source tree --json`), cold and with the index
// cache (the median of a few runs each); then the same pipeline in-process (the built modules),
// stage by stage. Target on 2 cores: under 5 s end to end.
//   node --import tsx bench/diagnosis-bench.ts [--goroutines 100000] [--creators 1] [--runs 3]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateGoTree } from './gen-go-tree.js';
import type { OperationSite, SourceIndex } from '../src/source/types.js';

const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const GOROUTINES = flag('--goroutines', 100_000);
/** Distinct creation sites: with more of them than blocking sites, groups multiply (grouping keeps creators apart). */
const CREATORS = flag('--creators', 1);
/** Runs of each end-to-end row, whose median is the figure. */
const RUNS = flag('--runs', 3);
const TARGET_MS = 5000;
/** The installed command: package.json's bin. */
const bin = resolve((JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> }).bin.gridlock);
const treeDir = resolve('bench/out/diagnosis-tree');
const dumpPath = resolve('bench/out/diagnosis-dump.txt');
/** The path the tree had on the machine that "crashed": the dump's paths are mapped back by suffix. */
const CRASH_ROOT = '/build/src/example.com/benchtree';

// The in-process rows run the built modules too, as the command does (and so share its cached index).
if (!existsSync(bin)) spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
const built = <T>(path: string): Promise<T> => import(resolve('dist', path)) as Promise<T>;
const { buildIndex, locateSource } = await built<typeof import('../src/source/index.js')>('source/index.js');
const { groupGoroutines, readDumpText } = await built<typeof import('../src/dump/index.js')>('dump/index.js');
const { analyzeDump } = await built<typeof import('../src/analyze.js')>('analyze.js');
const { renderJson } = await built<typeof import('../src/report/index.js')>('report/index.js');

const STATE_OF: Partial<Record<OperationSite['kind'], string>> = {
  'chan-send': 'chan send',
  'chan-range': 'chan receive',
  'chan-receive': 'chan receive',
  select: 'select',
  'mutex-lock': 'sync.Mutex.Lock',
  'rwmutex-rlock': 'sync.RWMutex.RLock',
};

/** A dump whose goroutines block at real operation sites of the tree, in a few hundred distinct stacks. */
function writeDump(index: SourceIndex, total: number): { stacks: number } {
  const sites: OperationSite[] = [];
  for (const fn of index.functions.values()) {
    for (const op of fn.operations) if (STATE_OF[op.kind] && !op.deferred) sites.push(op);
  }
  const stacks = sites.filter((_, i) => i % Math.max(1, Math.floor(sites.length / 400)) === 0).slice(0, 400);
  const parts: string[] = [];
  for (let id = 1; id <= total; id++) {
    // A skewed spread: a few large crowds, a long tail of small groups.
    const pick = id % 10 < 6 ? id % 8 : Math.floor(id / 10) % stacks.length;
    const site = stacks[pick];
    const file = `${CRASH_ROOT}/${site.file.slice(treeDir.length + 1)}`;
    const runtimeTop = site.kind === 'mutex-lock' ? 'internal/sync.runtime_SemacquireMutex(0xc000123456?, 0x0?, 0x1?)\n\t/usr/local/go/src/runtime/sema.go:95 +0x25\nsync.(*Mutex).Lock(...)\n\t/usr/local/go/src/sync/mutex.go:46\n' : '';
    parts.push(
      `goroutine ${id} [${STATE_OF[site.kind]}${id % 7 === 0 ? `, ${id % 90} minutes` : ''}]:\n${runtimeTop}${site.function}(0xc000${(id * 64).toString(16).padStart(6, '0')})\n\t${file}:${site.line} +0x${(40 + (id % 200)).toString(16)}\n` +
        `created by main.main in goroutine 1\n\t${CRASH_ROOT}/main.go:${20 + (id % CREATORS)} +0x1a5\n\n`,
    );
  }
  writeFileSync(dumpPath, parts.join(''));
  return { stacks: stacks.length };
}

function runCli(args: string[]): { ms: number; status: number | null; bytes: number } {
  const start = performance.now();
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - start;
  if (r.status !== 0 && r.status !== 1) throw new Error(`gridlock failed (${r.status}): ${r.stderr}`);
  return { ms, status: r.status, bytes: r.stdout.length };
}

const line = (label: string, ms: number, limit?: number) => {
  if (limit !== undefined && ms > limit) process.exitCode = 1;
  console.log(`${label.padEnd(50)} ${ms.toFixed(0).padStart(6)} ms${limit ? `  (limit ${limit} ms: ${ms <= limit ? 'ok' : 'OVER'})` : ''}`);
};

const tree = generateGoTree(treeDir, { files: 500, linesPerFile: 300, packages: 25 });
console.log(`tree: ${tree.files} files, ${tree.lines} lines; dump: ${GOROUTINES} goroutines`);
const { files } = await locateSource([], { roots: [treeDir], cwd: treeDir, env: {} });
const { stacks } = writeDump(await buildIndex(files, { cacheDir: null }), GOROUTINES);
console.log(`dump: ${(readFileSync(dumpPath).length / 1e6).toFixed(1)} MB, ${stacks} distinct blocking sites`);

/** The median of `runs` runs, and their spread: one run on a shared 2-core machine varies by a fifth. */
function medianOf(runs: number, run: () => number): { ms: number; spread: string } {
  const times = Array.from({ length: runs }, run).sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], spread: `${times[0].toFixed(0)}–${times[times.length - 1].toFixed(0)}` };
}

const cacheHome = mkdtempSync(join(tmpdir(), 'gridlock-diag-cache-'));
try {
  const args = [dumpPath, '--source', treeDir, '--json', '--cache-dir', cacheHome];
  // Each cold run starts from an empty cache; the last one leaves it filled for the cached runs.
  const cold = medianOf(RUNS, () => {
    rmSync(cacheHome, { recursive: true, force: true });
    return runCli(args).ms;
  });
  line(`end to end, cold index (median of ${RUNS}: ${cold.spread})`, cold.ms, TARGET_MS);
  const cached = medianOf(RUNS, () => runCli(args).ms);
  line(`end to end, cached index (median of ${RUNS}: ${cached.spread})`, cached.ms, TARGET_MS);
  line('end to end, no source (gridlock --json)', runCli([dumpPath, '--json']).ms);

  // In-process, stage by stage, the index cached. The command's cached index is the bundle's: a
  // cached index is keyed by the code that made it, so these modules cache their own first.
  await buildIndex((await locateSource([], { roots: [treeDir], cwd: treeDir, env: {} })).files, { cacheDir: cacheHome });
  let t = performance.now();
  const input = readDumpText(readFileSync(dumpPath, 'utf8'));
  line('read dump', performance.now() - t);
  t = performance.now();
  const groups = groupGoroutines(input.snapshots[0].goroutines);
  line(`group (${groups.length} groups)`, performance.now() - t);
  t = performance.now();
  const { report } = await analyzeDump(input, { sourceRoots: [treeDir], cwd: treeDir, env: {}, cacheDir: cacheHome });
  line(`group + index (cached) + diagnose (${report.findings.length} findings)`, performance.now() - t, 2000);
  t = performance.now();
  renderJson(report);
  line('render JSON', performance.now() - t);
} finally {
  rmSync(cacheHome, { recursive: true, force: true });
}
