// The three stages a request runs through: read the dump, analyse it against one source root, render
// the HTML report. Kept apart from the HTTP code so the server only deals in bytes and answers.
import type { DumpReadResult, Warning } from '../dump/types.js';
import type { Report, SourceExcerpt } from '../analysis/types.js';

export interface AnalyzeSettings {
  /** The one source root the request picked, or none. */
  sourceRoot: string | null;
  /** A directory with no Go module in it, used as the working directory when no root was picked. */
  neutralCwd: string;
  env: Record<string, string | undefined>;
  cacheDir: string | null;
}

export interface DumpStages {
  readDumpStream(chunks: AsyncIterable<Uint8Array>): Promise<DumpReadResult>;
  analyze(input: DumpReadResult, settings: AnalyzeSettings): Promise<{ report: Report; excerpts: SourceExcerpt[] }>;
  renderHtml(report: Report, excerpts: SourceExcerpt[]): string;
}

// The reader, the orchestrator and the renderer are loaded on first use: the server starts at once
// and the page is served even while the (large) analysis modules load.
let stagesPromise: Promise<DumpStages> | null = null;

export function loadStages(): Promise<DumpStages> {
  stagesPromise ??= importStages();
  return stagesPromise;
}

interface DumpModule {
  readDumpStream(chunks: AsyncIterable<Uint8Array>): Promise<DumpReadResult>;
}
interface AnalyzeModule {
  analyzeDump(
    input: DumpReadResult,
    options: { sourceRoots: string[]; cwd: string; env: Record<string, string | undefined>; cacheDir: string | null },
  ): Promise<{ report: Report; excerpts: SourceExcerpt[] }>;
}
interface ReportModule {
  renderHtml(report: Report, excerpts: SourceExcerpt[]): string;
}

async function importStages(): Promise<DumpStages> {
  // Specifiers in variables: these modules are written in parallel with this one.
  const dumpPath = '../dump/index.js';
  const analyzePath = '../analyze.js';
  const reportPath = '../report/index.js';
  const [dump, orchestrator, report] = await Promise.all([
    import(dumpPath) as Promise<DumpModule>,
    import(analyzePath) as Promise<AnalyzeModule>,
    import(reportPath) as Promise<ReportModule>,
  ]);
  return {
    readDumpStream: (chunks) => dump.readDumpStream(chunks),
    analyze: (input, settings) =>
      orchestrator.analyzeDump(input, {
        sourceRoots: settings.sourceRoot === null ? [] : [settings.sourceRoot],
        cwd: settings.sourceRoot ?? settings.neutralCwd,
        env: settings.env,
        cacheDir: settings.cacheDir,
      }),
    renderHtml: (report_, excerpts) => report.renderHtml(report_, excerpts),
  };
}

/** Every reader warning of the input, the snapshots' and the stray ones, in line order. */
export function allWarnings(input: DumpReadResult): Warning[] {
  const warnings = [...input.warnings, ...input.snapshots.flatMap((snapshot) => snapshot.warnings)];
  return warnings.sort((a, b) => a.line - b.line);
}
