// `--explain G3`: how gridlock reached its verdict on one group, step by step, for a reader who
// doubts it: the frame taken as the blocking site, the operation and resource found there, each
// case's wake sources with the goroutines that would perform them, the locks the group holds, and
// why it is stuck or live.

import type { Party } from './model.js';
import type { WaitGraph } from './wait-graph.js';

function partyName(party: Party): string {
  const who = party.identity ?? party.frames[0]?.function ?? '?';
  return party.inferred ? `${party.id} ${who} (inferred from source)` : `${party.id} ${who} (${party.count} goroutine${party.count === 1 ? '' : 's'})`;
}

/** A wake source's key in words: `site|chan-receive|F|file:12` → `chan-receive in F at file:12`. */
function describeSource(key: string): string {
  const [type, ...rest] = key.split('|');
  if (type === 'holders') return `whoever holds ${rest.join('|')}`;
  if (type === 'readers') return `the write holders and pending writers of ${rest.join('|')}`;
  const [kind, fn, location] = rest;
  return `${kind} in ${fn} at ${location}`;
}

export function explainParty(graph: WaitGraph, id: string): string[] {
  const party = graph.parties.find((p) => p.id === id);
  if (!party) return [`no group ${id}: groups are ${graph.parties.slice(0, 8).map((p) => p.id).join(', ')}${graph.parties.length > 8 ? ', …' : ''}`];
  const lines = [partyName(party)];
  lines.push(`  activity: ${party.activity}${party.activity === 'live' ? ' (running, runnable, in IO, a syscall or a sleep, or a wait on nothing gridlock can name)' : ''}`);
  const wait = party.wait;
  if (!wait) return lines;
  lines.push(`  blocked in ${wait.site.function} at ${wait.site.file}:${wait.site.line}${wait.site.diskFile ? ` (source: ${wait.site.diskFile})` : ' (no source found for this file)'}`);
  if (wait.site.statement) lines.push(`    statement: ${wait.site.statement}`);
  if (wait.inferredPath.length > 1) lines.push(`    reached from the identity through: ${wait.inferredPath.join(' → ')}`);
  lines.push(`  operation: ${wait.operation}${wait.intentionalPark ? ' (select {}: an intentional park, never a finding)' : ''}`);

  const cases = graph.wakersByParty.get(party.id) ?? [];
  wait.cases.forEach((c, i) => {
    const label = wait.cases.length > 1 ? `case ${i + 1}` : 'wait';
    const resource = c.resource ? `${c.resource.name} (${c.resource.kind}, \`${c.resource.expression}\`${c.resource.external ? `, fired by a ${c.resource.external}` : ''}${c.resource.nil ? ', nil' : ''})` : 'no resource named';
    lines.push(`  ${label}: ${c.operation} on ${resource}`);
    const cw = cases[i];
    if (!cw) return;
    if (cw.kind === 'ready') lines.push('    always ready: a timer, a signal, a deadline or a default case');
    else if (cw.kind === 'never') lines.push('    never ready: a nil channel');
    else if (cw.kind === 'unknown') {
      const open = c.resource ? graph.openReason(c.resource.name) : null;
      lines.push(
        open
          ? `    wakers cannot be enumerated: its value may reach code gridlock cannot follow (${open})`
          : '    wakers unknown: the resource is not named, no cancel of the context was traced, or its wakers may be outside a partial dump',
      );
    }
    else {
      if (cw.sources.length === 0) lines.push('    no code anywhere operates on it from the other side');
      for (const source of cw.sources) {
        const runners = [...new Map(source.wakers.map((w) => [w.party.id, w])).values()];
        const where = describeSource(source.key);
        const lock = source.key.startsWith('holders|') || source.key.startsWith('readers|');
        const who = runners.length === 0 ? (lock ? 'no goroutine in the dump holds it' : 'no goroutine in the dump will get there') : runners.map((w) => `${w.party.id}${graph.stuck.has(w.party.id) ? ' (stuck)' : ' (live)'}`).join(', ');
        lines.push(`    woken through ${where}: ${who}`);
      }
    }
  });
  const held = graph.held.get(party.id) ?? [];
  for (const lock of held) lines.push(`  holds ${lock.resource.name} (${lock.mode}), locked in ${lock.function} at line ${lock.lockLine}`);
  const heldUp = graph.waitersOn(party.id).filter((p) => p.id !== party.id);
  if (heldUp.length > 0) lines.push(`  holds up: ${heldUp.slice(0, 10).map((p) => p.id).join(', ')}${heldUp.length > 10 ? `, and ${heldUp.length - 10} more` : ''}`);
  lines.push(
    graph.stuck.has(party.id)
      ? '  verdict: stuck — every goroutine that could wake it is stuck too, or there is none'
      : `  verdict: not stuck — ${party.activity !== 'blocked' ? 'it is not blocked' : 'a case is ready or undecidable, or a live goroutine will wake it'}`,
  );
  return lines;
}
