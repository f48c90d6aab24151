// The report as Markdown (for issues and pull requests): findings with their Mermaid graphs and
// parties, then the dump summary with the largest groups' stacks folded in <details>.

import type { Report, ReportFinding, ReportGroup, ReportWait } from '../analysis/types.js';
import {
  noWakerText,
  KIND_TITLES,
  countByState,
  creationSites,
  formatCount,
  formatWait,
  goroutineTotals,
  largestGroups,
  longestWaits,
  plural,
} from './format.js';
import { findStuckWaker, groupsById, stuckWakerRef } from './graph.js';
import { findingMermaid } from './mermaid.js';
import { noFindingVerdict, uncheckedSummary } from './coverage.js';

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
import { groupName, partyName, shortFunction } from './paths.js';
import { spellingOf } from './spelling.js';

const MAX_GROUPS = 10;
const MAX_FRAMES_PER_GROUP = 20;

/** Prose that must not turn into emphasis, links, HTML or table cells. */
/** Finding prose marks code with backticks already: those spans stay code, the rest is escaped. */
export function proseMarkdown(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part) => (part.length > 2 && part.startsWith('`') && part.endsWith('`') ? part : escapeMarkdown(part)))
    .join('');
}

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<|#]/g, (character) => `\\${character}`).replace(/\r?\n/g, ' ');
}

/** An inline code span that survives backticks inside the text. */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const padded = flat.startsWith('`') || flat.endsWith('`') ? ` ${flat} ` : flat;
  return `${fence}${padded}${fence}`;
}

/** A fenced block whose fence is longer than any backtick run inside. */
function fenced(language: string, body: string): string[] {
  const longestRun = Math.max(2, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return [`${fence}${language}`, body.replace(/\n$/, ''), fence];
}

function wakerText(report: Report, findingIndex: number, wait: ReportWait, groups: Map<string, ReportGroup>): string {
  if (wait.wokenBy.length === 0) return noWakerText(wait);
  return wait.wokenBy
    .map((waker) => {
      const stuck = findStuckWaker(report, findingIndex, waker);
      let status: string;
      if (stuck) status = `stuck itself: ${stuckWakerRef(stuck, findingIndex)}${stuck.inferred ? ', inferred from source' : ''}`;
      else if (waker.group) status = `running in ${waker.group} (${plural(groups.get(waker.group)?.count ?? 0, 'goroutine')})`;
      else status = 'no goroutine in the dump runs it';
      return `${codeSpan(waker.function)} at ${codeSpan(spellingOf(report).location(waker.site.file, waker.site.line))} (${status})`;
    })
    .join(' or ');
}

function partyLines(report: Report, findingIndex: number, wait: ReportWait, index: number, groups: Map<string, ReportGroup>): string[] {
  const group = wait.group ? groups.get(wait.group) : undefined;
  const who =
    wait.inferred || wait.group === null
      ? 'inferred from source; no goroutine in the dump runs it'
      : `${group ? plural(group.count, 'goroutine') : 'group not found'} (${wait.group})`;
  const waited = group ? formatWait(group.waitMinutes) : '';
  const lines = [`${index + 1}. **${escapeMarkdown(partyName(wait))}** — ${who}${waited ? `, waiting ${waited}` : ''}`];
  lines.push(`   - identity ${codeSpan(wait.function)}`);
  const site = group?.blocking?.site;
  const statement = site && site.line === wait.blockedIn.line && site.statement ? `: ${codeSpan(site.statement)}` : '';
  lines.push(
    `   - blocked in ${codeSpan(shortFunction(wait.blockedIn.function))} at ${codeSpan(spellingOf(report).location(wait.blockedIn.file, wait.blockedIn.line))}${statement}`,
  );
  const resource = wait.resource ? `${codeSpan(wait.resource.name)}${wait.resource.expression ? ` (${codeSpan(wait.resource.expression)})` : ''}` : 'an unidentified resource';
  lines.push(`   - ${codeSpan(wait.operation)} on ${resource}`);
  lines.push(`   - woken by ${wakerText(report, findingIndex, wait, groups)}`);
  return lines;
}

function findingSection(report: Report, finding: ReportFinding, index: number, groups: Map<string, ReportGroup>): string[] {
  const kind = KIND_TITLES[finding.kind] ?? finding.kind;
  const lines = [`## ${index + 1}. ${kind.charAt(0)}${kind.slice(1).toLowerCase()} (${finding.confidence}): ${proseMarkdown(spellingOf(report).respell(finding.title))}`, ''];
  if (finding.explanation !== '') lines.push(proseMarkdown(spellingOf(report).respell(finding.explanation)), '');
  const graph = finding.mermaid !== '' ? finding.mermaid : findingMermaid(report, index);
  lines.push(...fenced('mermaid', graph), '');
  lines.push('**Parties**', '');
  finding.waits.forEach((wait, waitIndex) => lines.push(...partyLines(report, index, wait, waitIndex, groups)));
  if (finding.fixes.length > 0) {
    lines.push('', '**Fixes**', '');
    for (const fix of finding.fixes) lines.push(`- ${codeSpan(spellingOf(report).location(fix.file, fix.line))} — ${proseMarkdown(spellingOf(report).respell(fix.hint))}`);
  }
  lines.push('');
  return lines;
}

function stackText(report: Report, group: ReportGroup): string {
  const lines: string[] = [];
  for (const frame of group.frames.slice(0, MAX_FRAMES_PER_GROUP)) {
    lines.push(frame.function, `    ${spellingOf(report).location(frame.file, frame.line)}`);
  }
  if (group.frames.length > MAX_FRAMES_PER_GROUP) lines.push(`… ${plural(group.frames.length - MAX_FRAMES_PER_GROUP, 'more frame')}`);
  if (group.createdBy) {
    const by = group.createdBy.goroutine !== null ? ` in goroutine ${group.createdBy.goroutine}` : '';
    lines.push(`created by ${group.createdBy.function}${by}`, `    ${spellingOf(report).location(group.createdBy.file, group.createdBy.line)}`);
  }
  return lines.join('\n');
}

function summarySection(report: Report): string[] {
  const { snapshot, groups } = report;
  const lines = ['## Summary', ''];
  lines.push(`${goroutineTotals(snapshot)} in ${plural(groups.length, 'group')} (${snapshot.format} dump).`, '');
  const states = countByState(groups);
  if (states.length > 0) {
    lines.push('| state | goroutines |', '| --- | ---: |');
    for (const { state, count } of states) lines.push(`| ${escapeMarkdown(state)} | ${formatCount(count)} |`);
    lines.push('');
  }
  const largest = largestGroups(groups, MAX_GROUPS);
  if (largest.length > 0) {
    lines.push(`### Largest groups (${largest.length} of ${groups.length})`, '');
    for (const group of largest) {
      const state = group.state === '' ? 'state not printed' : group.state;
      const waited = formatWait(group.waitMinutes);
      lines.push('<details>');
      lines.push(
        `<summary>${formatCount(group.count)} × ${group.id} [${escapeHtml(state)}${waited ? `, ${waited}` : ''}] ${escapeHtml(groupName(group))}</summary>`,
        '',
      );
      lines.push(...fenced('', stackText(report, group)));
      lines.push('', '</details>', '');
    }
  }
  const waits = longestWaits(groups, MAX_GROUPS);
  lines.push('### Longest waits', '');
  if (waits.length === 0) lines.push('The dump printed no wait times.');
  else {
    lines.push('| waiting | goroutines | group | state | function |', '| --- | ---: | --- | --- | --- |');
    for (const group of waits) {
      lines.push(`| ${formatWait(group.waitMinutes)} | ${formatCount(group.count)} | ${group.id} | ${escapeMarkdown(group.state)} | ${codeSpan(groupName(group))} |`);
    }
  }
  lines.push('');
  const sites = creationSites(groups, MAX_GROUPS);
  lines.push('### Creation sites', '');
  if (sites.length === 0) lines.push('The dump printed no "created by" lines.');
  else {
    lines.push('| goroutines | groups | created by | at |', '| ---: | ---: | --- | --- |');
    for (const site of sites) {
      lines.push(`| ${formatCount(site.goroutines)} | ${site.groups} | ${codeSpan(site.function)} | ${codeSpan(spellingOf(report).location(site.file, site.line))} |`);
    }
  }
  lines.push('');
  if (snapshot.warnings.length > 0) {
    lines.push('### Warnings', '');
    for (const warning of snapshot.warnings) {
      lines.push(`- ${warning.line > 0 ? `line ${warning.line}: ` : ''}${escapeMarkdown(warning.message)}`);
    }
    lines.push('');
  }
  return lines;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The report as GitHub-flavoured Markdown with Mermaid graphs. Ends with a newline. */
export function renderMarkdown(report: Report): string {
  const groups = groupsById(report);
  const count = report.findings.length;
  const lines = ['# gridlock report', ''];
  lines.push(
    count === 0
      ? `${capitalise(noFindingVerdict(report))}.`
      : `**${plural(count, 'finding')}** among ${goroutineTotals(report.snapshot)}.${uncheckedSummary(report) ? ` ${capitalise(uncheckedSummary(report)!)}.` : ''}`,
    '',
  );
  report.findings.forEach((finding, index) => lines.push(...findingSection(report, finding, index, groups)));
  lines.push(...summarySection(report));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return `${lines.join('\n')}\n`;
}
