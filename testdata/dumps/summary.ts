// The golden summary of a fixture dump: what expected.json records and the golden test compares.
// Regenerate expected.json after a deliberate change with:
//   node --import tsx testdata/dumps/summary.ts --update
// and review the diff.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDumpBytes } from '../../src/dump/index.js';
import type { DumpReadResult, Goroutine } from '../../src/dump/index.js';

export const fixturesRoot = dirname(fileURLToPath(import.meta.url));

/** Every dump file of every fixture folder: `folder/file`. */
export function fixtureDumps(): string[] {
  const out: string[] = [];
  for (const folder of readdirSync(fixturesRoot).sort()) {
    if (!statSync(join(fixturesRoot, folder)).isDirectory()) continue;
    for (const file of readdirSync(join(fixturesRoot, folder)).sort()) {
      if (/\.(txt|pb\.gz)$/.test(file)) out.push(`${folder}/${file}`);
    }
  }
  return out;
}

function summarizeGoroutine(g: Goroutine) {
  const top = g.frames[0];
  const bottom = g.frames[g.frames.length - 1];
  return {
    id: g.id,
    count: g.count,
    state: g.state,
    waitClass: g.waitClass,
    waitMinutes: g.waitMinutes,
    lockedToThread: g.lockedToThread,
    leaked: g.leaked,
    durable: g.durable,
    bubble: g.bubble,
    frames: g.frames.length,
    framesElided: g.framesElided,
    truncated: g.truncated,
    top: top === undefined ? null : `${top.function} ${top.file}:${top.line}`,
    bottom: bottom === undefined ? null : `${bottom.function} ${bottom.file}:${bottom.line}`,
    createdBy: g.createdBy === null ? null : `${g.createdBy.function} ${g.createdBy.file}:${g.createdBy.line} in ${g.createdBy.goroutine}`,
    labels: g.labels,
  };
}

export function summarize(result: DumpReadResult) {
  return {
    warnings: result.warnings,
    snapshots: result.snapshots.map((s) => ({
      format: s.format,
      declaredTotal: s.declaredTotal,
      reason: s.reason,
      startLine: s.startLine,
      warnings: s.warnings,
      goroutines: s.goroutines.map(summarizeGoroutine),
    })),
  };
}

export function summarizeFixture(name: string) {
  return summarize(readDumpBytes(readFileSync(join(fixturesRoot, name))));
}

if (process.argv.includes('--update')) {
  const byFolder = new Map<string, Record<string, unknown>>();
  for (const name of fixtureDumps()) {
    const [folder, file] = name.split('/');
    if (!byFolder.has(folder)) byFolder.set(folder, {});
    byFolder.get(folder)![file] = summarizeFixture(name);
  }
  for (const [folder, expected] of byFolder) {
    writeFileSync(join(fixturesRoot, folder, 'expected.json'), JSON.stringify(expected, null, 1) + '\n');
  }
  console.log(`wrote expected.json in ${byFolder.size} folders`);
}
