// The `gridlock` command: a thin shim that reads files and arguments, calls the pipeline and
// prints. Every error a user can cause ends as one line on stderr and exit code 2.

import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyzeDump, UnusableInputError } from '../analyze.js';
import { readDumpStream } from '../dump/index.js';
import { terminalProgress } from '../source/index.js';
import type { Report } from '../analysis/types.js';
import { renderDot, renderHtml, renderJson, renderMarkdown, renderMermaid, renderText } from '../report/index.js';
import { parseArgs, UsageError, type DumpCommand } from './args.js';
import { HELP } from './help.js';
import { defaultCacheDir } from './cache.js';

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

async function runDump(command: DumpCommand): Promise<number> {
  const env = process.env;
  const stream = command.input === '-' ? process.stdin : createReadStream(resolve(command.input));
  let input;
  try {
    input = await readDumpStream(stream);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UnusableInputError(`cannot read ${command.input}: ${why}`);
  }
  const progress = terminalProgress(process.stderr);
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
    });
  } finally {
    progress.finish();
  }
  const { report } = result;
  if (command.explain) {
    process.stdout.write(`${result.explain(command.explain).join('\n')}\n`);
    return EXIT_OK;
  }
  if (command.html) {
    writeFileSync(command.html, await renderHtml(report, result.excerpts, { title: `gridlock: ${command.input}` }));
    process.stderr.write(`wrote ${command.html}\n`);
  }
  const useColor = command.color ?? (process.stdout.isTTY === true && !env.NO_COLOR);
  const out =
    command.format === 'json' ? renderJson(report)
    : command.format === 'markdown' ? renderMarkdown(report)
    : command.format === 'mermaid' ? renderMermaid(report)
    : command.format === 'dot' ? renderDot(report)
    : renderText(report, { color: useColor, maxGroups: command.maxGroups, relativeTo: process.cwd() });
  if (!(command.html && command.formatImplied)) process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
  return failingExitCode(report, command.failOn);
}

export async function main(argv: string[]): Promise<number> {
  try {
    const command = parseArgs(argv);
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

