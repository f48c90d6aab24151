// Reading + grouping speed and memory against the floor of merely streaming the file into lines.
//   node --import tsx bench/dump-bench.ts [--sizes 100000,1000000] [--runs 3]
// Each measurement runs in its own child process, which samples process.memoryUsage() every
// 10 ms and reports its peak RSS and heap; the parent prints a table. Both modes run `--runs`
// times, alternating, and each keeps its fastest run (memory figures from that run's process):
// on a shared machine a single run mostly measures the neighbours.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateDump } from './gen-dump.js';
import { groupGoroutines, readDumpStream } from '../src/dump/index.js';

interface Measure { seconds: number; peakRss: number; peakHeap: number; baseRss: number; goroutines: number; groups: number }

async function child(mode: string, path: string): Promise<void> {
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  let peakHeap = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    if (usage.rss > peakRss) peakRss = usage.rss;
    if (usage.heapUsed > peakHeap) peakHeap = usage.heapUsed;
  };
  const timer = setInterval(sample, 10);
  const start = performance.now();
  let goroutines = 0;
  let groups = 0;
  if (mode === 'lines') {
    // The floor: decode and split into lines, touching each line.
    const decoder = new TextDecoder();
    let carry = '';
    let count = 0;
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 16 })) {
      const text = carry + decoder.decode(chunk as Buffer, { stream: true });
      const lines = text.split('\n');
      carry = lines.pop() ?? '';
      count += lines.length;
    }
    goroutines = count;
  } else {
    const result = await readDumpStream(createReadStream(path, { highWaterMark: 1 << 16 }));
    sample();
    const snapshot = result.snapshots[result.snapshots.length - 1];
    goroutines = snapshot.goroutines.length;
    groups = groupGoroutines(snapshot.goroutines).length;
  }
  const seconds = (performance.now() - start) / 1000;
  sample();
  clearInterval(timer);
  const measure: Measure = { seconds, peakRss, peakHeap, baseRss, goroutines, groups };
  process.stdout.write(JSON.stringify(measure));
}

function run(mode: string, path: string, heapMb: number): Measure {
  const self = fileURLToPath(import.meta.url);
  const result = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, '--import', 'tsx', self, '--child', mode, path], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`${mode} ${path} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Measure;
}

const mb = (bytes: number) => (bytes / 1048576).toFixed(0);

async function main(): Promise<void> {
  const sizesArg = process.argv.indexOf('--sizes');
  const sizes = sizesArg > 0 ? process.argv[sizesArg + 1].split(',').map(Number) : [100000, 1000000];
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Math.max(1, Number(process.argv[runsArg + 1])) : 3;
  const benchDir = fileURLToPath(new URL('./out/', import.meta.url));
  console.log('goroutines | file MB | lines s | read+group s | ratio | peak RSS MB (over start) | peak heap MB | heap/file | groups');
  for (const size of sizes) {
    const path = `${benchDir}dump-${size}.txt`;
    if (!existsSync(path)) await generateDump(size, path);
    const fileBytes = statSync(path).size;
    const heapMb = Math.max(512, Math.ceil(fileBytes / 1048576) * 2);
    let lines = run('lines', path, heapMb);
    let read = run('read', path, heapMb);
    for (let i = 1; i < runs; i++) {
      const nextLines = run('lines', path, heapMb);
      if (nextLines.seconds < lines.seconds) lines = nextLines;
      const nextRead = run('read', path, heapMb);
      if (nextRead.seconds < read.seconds) read = nextRead;
    }
    const ratio = read.seconds / lines.seconds;
    console.log([
      size, mb(fileBytes), lines.seconds.toFixed(2), read.seconds.toFixed(2), ratio.toFixed(2),
      `${mb(read.peakRss)} (${mb(read.peakRss - read.baseRss)})`, mb(read.peakHeap), (read.peakHeap / fileBytes).toFixed(2), read.groups,
    ].join(' | '));
    if (read.goroutines !== size) console.log(`  warning: read ${read.goroutines} goroutines, expected ${size}`);
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
else await main();
