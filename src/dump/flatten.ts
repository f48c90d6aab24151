// Splits a dump that a web page or chat flattened onto one line back into the lines the runtime
// printed. Only the grammar separates them, since every newline became a space:
//   `goroutine N [state]:`        a header (also with ` gp=… m=… mp=…` before the bracket)
//   `name(args)`                  a call: a token with `(`, extended to its balancing `)`
//   `created by F [in goroutine N]` a creator
//   `path:N [+0x1a] [fp=… sp=… pc=…]` a location: a token ending in `:digits`
//   `...additional frames elided...`, `...N frames elided...`
// The first token that fits none of these ends the dump (the prose after it is not read).

/** Start of a `goroutine N ` header at `at`, or -1. */
function headerEnd(text: string, at: number): number {
  if (!text.startsWith('goroutine ', at)) return -1;
  let i = at + 10;
  const digitsStart = i;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === digitsStart) return -1;
  const close = text.indexOf(']:', i);
  if (close < 0) return -1;
  const open = text.indexOf('[', i);
  if (open < 0 || open > close) return -1;
  return close + 2;
}

function tokenEnd(text: string, at: number): number {
  const space = text.indexOf(' ', at);
  return space < 0 ? text.length : space;
}

/** True for `path:123` (the line number must be all digits, and there must be a path). */
export function isLocationToken(token: string): boolean {
  const colon = token.lastIndexOf(':');
  if (colon <= 0 || colon === token.length - 1) return false;
  for (let i = colon + 1; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** End of a call token starting at `at`: the `)` that balances its first `(`, or -1. */
function callEnd(text: string, at: number): number {
  const firstSpace = tokenEnd(text, at);
  const open = text.indexOf('(', at);
  // A `(` inside the name part (`pkg.(*T).m(`) is fine; the name itself has no spaces.
  if (open < 0 || open > firstSpace) return -1;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      // The name part may hold a balanced `(*T)`; the call ends where a balancing `)` is followed
      // by a space or the end, and is not followed by `.` (which would continue the name).
      if (depth === 0 && (i + 1 === text.length || text[i + 1] === ' ')) return i + 1;
    }
  }
  return -1;
}

/**
 * The lines of a flattened dump that starts at `start` (a `goroutine N [` header) in `text`.
 * Returns the lines in order, and where reading stopped.
 */
export function unflatten(text: string, start: number): { lines: string[]; end: number } {
  const lines: string[] = [];
  let i = start;
  const n = text.length;
  while (i < n) {
    while (i < n && text.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    const header = headerEnd(text, i);
    if (header > 0) {
      lines.push(text.slice(i, header));
      i = header;
      continue;
    }
    if (text.startsWith('created by ', i)) {
      const fnEnd = tokenEnd(text, i + 11);
      let end = fnEnd;
      const inGoroutine = ' in goroutine ';
      if (text.startsWith(inGoroutine, fnEnd)) end = tokenEnd(text, fnEnd + inGoroutine.length);
      lines.push(text.slice(i, end));
      i = end;
      continue;
    }
    if (text.startsWith('...', i)) {
      const close = text.indexOf('elided...', i);
      if (close < 0) break;
      lines.push(text.slice(i, close + 9));
      i = close + 9;
      continue;
    }
    const end = tokenEnd(text, i);
    const token = text.slice(i, end);
    if (isLocationToken(token)) {
      let line = '\t' + token;
      i = end;
      // Optional `+0x…` offset and ` fp=… sp=… pc=…` words belong to the location line.
      for (;;) {
        let j = i;
        while (j < n && text.charCodeAt(j) === 32) j++;
        if (text.startsWith('+0x', j) || text.startsWith('fp=', j) || text.startsWith('sp=', j) || text.startsWith('pc=', j)) {
          const wordEnd = tokenEnd(text, j);
          line += ' ' + text.slice(j, wordEnd);
          i = wordEnd;
        } else break;
      }
      lines.push(line);
      continue;
    }
    const call = callEnd(text, i);
    if (call < 0) break;
    lines.push(text.slice(i, call));
    i = call;
  }
  return { lines, end: i };
}
