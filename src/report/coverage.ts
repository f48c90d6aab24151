// What the report could not check, said first by every renderer: a clean result is a claim only
// when every blocked group was checked against matching source (`report.coverage`).
import type { Report } from '../analysis/types.js';
import { goroutineTotals, plural } from './format.js';

/** `2 of 5 blocked groups could not be checked (…)`, or null when every one was (or the report does not say). */
export function uncheckedSummary(report: Report): string | null {
  const coverage = report.coverage;
  if (!coverage || coverage.unchecked.length === 0) return null;
  const missed = coverage.blockedGroups - coverage.checkedGroups;
  const reasons = coverage.unchecked.map((u) => u.message).join('; ');
  return `${missed} of ${plural(coverage.blockedGroups, 'blocked group')} could not be checked (${reasons})`;
}

/** The verdict when there is no finding: "nothing stuck" only when everything blocked was checked. */
export function noFindingVerdict(report: Report): string {
  const unchecked = uncheckedSummary(report);
  if (unchecked === null) return `nothing stuck found among ${goroutineTotals(report.snapshot)}`;
  return `no finding among ${goroutineTotals(report.snapshot)}, but ${unchecked}: a deadlock among them cannot be ruled out`;
}
