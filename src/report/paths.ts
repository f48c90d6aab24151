// Display forms of dump paths and Go function names. Pure string work: no file system.

/** `!x` in a module-cache path stands for capital `X` (the module cache's case encoding). */
function unescapeModulePath(path: string): string {
  return path.replace(/!([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** A first path segment with a dot (`github.com`, `golang.org`) names a module host, not the standard library. */
function looksLikeModuleHost(segment: string): boolean {
  return segment.includes('.');
}

/** Directory names a Go installation's `src` usually lives under: `go`, `go1.22.1`, `go-1.19`, `libexec`. */
const GOROOT_DIR = /^(go|go[-_]?\d[\w.-]*|libexec)$/;

/**
 * Shortens a file path as the runtime prints it to the part a Go developer recognises:
 *   module cache  `…/pkg/mod/github.com/x/y@v1.2.3/z.go` → `github.com/x/y@v1.2.3/z.go`
 *   GOPATH        `…/src/github.com/x/y/z.go`            → `github.com/x/y/z.go`
 *   GOROOT        `/usr/local/go/src/sync/mutex.go`      → `$GOROOT/src/sync/mutex.go`
 * Anything else (module-relative `-trimpath` paths, project checkouts) is returned unchanged.
 */
export function shortenPath(path: string): string {
  const normalised = path.replace(/\\/g, '/');
  const modIndex = normalised.lastIndexOf('/pkg/mod/');
  if (modIndex >= 0) {
    const rest = normalised.slice(modIndex + '/pkg/mod/'.length);
    if (rest.length > 0) return unescapeModulePath(rest);
  }
  let searchFrom = 0;
  for (;;) {
    const srcIndex = normalised.indexOf('/src/', searchFrom);
    if (srcIndex < 0) break;
    const rest = normalised.slice(srcIndex + '/src/'.length);
    const firstSegment = rest.split('/')[0] ?? '';
    const parentDir = normalised.slice(0, srcIndex).split('/').pop() ?? '';
    if (rest.includes('/') && looksLikeModuleHost(firstSegment)) return rest;
    if (rest.includes('/') && GOROOT_DIR.test(parentDir)) return `$GOROOT/src/${rest}`;
    searchFrom = srcIndex + 1;
  }
  return path;
}

/** `file:line` with the file shortened. */
export function shortLocation(file: string, line: number): string {
  return `${shortenPath(file)}:${line}`;
}

/** The last path element of a file: `server.go`. */
export function baseName(file: string): string {
  const normalised = file.replace(/\\/g, '/');
  return normalised.slice(normalised.lastIndexOf('/') + 1);
}

/**
 * A function name without its package path and receiver, as people say it:
 * `main.(*server).peerDoneHandler` → `peerDoneHandler`,
 * `github.com/btcsuite/btcd/peer.(*Peer).start.func1` → `start.func1`,
 * `github.com/x/y.Map[...].Load` stays readable as `Load`.
 */
export function shortFunction(name: string): string {
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  const receiverStart = lastSegment.indexOf('.(');
  let rest: string;
  if (receiverStart >= 0) {
    rest = lastSegment.slice(receiverStart + 1).replace(/^\([^)]*\)\./, '');
  } else {
    const dot = lastSegment.indexOf('.');
    rest = dot >= 0 ? lastSegment.slice(dot + 1) : lastSegment;
  }
  return rest.length > 0 ? rest : name;
}

/** The package path of a traceback function name: `main`, `github.com/btcsuite/btcd/netsync`. */
export function packageOf(name: string): string {
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  return dot >= 0 ? name.slice(0, dot) : name;
}

/**
 * The last element of a canonical resource name, as used on graph edges:
 * `main.server.relayInv` → `relayInv`, `main.(*server).run#ch` → `ch`.
 */
export function shortResource(name: string): string {
  const hash = name.lastIndexOf('#');
  if (hash >= 0) return name.slice(hash + 1);
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  return lastSegment.slice(lastSegment.lastIndexOf('.') + 1) || name;
}

/** `Type.field` for a field resource, used where a little more context helps: `server.relayInv`. */
export function mediumResource(name: string): string {
  const hash = name.lastIndexOf('#');
  if (hash >= 0) return `${shortFunction(name.slice(0, hash))}#${name.slice(hash + 1)}`;
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  const parts = lastSegment.split('.');
  return parts.length >= 3 ? parts.slice(-2).join('.') : parts.slice(-1).join('.') || name;
}

/** A party's name for people: the report's `name` (the handler, a pprof label), else its identity, short. */
export function partyName(wait: { function: string; name?: string }): string {
  return wait.name ?? shortFunction(wait.function);
}

/** A group's name for people: its `name`, else its identity or top frame, short. */
export function groupName(group: { identity: string | null; name?: string; frames: { function: string }[] }): string {
  if (group.name) return group.name;
  if (group.identity) return shortFunction(group.identity);
  return group.frames[0] ? shortFunction(group.frames[0].function) : '?';
}
