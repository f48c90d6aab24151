// Fixes read off the source: where the code leaves a lock held, or leaves a wait with nobody on
// the other side. Each takes the index and what a finding is about, and returns places to change
// with a hint; the findings stage decides which apply.
import type { Party } from './model.js';
import type { ReportFix } from './types.js';
import type { FunctionFacts, ResourceRef, SourceIndex } from '../source/types.js';
import { shortFunction } from './names.js';

/** Leaky returns by resource name, built once per index. */
const leaksByResource = new WeakMap<SourceIndex, Map<string, { fn: FunctionFacts; leak: FunctionFacts['leakyReturns'][number] }[]>>();

export function leakyReturnFixes(index: SourceIndex | null, resourceName: string): ReportFix[] {
  if (!index) return [];
  let byName = leaksByResource.get(index);
  if (!byName) {
    byName = new Map();
    for (const fn of new Set(index.functions.values())) {
      for (const leak of fn.leakyReturns) {
        const key = index.classes.classOf.get(leak.resource.name) ?? leak.resource.name;
        const list = byName.get(key) ?? [];
        list.push({ fn, leak });
        byName.set(key, list);
      }
    }
    leaksByResource.set(index, byName);
  }
  const fixes: ReportFix[] = [];
  for (const { fn, leak } of byName.get(index.classes.classOf.get(resourceName) ?? resourceName) ?? []) {
    fixes.push({
      file: fn.file,
      line: leak.returnLine,
      hint: `${shortFunction(fn.name)} returns here with ${leak.resource.expression} still locked (locked at line ${leak.lockLine}, no deferred unlock): unlock before returning or use defer`,
    });
  }
  return fixes;
}

/**
 * For a wait on a channel one call of a function made (`results := make(chan result)`): that call
 * is gone, so look at how it could leave while others still used the channel: its `return`s after
 * the `make`, and the `make` itself (unbuffered, the senders cannot finish on their own).
 */
export function localChannelFixes(index: SourceIndex | null, resource: ResourceRef | null, wakerLines: { fn: string; line: number }[]): ReportFix[] {
  if (!index || !resource || resource.kind !== 'chan' || !resource.declared) return [];
  const rep = index.classes.classOf.get(resource.name) ?? resource.name;
  const home = index.classes.madeIn.get(rep);
  const fn = home ? index.functions.get(home) : undefined;
  const lines = fn ? index.files.get(fn.file)?.lines : undefined;
  if (!fn || !lines || resource.declared.file !== fn.file) return [];
  const made = resource.declared.line;
  const name = shortFunction(fn.name);
  const fixes: ReportFix[] = [];
  for (const line of fn.returns) {
    if (line <= made) continue;
    // The normal way out, right after a value was received, or after the code that wakes the
    // wait (`nextc <- true; return nil`): not the early one.
    if ((lines[line - 2] ?? '').includes(`<-${resource.expression}`)) continue;
    if (wakerLines.some((w) => w.fn === fn.name && w.line > made && w.line < line)) continue;
    fixes.push({ file: fn.file, line, hint: `${name} returns here while goroutines it started may still use \`${resource.expression}\`: nobody is left on the other side` });
  }
  const makeCode = lines[made - 1] ?? '';
  const unbuffered = /make\(\s*(?:<-)?chan\b[^,()]*(?:\([^)]*\))?[^,()]*\)/.test(makeCode);
  fixes.push({
    file: fn.file,
    line: made,
    hint: unbuffered
      ? `\`${resource.expression}\` is made unbuffered here: buffer it to the number of senders, or give each sender a way out (a ctx.Done or quit case)`
      : `\`${resource.expression}\` is made here, one per call of ${name}: make sure every goroutine using it can finish when ${name} returns early`,
  });
  return fixes;
}

/**
 * The `return`s that skip the only code that would wake an orphaned wait: in the function of each
 * counter-site, a `return` before it (or inside a loop that holds it, such as the `range` that
 * stops reading); when that function has none, the same in its callers before the call, one level
 * up (`rc.release()` after an early `return`). A literal's returns are its own, not its parent's.
 */
export function skippedWakerFixes(index: SourceIndex | null, members: Party[]): ReportFix[] {
  if (!index) return [];
  const fixes: ReportFix[] = [];
  const seen = new Set<string>();
  const callers = callerEdges(index);
  const returnsBefore = (fnName: string, line: number, what: string, depth: number): void => {
    const key = `${fnName}|${line}`;
    if (seen.has(key)) return;
    seen.add(key);
    const fn = index.functions.get(fnName);
    if (!fn || line < fn.startLine || line > fn.endLine) return;
    // A loop holding the site: a `return` anywhere in it leaves the site behind for good.
    let loopEnd = line;
    for (let i = 0; i + 1 < fn.loops.length; i += 2) if (fn.loops[i] <= line && fn.loops[i + 1] >= line) loopEnd = Math.max(loopEnd, fn.loops[i + 1]);
    const found = fn.returns.filter((l) => l !== line && l <= loopEnd);
    for (const l of found) fixes.push({ file: fn.file, line: l, hint: `${shortFunction(fn.name)} returns here without reaching ${what} (line ${line}), the only code that would wake this wait: do it on every path (a defer)` });
    if (found.length === 0 && depth < 1) for (const edge of callers.get(fnName) ?? []) returnsBefore(edge.caller, edge.line, what, depth + 1);
  };
  for (const p of members) {
    for (const c of p.wait?.cases ?? []) {
      if (c.wakerSites.length > 3) continue; // many wakers: no single path is at fault
      for (const site of c.wakerSites) returnsBefore(site.function, site.line, `\`${site.statement}\``, 0);
    }
  }
  return fixes;
}

const callerEdgesOf = new WeakMap<SourceIndex, Map<string, { caller: string; line: number }[]>>();

/** Who calls each function, and at which line (static calls only). */
function callerEdges(index: SourceIndex): Map<string, { caller: string; line: number }[]> {
  let edges = callerEdgesOf.get(index);
  if (!edges) {
    edges = new Map();
    for (const fn of new Set(index.functions.values())) {
      for (const call of fn.calls) {
        for (const callee of call.callees) {
          const list = edges.get(callee) ?? [];
          list.push({ caller: fn.name, line: call.line });
          edges.set(callee, list);
        }
      }
    }
    callerEdgesOf.set(index, edges);
  }
  return edges;
}
