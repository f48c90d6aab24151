// Coverage: which blocked groups were checked against matching source. "Nothing stuck" is a claim
// only when every blocked group was (DESIGN.md, "Stuck, and how sure"); otherwise every output says
// first what could not be checked and why.

import type { Party } from './model.js';
import type { ReportCoverage } from './types.js';

const REASONS: Record<ReportCoverage['unchecked'][number]['reason'], string> = {
  'no-source': 'their blocking frame is in a file the source does not have',
  'no-operation': 'their blocking line holds no operation of their wait (the source is probably another version)',
  'no-frame': 'their stack shows no frame of the program',
};

/** `net/http.(*persistConn).roundTrip` is the standard library's: its first path element has no dot. */
function isStandardLibrary(fn: string): boolean {
  const slash = fn.indexOf('/');
  const head = slash >= 0 ? fn.slice(0, slash) : fn.slice(0, Math.max(0, fn.indexOf('.')));
  return head !== '' && !head.includes('.') && head !== 'main' && head !== 'command-line-arguments';
}

export function coverageOf(parties: Party[], haveSource: boolean): ReportCoverage {
  const unchecked = new Map<keyof typeof REASONS, string[]>();
  let blocked = 0;
  let checked = 0;
  for (const party of parties) {
    if (party.inferred || party.activity !== 'blocked' || !party.wait || party.wait.intentionalPark) continue;
    // Blocked inside the standard library's own code (an HTTP transport's loops): not the program's wait.
    const blockingFrame = party.frames.find((f) => f.place !== 'runtime');
    if (blockingFrame && blockingFrame.place !== 'code' && isStandardLibrary(blockingFrame.function)) continue;
    blocked++;
    const wait = party.wait;
    if (wait.site.statement !== '') {
      checked++;
      continue;
    }
    const reason = !wait.site.file ? 'no-frame' : !haveSource || !wait.site.diskFile ? 'no-source' : 'no-operation';
    const list = unchecked.get(reason) ?? [];
    list.push(party.id);
    unchecked.set(reason, list);
  }
  return {
    blockedGroups: blocked,
    checkedGroups: checked,
    unchecked: [...unchecked].map(([reason, groups]) => ({ reason, message: REASONS[reason], groups })),
  };
}

/** The first line every output gives when coverage is not complete, or null when it is. */
export function coverageLine(coverage: ReportCoverage | undefined): string | null {
  if (!coverage || coverage.checkedGroups === coverage.blockedGroups) return null;
  const missing = coverage.blockedGroups - coverage.checkedGroups;
  const why = coverage.unchecked.map((u) => `${u.groups.length} because ${u.message}`).join('; ');
  return `Not checked: ${missing} of ${coverage.blockedGroups} blocked group${coverage.blockedGroups === 1 ? '' : 's'} (${why}); a finding among them cannot be ruled out.`;
}
