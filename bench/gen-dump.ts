// Writes a large, realistic goroutine dump (debug=2 / SIGQUIT shape) for the benchmark:
// a few hundred distinct stacks of 5–25 frames, pointer arguments that vary per goroutine,
// states and wait minutes drawn from a small mix.
//   node --import tsx bench/gen-dump.ts 100000 bench/out/dump-100k.txt
import { createWriteStream } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** A small deterministic generator so that every run writes the same file. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x100000000;
  };
}

const states = ['chan receive', 'chan send', 'select', 'sync.Mutex.Lock', 'IO wait', 'sync.WaitGroup.Wait', 'semacquire', 'sleep'];
const packages = ['main', 'github.com/acme/server/internal/peer', 'github.com/acme/server/netsync', 'net/http', 'github.com/acme/server/blockchain'];

interface StackShape { state: string; frames: Array<{ fn: string; file: string; line: number; offset: number; args: number }>; creator: string }

function makeStacks(count: number, next: () => number): StackShape[] {
  const stacks: StackShape[] = [];
  for (let s = 0; s < count; s++) {
    const depth = 5 + Math.floor(next() * next() * 21); // 5–25, mostly short
    const frames = [];
    frames.push({ fn: 'runtime.gopark', file: '/usr/local/go/src/runtime/proc.go', line: 462, offset: 0xce, args: 5 });
    for (let d = 1; d < depth; d++) {
      const pkg = packages[Math.floor(next() * packages.length)];
      const receiver = next() < 0.6 ? `(*T${Math.floor(next() * 40)}).` : '';
      const fn = `${pkg}.${receiver}fn${Math.floor(next() * 500)}${next() < 0.2 ? '.func1' : ''}`;
      frames.push({ fn, file: `/src/${pkg}/f${Math.floor(next() * 60)}.go`, line: 1 + Math.floor(next() * 3000), offset: Math.floor(next() * 0x400), args: Math.floor(next() * 4) });
    }
    stacks.push({ state: states[Math.floor(next() * states.length)], frames, creator: `main.start${s % 17}` });
  }
  return stacks;
}

export async function generateDump(goroutines: number, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const next = random(42);
  const stacks = makeStacks(300, next);
  const out = createWriteStream(path);
  let buffer = '';
  const flush = async () => {
    if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    buffer = '';
  };
  for (let id = 1; id <= goroutines; id++) {
    // Skewed choice: a few stacks hold most goroutines, like a real pile-up.
    const stack = stacks[Math.floor(Math.pow(next(), 3) * stacks.length)];
    const minutes = next() < 0.3 ? `, ${1 + Math.floor(next() * 60)} minutes` : '';
    buffer += `goroutine ${id} [${stack.state}${minutes}]:\n`;
    for (const frame of stack.frames) {
      const args: string[] = [];
      for (let a = 0; a < frame.args; a++) args.push('0xc' + Math.floor(next() * 0xfffffff).toString(16).padStart(9, '0'));
      buffer += `${frame.fn}(${args.join(', ')})\n\t${frame.file}:${frame.line} +0x${frame.offset.toString(16)}\n`;
    }
    buffer += `created by ${stack.creator} in goroutine 1\n\t/home/build/src/main/main.go:${100 + (id % 7)} +0x25\n\n`;
    if (buffer.length > 1 << 20) await flush();
  }
  await flush();
  await new Promise<void>((resolve) => out.end(resolve));
}

if (process.argv[1]?.endsWith('gen-dump.ts')) {
  const count = Number(process.argv[2] ?? 100000);
  const path = process.argv[3] ?? `bench/out/dump-${count}.txt`;
  await generateDump(count, path);
  console.log(`wrote ${path}`);
}
