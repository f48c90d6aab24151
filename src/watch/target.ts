// Fetching the goroutine profile of the watched program: one request at a time, each with a time
// limit and a size limit. Every failure comes back as a value that says what went wrong, never as
// an exception, so the poll loop can report it in one line and back off.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export type TargetProblemKind = 'refused' | 'timeout' | 'http-status' | 'truncated' | 'too-large' | 'network' | 'unusable';

export interface TargetProblem {
  kind: TargetProblemKind;
  /** One line, for people. */
  message: string;
}

export type FetchOutcome =
  | { ok: true; url: string; body: Buffer; contentType: string }
  | { ok: false; url: string; problem: TargetProblem; status: number | null };

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

/**
 * The URLs to try for a watch URL. A goroutine (or goroutineleak) profile URL is used as given; a pprof base gets the
 * full dump first (`debug=2`: states, ids, wait times), then the grouped text, then the protobuf
 * profile, for servers that expose only some of them.
 */
export function profileCandidates(watchUrl: string): string[] {
  const url = new URL(watchUrl);
  if (/\/goroutine(leak)?\/?$/.test(url.pathname)) return [url.toString()];
  const base = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  return [2, 1, 0].map((debug) => {
    const candidate = new URL(url.toString());
    candidate.pathname = `${base}goroutine`;
    candidate.search = `?debug=${debug}`;
    return candidate.toString();
  });
}

/** True when a failed candidate means "not exposed here, try the next form" rather than "target down". */
export function isNotExposed(outcome: FetchOutcome): boolean {
  return !outcome.ok && outcome.status !== null && [400, 403, 404, 405, 501].includes(outcome.status);
}

/** Tries the URLs in order, moving on only while the answer says the form is not exposed. */
export async function fetchFirstExposed(urls: string[], limits: FetchLimits): Promise<FetchOutcome> {
  let outcome: FetchOutcome | null = null;
  for (const url of urls) {
    outcome = await fetchProfile(url, limits);
    if (!isNotExposed(outcome)) return outcome;
  }
  return outcome!;
}

/** GETs one URL. Resolves with the body or with the problem; never rejects. */
export function fetchProfile(url: string, limits: FetchLimits): Promise<FetchOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: FetchOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const fail = (kind: TargetProblemKind, message: string, status: number | null = null) =>
      finish({ ok: false, url, problem: { kind, message }, status });

    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      fail('unusable', `not a URL: ${url}`);
      return;
    }
    const send = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
    // No keep-alive: a restarted target must not be reached through a dead pooled socket.
    const req = send(parsed, { method: 'GET', agent: false, headers: { accept: '*/*', connection: 'close' } });
    const timer = setTimeout(() => {
      fail('timeout', `no complete answer within ${formatMs(limits.timeoutMs)}`);
      req.destroy();
    }, limits.timeoutMs);
    const onAbort = () => {
      fail('network', 'stopped');
      req.destroy();
    };
    if (limits.signal?.aborted) {
      onAbort();
      return;
    }
    limits.signal?.addEventListener('abort', onAbort, { once: true });

    req.on('error', (error: NodeJS.ErrnoException) => fail(...describeSocketError(error)));
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        fail('http-status', `HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`, status);
        res.resume();
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBytes) {
          fail('too-large', `answer larger than ${limits.maxBytes} bytes`);
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', () => fail('truncated', `answer broke off after ${size} bytes`));
      res.on('close', () => {
        if (!res.complete) {
          fail('truncated', `answer broke off after ${size} bytes`);
          return;
        }
        finish({ ok: true, url, body: Buffer.concat(chunks, size), contentType: String(res.headers['content-type'] ?? '') });
      });
    });
    req.end();
  });
}

function describeSocketError(error: NodeJS.ErrnoException): [TargetProblemKind, string] {
  switch (error.code) {
    case 'ECONNREFUSED':
      return ['refused', 'connection refused'];
    case 'ECONNRESET':
    case 'EPIPE':
      return ['network', 'connection reset'];
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return ['network', `host not found (${error.code})`];
    default:
      return ['network', error.code ? `${error.code}: ${error.message}` : error.message];
  }
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = ms / 1000;
  return seconds < 60 ? `${Number(seconds.toFixed(1))}s` : `${Number((seconds / 60).toFixed(1))}m`;
}
