// One spelling per file. The report names a file two ways: frames carry the dump's paths (from the
// machine that hung), while waker sites, fixes and declarations carry the paths on this disk. A
// reader should see each file once, as the path on disk when it was found (relative to the working
// directory or a source root), and as the dump's path only when it was not.
//
// The pairs are recovered from the report alone: a dump path and a disk path that end in the same
// directory and file name are the same file, and the prefixes they differ in map every other dump
// path under the same root (the source locator maps by longest common suffix the same way). Cost:
// one pass over the report's locations, then a map lookup per printed path. Pure string work.

import type { Report } from '../analysis/types.js';
import { shortenPath } from './paths.js';

export interface SpellingOptions {
  /** The user's working directory: disk paths under it read relative to it. */
  relativeTo?: string;
  /** `--source` roots: disk paths under one (and not under the working directory) read relative to it. */
  sourceRoots?: string[];
}

export interface FileSpelling {
  /** The display form of a file named anywhere in the report. */
  file(path: string): string;
  location(path: string, line: number): string;
  /**
   * Prose with `dir/file.go:12` references (how the findings' sentences name files: the last two
   * path elements) rewritten to the same display form as everywhere else, when unambiguous.
   */
  respell(text: string): string;
}

function segments(path: string): string[] {
  return path.replace(/\\/g, '/').split('/');
}

/** How many trailing path elements two paths share. */
function commonTail(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

function dumpAndDiskFiles(report: Report): { dump: Set<string>; disk: Set<string> } {
  const dump = new Set<string>();
  const disk = new Set<string>();
  for (const group of report.groups) {
    for (const frame of group.frames) dump.add(frame.file);
    if (group.createdBy) dump.add(group.createdBy.file);
    if (group.blocking) {
      for (const waker of group.blocking.wokenBy) disk.add(waker.site.file);
      if (group.blocking.resource?.declared) disk.add(group.blocking.resource.declared.file);
      for (const c of group.blocking.cases ?? []) {
        for (const waker of c.wokenBy) disk.add(waker.site.file);
        if (c.resource.declared) disk.add(c.resource.declared.file);
      }
    }
  }
  for (const finding of report.findings) {
    for (const wait of finding.waits) {
      if (!wait.inferred) dump.add(wait.blockedIn.file);
      else disk.add(wait.blockedIn.file);
      for (const waker of wait.wokenBy) disk.add(waker.site.file);
      if (wait.resource?.declared) disk.add(wait.resource.declared.file);
    }
    for (const fix of finding.fixes) disk.add(fix.file);
  }
  for (const file of disk) dump.delete(file);
  return { dump, disk };
}

/** Dump-path prefix → disk-path prefix, learned from files found on both sides; longest prefix first. */
function rootPairs(dump: Set<string>, disk: Set<string>): [string, string][] {
  const diskByBase = new Map<string, string[][]>();
  for (const file of disk) {
    const parts = segments(file);
    const base = parts[parts.length - 1];
    diskByBase.set(base, [...(diskByBase.get(base) ?? []), parts]);
  }
  const pairs = new Map<string, string>();
  for (const file of dump) {
    const parts = segments(file);
    let best: string[] | null = null;
    let bestTail = 0;
    let tie = false;
    for (const candidate of diskByBase.get(parts[parts.length - 1]) ?? []) {
      const tail = commonTail(parts, candidate);
      if (tail > bestTail) [best, bestTail, tie] = [candidate, tail, false];
      else if (tail === bestTail) tie = true;
    }
    // A directory and the file name in common, and no equally good other candidate.
    if (!best || bestTail < 2 || tie) continue;
    const dumpPrefix = `${parts.slice(0, parts.length - bestTail).join('/')}/`;
    const diskPrefix = `${best.slice(0, best.length - bestTail).join('/')}/`;
    if (!pairs.has(dumpPrefix)) pairs.set(dumpPrefix, diskPrefix);
  }
  return [...pairs.entries()].sort((a, b) => b[0].length - a[0].length);
}

function under(path: string, dir: string | undefined): string | null {
  if (!dir) return null;
  const prefix = `${dir.replace(/\/+$/, '')}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : null;
}

export function fileSpelling(report: Report, options: SpellingOptions = {}): FileSpelling {
  const { dump, disk } = dumpAndDiskFiles(report);
  const pairs = rootPairs(dump, disk);
  const onDisk = (path: string): string | null => {
    if (disk.has(path)) return path;
    const normalised = path.replace(/\\/g, '/');
    for (const [dumpPrefix, diskPrefix] of pairs) {
      if (normalised.startsWith(dumpPrefix)) return diskPrefix + normalised.slice(dumpPrefix.length);
    }
    return null;
  };
  const cache = new Map<string, string>();
  const file = (path: string): string => {
    let shown = cache.get(path);
    if (shown !== undefined) return shown;
    const found = onDisk(path);
    shown = found === null ? shortenPath(path) : (under(found, options.relativeTo) ?? relativeToRoot(found) ?? shortenPath(found));
    cache.set(path, shown);
    return shown;
  };
  const relativeToRoot = (path: string): string | null => {
    for (const root of options.sourceRoots ?? []) {
      const rest = under(path, root);
      if (rest !== null) return rest;
    }
    return null;
  };

  // `dir/file.go` → the display form, for prose; a tail two files share is left alone.
  const byTail = new Map<string, string | null>();
  for (const path of [...dump, ...disk]) {
    const tail = segments(path).slice(-2).join('/');
    const shown = file(path);
    const known = byTail.get(tail);
    if (known === undefined) byTail.set(tail, shown);
    else if (known !== shown) byTail.set(tail, null);
  }
  const respell = (text: string): string =>
    text.replace(/(^|[\s(`])([\w.@$~+-]+\/[\w.@$~+-]+\.go):(\d+)/g, (whole, before: string, tail: string, line: string) => {
      const shown = byTail.get(tail);
      return shown ? `${before}${shown}:${line}` : whole;
    });

  return { file, location: (path, line) => `${file(path)}:${line}`, respell };
}

const memo = new WeakMap<Report, FileSpelling>();

/** The report's spelling without a working directory (Markdown, HTML), built once per report object. */
export function spellingOf(report: Report): FileSpelling {
  let spelling = memo.get(report);
  if (!spelling) memo.set(report, (spelling = fileSpelling(report)));
  return spelling;
}
