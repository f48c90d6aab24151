// Generates a synthetic Go module for the benchmarks (by default 500 files, 150,000 lines, in 25
// packages; the source-stage benchmark asks for 700 in 35) whose packages import each other, with
// the constructs the index looks at (struct fields of channel and lock types, methods, closures,
// selects, go statements, lock/unlock pairs).
// Deterministic, so runs compare. Usage: gen-go-tree.ts [outDir] [files] [linesPerFile]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TreeShape {
  files: number;
  linesPerFile: number;
  packages: number;
  /** The module path (default example.com/benchtree): trees with different ones differ in every file. */
  module?: string;
}

export function generateGoTree(outDir: string, shape: TreeShape): { files: number; lines: number; bytes: number } {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'go.mod'), `module ${shape.module ?? 'example.com/benchtree'}\n\ngo 1.21\n`);
  let lines = 0;
  let bytes = 0;
  for (let f = 0; f < shape.files; f++) {
    const pkgIndex = f % shape.packages;
    const pkg = `pkg${pkgIndex}`;
    const dir = join(outDir, pkg);
    mkdirSync(dir, { recursive: true });
    const text = goFile(pkg, pkgIndex, f, shape);
    writeFileSync(join(dir, `file${f}.go`), text);
    lines += text.split('\n').length - 1;
    bytes += text.length;
  }
  return { files: shape.files, lines, bytes };
}

/** One file: a header, then blocks of about 30 lines until the line budget is spent. */
function goFile(pkg: string, pkgIndex: number, fileIndex: number, shape: TreeShape): string {
  const out: string[] = [];
  const importsOther = pkgIndex > 0;
  const other = `pkg${pkgIndex - 1}`;
  out.push(`// Code generated for the gridlock benchmark. DO NOT EDIT.`, `package ${pkg}`, '', 'import (', '\t"context"', '\t"sync"', '\t"time"');
  if (importsOther) out.push(`\n\t"${shape.module ?? 'example.com/benchtree'}/${other}"`);
  out.push(')', '');
  let block = 0;
  while (out.length < shape.linesPerFile - 30) {
    const t = `T${fileIndex}x${block}`;
    out.push(
      `// ${t} is a worker with a queue, a lock and a stop channel.`,
      `type ${t} struct {`,
      '\tmu      sync.Mutex',
      '\trw      sync.RWMutex',
      '\tqueue   chan int',
      '\tdone    chan struct{}',
      '\twg      sync.WaitGroup',
      importsOther ? `\tpeer    *${other}.T${fileIndex - 1}x${block}` : '\tpeer    *int',
      '\tcount   int',
      '}',
      '',
      `func (w *${t}) Done() <-chan struct{} { return w.done }`,
      '',
      `func (w *${t}) Run(ctx context.Context) error {`,
      '\tctx, cancel := context.WithCancel(ctx)',
      '\tdefer cancel()',
      '\tw.wg.Add(1)',
      '\tgo func() {',
      '\t\tdefer w.wg.Done()',
      '\t\tfor v := range w.queue {',
      '\t\t\tw.mu.Lock()',
      '\t\t\tw.count += v',
      '\t\t\tw.mu.Unlock()',
      '\t\t}',
      '\t}()',
      '\tselect {',
      '\tcase <-ctx.Done():',
      '\tcase <-w.Done():',
      '\tcase <-time.After(time.Second):',
      '\t}',
      '\tw.rw.RLock()',
      '\tdefer w.rw.RUnlock()',
      '\tif w.count > 10 {',
      '\t\treturn nil',
      '\t}',
      '\tw.queue <- w.count',
      '\treturn nil',
      '}',
      '',
    );
    block++;
  }
  while (out.length < shape.linesPerFile) out.push('// padding');
  return `${out.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outDir = process.argv[2] ?? 'bench/out/go-tree';
  const files = Number(process.argv[3] ?? 500);
  const linesPerFile = Number(process.argv[4] ?? 300);
  const result = generateGoTree(outDir, { files, linesPerFile, packages: 25 });
  console.log(`generated ${result.files} files, ${result.lines} lines, ${(result.bytes / 1e6).toFixed(1)} MB in ${outDir}`);
}
