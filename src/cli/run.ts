// The `gridlock` command: a thin shim that reads files and arguments, calls the pipeline and
// prints. Every error a user can cause ends as one line on stderr and exit code 2.

import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { analyzeDump, UnusableInputError, type AnalyzeResult } from '../analyze.js';
import { terminalProgress } from '../source/index.js';
import type { Report } from '../analysis/types.js';
import { renderDot, renderHtml, renderJson, renderMarkdown, renderMermaid, renderText } from '../report/index.js';
import { parseArgs, UsageError, type DumpCommand } from './args.js';
import { HELP } from './help.js';
import { plural } from '../report/format.js';
import { defaultCacheDir } from './cache.js';
import { logSniffer, passThrough, readInput } from './input.js';
import type { DumpReadResult } from '../dump/index.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_UNUSABLE = 2;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Exit code for `--fail-on`: 1 when a finding of the named kinds reaches `likely` confidence. */
export function failingExitCode(report: Report, failOn: DumpCommand['failOn']): number {
  if (failOn === 'none') return EXIT_OK;
  const kinds = failOn === 'deadlock' ? ['deadlock-cycle', 'leaked-lock'] : ['deadlock-cycle', 'leaked-lock', 'orphaned-wait', 'pile-up', 'long-wait'];
  const hit = report.findings.some((f) => kinds.includes(f.kind) && (f.confidence === 'certain' || f.confidence === 'likely'));
  return hit ? EXIT_FINDINGS : EXIT_OK;
}

/** The kind of file system entry at `path`, or null when there is none. */
function entryKind(path: string): 'directory' | 'file' | null {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'file';
  } catch {
    return null;
  }
}

/** Arguments naming the file system are checked before the dump is read: a typo fails at once. */
function checkPaths(command: DumpCommand): void {
  for (const source of command.sources) {
    const kind = entryKind(resolve(source));
    if (kind === null) throw new UsageError(`--source ${source}: no such directory`);
    if (kind === 'file') throw new UsageError(`--source ${source}: a file, not a directory (give the folder of the Go source)`);
  }
  if (command.html) {
    const folder = dirname(resolve(command.html));
    const kind = entryKind(folder);
    if (kind !== 'directory') throw new UsageError(`--html ${command.html}: ${kind === null ? 'no such folder' : 'not a folder'}: ${folder}`);
    if (entryKind(resolve(command.html)) === 'directory') throw new UsageError(`--html ${command.html}: is a directory; name the file to write`);
  }
}

async function runDump(command: DumpCommand, given?: DumpReadResult): Promise<number> {
  const env = process.env;
  checkPaths(command);
  // A log on standard input (`go test ./... 2>&1 | gridlock`) passes through by itself; see logSniffer.
  const sniff = given === undefined && !command.passThrough && command.input === '-' && command.formatImplied && !command.html && !command.explain ? logSniffer(process.stdout) : null;
  const input = given ?? await readInput(command.input, { stdin: process.stdin, echo: command.passThrough ? process.stdout : sniff });
  if ((command.passThrough || sniff?.passing()) && given === undefined) {
    return passThrough(input, process.stdout, (index) => runDump({ ...command, passThrough: true, snapshot: index }, input));
  }
  if (command.snapshot !== undefined && input.snapshots.length > 0 && command.snapshot >= input.snapshots.length) {
    throw new UsageError(`--snapshot ${command.snapshot + 1}: the input holds ${plural(input.snapshots.length, 'dump')}`);
  }
  const progress = terminalProgress(process.stderr);
  // The linked index a build adds to the cache is written once the answer is out (the facts of
  // the files it parsed, by a worker meanwhile): the user does not wait for either.
  const stores: (() => Promise<void>)[] = [];
  let result;
  try {
    result = await analyzeDump(input, {
      sourceRoots: command.sources.map((s) => resolve(s)),
      cwd: process.cwd(),
      env,
      cacheDir: command.cache ? command.cacheDir ?? defaultCacheDir(env) : null,
      snapshot: command.snapshot,
      similarity: command.similarity,
      onProgress: progress.onProgress,
      storeLater: (store) => stores.push(store),
    });
  } finally {
    progress.finish();
  }
  try {
    return await answer(command, result, env);
  } finally {
    // After what was written has left (an empty write's callback comes after the writes before it).
    // A cache that cannot be written only costs the next run time: no error of this one.
    if (stores.length > 0) process.stdout.write('', () => stores.forEach((store) => void store().catch(() => {})));
  }
}

/** Writes the answer: the report in the asked format, the HTML file, or one group's explanation. */
async function answer(command: DumpCommand, result: AnalyzeResult, env: NodeJS.ProcessEnv): Promise<number> {
  const { report } = result;
  if (command.explain) {
    const lines = result.explain(command.explain);
    // An id that names nothing gets a single line (which ids there are); a party gets several.
    const known = report.groups.some((g) => g.id === command.explain) || lines.length > 1;
    if (!known) {
      process.stderr.write(`gridlock: --explain ${command.explain}: ${lines[0] ?? 'no such group'}\n`);
      return EXIT_UNUSABLE;
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return EXIT_OK;
  }
  if (command.html) {
    const html = await renderHtml(report, result.excerpts, {
      title: `gridlock: ${command.input}`,
      relativeTo: process.cwd(),
      sourceRoots: command.sources.map((s) => resolve(s)),
    });
    try {
      writeFileSync(command.html, html);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
      throw new UnusableInputError(`cannot write ${command.html}: ${why}`);
    }
    process.stderr.write(`wrote ${command.html}\n`);
  }
  const useColor = command.color ?? (process.stdout.isTTY === true && !env.NO_COLOR);
  const out =
    command.format === 'json' ? renderJson(report)
    : command.format === 'markdown' ? renderMarkdown(report)
    : command.format === 'mermaid' ? renderMermaid(report)
    : command.format === 'dot' ? renderDot(report)
    : renderText(report, {
        color: useColor,
        maxGroups: command.maxGroups,
        relativeTo: process.cwd(),
        sourceRoots: command.sources.map((s) => resolve(s)),
        verbose: command.verbose,
      });
  if (!(command.html && command.formatImplied)) process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
  return failingExitCode(report, command.failOn);
}

export async function main(argv: string[]): Promise<number> {
  try {
    const command = parseArgs(argv, process.stdin.isTTY !== true);
    switch (command.kind) {
      case 'help':
        process.stdout.write(HELP);
        return EXIT_OK;
      case 'version':
        process.stdout.write(`gridlock ${version()}\n`);
        return EXIT_OK;
      case 'dump':
        return await runDump(command);
      case 'serve': {
        const { runServeCommand } = await import('./serve-command.js');
        return await runServeCommand(command.args);
      }
      case 'watch': {
        const { runWatchCommand } = await import('./watch-command.js');
        return await runWatchCommand(command.args);
      }
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof UnusableInputError) {
      process.stderr.write(`gridlock: ${error.message}\n`);
      return EXIT_UNUSABLE;
    }
    // Anything else is a bug in gridlock: say so in one line, with the detail only on request.
    process.stderr.write(`gridlock: internal error: ${(error as Error).message} (set GRIDLOCK_DEBUG=1 for the stack)\n`);
    if (process.env.GRIDLOCK_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return EXIT_UNUSABLE;
  }
}

