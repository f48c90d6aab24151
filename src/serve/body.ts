// The request body as a stream of chunks with a size cap. The reader gets the bytes as they arrive,
// so a large dump is never held in memory twice; when the cap is passed the stream simply ends and
// the caller answers 413 instead of reporting on a cut input.
import type { IncomingMessage } from 'node:http';

export interface BodyMeter {
  /** Bytes received so far (counted before the cap is checked). */
  bytes: number;
  /** True once more than the cap arrived; the chunks stopped at that point. */
  tooLarge: boolean;
}

/**
 * Yields the request's chunks until `maxBytes` would be exceeded. The request is not destroyed when
 * the cap is hit (`destroyOnReturn: false`), so the caller can still send its answer on the socket.
 */
export async function* cappedBody(request: IncomingMessage, maxBytes: number, meter: BodyMeter): AsyncGenerator<Uint8Array> {
  for await (const chunk of request.iterator({ destroyOnReturn: false })) {
    const bytes = chunk as Buffer;
    meter.bytes += bytes.length;
    if (meter.bytes > maxBytes) {
      meter.tooLarge = true;
      return;
    }
    yield bytes;
  }
}

/** The declared Content-Length, or null when absent or not a number. */
export function declaredLength(request: IncomingMessage): number | null {
  const header = request.headers['content-length'];
  if (header === undefined) return null;
  const length = Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : null;
}

/** `1.5 GiB`, `12.3 MB`, `512 bytes`: sizes as people read them in messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${trimNumber(bytes / 1024 ** 3)} GiB`;
  if (bytes >= 1024 ** 2) return `${trimNumber(bytes / 1024 ** 2)} MiB`;
  if (bytes >= 1024) return `${trimNumber(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

function trimNumber(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, '');
}
