// Logs that hold a dump in another order than the runtime printed it: `journalctl -r` prints the
// newest line first, so each location line comes above its call line and each header below its
// stack. Judged from the lines' shapes, whatever prefix a log puts before them.

const locationShape = /\S\.(go|s):\d+( \+0x[0-9a-f]+)?( fp=\S+ sp=\S+ pc=\S+)?\s*$/;
const callShape = /[\w\])*]\(.*\)\s*$/;
const headerShape = /goroutine \d+ (gp=\S+ m=\S+ (mp=\S+ )?)?\[/;

/**
 * True when `text` reads newest first: headers below their first call line rather than above it.
 * (Call and location lines, or `created by` and its location, say nothing: reversed, each location
 * also follows the call of the frame below.) Cost: one pass over at most `limit` lines.
 */
export function looksReversed(text: string, limit = 4000): boolean {
  let forward = 0;
  let backward = 0;
  let previous: 'call' | 'location' | 'header' | null = null;
  let start = 0;
  for (let count = 0; count < limit && start < text.length; count++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    const shape = locationShape.test(line) ? 'location' : headerShape.test(line) ? 'header' : callShape.test(line) ? 'call' : null;
    if (previous === 'header' && shape === 'call') forward++;
    if (previous === 'call' && shape === 'header') backward++;
    previous = shape;
  }
  return backward >= 2 && backward > 2 * forward;
}

/** The lines of `text` in the opposite order. */
export function reverseLines(text: string): string {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.reverse().join('\n') + '\n';
}
