// Watch events as text lines or JSON lines. Plain functions of the event: no I/O.
import type { WatchEvent } from './watch.js';
import { formatMs } from './target.js';

// Problems where no answer came at all; the others are answers that could not be used.
const UNREACHABLE: ReadonlySet<string> = new Set(['refused', 'timeout', 'network']);

/** One JSON object per line. Alerts carry the finding exactly as the version-1 contract has it. */
export function formatEventJson(event: WatchEvent): string {
  return `${JSON.stringify(event)}\n`;
}

/** Lines for people; empty for events only JSON consumers need (each successful poll). */
export function formatEventText(event: WatchEvent, once: boolean): string {
  const time = event.at.slice(11, 19);
  switch (event.event) {
    case 'start':
      return once ? '' : `${time} watching ${event.url} every ${formatMs(event.intervalMs)}\n`;
    case 'poll':
      return once ? `${time} ${event.goroutines} goroutines (${event.format}), ${event.findings} finding${event.findings === 1 ? '' : 's'}\n` : '';
    case 'alert': {
      const { finding } = event;
      const lines = [`${time} ALERT ${finding.kind} (${finding.confidence}): ${finding.title}`];
      for (const wait of finding.waits) {
        const resource = wait.resource === null ? '' : ` ${wait.resource.name}`;
        const group = wait.group === null ? '' : `${wait.group} `;
        const where = wait.blockedIn.function === wait.function ? '' : ` in ${wait.blockedIn.function}`;
        lines.push(`    ${group}${wait.function} blocked${where} at ${wait.blockedIn.file}:${wait.blockedIn.line} on ${wait.operation}${resource}`);
      }
      lines.push(`    ${finding.explanation}`);
      for (const fix of finding.fixes) lines.push(`    fix: ${fix.file}:${fix.line}: ${fix.hint}`);
      if (event.saved !== null) lines.push(`    kept: ${event.saved.dump}${event.saved.html === null ? '' : ` ${event.saved.html}`}`);
      return `${lines.join('\n')}\n`;
    }
    case 'unreachable': {
      const trouble = UNREACHABLE.has(event.problem) ? 'unreachable' : 'unusable';
      return once
        ? `${time} target ${trouble}: ${event.message} (${event.url})\n`
        : `${time} target ${trouble}: ${event.message} (${event.url}); retrying in ${formatMs(event.retryInMs)}, backing off\n`;
    }
    case 'recovered':
      return `${time} target back after ${formatMs(event.downMs)} (${event.failures} failed poll${event.failures === 1 ? '' : 's'})\n`;
    case 'warning':
      return `${time} warning: ${event.message}\n`;
    case 'summary': {
      if (event.rungs.length === 0) return '';
      const parts = event.rungs.map((r) => `${r.polls} ${r.rung} (target answered in ${formatMs(r.fetchMsMedian)} median, ${formatMs(r.fetchMsMax)} max)`);
      return `${time} polls: ${parts.join(', ')}\n`;
    }
  }
}
