// Where the dump's files live on this disk, and which Go files to index.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { PathMapping } from './types.js';

export interface LocateOptions {
  roots: string[];
  cwd: string;
  env: Record<string, string | undefined>;
}

const SKIPPED_DIRS = new Set(['testdata', 'node_modules']);

/** One Go file under a root, keyed by its path relative to the root with `/` separators. */
interface RootFile {
  root: number;
  rel: string;
  abs: string;
}

export async function locateSource(dumpFiles: string[], options: LocateOptions): Promise<{ mapping: PathMapping; files: string[] }> {
  const roots = (options.roots.length > 0 ? options.roots : moduleRoot(options.cwd)).map((r) => resolve(options.cwd, r));
  const byBase = new Map<string, RootFile[]>();
  const files = new Set<string>();
  roots.forEach((root, index) => {
    for (const abs of listGoFiles(root, false)) {
      files.add(abs);
      const rel = relative(root, abs).split(sep).join('/');
      const base = rel.slice(rel.lastIndexOf('/') + 1);
      const list = byBase.get(base);
      const entry = { root: index, rel, abs };
      if (list) list.push(entry);
      else byBase.set(base, [entry]);
    }
  });
  const modCache = moduleCacheDir(options.env);
  const mapped = new Map<string, string>();
  const unmapped: string[] = [];
  const touchedPackageDirs = new Set<string>();
  for (const dumpPath of new Set(dumpFiles)) {
    const disk = mapOne(dumpPath, byBase, roots, modCache);
    if (disk === null) {
      unmapped.push(dumpPath);
      continue;
    }
    mapped.set(dumpPath, disk);
    if (!files.has(disk)) touchedPackageDirs.add(dirname(disk));
  }
  for (const dir of touchedPackageDirs) for (const f of listGoFiles(dir, true)) files.add(f);
  return { mapping: { mapped, unmapped }, files: [...files].sort() };
}

function mapOne(dumpPath: string, byBase: Map<string, RootFile[]>, roots: string[], modCache: string | null): string | null {
  const path = dumpPath.replace(/\\/g, '/');
  const base = path.slice(path.lastIndexOf('/') + 1);
  let best: RootFile | null = null;
  for (const candidate of byBase.get(base) ?? []) {
    if (!isPathSuffix(candidate.rel, path)) continue;
    if (!best || candidate.rel.length > best.rel.length || (candidate.rel.length === best.rel.length && candidate.root < best.root)) best = candidate;
  }
  if (best) return best.abs;
  const modIndex = path.lastIndexOf('/pkg/mod/');
  const inModule = modIndex >= 0 ? path.slice(modIndex + '/pkg/mod/'.length) : /^[^/]+\.[^/]+\/.*@v/.test(path) ? path : null;
  if (inModule && modCache) {
    const candidate = join(modCache, inModule);
    if (isFile(candidate)) return candidate;
  }
  const vendorIndex = path.lastIndexOf('/vendor/');
  const vendored = vendorIndex >= 0 ? path.slice(vendorIndex + '/vendor/'.length)
    : inModule ? unescapeModulePath(inModule.replace(/@[^/]+/, '')) : null;
  if (vendored) {
    for (const root of roots) {
      const candidate = join(root, 'vendor', vendored);
      if (isFile(candidate)) return candidate;
    }
  }
  return null;
}

/** True when `rel` equals the end of `path` on a `/` boundary. */
function isPathSuffix(rel: string, path: string): boolean {
  if (!path.endsWith(rel)) return false;
  return path.length === rel.length || path[path.length - rel.length - 1] === '/';
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The module cache: $GOMODCACHE, else $GOPATH/pkg/mod, else ~/go/pkg/mod. */
export function moduleCacheDir(env: Record<string, string | undefined>): string | null {
  if (env.GOMODCACHE) return env.GOMODCACHE;
  const gopath = env.GOPATH?.split(':').find((p) => p.length > 0);
  if (gopath) return join(gopath, 'pkg', 'mod');
  const home = env.HOME ?? env.USERPROFILE;
  return home ? join(home, 'go', 'pkg', 'mod') : null;
}

/** Module cache paths escape capitals as `!x`. */
export function unescapeModulePath(path: string): string {
  return path.replace(/!([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The directory of the go.mod enclosing `cwd`, else `cwd` itself. */
/**
 * The module around `cwd` (the nearest directory upwards with a go.mod), as the go command finds
 * it; none outside a module, so that running in a home directory never indexes all of it.
 */
function moduleRoot(cwd: string): string[] {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'go.mod'))) return [dir];
    if (dirname(dir) === dir) return [];
  }
}

/** Every .go file under `dir` (just `dir` itself when `flat`), skipping hidden, testdata, node_modules and vendor. */
function listGoFiles(dir: string, flat: boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
      const path = join(d, e.name);
      if (e.isDirectory()) {
        if (!flat && !SKIPPED_DIRS.has(e.name) && e.name !== 'vendor') walk(path);
      } else if (e.name.endsWith('.go') && (e.isFile() || e.isSymbolicLink())) out.push(path);
    }
  };
  walk(dir);
  return out;
}

// ---- import paths ----------------------------------------------------------------------------

const goModCache = new Map<string, { dir: string; module: string } | null>();

function enclosingGoMod(dir: string): { dir: string; module: string } | null {
  const cached = goModCache.get(dir);
  if (cached !== undefined) return cached;
  let found: { dir: string; module: string } | null = null;
  const goMod = join(dir, 'go.mod');
  if (existsSync(goMod)) {
    const match = /^\s*module\s+"?([^\s"]+)"?/m.exec(safeRead(goMod));
    if (match) found = { dir, module: match[1] };
  }
  if (!found && dirname(dir) !== dir) found = enclosingGoMod(dirname(dir));
  goModCache.set(dir, found);
  return found;
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * A package directory's import path as the runtime prints it: `main` for commands; after
 * `vendor/`; module cache `<module>@<ver>/dir` → `<module>/dir`; go.mod `module` + relative
 * dir; GOPATH `src/` → the path after it; else the directory's name.
 */
export function importPathOf(dir: string, packageName: string): string {
  if (packageName === 'main') return 'main';
  const path = dir.replace(/\\/g, '/');
  const vendorIndex = path.lastIndexOf('/vendor/');
  if (vendorIndex >= 0) return path.slice(vendorIndex + '/vendor/'.length);
  const modIndex = path.lastIndexOf('/pkg/mod/');
  if (modIndex >= 0 && path.includes('@', modIndex)) {
    return unescapeModulePath(path.slice(modIndex + '/pkg/mod/'.length).replace(/@[^/]+/, ''));
  }
  const mod = enclosingGoMod(dir);
  if (mod) {
    const rel = relative(mod.dir, dir).split(sep).join('/');
    return rel ? `${mod.module}/${rel}` : mod.module;
  }
  const srcIndex = path.lastIndexOf('/src/');
  if (srcIndex >= 0) return path.slice(srcIndex + '/src/'.length);
  return path.slice(path.lastIndexOf('/') + 1);
}
