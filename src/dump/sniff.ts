// What an input that holds no Go goroutine dump looks like, so that the one-line error can say so:
// "a Java thread dump", not "no goroutine found". Judged from the first few kilobytes only.

/** Kinds of input that are not a Go goroutine dump, each with the words the error uses. */
export type InputKind = 'empty' | 'binary' | 'html' | 'java' | 'python' | 'race' | 'javascript' | 'rust' | 'dotnet';

export interface InputLook {
  kind: InputKind;
  /** One phrase for the error line: `a Java thread dump`. */
  description: string;
}

const looks: Array<{ kind: InputKind; description: string; test: (text: string) => boolean }> = [
  {
    kind: 'html',
    description: 'an HTML page, not a goroutine dump (a login, proxy or error page?)',
    test: (text) => /^\s*<(!doctype html|html[\s>]|head[\s>]|body[\s>])/i.test(text),
  },
  {
    kind: 'race',
    description: 'a `go test -race` report (its stacks are data races, not waits) without a goroutine dump',
    test: (text) => text.includes('WARNING: DATA RACE'),
  },
  {
    kind: 'java',
    description: 'a Java thread dump (jstack), not a Go goroutine dump',
    test: (text) => text.includes('Full thread dump') || /java\.lang\.Thread\.State: /.test(text) || /^"[^"\n]+" #\d+ .*prio=/m.test(text),
  },
  {
    kind: 'python',
    description: 'a Python traceback, not a Go goroutine dump',
    test: (text) => text.includes('Traceback (most recent call last):') || /^ {2}File "[^"\n]+", line \d+, in /m.test(text),
  },
  {
    kind: 'rust',
    description: 'a Rust panic, not a Go goroutine dump',
    test: (text) => /^thread '[^'\n]+' panicked at /m.test(text),
  },
  {
    kind: 'dotnet',
    description: 'a .NET stack trace, not a Go goroutine dump',
    test: (text) => /^\s+at [\w.`<>]+\(.*\) in .+:line \d+$/m.test(text),
  },
  {
    kind: 'javascript',
    description: 'a JavaScript stack trace, not a Go goroutine dump',
    test: (text) => /^\s+at .+ \(.+:\d+:\d+\)$/m.test(text),
  },
];

/** True when the bytes hold control characters no text dump has (NUL, and others below tab). */
export function looksBinary(bytes: Uint8Array, limit = 512): boolean {
  const end = Math.min(bytes.length, limit);
  for (let i = 0; i < end; i++) {
    const b = bytes[i];
    if (b < 9 || (b > 13 && b < 32 && b !== 27) || b === 127) return true;
  }
  return false;
}

/**
 * What `head` (the first bytes of an input in which no goroutine was found) looks like, or null
 * when it is nothing recognisable (then the reader's own warnings say more).
 */
export function describeInput(head: Uint8Array): InputLook | null {
  if (head.length === 0 || /^\s*$/.test(Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1'))) {
    return { kind: 'empty', description: 'the input is empty' };
  }
  if (looksBinary(head)) return { kind: 'binary', description: 'binary data, not a goroutine dump (a goroutine dump is text, or a gzip\'d pprof profile)' };
  const text = Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('utf8');
  for (const look of looks) if (look.test(text)) return { kind: look.kind, description: look.description };
  return null;
}

/** True when the text holds a `go test -race` report (worth a note even when goroutines were read). */
export function holdsRaceReport(head: string): boolean {
  return head.includes('WARNING: DATA RACE');
}
