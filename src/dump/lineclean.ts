// Undoing what logs, chats and web pages do to a dump's lines, one line at a time:
// a repeated prefix (quote marks, log timestamps, container names) and suffix (a log viewer's
// trailing column), CR line ends, HTML entities.

/**
 * Matches the prefix found before the first goroutine header on the lines that follow. The shape,
 * not the text, must repeat: digit runs match any digit run, so timestamps and pids may change.
 */
export class LinePrefix {
  private readonly pattern: RegExp;
  /** The prefix without trailing blanks: a quoted blank line is `>` alone. */
  private readonly bare: string;
  /** The suffix after any blanks, to the end of the line; null when there is none. */
  private readonly suffixPattern: RegExp | null;

  /** `suffix` is text seen after the header (`   - `): its words, after any blanks, are stripped too. */
  constructor(readonly sample: string, suffix = '') {
    this.pattern = new RegExp('^' + shapeOf(sample));
    this.bare = sample.trimEnd();
    const words = suffix.trim();
    this.suffixPattern = words.length === 0 ? null : new RegExp('[ \\t]*' + shapeOf(words) + '[ \\t]*$');
  }

  /** The line without the prefix (and suffix); the line itself when the prefix is not there. */
  strip(line: string): string {
    const match = this.pattern.exec(line);
    if (match !== null) return this.stripSuffix(line.slice(match[0].length));
    if (this.bare.length > 0 && line.trimEnd() === this.bare) return '';
    return line;
  }

  private stripSuffix(rest: string): string {
    if (this.suffixPattern === null) return rest;
    const match = this.suffixPattern.exec(rest);
    return match === null ? rest : rest.slice(0, match.index);
  }
}

/** A regular expression for `text` in which digit runs match any digit run. */
function shapeOf(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\d+/g, '\\d+');
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
