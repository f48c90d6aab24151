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
  renderHtml(report: Report, excerpts: SourceExcerpt[], title: string): Promise<string>;
}

// The reader, the orchestrator and the renderer (Graphviz in WebAssembly among them) are loaded on
// first use: the server starts at once and serves its page while they load.
let stagesPromise: Promise<DumpStages> | null = null;

export function loadStages(): Promise<DumpStages> {
  stagesPromise ??= importStages();
  return stagesPromise;
}

async function importStages(): Promise<DumpStages> {
  const [dump, orchestrator, report] = await Promise.all([import('../dump/index.js'), import('../analyze.js'), import('../report/index.js')]);
  return {
    readDumpStream: (chunks) => dump.readDumpStream(chunks),
    analyze: (input, settings) =>
      orchestrator.analyzeDump(input, {
        // Only the picked root is read. With none, the working directory is one with no go.mod,
        // so the orchestrator does not fall back to the server's own directory.
        sourceRoots: settings.sourceRoot === null ? [] : [settings.sourceRoot],
        cwd: settings.sourceRoot ?? settings.neutralCwd,
        env: withoutModuleCache(settings.env),
        cacheDir: settings.cacheDir,
      }),
    renderHtml: (report_, excerpts, title) => report.renderHtml(report_, excerpts, { title }),
  };
}

/**
 * The environment an analysis sees: the module cache is hidden (no GOMODCACHE, GOPATH or HOME), so
 * that a dump's paths can map only onto the source roots given at start-up, never onto other
 * files of the serving machine.
 */
export function withoutModuleCache(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return { ...env, GOMODCACHE: undefined, GOPATH: undefined, HOME: undefined, USERPROFILE: undefined };
}

/** Every reader warning of the input, the snapshots' and the stray ones, in line order. */
export function allWarnings(input: DumpReadResult): Warning[] {
  const warnings = [...input.warnings, ...input.snapshots.flatMap((snapshot) => snapshot.warnings)];
  return warnings.sort((a, b) => a.line - b.line);
}
