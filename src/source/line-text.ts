// The code of one source line as a report quotes it: trimmed, without a trailing `//` comment.

/** This module's file: its code is part of what a cached index was made by (index-cache.ts). */
export const LINE_TEXT_MODULE = import.meta.url;

/** Strips a trailing line comment, leaving `//` inside string, raw string and rune literals alone. */
export function codeOfLine(text: string): string {
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === '`' || c === "'") {
      quote = c;
    } else if (c === '/' && text[i + 1] === '/') {
      return text.slice(0, i).trim();
    }
  }
  return text.trim();
}
