// `npm run bench`: every benchmark in its own process, one after the other, so that timings and
// memory peaks do not disturb each other. Each prints its figures and the targets they meet.
import { spawnSync } from 'node:child_process';

const benches: [string, string, ...string[]][] = [
  ['dump reader: read + group vs. stream + split lines', 'bench/dump-bench.ts'],
  ['source index: 500 files / 150,000 lines, cold and cached', 'bench/source-bench.ts'],
  ['diagnosis: 100,000 goroutines against the 500-file tree', 'bench/diagnosis-bench.ts'],
  // Goroutines created at 97 places: grouping keeps creators apart, so about 34,000 groups.
  ['diagnosis, stress: the same dump in about 34,000 groups', 'bench/diagnosis-bench.ts', '--creators', '97'],
];
const only = process.argv.slice(2);
let failed = false;
for (const [title, file, ...args] of benches) {
  if (only.length > 0 && !only.some((o) => file.includes(o))) continue;
  console.log(`\n== ${title} (${file})`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
