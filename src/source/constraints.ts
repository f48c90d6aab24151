// Build constraints: which files a default `go build` on linux/amd64 would compile. Files that
// it would not (`//go:build windows`, `_darwin.go`, `//go:build deadlock`) are still indexed, but
// their declarations give way to the compiled file's when both declare the same name.

/** This module's file: its code is part of what a cached index was made by (index-cache.ts). */
export const CONSTRAINTS_MODULE = import.meta.url;

const KNOWN_OS = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos']);
const KNOWN_ARCH = new Set(['386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le', 'mips64p32', 'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm']);
const DEFAULT_TAGS = new Set(['linux', 'amd64', 'unix', 'gc', 'cgo']);

function tagSatisfied(tag: string): boolean {
  if (DEFAULT_TAGS.has(tag)) return true;
  return /^go1\.\d+$/.test(tag);
}

/** True when the file name's `_GOOS`/`_GOARCH` suffixes (before `_test`) allow linux/amd64. */
function nameAllows(fileName: string): boolean {
  const parts = fileName.replace(/\.go$/, '').replace(/_test$/, '').split('_');
  if (parts.length < 2) return true;
  const last = parts[parts.length - 1];
  const prev = parts.length >= 3 ? parts[parts.length - 2] : null;
  if (prev && KNOWN_OS.has(prev) && KNOWN_ARCH.has(last)) return prev === 'linux' && last === 'amd64';
  if (KNOWN_OS.has(last)) return last === 'linux';
  if (KNOWN_ARCH.has(last)) return last === 'amd64';
  return true;
}

/** Evaluates a `//go:build` expression: identifiers, `!`, `&&`, `||`, parentheses. Unparsable → true. */
export function evalBuildExpr(expr: string): boolean {
  const tokens = expr.match(/\(|\)|!|&&|\|\||[A-Za-z0-9_.]+/g) ?? [];
  let pos = 0;
  const or = (): boolean => {
    let v = and();
    while (tokens[pos] === '||') { pos++; v = and() || v; }
    return v;
  };
  const and = (): boolean => {
    let v = not();
    while (tokens[pos] === '&&') { pos++; v = not() && v; }
    return v;
  };
  const not = (): boolean => {
    if (tokens[pos] === '!') { pos++; return !not(); }
    if (tokens[pos] === '(') {
      pos++;
      const v = or();
      if (tokens[pos] === ')') pos++;
      return v;
    }
    const tag = tokens[pos++];
    return tag === undefined ? true : tagSatisfied(tag);
  };
  try {
    return or();
  } catch {
    return true;
  }
}

/** Old-style `// +build a,b c` lines: space = OR, comma = AND, lines AND-ed. */
function evalPlusBuild(lines: string[]): boolean {
  return lines.every((line) => line.trim().split(/\s+/).some((alt) => alt.split(',').every((t) => (t.startsWith('!') ? !tagSatisfied(t.slice(1)) : tagSatisfied(t)))));
}

/** Whether a default linux/amd64 build compiles this file. */
export function isBuilt(fileName: string, source: string): boolean {
  if (!nameAllows(fileName)) return false;
  // Constraints live in the header, before the package clause.
  const packageAt = source.search(/^package\s/m);
  const header = packageAt >= 0 ? source.slice(0, packageAt) : source.slice(0, 2000);
  const goBuild = /^\/\/go:build\s+(.+)$/m.exec(header);
  if (goBuild) return evalBuildExpr(goBuild[1]);
  const plus = [...header.matchAll(/^\/\/\s*\+build\s+(.+)$/gm)].map((m) => m[1]);
  return plus.length === 0 || evalPlusBuild(plus);
}
