import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the source index is cached unless told otherwise: `$XDG_CACHE_HOME/gridlock` or `~/.cache/gridlock`. */
export function defaultCacheDir(env: Record<string, string | undefined>): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gridlock');
}
