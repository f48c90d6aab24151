// `npm run bench`: every benchmark in its own process, one after the other, so that timings and
// memory peaks do not disturb each other. Each prints its figures and the targets they meet, and
// exits non-zero when one is missed; so does this runner. The command is built first, since the
// end-to-end rows run dist/cli/main.js.
import { spawnSync } from 'node:child_process';

const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const benches: [string, string, ...string[]][] = [
  ['start-up: small runs against node -e 0 and a small cache', 'bench/startup-bench.ts'],
  ['dump reader: read + group vs. stream + split lines', 'bench/dump-bench.ts'],
  ['source index: 700 files / 210,000 lines, cold and cached', 'bench/source-bench.ts'],
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
  if (r.status !== 0) {
    failed = true;
    console.log(`== MISSED: ${title} (exit ${r.status})`);
  }
}
process.exit(failed ? 1 : 0);
