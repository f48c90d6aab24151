// Lookups the analysis makes on a built index: which function, operations and statement a
// frame's file and line point at.
import type { FunctionFacts, OperationSite, SourceIndex } from './types.js';
import { codeOfLine } from './line-text.js';

/** Functions of each file, built once per index (indexes are immutable once built). */
const functionsByFile = new WeakMap<SourceIndex, Map<string, FunctionFacts[]>>();

function fileFunctions(index: SourceIndex, file: string): FunctionFacts[] {
  let byFile = functionsByFile.get(index);
  if (!byFile) {
    byFile = new Map();
    for (const fn of new Set(index.functions.values())) {
      const list = byFile.get(fn.file);
      if (list) list.push(fn);
      else byFile.set(fn.file, [fn]);
    }
    functionsByFile.set(index, byFile);
  }
  return byFile.get(file) ?? [];
}

/**
 * The innermost function body containing the line. A multi-line literal's first line (`go func() {`)
 * belongs to the enclosing function, whose statement it is, and so does its last line (`}()`)
 * unless the literal defers something (deferred calls run at the closing brace). A one-line
 * literal claims its line. Where a frame's printed function name is known, prefer looking it up
 * in `index.functions`: a line alone cannot always tell a literal from its caller.
 */
export function functionAt(index: SourceIndex, file: string, line: number): FunctionFacts | null {
  let best: FunctionFacts | null = null;
  let bestRank = Infinity;
  for (const fn of fileFunctions(index, file)) {
    if (line < fn.startLine || line > fn.endLine) continue;
    const span = fn.endLine - fn.startLine;
    const edge = span > 0 && (line === fn.startLine || (line === fn.endLine && !defers(fn)));
    // Edge lines rank after every proper containment; among equals the inner (later) one wins.
    const rank = edge ? 1e9 + span : span;
    if (best === null || rank < bestRank || (rank === bestRank && fn.startLine > best.startLine)) {
      best = fn;
      bestRank = rank;
    }
  }
  return best;
}

function defers(fn: FunctionFacts): boolean {
  return fn.calls.some((c) => c.deferred) || fn.operations.some((o) => o.deferred);
}

/** Operation sites on the line: a select's line gives the select site (its cases inside it). */
export function operationsAt(index: SourceIndex, file: string, line: number): OperationSite[] {
  const fn = functionAt(index, file, line);
  if (!fn) return [];
  const onLine = fn.operations.filter((op) => op.line === line);
  if (onLine.length > 0) return onLine;
  // A case line of a select: the case's own site.
  const out: OperationSite[] = [];
  for (const op of fn.operations) for (const c of op.cases ?? []) if (c.line === line) out.push(c);
  return out;
}

/** The code of the line (trimmed, no trailing comment), or null when the file or line is not indexed. */
export function statementAt(index: SourceIndex, file: string, line: number): string | null {
  const lines = index.files.get(file)?.lines;
  if (!lines || line < 1 || line > lines.length) return null;
  return codeOfLine(lines[line - 1]);
}

/**
 * Every function body of `file` that contains `line`, outermost first: a frame's printed closure
 * depth picks among nested literals on one line (`go func() { <-ch }()`).
 */
export function functionsAt(index: SourceIndex, file: string, line: number): FunctionFacts[] {
  return fileFunctions(index, file)
    .filter((fn) => fn.startLine <= line && line <= fn.endLine)
    .sort((a, b) => b.endLine - b.startLine - (a.endLine - a.startLine) || a.startLine - b.startLine);
}

/** Every function of a file, in no particular order. */
export function functionsOf(index: SourceIndex, file: string): FunctionFacts[] {
  return fileFunctions(index, file);
}
