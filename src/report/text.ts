// The terminal report, the answer first and once. By default: each finding (in the report's order,
// most important first) with its headline, its paragraph, one line per party (where it is blocked,
// on which statement) and the fix, then a one-screen summary of the dump. A party already shown by
// an earlier finding is named, not repeated. `verbose` adds every party's details and wakers, the
// stacks of the largest groups, the longest waits and the creation sites.

import type { Report, ReportFinding, ReportGroup, ReportWait, ReportWaker } from '../analysis/types.js';
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
  wrapWords,
} from './format.js';
import { findStuckWaker, groupsById, stuckWakerRef } from './graph.js';
import { groupName, mediumResource, partyName, shortFunction } from './paths.js';
import { fileSpelling } from './spelling.js';
import { noFindingVerdict } from './coverage.js';

export interface TextOptions {
  color: boolean;
  /** Target line width; long names and paths may still exceed it. Default 100. */
  width?: number;
  /** How many groups the summary lists per section. Default 5. */
  maxGroups?: number;
  /** Paths under this directory (the user's working directory) are shown relative to it. */
  relativeTo?: string;
  /** `--source` roots: paths under one (and not under `relativeTo`) are shown relative to it. */
  sourceRoots?: string[];
  /** Everything: each party's details and wakers, group stacks, waits, creation sites. Default false. */
  verbose?: boolean;
}

/** ANSI styling that disappears when colour is off. */
interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  green(text: string): string;
  magenta(text: string): string;
}

function makePaint(color: boolean): Paint {
  const wrap = (open: string) => (text: string) => (color ? `\u001b[${open}m${text}\u001b[0m` : text);
  return {
    bold: wrap('1'),
    dim: wrap('2'),
    red: wrap('31'),
    yellow: wrap('33'),
    cyan: wrap('36'),
    green: wrap('32'),
    magenta: wrap('35'),
  };
}

const MAX_FRAMES_PER_GROUP = 12;
/** Width of the label column of a party's details (`blocked  `, `woken by `). */
const LABEL_WIDTH = 10;

interface Context {
  report: Report;
  groups: Map<string, ReportGroup>;
  paint: Paint;
  width: number;
  maxGroups: number;
  verbose: boolean;
  /** `file:line` in the file's one spelling (see spelling.ts). */
  location: (file: string, line: number) => string;
  /** Finding prose with its `dir/file.go:12` references in the same spelling. */
  respell: (text: string) => string;
}

function groupSize(group: ReportGroup | undefined): string {
  return group ? plural(group.count, 'goroutine') : '';
}

/** Whether the waker could still run: stuck in this finding or another, running, or absent. */
function wakerStatus(context: Context, findingIndex: number, waker: ReportWaker): string {
  const { paint } = context;
  const stuck = findStuckWaker(context.report, findingIndex, waker);
  if (stuck) {
    return paint.red(`stuck itself: ${stuckWakerRef(stuck, findingIndex)}${stuck.inferred ? ', inferred from source' : ''}`);
  }
  if (waker.group) {
    const group = context.groups.get(waker.group);
    const state = group && group.state !== '' ? `, ${group.state}` : '';
    return paint.green(`running in ${waker.group}${group ? ` (${groupSize(group)}${state})` : ''}`);
  }
  return paint.yellow('no goroutine in the dump runs it');
}

/** The source statement at the wait's blocking line, when the group's blocking site names it. */
function statementOf(wait: ReportWait, group: ReportGroup | undefined): string | null {
  const site = group?.blocking?.site;
  if (!site || site.statement === '') return null;
  if (site.line !== wait.blockedIn.line) return null;
  return site.statement;
}

function labelled(label: string, text: string): string {
  return `${label.padEnd(LABEL_WIDTH)}${text}`;
}

/**
 * Text after `firstPrefix`, wrapped at spaces to the width (ANSI codes do not count), continuation
 * lines starting with `continuationPrefix`. A single word longer than the width stays whole.
 */
function flow(firstPrefix: string, continuationPrefix: string, text: string, width: number): string[] {
  const lines: string[] = [];
  let current = firstPrefix;
  let empty = true;
  for (const word of text.split(' ')) {
    if (!empty && visibleLength(current) + 1 + visibleLength(word) > width) {
      lines.push(current.replace(/ +$/, ''));
      current = continuationPrefix + word;
    } else if (word === '' && current === continuationPrefix) {
      continue; // a double space that fell on a line break
    } else {
      current += empty ? word : ` ${word}`;
    }
    empty = false;
  }
  lines.push(current);
  return lines;
}

/** `indent + label + text`, wrapped; continuation lines aligned under the text. */
function detailLines(indent: string, label: string, text: string, width: number): string[] {
  return flow(indent + label.padEnd(LABEL_WIDTH), indent + ' '.repeat(LABEL_WIDTH), text, width);
}

/** `main.(*server).peerHandler at server.go:2272 — status`, split over two lines when too long. */
function partyLines(context: Context, findingIndex: number, wait: ReportWait, index: number): string[] {
  const { paint } = context;
  const group = wait.group ? context.groups.get(wait.group) : undefined;
  const indent = '     ';
  const lines: string[] = [];

  const who =
    wait.inferred || wait.group === null
      ? paint.yellow('inferred from source; no goroutine in the dump runs it')
      : `${groupSize(group) || 'group not found'} (${wait.group})`;
  lines.push(`   ${paint.bold(`[${index + 1}]`)} ${paint.bold(partyName(wait))} — ${who}`);
  lines.push(...detailLines(indent, 'identity', wait.function, context.width));
  const waited = group ? formatWait(group.waitMinutes) : '';
  if (waited !== '') lines.push(indent + labelled('waiting', waited));
  lines.push(
    ...detailLines(
      indent,
      'blocked',
      `${shortFunction(wait.blockedIn.function)} at ${paint.cyan(context.location(wait.blockedIn.file, wait.blockedIn.line))}`,
      context.width,
    ),
  );
  const statement = statementOf(wait, group);
  if (statement) lines.push(...detailLines(indent, '', paint.dim(statement), context.width));
  const resource = wait.resource
    ? `${wait.resource.name}${wait.resource.expression ? ` (${wait.resource.expression})` : ''}`
    : 'resource not identified';
  lines.push(...detailLines(indent, 'on', `${paint.magenta(wait.operation)} ${resource}`, context.width));
  if (wait.wokenBy.length === 0) {
    const nothing = noWakerText(wait);
    lines.push(...detailLines(indent, 'woken by', paint.red(nothing), context.width));
  }
  wait.wokenBy.forEach((waker, wakerIndex) => {
    const label = wakerIndex === 0 ? 'woken by' : 'or';
    const head = `${waker.function} at ${paint.cyan(context.location(waker.site.file, waker.site.line))}`;
    const status = wakerStatus(context, findingIndex, waker);
    const oneLine = indent + labelled(label, `${head} — ${status}`);
    if (visibleLength(oneLine) <= context.width) lines.push(oneLine);
    else {
      lines.push(...detailLines(indent, label, head, context.width));
      lines.push(...detailLines(indent, '', `— ${status}`, context.width));
    }
  });
  return lines;
}

function visibleLength(text: string): number {
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/** A party already printed by an earlier finding: the same group (or inferred function) blocked at the same line. */
function partyKey(wait: ReportWait): string {
  return `${wait.group ?? `~${wait.function}`}@${wait.blockedIn.file}:${wait.blockedIn.line}`;
}

/**
 * The one line of a party that matters: who, how many, and the statement it is blocked on, e.g.
 * `[1] peerHandler (G4, 1 goroutine)  syncmanager.go:45  sm.msgChan <- &newPeerMsg{peer: sp}`.
 * Wrapped when long; without a statement, the operation and the resource.
 */
function briefPartyLines(context: Context, wait: ReportWait, index: number): string[] {
  const { paint, width } = context;
  const group = wait.group ? context.groups.get(wait.group) : undefined;
  const who =
    wait.inferred || wait.group === null
      ? paint.yellow('inferred from source')
      : group && group.count === 1 ? wait.group : `${wait.group}, ${groupSize(group) || 'group not found'}`;
  const statement = statementOf(wait, group);
  const resource = wait.resource ? (wait.resource.expression || wait.resource.name) : null;
  const what = statement ?? `${wait.operation}${resource ? ` ${resource}` : ''}`;
  const head = `   ${paint.bold(`[${index + 1}]`)} ${paint.bold(partyName(wait))} (${who})`;
  const where = paint.cyan(context.location(wait.blockedIn.file, wait.blockedIn.line));
  const oneLine = `${head}  ${where}  ${paint.dim(what)}`;
  if (visibleLength(oneLine) <= width) return [oneLine];
  return [head, ...flow(`       ${where}  `, '         ', paint.dim(what), width)];
}

function findingLines(context: Context, finding: ReportFinding, index: number, shown: Map<string, number>): string[] {
  const { paint, width } = context;
  const kind = KIND_TITLES[finding.kind] ?? finding.kind.toUpperCase();
  const confidenceColour = finding.confidence === 'certain' ? paint.red : paint.yellow;
  const lines = [`${paint.bold(`${index + 1}.`)} ${paint.bold(paint.red(kind))} ${confidenceColour(`(${finding.confidence})`)}`];
  for (const line of wrapWords(context.respell(finding.title), width - 3)) lines.push(`   ${paint.bold(line)}`);
  lines.push('');
  for (const line of wrapWords(context.respell(finding.explanation), width - 3)) lines.push(line === '' ? '' : `   ${line}`);
  if (context.verbose) {
    finding.waits.forEach((wait, waitIndex) => {
      lines.push('');
      lines.push(...partyLines(context, index, wait, waitIndex));
    });
  } else {
    const fresh: string[] = [];
    const earlier: string[] = [];
    finding.waits.forEach((wait, waitIndex) => {
      const key = partyKey(wait);
      const before = shown.get(key);
      if (before === undefined) {
        shown.set(key, index);
        fresh.push(...briefPartyLines(context, wait, waitIndex));
      } else {
        earlier.push(`[${waitIndex + 1}] ${partyName(wait)}${wait.group ? ` (${wait.group})` : ''}`);
      }
    });
    if (fresh.length > 0) lines.push('', ...fresh);
    if (earlier.length > 0) {
      const text = `${earlier.join(', ')}: shown above`;
      lines.push(...(fresh.length > 0 ? [] : ['']), ...flow(`   ${paint.dim('parties')}  `, '            ', text, width));
    }
  }
  if (finding.fixes.length > 0) {
    lines.push('');
    lines.push(`   ${paint.bold(finding.fixes.length === 1 ? 'fix' : 'fixes')}`);
    for (const fix of finding.fixes) {
      const location = paint.cyan(context.location(fix.file, fix.line));
      const hint = context.respell(fix.hint);
      if (context.verbose) {
        const oneLine = `     ${location}  ${hint}`;
        if (visibleLength(oneLine) <= width) lines.push(oneLine);
        else {
          lines.push(`     ${location}`);
          for (const line of wrapWords(hint, width - 7)) lines.push(`       ${line}`);
        }
      } else lines.push(...flow(`     ${location}  `, '       ', hint, width));
    }
  }
  return lines;
}

function frameLines(context: Context, group: ReportGroup, indent: string): string[] {
  const { paint, width } = context;
  const lines: string[] = [];
  for (const frame of group.frames.slice(0, MAX_FRAMES_PER_GROUP)) {
    const location = context.location(frame.file, frame.line);
    const oneLine = `${indent}${frame.function}  ${location}`;
    if (oneLine.length <= width) lines.push(`${indent}${frame.function}  ${paint.cyan(location)}`);
    else {
      lines.push(`${indent}${frame.function}`);
      lines.push(`${indent}    ${paint.cyan(location)}`);
    }
  }
  if (group.frames.length > MAX_FRAMES_PER_GROUP) {
    lines.push(paint.dim(`${indent}… ${plural(group.frames.length - MAX_FRAMES_PER_GROUP, 'more frame')}`));
  }
  if (group.createdBy) {
    const creator = group.createdBy;
    const location = context.location(creator.file, creator.line);
    const by = creator.goroutine !== null ? ` in goroutine ${creator.goroutine}` : '';
    const text = `created by ${creator.function}${by}  ${location}`;
    lines.push(...flow(indent, `${indent}    `, text, width).map((line) => paint.dim(line)));
  }
  return lines;
}

function groupHeading(context: Context, group: ReportGroup): string {
  const { paint } = context;
  const state = group.state === '' ? 'state not printed' : group.state;
  const waited = formatWait(group.waitMinutes);
  const name = groupName(group);
  return `${paint.bold(formatCount(group.count).padStart(7))}  ${group.id}  [${state}${waited ? `, ${waited}` : ''}]  ${paint.bold(name)}`;
}

/**
 * What a group waits on and who could wake it, when the source named it: the per-group answer a
 * reader wants before the stack. For a select, one line per case.
 */
function blockingLines(context: Context, group: ReportGroup, indent: string): string[] {
  const blocking = group.blocking;
  if (!blocking) return [];
  const { paint } = context;
  const wakers = (list: ReportWaker[]) =>
    list.length === 0 ? 'nothing in the program' : [...new Set(list.map((w) => (w.function.startsWith('the Go runtime') ? w.function : `${shortFunction(w.function)}${w.group ? ` (${w.group})` : ' (not running)'}`)))].join(', ');
  const out: string[] = [];
  const push = (label: string, text: string) => {
    wrapWords(text, context.width - indent.length - 10).forEach((line, i) => out.push(`${indent}${i === 0 ? paint.dim(label.padEnd(10)) : ' '.repeat(10)}${line}`));
  };
  if (blocking.cases) {
    push('waits', `select at ${context.location(blocking.site.file, blocking.site.line)}`);
    for (const c of blocking.cases) push('  case', `${c.operation} ${mediumResource(c.resource.name)}: woken by ${wakers(c.wokenBy)}`);
  } else {
    const on = blocking.resource ? `${mediumResource(blocking.resource.name)} (${blocking.resource.expression})` : 'an unnamed resource';
    push('waits', `${blocking.operation} ${on}${blocking.site.statement ? `: ${blocking.site.statement}` : ''}`);
    push('woken by', wakers(blocking.wokenBy));
  }
  return out;
}

/** The frame a reader recognises a group by: the blocking site, else the first frame outside the runtime. */
function groupPlace(context: Context, group: ReportGroup): string {
  if (group.blocking) return context.location(group.blocking.site.file, group.blocking.site.line);
  const frame = group.frames.find((f) => !/^(runtime|internal\/|sync\.|sync\/)/.test(f.function)) ?? group.frames[0];
  return frame ? context.location(frame.file, frame.line) : '';
}

/** One screen: totals and states, the largest groups and longest waits one line each, the warnings. */
function briefSummaryLines(context: Context): string[] {
  const { report, paint, maxGroups, width } = context;
  const { snapshot, groups } = report;
  const lines = [paint.bold('SUMMARY')];
  lines.push(...flow(`   ${'total'.padEnd(LABEL_WIDTH)}`, `   ${' '.repeat(LABEL_WIDTH)}`, `${goroutineTotals(snapshot)} in ${plural(groups.length, 'group')} (${snapshot.format} dump)`, width));
  const states = countByState(groups).map(({ state, count }) => `${formatCount(count)} ${state}`);
  if (states.length > 0) lines.push(...flow(`   ${'states'.padEnd(LABEL_WIDTH)}`, `   ${' '.repeat(LABEL_WIDTH)}`, states.join(', '), width));
  const row = (group: ReportGroup, label: string) => {
    const waited = formatWait(group.waitMinutes);
    const name = groupName(group);
    const state = group.state === '' ? 'state not printed' : group.state;
    const head = `   ${label.padEnd(LABEL_WIDTH)}${paint.bold(formatCount(group.count).padStart(6))}  ${group.id}  ${paint.bold(name)} [${state}${waited ? `, ${waited}` : ''}]`;
    const place = paint.cyan(groupPlace(context, group));
    return visibleLength(head) + 2 + visibleLength(place) <= width ? [`${head}  ${place}`] : [head, `   ${' '.repeat(LABEL_WIDTH + 8)}${place}`];
  };
  const largest = largestGroups(groups, maxGroups);
  largest.forEach((group, i) => lines.push(...row(group, i === 0 ? 'largest' : '')));
  if (groups.length > largest.length) lines.push(paint.dim(`   ${' '.repeat(LABEL_WIDTH)}… ${plural(groups.length - largest.length, 'more group')}`));
  const waits = longestWaits(groups, Math.min(3, maxGroups));
  waits.forEach((group, i) => lines.push(...row(group, i === 0 ? 'longest' : '')));
  if (snapshot.warnings.length > 0) {
    const shownWarnings = snapshot.warnings.slice(0, 5);
    lines.push(paint.bold(paint.yellow(`   warnings (${snapshot.warnings.length})`)));
    for (const warning of shownWarnings) {
      const prefix = warning.line > 0 ? `line ${warning.line}: ` : '';
      wrapWords(`${prefix}${warning.message}`, width - 7).forEach((line, lineIndex) => lines.push(`${lineIndex === 0 ? '     ' : '       '}${line}`));
    }
    if (snapshot.warnings.length > shownWarnings.length) lines.push(paint.dim(`     … ${plural(snapshot.warnings.length - shownWarnings.length, 'more warning')} (--verbose)`));
  }
  lines.push(paint.dim('   --verbose adds each party\'s wakers, the groups\' stacks and the creation sites'));
  return lines;
}

function summaryLines(context: Context): string[] {
  const { report, paint, maxGroups } = context;
  const { snapshot, groups } = report;
  const lines = [paint.bold('SUMMARY')];
  lines.push(`   ${labelled('total', goroutineTotals(snapshot))}`);
  lines.push(`   ${labelled('groups', `${formatCount(groups.length)} (${snapshot.format} dump)`)}`);
  const states = countByState(groups).map(({ state, count }) => `${formatCount(count)} ${state}`);
  if (states.length > 0) {
    lines.push(`   ${'states'.padEnd(LABEL_WIDTH)}${states[0]}`);
    for (const state of states.slice(1)) lines.push(`   ${' '.repeat(LABEL_WIDTH)}${state}`);
  }

  const largest = largestGroups(groups, maxGroups);
  if (largest.length > 0) {
    lines.push('');
    lines.push(paint.bold(`   largest groups (${largest.length} of ${groups.length})`));
    for (const group of largest) {
      lines.push(`   ${groupHeading(context, group)}`);
      lines.push(...blockingLines(context, group, '              '));
      lines.push(...frameLines(context, group, '              '));
    }
  }

  const waits = longestWaits(groups, maxGroups);
  lines.push('');
  lines.push(paint.bold('   longest waits'));
  if (waits.length === 0) lines.push(paint.dim('     the dump printed no wait times'));
  for (const group of waits) lines.push(`   ${groupHeading(context, group)}`);

  const sites = creationSites(groups, maxGroups);
  lines.push('');
  lines.push(paint.bold('   creation sites'));
  if (sites.length === 0) lines.push(paint.dim('     the dump printed no "created by" lines'));
  for (const site of sites) {
    const head = `   ${paint.bold(formatCount(site.goroutines).padStart(7))}  ${site.function}`;
    const location = `${context.location(site.file, site.line)} (${plural(site.groups, 'group')})`;
    if (visibleLength(head) + 2 + location.length <= context.width) lines.push(`${head}  ${paint.cyan(location)}`);
    else {
      lines.push(head);
      lines.push(`              ${paint.cyan(location)}`);
    }
  }

  if (snapshot.warnings.length > 0) {
    lines.push('');
    lines.push(paint.bold(paint.yellow(`   warnings (${snapshot.warnings.length})`)));
    for (const warning of snapshot.warnings) {
      const prefix = warning.line > 0 ? `line ${warning.line}: ` : '';
      const wrapped = wrapWords(`${prefix}${warning.message}`, context.width - 5);
      wrapped.forEach((line, lineIndex) => lines.push(`${lineIndex === 0 ? '     ' : '       '}${line}`));
    }
  }
  return lines;
}

function headline(report: Report): string {
  const { findings } = report;
  if (findings.length === 0) return `gridlock: ${noFindingVerdict(report)}`;
  const byKind = new Map<string, number>();
  for (const finding of findings) byKind.set(finding.kind, (byKind.get(finding.kind) ?? 0) + 1);
  const kinds = [...byKind.entries()].map(([kind, count]) => `${count} ${kind}`).join(', ');
  return `gridlock: ${plural(findings.length, 'finding')} (${kinds}) among ${goroutineTotals(report.snapshot)}`;
}

/**
 * The line under the headline that says which blocked groups could not be checked
 * (`report.coverage`): without it a clean result would overstate what was proven. Null when every
 * blocked group was checked or the report (of an earlier version) says nothing about it.
 */
export function coverageLine(report: Report): string | null {
  const coverage = report.coverage;
  if (!coverage || coverage.unchecked.length === 0) return null;
  const missed = coverage.blockedGroups - coverage.checkedGroups;
  const reasons = coverage.unchecked.map((u) => {
    const ids = u.groups.length > 4 ? `${u.groups.slice(0, 4).join(', ')}, …` : u.groups.join(', ');
    return `${u.message} (${ids})`;
  });
  return `not checked: ${missed} of ${plural(coverage.blockedGroups, 'blocked group')}; ${reasons.join('; ')}`;
}

/** The report as terminal text, findings first, then the dump summary. Ends with a newline. */
export function renderText(report: Report, options: TextOptions): string {
  const spelling = fileSpelling(report, { relativeTo: options.relativeTo, sourceRoots: options.sourceRoots });
  const context: Context = {
    report,
    groups: groupsById(report),
    paint: makePaint(options.color),
    width: Math.max(40, options.width ?? 100),
    maxGroups: Math.max(1, options.maxGroups ?? 5),
    verbose: options.verbose ?? false,
    location: spelling.location,
    respell: spelling.respell,
  };
  const lines = wrapWords(headline(report), context.width).map((line) => context.paint.bold(line));
  const coverage = report.findings.length > 0 ? coverageLine(report) : null;
  if (coverage !== null) lines.push(...wrapWords(coverage, context.width));
  const shown = new Map<string, number>();
  report.findings.forEach((finding, index) => {
    lines.push('');
    lines.push(...findingLines(context, finding, index, shown));
  });
  lines.push('');
  lines.push(...(context.verbose ? summaryLines(context) : briefSummaryLines(context)));
  return `${lines.join('\n')}\n`;
}
