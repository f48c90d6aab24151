// `gridlock serve [--port N] [--host H] [--source DIR]... [--no-cache]`: starts the local web UI and
// runs until interrupted.

import { resolve } from 'node:path';
import { startServer, ServeStartError, DEFAULT_HOST, DEFAULT_PORT } from '../serve/index.js';
import { UsageError } from './args.js';
import { defaultCacheDir } from './cache.js';

export const SERVE_USAGE = `gridlock serve — a local web page: paste or drop a dump, see the report

  gridlock serve [--port N] [--host H] [--source DIR]... [--no-cache]
    --port N        port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
    --host H        interface to listen on (default ${DEFAULT_HOST}: this machine only)
    -s, --source DIR  Go source tree a request may use (repeatable)
    --no-cache      do not read or write the source index cache
    -h, --help      this text
`;

export interface ServeArgs {
  port: number;
  host: string;
  sources: string[];
  cache: boolean;
}

export function parseServeArgs(argv: string[]): ServeArgs | 'help' {
  const args: ServeArgs = { port: DEFAULT_PORT, host: DEFAULT_HOST, sources: [], cache: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--port': {
        const port = Number(value());
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a port number from 0 to 65535 (got '${argv[i]}')`);
        args.port = port;
        break;
      }
      case '--host': args.host = value(); break;
      case '-s': case '--source': args.sources.push(resolve(value())); break;
      case '--no-cache': args.cache = false; break;
      case '-h': case '--help': return 'help';
      default: throw new UsageError(`serve: unknown argument ${flag} (usage: gridlock serve [--port N] [--host H] [--source DIR]...)`);
    }
  }
  return args;
}

export async function runServeCommand(argv: string[]): Promise<number> {
  const args = parseServeArgs(argv);
  if (args === 'help') {
    process.stdout.write(SERVE_USAGE);
    return 0;
  }
  const server = await startServer({
    port: args.port,
    host: args.host,
    sourceRoots: args.sources,
    cwd: process.cwd(),
    env: process.env,
    cacheDir: args.cache ? defaultCacheDir(process.env) : null,
  }).catch((error: unknown) => {
    if (error instanceof ServeStartError) throw new UsageError(`serve: ${error.message}`);
    throw error;
  });
  process.stderr.write(`gridlock serve: ${server.url} (Ctrl-C stops)\n`);
  if (args.host !== DEFAULT_HOST && args.host !== 'localhost') {
    process.stderr.write(`gridlock serve: listening on ${args.host}: anyone who can reach it can submit dumps\n`);
  }
  await new Promise<void>((done) => {
    const stop = () => void server.close().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
