// Undoing what logs, chats and web pages do to a dump's lines, one line at a time:
// a repeated prefix (quote marks, log timestamps, container names), CR line ends, HTML entities.

/**
 * Matches the prefix found before the first goroutine header on the lines that follow. The shape,
 * not the text, must repeat: digit runs match any digit run, so timestamps and pids may change.
 */
export class LinePrefix {
  private readonly pattern: RegExp;
  /** The prefix without trailing blanks: a quoted blank line is `>` alone. */
  private readonly bare: string;

  constructor(readonly sample: string) {
    const escaped = sample.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\d+/g, '\\d+');
    this.pattern = new RegExp('^' + escaped);
    this.bare = sample.trimEnd();
  }

  /** The line without the prefix; the line itself when the prefix is not there. */
  strip(line: string): string {
    const match = this.pattern.exec(line);
    if (match !== null) return line.slice(match[0].length);
    if (this.bare.length > 0 && line.trimEnd() === this.bare) return '';
    return line;
  }
}

const entityPattern = /&(lt|gt|amp|quot|apos|#39|#x27|#34|nbsp);/g;
const entityText: Record<string, string> = {
  lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", '#39': "'", '#x27': "'", '#34': '"', nbsp: ' ',
};

/** Decodes the few HTML entities a web page puts into a dump (`&lt;-chan`, `&amp;`). */
export function decodeEntities(line: string): string {
  if (line.indexOf('&') < 0) return line;
  return line.replace(entityPattern, (_, name: string) => entityText[name]);
}
