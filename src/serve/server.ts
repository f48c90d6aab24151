// `gridlock serve`: a local web page where a dump is pasted or dropped and the HTML report comes
// back. Routes: GET / (the page), POST /analyze[?root=N] (the dump as the raw body; JSON answer).
// Source is read only under the roots given at start-up, named by index in requests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Warning } from '../dump/types.js';
import type { Report } from '../analysis/types.js';
import { cappedBody, declaredLength, formatBytes, type BodyMeter } from './body.js';
import { renderPage } from './page.js';
import { allWarnings, loadStages, type DumpStages } from './pipeline.js';

/** A start-up failure the user can fix (a port in use, a bad `--source`): drivers print it as a usage error. */
export class ServeStartError extends Error {}

export const DEFAULT_PORT = 7878;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_MAX_INPUT_BYTES = 1024 ** 3;
/** An answer lists at most this many reader warnings: garbage input can warn on every line. */
const MAX_WARNINGS_SHOWN = 200;

export interface ServeOptions {
  /** TCP port; 0 picks a free one. Default 7878. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1: the page is for this machine only. */
  host?: string;
  /** The `--source` directories a request may pick from (by index). */
  sourceRoots?: string[];
  /** Resolves relative source roots. Default the process's working directory. */
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Source index cache directory; null for none. */
  cacheDir?: string | null;
  /** Largest request body read. Default 1 GiB. */
  maxInputBytes?: number;
  /** Where one-line request and error records go. Default stderr. */
  log?: (line: string) => void;
  /** The reader, analysis and renderer to run; default gridlock's own (tests replace one to make it fail). */
  stages?: DumpStages;
}

export interface RunningServer {
  /** The page's address, e.g. `http://127.0.0.1:7878/`. */
  url: string;
  close(): Promise<void>;
}

/** The answer of POST /analyze, read by the page's script. */
export interface AnalyzeAnswer {
  ok: boolean;
  /** Why there is no report (ok = false). */
  message?: string;
  /** One line about the report (ok = true). */
  summary?: string;
  html?: string;
  warnings: Warning[];
}

interface ServerContext {
  roots: string[];
  neutralCwd: string;
  env: Record<string, string | undefined>;
  cacheDir: string | null;
  maxInputBytes: number;
  page: string;
  /** Null when the server listens beyond loopback: the user opened it up on purpose. */
  allowedHostnames: Set<string> | null;
  log: (line: string) => void;
  /** Runs analyses one at a time: each can hold a large dump in memory. */
  exclusive: <T>(work: () => Promise<T>) => Promise<T>;
  stages: () => Promise<DumpStages>;
}

export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  const roots = await checkedRoots(options.sourceRoots ?? [], options.cwd ?? process.cwd());
  const maxInputBytes = options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
  // With no root picked the analysis must not wander into the server's own working directory.
  const neutralCwd = await mkdtemp(join(tmpdir(), 'gridlock-serve-'));
  const context: ServerContext = {
    roots,
    neutralCwd,
    env: options.env ?? process.env,
    cacheDir: options.cacheDir ?? null,
    maxInputBytes,
    page: renderPage({ sourceRoots: roots, maxInputBytes }),
    allowedHostnames: isLoopback(host) ? new Set(['localhost', '127.0.0.1', '[::1]', host]) : null,
    log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
    exclusive: oneAtATime(),
    stages: options.stages ? () => Promise.resolve(options.stages as DumpStages) : loadStages,
  };
  const server = createServer({ requestTimeout: 30 * 60_000 }, (request, response) => {
    handle(request, response, context).catch((error: unknown) => failRequest(response, context, `${request.method} ${request.url}`, error));
  });
  try {
    await listen(server, port, host);
  } catch (error) {
    await rm(neutralCwd, { recursive: true, force: true });
    throw error;
  }
  const address = server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  return {
    url: `http://${urlHost(host)}:${boundPort}/`,
    close: async () => {
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await closed;
      await rm(neutralCwd, { recursive: true, force: true });
    },
  };
}

async function checkedRoots(roots: string[], cwd: string): Promise<string[]> {
  const checked: string[] = [];
  for (const root of roots) {
    const absolute = resolve(cwd, root);
    const info = await stat(absolute).catch(() => null);
    if (info === null) throw new ServeStartError(`--source ${root}: no such directory`);
    if (!info.isDirectory()) throw new ServeStartError(`--source ${root}: a file, not a directory (give the folder of the Go source)`);
    checked.push(absolute);
  }
  return checked;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((done, fail) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const where = `${urlHost(host)}:${port}`;
      if (error.code === 'EADDRINUSE') fail(new ServeStartError(`cannot listen on ${where}: the port is in use (pick another with --port N; 0 picks a free one)`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') fail(new ServeStartError(`cannot listen on ${where}: no such address on this machine (--host)`));
      else if (error.code === 'EACCES') fail(new ServeStartError(`cannot listen on ${where}: permission denied (ports below 1024 need privileges)`));
      else fail(new Error(`cannot listen on ${where}: ${error.message}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      done();
    });
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The host as written in a URL: IPv6 in brackets; an any-address listener is reached via loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function oneAtATime(): <T>(work: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, context: ServerContext): Promise<void> {
  if (!hostAllowed(request, context)) {
    // A page on another site that resolves its own name to 127.0.0.1 (DNS rebinding) lands here.
    sendText(response, 421, 'This gridlock server answers only requests addressed to localhost.');
    return;
  }
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/') {
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendMethodNotAllowed(response, 'GET, HEAD');
    sendPage(response, context.page, request.method === 'HEAD');
    return;
  }
  if (url.pathname === '/analyze') {
    if (request.method !== 'POST') return sendMethodNotAllowed(response, 'POST');
    await analyzeRequest(request, response, url.searchParams, context);
    return;
  }
  sendText(response, 404, 'Not found. The page is at /.');
}

function hostAllowed(request: IncomingMessage, context: ServerContext): boolean {
  if (context.allowedHostnames === null) return true;
  const host = request.headers.host;
  if (host === undefined) return false;
  const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return context.allowedHostnames.has(hostname.toLowerCase());
}

/** The source root a request picked: `?root=N` with N an index of the start-up roots, or none. */
export function pickRoot(params: URLSearchParams, roots: string[]): { root: string | null } | { error: string } {
  const values = params.getAll('root');
  if (values.length === 0 || (values.length === 1 && values[0] === '')) return { root: null };
  if (values.length > 1) return { error: 'Give at most one source root (?root=N).' };
  const value = values[0];
  const index = /^\d{1,6}$/.test(value) ? Number(value) : -1;
  if (index < 0 || index >= roots.length) {
    const known = roots.length === 0 ? 'no source directory was given at start-up' : `the roots are numbered 0 to ${roots.length - 1}`;
    return { error: `Unknown source root "${value}": ${known}. A request names a root by its number, never by a path.` };
  }
  return { root: roots[index] };
}

async function analyzeRequest(request: IncomingMessage, response: ServerResponse, params: URLSearchParams, context: ServerContext): Promise<void> {
  const picked = pickRoot(params, context.roots);
  if ('error' in picked) {
    discardBody(request);
    return sendAnswer(response, 400, { ok: false, message: picked.error, warnings: [] });
  }
  const declared = declaredLength(request);
  if (declared !== null && declared > context.maxInputBytes) {
    discardBody(request);
    return sendAnswer(response, 413, { ok: false, message: tooLargeMessage(declared, context.maxInputBytes), warnings: [] });
  }
  const stages = await context.stages();
  const title = reportTitle(params.get('name'));
  await context.exclusive(() => runAnalysis(request, response, { root: picked.root, title }, stages, context));
}

async function runAnalysis(
  request: IncomingMessage,
  response: ServerResponse,
  job: { root: string | null; title: string },
  stages: DumpStages,
  context: ServerContext,
): Promise<void> {
  const started = performance.now();
  const meter: BodyMeter = { bytes: 0, tooLarge: false };
  let input;
  try {
    input = await stages.readDumpStream(cappedBody(request, context.maxInputBytes, meter));
  } catch (error) {
    if (request.destroyed && !request.complete) {
      context.log(`gridlock serve: POST /analyze: the browser went away after ${formatBytes(meter.bytes)}`);
      return;
    }
    throw error;
  }
  if (meter.tooLarge) {
    discardBody(request);
    return sendAnswer(response, 413, { ok: false, message: tooLargeMessage(null, context.maxInputBytes), warnings: [] });
  }
  const warnings = allWarnings(input);
  if (input.snapshots.length === 0) {
    context.log(`gridlock serve: POST /analyze ${formatBytes(meter.bytes)}: no goroutine found`);
    return sendAnswer(response, 422, { ok: false, message: noGoroutineMessage(meter.bytes), warnings: shownWarnings(warnings) });
  }
  const { report, excerpts } = await stages.analyze(input, {
    sourceRoot: job.root,
    neutralCwd: context.neutralCwd,
    env: context.env,
    cacheDir: context.cacheDir,
  });
  const html = await stages.renderHtml(report, excerpts, job.title);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  context.log(`gridlock serve: POST /analyze ${formatBytes(meter.bytes)}: ${plural(report.findings.length, 'finding')} in ${seconds} s`);
  // The report lists its own warnings (the reader's and the analysis's); the answer carries them too.
  sendAnswer(response, 200, { ok: true, summary: summaryLine(report, input.snapshots.length), html, warnings: shownWarnings(report.snapshot.warnings) });
}

/** The report's title: the dropped file's name when the page sent one (`?name=`), else a plain one. */
function reportTitle(name: string | null): string {
  const cleaned = (name ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return cleaned === '' ? 'gridlock report' : `gridlock: ${cleaned}`;
}

function tooLargeMessage(declared: number | null, maxBytes: number): string {
  const size = declared === null ? `larger than ${formatBytes(maxBytes)}` : formatBytes(declared);
  return `The input is ${size}; this server reads at most ${formatBytes(maxBytes)}. Run the gridlock command line on the file instead (gridlock FILE --html).`;
}

function noGoroutineMessage(bytes: number): string {
  if (bytes === 0) return 'The input is empty: paste a goroutine dump or choose a file.';
  return `No goroutine found in the ${formatBytes(bytes)} given. gridlock reads Go tracebacks (panic, SIGQUIT, debug=2), goroutine profiles (debug=1) and gzip'd pprof protobuf goroutine profiles.`;
}

function summaryLine(report: Report, snapshotCount: number): string {
  const { goroutines, format, warnings } = report.snapshot;
  const found = report.findings.length === 0 ? 'No finding' : plural(report.findings.length, 'finding');
  const which = snapshotCount > 1 ? ` The input holds ${snapshotCount} dumps; this is the last.` : '';
  const warned = warnings.length > 0 ? ` ${plural(warnings.length, 'warning')}, listed in the report.` : '';
  return `${found} in ${plural(goroutines, 'goroutine')} (${format} dump).${which}${warned}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function shownWarnings(warnings: Warning[]): Warning[] {
  if (warnings.length <= MAX_WARNINGS_SHOWN) return warnings;
  const rest = warnings.length - MAX_WARNINGS_SHOWN;
  return [...warnings.slice(0, MAX_WARNINGS_SHOWN), { line: 0, message: `…and ${rest} more warnings` }];
}

/** Lets an unread upload go without reading it: the answer closes the connection. */
function discardBody(request: IncomingMessage): void {
  request.resume();
}

function failRequest(response: ServerResponse, context: ServerContext, what: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const where = error instanceof Error ? (error.stack?.split('\n')[1]?.trim() ?? '') : '';
  context.log(`gridlock serve: ${what} failed: ${message.replace(/\s+/g, ' ')}${where ? ` (${where})` : ''}`);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendAnswer(response, 500, {
    ok: false,
    message: `gridlock failed while analysing this input: ${message}. The server's log has the details; please report it with the input if you can.`,
    warnings: [],
  });
}

const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

// The report's own scripts and styles are inline; nothing may be loaded from elsewhere. The report
// frame (srcdoc) inherits this policy; its <base href="about:srcdoc"> is why base-uri is not set.
const PAGE_POLICY =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'";

function sendPage(response: ServerResponse, page: string, headOnly: boolean): void {
  response.writeHead(200, {
    ...COMMON_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(page),
    'content-security-policy': PAGE_POLICY,
  });
  response.end(headOnly ? undefined : page);
}

function sendAnswer(response: ServerResponse, status: number, answer: AnalyzeAnswer): void {
  const body = JSON.stringify(answer);
  const headers: Record<string, string | number> = {
    ...COMMON_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  };
  if (status === 413 || status === 400) headers.connection = 'close';
  response.writeHead(status, headers);
  response.end(body);
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
  response.end(`${text}\n`);
}

function sendMethodNotAllowed(response: ServerResponse, allow: string): void {
  response.setHeader('allow', allow);
  sendText(response, 405, `Method not allowed here; use ${allow}.`);
}
