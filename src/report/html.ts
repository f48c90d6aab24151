// One self-contained HTML page: findings first, each with its wait-for graph pre-rendered to SVG
// (Graphviz compiled to WebAssembly, run here at generation time, so the page loads no script
// but its own small one), the source around every party's blocking line, then every goroutine
// group as embedded JSON that a small inline script filters and renders a page at a time, so
// 100,000 goroutines in thousands of groups stay responsive. No network, no external fonts.

import type { Viz } from '@viz-js/viz';
import type { Report, ReportFinding, ReportGroup, ReportWait, SourceExcerpt } from '../analysis/types.js';
import { countByState, formatCount, formatWait, goroutineTotals, noWakerText, plural, KIND_TITLES } from './format.js';
import { anchorSafe, findingDot, partyAnchor } from './dot.js';
import { findStuckWaker, groupsById, stuckWakerRef } from './graph.js';
import { uncheckedSummary } from './coverage.js';
import { packageOf, partyName, shortFunction, shortenPath } from './paths.js';
import { fileSpelling, type FileSpelling } from './spelling.js';

export interface HtmlOptions {
  title?: string;
  /** Disk paths under this directory (the user's working directory) are shown relative to it. */
  relativeTo?: string;
  /** `--source` roots: disk paths under one (and not under `relativeTo`) are shown relative to it. */
  sourceRoots?: string[];
}

let vizInstance: Promise<Viz> | null = null;

/**
 * Graphviz is loaded on first need (a run without HTML never imports it) and reused: its start-up
 * costs tens of milliseconds.
 */
function loadViz(): Promise<Viz> {
  vizInstance ??= import('@viz-js/viz').then((viz) => viz.instance());
  return vizInstance;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JSON that can sit inside a <script> element: no `</script>`, no `<!--`, no line separators. */
/** Finding prose marks code with backticks, as Markdown does: shown as `<code>` here. */
export function proseHtml(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part) => (part.length > 2 && part.startsWith('`') && part.endsWith('`') ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : escapeHtml(part)))
    .join('');
}

export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Finds the excerpt that shows a line: same path, else the same path tail (dump vs disk paths). */
class ExcerptIndex {
  private readonly byFile = new Map<string, number[]>();

  constructor(private readonly excerpts: SourceExcerpt[]) {
    excerpts.forEach((excerpt, index) => {
      const list = this.byFile.get(excerpt.file) ?? [];
      list.push(index);
      this.byFile.set(excerpt.file, list);
    });
  }

  find(file: string, line: number): number | null {
    const covers = (index: number): boolean => {
      const excerpt = this.excerpts[index];
      return line >= excerpt.startLine && line < excerpt.startLine + excerpt.lines.length;
    };
    const exact = (this.byFile.get(file) ?? []).find(covers);
    if (exact !== undefined) return exact;
    const tail = shortenPath(file);
    for (const [excerptFile, indexes] of this.byFile) {
      if (!pathTailsMatch(excerptFile, file, tail)) continue;
      const found = indexes.find(covers);
      if (found !== undefined) return found;
    }
    return null;
  }
}

function pathTailsMatch(a: string, b: string, shortB: string): boolean {
  if (a === b) return true;
  const shortA = shortenPath(a);
  const longer = a.length >= b.length ? a : b;
  const shorter = a.length >= b.length ? b : a;
  if (longer.endsWith(`/${shorter}`)) return true;
  return shortA === shortB || a.endsWith(`/${shortB}`) || b.endsWith(`/${shortA}`);
}

function lineAnchor(excerptIndex: number, line: number): string {
  return `src-${excerptIndex + 1}-L${line}`;
}

/** What each band of an excerpt means, as the legend and the line tooltips say it. */
const MARK_NAMES: Record<SourceExcerpt['marks'][number]['kind'], string> = {
  blocked: 'blocked here',
  held: 'lock held',
  waker: 'could wake it',
  fix: 'to fix',
};

/**
 * An excerpt as numbered lines; `idPrefix` non-null gives each line an id to link to. With a
 * focus line and `around`, only that many lines either side of it are shown.
 */
function excerptHtml(excerpt: SourceExcerpt, focusLine: number | null, idPrefix: string | null, around?: number): string {
  const marksByLine = new Map<number, SourceExcerpt['marks']>();
  for (const mark of excerpt.marks) {
    const list = marksByLine.get(mark.line) ?? [];
    list.push(mark);
    marksByLine.set(mark.line, list);
  }
  const rows: string[] = [];
  excerpt.lines.forEach((text, offset) => {
    const line = excerpt.startLine + offset;
    if (focusLine !== null && around !== undefined && Math.abs(line - focusLine) > around) return;
    const marks = marksByLine.get(line) ?? [];
    const classes = ['ln', ...new Set(marks.map((mark) => `mark-${mark.kind}`))];
    if (line === focusLine) classes.push('focus');
    // Each note once per line (several parties can mark the same line alike); the held stretch is
    // the band's colour, not a note on every line of it.
    const notes = [...new Set(marks.filter((mark) => mark.note !== '' && mark.kind !== 'held').map((mark) => mark.note))];
    const id = idPrefix === null ? '' : ` id="${idPrefix}-L${line}"`;
    const titles = [...new Set(marks.map((mark) => (mark.note === '' ? MARK_NAMES[mark.kind] : `${MARK_NAMES[mark.kind]}: ${mark.note}`)))];
    const title = marks.length > 0 ? ` title="${escapeHtml(titles.join('\n'))}"` : '';
    const note = notes.length > 0 ? `<span class="note">${escapeHtml(notes.join('; '))}</span>` : '';
    rows.push(`<span class="${classes.join(' ')}"${id}${title} data-line="${line}"><span class="no">${line}</span>${escapeHtml(text)}${note}</span>`);
  });
  // Rows are block elements: joined without newlines, or <pre> would double the line spacing.
  return `<pre class="code"><code>${rows.join('')}</code></pre>`;
}

interface PageContext {
  report: Report;
  groups: Map<string, ReportGroup>;
  excerpts: SourceExcerpt[];
  index: ExcerptIndex;
  /** Where each excerpt is shown, once: see excerptOwners. */
  owners: Map<number, Place>;
  /** Party sections already on the page, by party key: a later finding refers to them. */
  shownParties: Map<string, string>;
  /** Each file in one spelling (see spelling.ts). */
  spelling: FileSpelling;
}

/** A place on the page that shows an excerpt: a party's section or a finding's fix. */
type Place = { kind: 'party'; finding: number; wait: number } | { kind: 'fix'; finding: number; fix: number };

function placeKey(place: Place): string {
  return place.kind === 'party' ? `p${place.finding}:${place.wait}` : `x${place.finding}:${place.fix}`;
}

/** The excerpt that shows a party's blocking line: by the disk location first, then the dump path. */
function partyExcerpt(context: Pick<PageContext, 'groups' | 'index'>, wait: ReportWait): number | null {
  const site = wait.group ? context.groups.get(wait.group)?.blocking?.site : undefined;
  return (site ? context.index.find(site.file, site.line) : null) ?? context.index.find(wait.blockedIn.file, wait.blockedIn.line);
}

/** The key of a party across findings: a pile-up lists again the parties of the cycle it waits on. */
function partyKey(wait: ReportWait): string {
  return `${wait.group ?? `fn:${wait.function}`}@${wait.blockedIn.line}`;
}

/**
 * Each excerpt is shown once, at one place; every other place that needs it links to its lines.
 * The place, in order of preference: the section of a party that holds a lock shaded in it (one
 * of its frames is on a held line), so the held band sits under its holder; a fix whose line it
 * marks (a leaked lock's returns read best under Fixes); else the first party blocked in it.
 * Parties listed again by a later finding are not places. Linear in parties, frames and fixes.
 */
function excerptOwners(context: Pick<PageContext, 'report' | 'groups' | 'index' | 'excerpts'>): Map<number, Place> {
  const candidates = new Map<number, { place: Place; holder: boolean; fix: boolean }[]>();
  const add = (excerpt: number | null, place: Place, holder: boolean, fix: boolean) => {
    if (excerpt === null) return;
    const list = candidates.get(excerpt) ?? [];
    list.push({ place, holder, fix });
    candidates.set(excerpt, list);
  };
  const heldLines = (excerpt: number) => new Set(context.excerpts[excerpt].marks.filter((m) => m.kind === 'held').map((m) => m.line));
  const seen = new Set<string>();
  context.report.findings.forEach((finding, f) => {
    finding.waits.forEach((wait, w) => {
      const key = partyKey(wait);
      if (seen.has(key)) return;
      seen.add(key);
      const place: Place = { kind: 'party', finding: f, wait: w };
      const excerpt = partyExcerpt(context, wait);
      // The excerpts in which this party holds a lock: one of its frames is on a held line there.
      const group = wait.group ? context.groups.get(wait.group) : undefined;
      const holds = new Set<number>();
      for (const frame of group ? group.frames : [wait.blockedIn]) {
        const at = context.index.find(frame.file, frame.line);
        if (at !== null && heldLines(at).has(frame.line)) holds.add(at);
      }
      add(excerpt, place, excerpt !== null && holds.has(excerpt), false);
      for (const at of holds) if (at !== excerpt) add(at, place, true, false);
    });
    finding.fixes.forEach((fix, x) => {
      const excerpt = context.index.find(fix.file, fix.line);
      const marksFix = excerpt !== null && context.excerpts[excerpt].marks.some((m) => m.kind === 'fix' && m.line === fix.line);
      add(excerpt, { kind: 'fix', finding: f, fix: x }, false, marksFix);
    });
  });
  const owners = new Map<number, Place>();
  for (const [excerpt, list] of candidates) {
    const chosen = list.find((c) => c.holder) ?? list.find((c) => c.fix) ?? list.find((c) => c.place.kind === 'party') ?? list[0];
    owners.set(excerpt, chosen.place);
  }
  return owners;
}

/**
 * The source a place needs: the whole excerpt (line ids and all) when this place shows it, else a
 * link to the line in the place that does.
 */
function placeSource(context: PageContext, place: Place, excerpt: number | null, line: number, nameOf: (place: Place) => string): string {
  if (excerpt === null) return place.kind === 'party' ? '<p class="muted">No source excerpt for this line.</p>' : '';
  const owner = context.owners.get(excerpt);
  if (owner && placeKey(owner) === placeKey(place)) return excerptHtml(context.excerpts[excerpt], line, `src-${excerpt + 1}`);
  const where = owner ? `, shown ${nameOf(owner)}` : ', under Source below';
  return `<p class="muted source-ref">Source: <a class="loc" href="#${lineAnchor(excerpt, line)}" data-testid="source-link"><code>${escapeHtml(context.spelling.location(context.excerpts[excerpt].file, line))}</code></a>${escapeHtml(where)}</p>`;
}

function placeName(context: PageContext, from: number): (place: Place) => string {
  return (place) => {
    const where = place.finding === from ? '' : ` of finding ${place.finding + 1}`;
    if (place.kind === 'fix') return `under the fixes${where}`;
    const wait = context.report.findings[place.finding].waits[place.wait];
    return `with [${place.wait + 1}] ${partyName(wait)}${where}`;
  };
}

function locationLink(context: PageContext, file: string, line: number): string {
  const text = escapeHtml(context.spelling.location(file, line));
  const found = context.index.find(file, line);
  if (found === null) return `<code>${text}</code>`;
  return `<a class="loc" href="#${lineAnchor(found, line)}" data-testid="source-link"><code>${text}</code></a>`;
}

function partyId(findingIndex: number, wait: ReportWait): string {
  return `f${findingIndex + 1}-party-${anchorSafe(wait.group ?? `fn:${wait.function}`)}`;
}

function wakerStatus(context: PageContext, findingIndex: number, wait: ReportWait['wokenBy'][number]): string {
  const stuck = findStuckWaker(context.report, findingIndex, wait);
  if (stuck) {
    const target = context.report.findings[stuck.finding].waits[stuck.wait];
    const text = `stuck itself: ${stuckWakerRef(stuck, findingIndex)}${stuck.inferred ? ', inferred from source' : ''}`;
    return `<a class="status stuck" href="#${partyId(stuck.finding, target)}">${escapeHtml(text)}</a>`;
  }
  if (wait.group) {
    const group = context.groups.get(wait.group);
    return `<a class="status live" href="#group-${anchorSafe(wait.group)}">running in ${escapeHtml(wait.group)}${group ? ` (${escapeHtml(plural(group.count, 'goroutine'))})` : ''}</a>`;
  }
  return '<span class="status absent">no goroutine in the dump runs it</span>';
}

function partySection(context: PageContext, finding: ReportFinding, findingIndex: number, wait: ReportWait, waitIndex: number): string {
  const group = wait.group ? context.groups.get(wait.group) : undefined;
  const earlier = context.shownParties.get(partyKey(wait));
  if (earlier !== undefined) {
    // Listed by an earlier finding already: named here, described there.
    return `<p class="party-ref" data-testid="party-ref" data-group="${escapeHtml(wait.group ?? '')}">[${waitIndex + 1}] <a href="#${earlier}">${escapeHtml(partyName(wait))}${wait.group ? ` (${escapeHtml(wait.group)})` : ''}</a> <span class="muted">— described above</span></p>`;
  }
  context.shownParties.set(partyKey(wait), partyId(findingIndex, wait));
  const inferred = wait.inferred || wait.group === null;
  const who = inferred
    ? '<span class="badge inferred">inferred from source</span> no goroutine in the dump runs it'
    : `${escapeHtml(group ? plural(group.count, 'goroutine') : 'group not found')} <a href="#group-${anchorSafe(wait.group ?? '')}">${escapeHtml(wait.group ?? '')}</a>`;
  const waited = group ? formatWait(group.waitMinutes) : '';
  const site = group?.blocking?.site;
  const statement = site && site.line === wait.blockedIn.line && site.statement !== '' ? site.statement : null;
  const excerptAt = partyExcerpt(context, wait);
  const resource = wait.resource
    ? `<code>${escapeHtml(wait.resource.name)}</code>${wait.resource.expression ? ` (<code>${escapeHtml(wait.resource.expression)}</code>)` : ''}`
    : 'an unidentified resource';
  const wakers =
    wait.wokenBy.length === 0
      ? `<li class="status stuck" data-testid="no-waker">${escapeHtml(noWakerText(wait))}</li>`
      : wait.wokenBy
          .map(
            (waker) =>
              `<li data-testid="waker"><code>${escapeHtml(waker.function)}</code> at ${locationLink(context, waker.site.file, waker.site.line)} — ${wakerStatus(context, findingIndex, waker)}</li>`,
          )
          .join('');
  const place: Place = { kind: 'party', finding: findingIndex, wait: waitIndex };
  let excerpt = placeSource(context, place, excerptAt, site?.line ?? wait.blockedIn.line, placeName(context, findingIndex));
  // The code of outer frames where this party holds a lock, when it is shown here.
  for (const [at, owner] of context.owners) {
    if (at === excerptAt || placeKey(owner) !== placeKey(place)) continue;
    const frame = (group?.frames ?? []).find((candidate) => context.index.find(candidate.file, candidate.line) === at);
    excerpt += excerptHtml(context.excerpts[at], frame?.line ?? null, `src-${at + 1}`);
  }
  return `<section class="party${inferred ? ' inferred' : ''}" id="${partyId(findingIndex, wait)}" data-testid="party" data-group="${escapeHtml(wait.group ?? '')}">
<h4>[${waitIndex + 1}] ${escapeHtml(partyName(wait))} <span class="who">— ${who}${waited ? `, waiting ${escapeHtml(waited)}` : ''}</span></h4>
<dl>
<dt>identity</dt><dd><code>${escapeHtml(wait.function)}</code></dd>
<dt>blocked</dt><dd><code>${escapeHtml(shortFunction(wait.blockedIn.function))}</code> at ${locationLink(context, wait.blockedIn.file, wait.blockedIn.line)}${statement ? ` <code class="stmt">${escapeHtml(statement)}</code>` : ''}</dd>
<dt>on</dt><dd><span class="op">${escapeHtml(wait.operation)}</span> ${resource}</dd>
<dt>woken by</dt><dd><ul class="wakers">${wakers}</ul></dd>
</dl>
<div class="party-source" data-testid="party-source">${excerpt}</div>
</section>`;
}

/** Prefixes every id in an SVG so that several graphs on one page keep unique ids. */
function prefixSvgIds(svg: string, prefix: string): string {
  return svg.replace(/ id="/g, ` id="${prefix}`);
}

async function graphHtml(context: PageContext, findingIndex: number): Promise<string> {
  const dot = findingDot(context.report, findingIndex, (node) => {
    const anchor = partyAnchor(node);
    if (node.role === 'absent') {
      // A waker that is not running: link straight to the code that would wake the party.
      for (const finding of context.report.findings) {
        for (const wait of finding.waits) {
          const waker = wait.wokenBy.find((candidate) => candidate.function === node.function && !candidate.group);
          const found = waker ? context.index.find(waker.site.file, waker.site.line) : null;
          if (waker && found !== null) return `#${lineAnchor(found, waker.site.line)}`;
        }
      }
      return null;
    }
    return anchor === null ? null : `#${anchor}`;
  });
  try {
    const viz = await loadViz();
    const result = viz.render(dot, { format: 'svg' });
    if (result.status === 'success') {
      const svg = result.output.slice(Math.max(0, result.output.indexOf('<svg')));
      return `<figure class="graph" data-testid="finding-graph">${prefixSvgIds(svg, `f${findingIndex + 1}-`)}</figure>`;
    }
    const errors = result.errors.map((error) => error.message).join('; ');
    return `<figure class="graph" data-testid="finding-graph"><p class="muted">The graph could not be laid out (${escapeHtml(errors)}); its DOT source:</p><pre data-testid="finding-dot">${escapeHtml(dot)}</pre></figure>`;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `<figure class="graph" data-testid="finding-graph"><p class="muted">Graphviz is unavailable (${escapeHtml(message)}); the graph's DOT source:</p><pre data-testid="finding-dot">${escapeHtml(dot)}</pre></figure>`;
  }
}

async function findingArticle(context: PageContext, finding: ReportFinding, index: number): Promise<string> {
  const kind = KIND_TITLES[finding.kind] ?? finding.kind;
  const parties = finding.waits.map((wait, waitIndex) => partySection(context, finding, index, wait, waitIndex)).join('\n');
  const fixes =
    finding.fixes.length === 0
      ? ''
      : `<h3>Fixes</h3><ul class="fixes" data-testid="fixes">${finding.fixes
          .map((fix, fixIndex) => {
            // The code to change: shown in place when this is the excerpt's place, else linked.
            const at = context.index.find(fix.file, fix.line);
            const code = at === null ? '' : placeSource(context, { kind: 'fix', finding: index, fix: fixIndex }, at, fix.line, placeName(context, index));
            return `<li data-testid="fix">${locationLink(context, fix.file, fix.line)} ${proseHtml(context.spelling.respell(fix.hint))}${code}</li>`;
          })
          .join('')}</ul>`;
  return `<article class="finding kind-${escapeHtml(finding.kind)}" id="finding-${index + 1}" data-testid="finding" data-kind="${escapeHtml(finding.kind)}" data-confidence="${escapeHtml(finding.confidence)}">
<h2><span class="kind">${escapeHtml(kind)}</span> <span class="confidence c-${escapeHtml(finding.confidence)}">${escapeHtml(finding.confidence)}</span> ${proseHtml(context.spelling.respell(finding.title))}</h2>
<p class="explanation">${proseHtml(context.spelling.respell(finding.explanation))}</p>
${await graphHtml(context, index)}
<h3>Parties</h3>
${parties}
${fixes}
</article>`;
}

/** The excerpts no party or fix shows (the wakers' code, mostly), folded, with line ids that links point to. */
function sourcesSection(context: PageContext): string {
  const rest = context.excerpts.map((excerpt, index) => ({ excerpt, index })).filter(({ index }) => !context.owners.has(index));
  if (rest.length === 0) return '';
  const items = rest
    .map(
      ({ excerpt, index }) =>
        `<details class="excerpt" id="src-${index + 1}" data-testid="excerpt"><summary><code>${escapeHtml(context.spelling.location(excerpt.file, excerpt.startLine))}</code>–${excerpt.startLine + excerpt.lines.length - 1}</summary>${excerptHtml(excerpt, null, `src-${index + 1}`)}</details>`,
    )
    .join('\n');
  return `<section id="sources" data-testid="sources"><h2>Source</h2>\n${items}\n</section>`;
}

/** What the coloured bands of the excerpts mean: the kinds that occur, once per page. */
function legendHtml(excerpts: SourceExcerpt[]): string {
  const kinds = new Set(excerpts.flatMap((excerpt) => excerpt.marks.map((mark) => mark.kind)));
  if (kinds.size === 0) return '';
  const items = (Object.keys(MARK_NAMES) as (keyof typeof MARK_NAMES)[])
    .filter((kind) => kinds.has(kind))
    .map((kind) => `<span class="swatch mark-${kind}" data-mark="${kind}">${escapeHtml(MARK_NAMES[kind])}</span>`)
    .join('');
  return `<p class="legend" data-testid="legend">In the source: ${items}</p>`;
}

/** The compact form the page's script reads: short keys, short paths, no goroutine ids. */
function groupRecords(report: Report, spelling: FileSpelling): unknown[] {
  return report.groups.map((group) => {
    const identity = group.identity ?? group.frames[group.frames.length - 1]?.function ?? '';
    return {
      id: group.id,
      n: group.count,
      s: group.state,
      w: group.waitMinutes ? [group.waitMinutes.min, group.waitMinutes.max] : null,
      fn: identity,
      pkg: identity === '' ? '' : packageOf(identity),
      op: group.blocking ? group.blocking.operation : null,
      res: group.blocking?.resource?.name ?? null,
      st: group.blocking?.site.statement ?? null,
      f: group.frames.map((frame) => [frame.function, spelling.file(frame.file), frame.line]),
      c: group.createdBy ? [group.createdBy.function, spelling.file(group.createdBy.file), group.createdBy.line] : null,
    };
  });
}

const STYLE = `
:root{--fg:#101828;--muted:#667085;--line:#eaecf0;--red:#b42318;--amber:#b54708;--green:#027a48;--bg:#fff;--code:#f9fafb}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1200px;margin:0 auto;padding:16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:24px 0 8px}h3{font-size:15px;margin:16px 0 6px}h4{font-size:14px;margin:0 0 6px}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.muted{color:var(--muted)}
.totals span,.states span{display:inline-block;margin-right:12px}
.finding{border:1px solid var(--line);border-left:4px solid var(--red);border-radius:6px;padding:12px 16px;margin:16px 0}
.finding.kind-pile-up,.finding.kind-long-wait{border-left-color:var(--amber)}
.kind{color:var(--red);font-weight:700}.confidence{font-size:12px;padding:1px 6px;border-radius:8px;background:#fef0c7;color:var(--amber)}
.c-certain{background:#fde2e2;color:var(--red)}
.graph{margin:8px 0;overflow:auto;border:1px solid var(--line);border-radius:4px;padding:8px;background:#fff}
.graph svg{max-width:100%;height:auto}
.party{border-top:1px solid var(--line);padding:8px 0}.party.inferred h4{font-style:italic}
.party:target,.ln:target{outline:2px solid #fdb022}
.badge.inferred{border:1px dashed var(--red);border-radius:4px;padding:0 4px;font-size:12px}
dl{display:grid;grid-template-columns:80px 1fr;gap:2px 8px;margin:4px 0}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
ul.wakers{margin:0;padding-left:16px}.status.stuck{color:var(--red)}.status.live{color:var(--green)}.status.absent{color:var(--amber)}
.op{font-weight:600}
pre.code{tab-size:4;background:var(--code);border:1px solid var(--line);border-radius:4px;padding:6px 0;overflow:auto;margin:6px 0}
.ln{display:block;padding:0 8px;white-space:pre}.ln .no{display:inline-block;width:48px;color:var(--muted);user-select:none}
.ln.mark-held{background:#fef0c7}.ln.mark-blocked{background:#fde2e2;font-weight:600}.ln.mark-waker{background:#d1fadf}.ln.mark-fix{background:#d1e9ff}
.ln.focus{box-shadow:inset 3px 0 var(--red)}.note{display:block;white-space:pre-wrap;color:var(--muted);margin-left:56px;font-style:italic}
.legend .swatch{display:inline-block;padding:0 8px;margin:0 6px;border-radius:3px}.mark-held{background:#fef0c7}.mark-blocked{background:#fde2e2}.mark-waker{background:#d1fadf}.mark-fix{background:#d1e9ff}
.party-ref{margin:4px 0}
.excerpt summary{cursor:pointer}
.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:8px 0}
.filters input,.filters select{font:inherit;padding:4px 6px}
#group-list{list-style:none;padding:0;margin:0}
.group{border-bottom:1px solid var(--line)}.group summary{cursor:pointer;padding:3px 0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.group .n{display:inline-block;min-width:70px;text-align:right;font-weight:600;margin-right:8px}
.group pre{margin:4px 0 8px 78px;white-space:pre-wrap}
#warnings li{color:var(--amber)}
@media (max-width:700px){dl{grid-template-columns:1fr}.group pre{margin-left:0}}
`;

// The page's only script: group filtering, lazy rows, and opening whatever a link points at.
const SCRIPT = `
(function(){
var data=JSON.parse(document.getElementById('groups-data').textContent);
var list=document.getElementById('group-list'),more=document.getElementById('group-more'),shownCount=document.getElementById('group-count');
var search=document.getElementById('group-search'),stateSel=document.getElementById('group-state'),pkgSel=document.getElementById('group-package'),minWait=document.getElementById('group-min-wait');
var PAGE=200,shown=0,matches=data;
function fmt(n){return String(n).replace(/\\B(?=(\\d{3})+(?!\\d))/g,',');}
function short(fn){var s=fn.slice(fn.lastIndexOf('/')+1),r=s.indexOf('.(');s=r>=0?s.slice(r+1).replace(/^\\([^)]*\\)\\./,''):s.slice(s.indexOf('.')+1);return s||fn;}
function fill(sel,key){var t={};data.forEach(function(g){t[g[key]]=(t[g[key]]||0)+g.n;});Object.keys(t).sort(function(a,b){return t[b]-t[a];}).forEach(function(k){var o=document.createElement('option');o.value=k;o.textContent=(k||'(none)')+' — '+fmt(t[k]);sel.appendChild(o);});}
fill(stateSel,'s');fill(pkgSel,'pkg');
function hay(g){if(!g.h){g.h=(g.id+' '+g.fn+' '+g.s+' '+(g.res||'')+' '+(g.st||'')+' '+g.f.map(function(f){return f[0]+' '+f[1]+':'+f[2];}).join(' ')).toLowerCase();}return g.h;}
function wait(g){return g.w?(g.w[0]===g.w[1]?g.w[1]+' min':g.w[0]+'–'+g.w[1]+' min'):'';}
function row(g){
var li=document.createElement('li');li.className='group';li.id='group-'+g.id.replace(/[^A-Za-z0-9_.-]/g,'_');li.setAttribute('data-testid','group-row');li.setAttribute('data-group-id',g.id);
var d=document.createElement('details'),s=document.createElement('summary');
var n=document.createElement('span');n.className='n';n.textContent=fmt(g.n);s.appendChild(n);
s.appendChild(document.createTextNode(g.id+' ['+(g.s||'state not printed')+(g.w?', '+wait(g):'')+'] '+short(g.fn)+(g.op?' — '+g.op+' '+(g.res||''):'')));
d.appendChild(s);
d.addEventListener('toggle',function(){if(!d.open||d.filled)return;d.filled=true;var p=document.createElement('pre');p.setAttribute('data-testid','group-stack');
var lines=g.f.map(function(f){return f[0]+'\\n    '+f[1]+':'+f[2];});if(g.c)lines.push('created by '+g.c[0]+'\\n    '+g.c[1]+':'+g.c[2]);if(g.st)lines.unshift('blocked at: '+g.st);p.textContent=lines.join('\\n');d.appendChild(p);});
li.appendChild(d);return li;}
function renderMore(){var f=document.createDocumentFragment(),end=Math.min(matches.length,shown+PAGE);for(var i=shown;i<end;i++)f.appendChild(row(matches[i]));list.appendChild(f);shown=end;more.hidden=shown>=matches.length;
shownCount.textContent=fmt(matches.length)+' of '+fmt(data.length)+' groups ('+fmt(matches.reduce(function(a,g){return a+g.n;},0))+' goroutines); showing '+fmt(shown);}
function apply(){var q=search.value.trim().toLowerCase(),st=stateSel.value,pk=pkgSel.value,mw=parseFloat(minWait.value);
matches=data.filter(function(g){return(stateSel.selectedIndex===0||g.s===st)&&(pkgSel.selectedIndex===0||g.pkg===pk)&&(!(mw>0)||(g.w&&g.w[1]>=mw))&&(!q||hay(g).indexOf(q)>=0);});
list.textContent='';shown=0;renderMore();}
var timer=0;search.addEventListener('input',function(){clearTimeout(timer);timer=setTimeout(apply,120);});
stateSel.addEventListener('change',apply);pkgSel.addEventListener('change',apply);minWait.addEventListener('input',apply);more.addEventListener('click',renderMore);
function reveal(){var id=decodeURIComponent(location.hash.slice(1));if(!id)return;var el=document.getElementById(id);
if(!el&&id.indexOf('group-')===0){search.value='';stateSel.selectedIndex=0;pkgSel.selectedIndex=0;minWait.value='';apply();
for(var i=0;i<matches.length;i++){if('group-'+matches[i].id.replace(/[^A-Za-z0-9_.-]/g,'_')===id){while(shown<=i)renderMore();break;}}el=document.getElementById(id);if(el)el.querySelector('details').open=true;}
if(!el)return;for(var p=el;p;p=p.parentElement){if(p.tagName==='DETAILS')p.open=true;}el.scrollIntoView({block:'center'});}
window.addEventListener('hashchange',reveal);apply();reveal();
})();
`;

/**
 * The report as one HTML file. Graphs are laid out now and inlined as SVG; excerpts come from the
 * source stage (`SourceExcerpt[]`); nothing is fetched when the page opens.
 */
export async function renderHtml(report: Report, excerpts: SourceExcerpt[], options: HtmlOptions = {}): Promise<string> {
  const base = { report, groups: groupsById(report), excerpts, index: new ExcerptIndex(excerpts) };
  const spelling = fileSpelling(report, { relativeTo: options.relativeTo, sourceRoots: options.sourceRoots });
  const context: PageContext = { ...base, owners: excerptOwners(base), shownParties: new Map(), spelling };
  const title = options.title ?? 'gridlock report';
  const articles: string[] = [];
  for (let index = 0; index < report.findings.length; index++) {
    articles.push(await findingArticle(context, report.findings[index], index));
  }
  const states = countByState(report.groups)
    .map(({ state, count }) => `<span data-state="${escapeHtml(state)}">${formatCount(count)} ${escapeHtml(state)}</span>`)
    .join('');
  const warnings =
    report.snapshot.warnings.length === 0
      ? ''
      : `<section id="warnings" data-testid="warnings"><h2>Warnings (${report.snapshot.warnings.length})</h2><ul>${report.snapshot.warnings
          .map((warning) => `<li data-testid="warning">${warning.line > 0 ? `line ${warning.line}: ` : ''}${escapeHtml(warning.message)}</li>`)
          .join('')}</ul></section>`;
  const findingsBody =
    articles.length === 0
      ? uncheckedSummary(report) === null
        ? '<p data-testid="no-findings">Nothing stuck: no deadlock cycle, leaked lock, orphaned wait or pile-up was found.</p>'
        : `<p data-testid="no-findings">No finding, but ${escapeHtml(uncheckedSummary(report)!)}: a deadlock among them cannot be ruled out.</p>`
      : `${uncheckedSummary(report) ? `<p data-testid="unchecked">Not checked: ${escapeHtml(uncheckedSummary(report)!)}.</p>\n` : ''}${articles.join('\n')}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header id="summary" data-testid="summary">
<h1>${escapeHtml(title)}</h1>
<p class="totals"><span data-testid="goroutine-total">${escapeHtml(goroutineTotals(report.snapshot))}</span><span>${escapeHtml(plural(report.groups.length, 'group'))}</span><span>${escapeHtml(report.snapshot.format)} dump</span><span data-testid="finding-count">${escapeHtml(plural(report.findings.length, 'finding'))}</span></p>
<p class="states muted" data-testid="state-counts">${states}</p>
</header>
<section id="findings" data-testid="findings">
${legendHtml(excerpts)}
${findingsBody}
</section>
${warnings}
<section id="groups" data-testid="groups">
<h2>Goroutine groups</h2>
<div class="filters">
<input id="group-search" data-testid="group-search" type="search" placeholder="Search function, file, resource, state" aria-label="Search groups">
<select id="group-state" data-testid="group-state" aria-label="State"><option value="">all states</option></select>
<select id="group-package" data-testid="group-package" aria-label="Package"><option value="">all packages</option></select>
<input id="group-min-wait" data-testid="group-min-wait" type="number" min="0" step="1" placeholder="waiting ≥ min" aria-label="Minimum wait in minutes">
<span id="group-count" data-testid="group-count" class="muted"></span>
</div>
<ol id="group-list" data-testid="group-list"></ol>
<button id="group-more" data-testid="group-more" type="button" hidden>Show more</button>
</section>
${sourcesSection(context)}
</main>
<script type="application/json" id="groups-data">${scriptJson(groupRecords(report, context.spelling))}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
