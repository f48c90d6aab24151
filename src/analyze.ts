// The pipeline in one place: dump → source → analysis → report. Drivers (CLI, serve, watch) call
// `analyzeDump`; each stage below knows nothing of the ones after it.

import { existsSync } from 'node:fs';
import type { DumpReadResult, Snapshot } from './dump/types.js';
import { groupGoroutines, type Similarity } from './dump/index.js';
import { buildIndex, locateSource } from './source/index.js';
import type { PathMapping, SourceIndex } from './source/types.js';
import { diagnose, CONTRACT_VERSION } from './analysis/index.js';
import type { Party } from './analysis/model.js';
import type { Report, SourceExcerpt } from './analysis/types.js';
import { findingMermaid } from './report/index.js';

export interface AnalyzeOptions {
  /** `--source` directories; [] means the module around `cwd` (if any) and the module cache. */
  sourceRoots: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  /** Where the source index is cached; null for no cache. */
  cacheDir: string | null;
  /** Which snapshot of a multi-dump input (0-based); default the last. */
  snapshot?: number;
  similarity?: Similarity;
  onProgress?: (done: number, total: number) => void;
  /** Where writing the linked index a build adds is handed, to run after the answer (IndexOptions.storeLater). */
  storeLater?: (store: () => Promise<void>) => void;
}

export interface AnalyzeResult {
  report: Report;
  excerpts: SourceExcerpt[];
  /** How the verdict on one group (`G3`) or inferred party (`I1`) was reached, as lines of text. */
  explain: (id: string) => string[];
}

/** Thrown for input that holds nothing to analyse; drivers print its message and exit 2. */
export class UnusableInputError extends Error {}

/** Lines of source shown on each side of a marked line. */
const EXCERPT_CONTEXT = 6;

export function chooseSnapshot(input: DumpReadResult, which: number | undefined): Snapshot {
  if (input.snapshots.length === 0) {
    const first = input.warnings[0];
    throw new UnusableInputError(`no goroutine found in the input${first ? ` (line ${first.line}: ${first.message})` : ''}`);
  }
  const index = which ?? input.snapshots.length - 1;
  const snapshot = input.snapshots[index];
  if (!snapshot) throw new UnusableInputError(`the input holds ${input.snapshots.length} dumps; there is no dump number ${index + 1}`);
  return snapshot;
}

export async function analyzeDump(input: DumpReadResult, options: AnalyzeOptions): Promise<AnalyzeResult> {
  const snapshot = chooseSnapshot(input, options.snapshot);
  const similarity = options.similarity ?? 'stack';
  const groups = groupGoroutines(snapshot.goroutines, similarity);
  const warnings = [...input.warnings, ...snapshot.warnings];
  if (input.snapshots.length > 1) {
    warnings.push({ line: snapshot.startLine, message: `the input holds ${input.snapshots.length} dumps; analysing the one starting at line ${snapshot.startLine}` });
  }

  let index: SourceIndex | null = null;
  let mapping: PathMapping | null = null;
  for (const root of options.sourceRoots) {
    if (!existsSync(root)) throw new UnusableInputError(`--source ${root}: no such directory`);
  }
  // Without --source: the module around the working directory, and the module cache (in locateSource).
  // The members of a group stand at the same files unless grouping compared functions only.
  const dumpFiles = new Set<string>();
  const standing = similarity === 'functions' ? snapshot.goroutines : groups.map((g) => g.representative);
  for (const g of standing) {
    for (const f of g.frames) dumpFiles.add(f.file);
    if (g.createdBy) dumpFiles.add(g.createdBy.file);
  }
  const located = await locateSource([...dumpFiles], { roots: options.sourceRoots, cwd: options.cwd, env: options.env });
  if (located.mapping.mapped.size === 0) {
    warnings.push({
      line: 0,
      message: options.sourceRoots.length > 0
        ? `none of the dump's files were found under ${options.sourceRoots.join(', ')}: goroutines are summarised, but waits cannot be resolved to resources`
        : 'no Go source given (--source DIR) and none found here or in the module cache: goroutines are summarised, but waits cannot be resolved to resources, so no deadlock can be named',
    });
  } else {
    const built = await buildIndex(located.files, { cacheDir: options.cacheDir, onProgress: options.onProgress, storeLater: options.storeLater });
    mapping = located.mapping;
    index = built;
    const unmappedUser = located.mapping.unmapped.filter((f) => !isStandardLibraryPath(f));
    if (unmappedUser.length > 0) {
      warnings.push({ line: 0, message: `${unmappedUser.length} dump file(s) not found in the source: ${unmappedUser.slice(0, 5).join(', ')}${unmappedUser.length > 5 ? ', …' : ''}` });
    }
    for (const w of built.warnings) warnings.push({ line: 0, message: w });
  }

  const diagnosis = diagnose(snapshot, groups, index, mapping);
  for (const m of diagnosis.mismatches) warnings.push({ line: 0, message: m });

  const report: Report = {
    gridlock: CONTRACT_VERSION,
    snapshot: {
      format: snapshot.format,
      goroutines: snapshot.goroutines.reduce((sum, g) => sum + g.count, 0),
      declaredTotal: snapshot.declaredTotal,
      warnings,
    },
    groups: diagnosis.groups,
    findings: diagnosis.findings,
    coverage: diagnosis.coverage,
  };
  report.findings.forEach((finding, i) => {
    finding.mermaid = findingMermaid(report, i);
  });
  return { report, excerpts: index ? buildExcerpts(index, diagnosis.parties, report) : [], explain: diagnosis.explain };
}

/** GOROOT files: the standard library is not the user's code and is not expected under --source. */
function isStandardLibraryPath(file: string): boolean {
  return /(^|\/)(go|go-\d[\d.]*|goroot)\/src\//.test(file) || /^(runtime|sync|internal|net|os|time|context|io|syscall)\//.test(file) || file.startsWith('_cgo');
}

/** Source around each blocked line, the held regions around it, and the sites that could wake it. */
function buildExcerpts(index: SourceIndex, parties: Party[], report: Report): SourceExcerpt[] {
  const byFile = new Map<string, Map<number, SourceExcerpt['marks'][number]>>();
  const mark = (file: string, line: number, kind: SourceExcerpt['marks'][number]['kind'], note: string) => {
    if (!index.files.has(file)) return;
    const marks = byFile.get(file) ?? new Map();
    const key = line * 4 + ['blocked', 'waker', 'held', 'fix'].indexOf(kind);
    if (!marks.has(key)) marks.set(key, { line, kind, note });
    byFile.set(file, marks);
  };
  for (const party of parties) {
    const wait = party.wait;
    if (!wait?.site.diskFile || party.activity !== 'blocked') continue;
    mark(wait.site.diskFile, wait.site.diskLine, 'blocked', `${party.id} blocked: ${wait.operation}${wait.resource ? ` ${wait.resource.name}` : ''}`);
    // A lock is released by its holder, not by unlock sites elsewhere: those are no wakers.
    const lockWait = wait.operation === 'mutex-lock' || wait.operation === 'rwmutex-lock' || wait.operation === 'rwmutex-rlock';
    if (!lockWait) for (const c of wait.cases) for (const site of c.wakerSites) mark(site.file, site.line, 'waker', `${site.kind} ${site.resource.name}`);
    for (const frame of party.frames) {
      if (!frame.diskFile) continue;
      const fn = frame.fn ? index.functions.get(frame.fn) : undefined;
      for (const region of fn?.heldRegions ?? []) {
        if (region.lockLine < frame.diskLine && frame.diskLine <= region.endLine) {
          for (let line = region.lockLine; line <= Math.min(region.endLine, frame.diskLine); line++) mark(frame.diskFile, line, 'held', `${region.resource.expression} held`);
        }
      }
      for (const leak of fn?.leakyReturns ?? []) mark(fn!.file, leak.returnLine, 'fix', `returns with ${leak.resource.expression} held`);
    }
  }
  // A leaked lock's fixes: the returns that leave it locked, with the stretch it stays held shaded.
  const leaked = new Set(report.findings.filter((f) => f.kind === 'leaked-lock').map((f) => f.waits[0]?.resource?.name));
  for (const fn of index.functions.values()) {
    for (const leak of fn.leakyReturns) {
      if (!leaked.has(leak.resource.name)) continue;
      for (let line = leak.lockLine; line < leak.returnLine; line++) mark(fn.file, line, 'held', `${leak.resource.expression} held`);
      mark(fn.file, leak.returnLine, 'fix', `returns with ${leak.resource.expression} still locked`);
    }
  }
  const excerpts: SourceExcerpt[] = [];
  for (const [file, marks] of byFile) {
    const lines = index.files.get(file)!.lines;
    const sorted = [...marks.values()].sort((a, b) => a.line - b.line);
    // Merge nearby marks into one window so a function reads as a whole.
    let window: SourceExcerpt | null = null;
    for (const m of sorted) {
      const from = Math.max(1, m.line - EXCERPT_CONTEXT);
      const to = Math.min(lines.length, m.line + EXCERPT_CONTEXT);
      if (window && from <= window.startLine + window.lines.length) {
        const end = Math.max(window.startLine + window.lines.length - 1, to);
        window.lines = lines.slice(window.startLine - 1, end);
        window.marks.push(m);
      } else {
        window = { file, startLine: from, lines: lines.slice(from - 1, to), marks: [m] };
        excerpts.push(window);
      }
    }
  }
  return excerpts;
}
