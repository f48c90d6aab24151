// Watch events as text lines or JSON lines. Plain functions of the event: no I/O.
import type { WatchEvent } from './watch.js';
import { formatMs } from './target.js';

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
        lines.push(`    ${group}${wait.function} blocked in ${wait.blockedIn.function} (${wait.blockedIn.file}:${wait.blockedIn.line}) on ${wait.operation}${resource}`);
      }
      lines.push(`    ${finding.explanation}`);
      for (const fix of finding.fixes) lines.push(`    fix: ${fix.file}:${fix.line}: ${fix.hint}`);
      if (event.saved !== null) lines.push(`    kept: ${event.saved.dump}${event.saved.html === null ? '' : ` ${event.saved.html}`}`);
      return `${lines.join('\n')}\n`;
    }
    case 'unreachable':
      return once
        ? `${time} target unusable: ${event.message} (${event.url})\n`
        : `${time} target unusable: ${event.message} (${event.url}); retrying in ${formatMs(event.retryInMs)}, backing off\n`;
    case 'recovered':
      return `${time} target back after ${formatMs(event.downMs)} (${event.failures} failed poll${event.failures === 1 ? '' : 's'})\n`;
    case 'warning':
      return `${time} warning: ${event.message}\n`;
  }
}
