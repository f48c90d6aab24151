// The pipeline stages watch drives each poll: read the dump, analyse it, render HTML for the report
// directory. They are loaded on first use, and passed in as values so the loop can be exercised
// with any reader and analysis.
import type { DumpReadResult } from '../dump/types.js';
import type { Report, SourceExcerpt } from '../analysis/types.js';

export interface WatchAnalyzeOptions {
  sourceRoots: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  cacheDir: string | null;
}

export interface WatchStages {
  readDump(bytes: Uint8Array): DumpReadResult | Promise<DumpReadResult>;
  analyze(input: DumpReadResult, options: WatchAnalyzeOptions): Promise<{ report: Report; excerpts: SourceExcerpt[] }>;
  /** Null when the HTML renderer could not be loaded: alerts still fire, only the HTML file is missing. */
  renderHtml: ((report: Report, excerpts: SourceExcerpt[]) => string | Promise<string>) | null;
}

interface DumpModule {
  readDumpBytes(bytes: Uint8Array): DumpReadResult | Promise<DumpReadResult>;
}
interface AnalyzeModule {
  analyzeDump(input: DumpReadResult, options: WatchAnalyzeOptions): Promise<{ report: Report; excerpts: SourceExcerpt[] }>;
}
interface ReportModule {
  renderHtml(report: Report, excerpts: SourceExcerpt[]): string | Promise<string>;
}

let stagesPromise: Promise<WatchStages> | null = null;

/** The real reader, orchestrator and HTML renderer. */
export function loadWatchStages(): Promise<WatchStages> {
  stagesPromise ??= importStages();
  return stagesPromise;
}

async function importStages(): Promise<WatchStages> {
  // Specifiers in variables: these modules are written alongside this one and type-checked there.
  const dumpPath = '../dump/index.js';
  const analyzePath = '../analyze.js';
  const reportPath = '../report/index.js';
  const [dump, orchestrator] = await Promise.all([
    import(dumpPath) as Promise<DumpModule>,
    import(analyzePath) as Promise<AnalyzeModule>,
  ]);
  let report: ReportModule | null = null;
  try {
    report = (await import(reportPath)) as ReportModule;
    if (typeof report.renderHtml !== 'function') report = null;
  } catch {
    report = null;
  }
  return {
    readDump: (bytes) => dump.readDumpBytes(bytes),
    analyze: (input, options) => orchestrator.analyzeDump(input, options),
    renderHtml: report === null ? null : (value, excerpts) => report.renderHtml(value, excerpts),
  };
}
