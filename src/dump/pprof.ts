// Reads `/debug/pprof/goroutine?debug=0`: a gzip-compressed profile.proto message.
//
// Only what a goroutine profile uses is decoded (field numbers from profile.proto):
//   Profile  1 sample_type (ValueType), 2 sample, 4 location, 5 function, 6 string_table
//   Sample   1 location_id (packed or not), 2 value (packed or not), 3 label
//   Label    1 key, 2 str (string table indexes)
//   Location 1 id, 3 address, 4 line (Line)
//   Line     1 function_id, 2 line
//   Function 1 id, 2 name, 4 filename (string table indexes)
// Each sample becomes a record standing for `value` goroutines. A Location's lines are listed
// innermost first (inlined calls), so they are appended in order.
import { gunzipSync } from 'node:zlib';
import { parseFunctionName } from './funcname.js';
import type { Frame, Goroutine, Snapshot, Warning } from './types.js';

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** A cursor over protobuf wire format. Every read checks bounds and throws ProtoError. */
class ProtoReader {
  pos: number;
  constructor(readonly buf: Uint8Array, start = 0, readonly end = buf.length) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let shift = 0; shift < 64; shift += 7) {
      if (this.pos >= this.end) throw new ProtoError('varint runs past the end');
      const byte = this.buf[this.pos++];
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new ProtoError('varint longer than 10 bytes');
  }

  /** A length-delimited field's bounds. */
  span(): [number, number] {
    const length = this.varint();
    const start = this.pos;
    if (start + length > this.end) throw new ProtoError('field runs past the end');
    this.pos = start + length;
    return [start, start + length];
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.span();
    else if (wireType === 5) this.pos += 4;
    else throw new ProtoError(`unsupported wire type ${wireType}`);
    if (this.pos > this.end) throw new ProtoError('field runs past the end');
  }

  /** Repeated integers, packed (wire type 2) or one per field (wire type 0). */
  integers(wireType: number, into: number[]): void {
    if (wireType === 0) {
      into.push(this.varint());
      return;
    }
    const [start, end] = this.span();
    const inner = new ProtoReader(this.buf, start, end);
    while (!inner.done) into.push(inner.varint());
  }
}

class ProtoError extends Error {}

interface RawSample { locationIds: number[]; values: number[]; labels: Array<[number, number]> }
interface RawLine { functionId: number; line: number }
interface RawLocation { address: number; lines: RawLine[] }
interface RawFunction { name: number; filename: number }

function readFields(reader: ProtoReader, onField: (field: number, wireType: number) => void): void {
  while (!reader.done) {
    const tag = reader.varint();
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    const before = reader.pos;
    onField(field, wireType);
    if (reader.pos === before) reader.skip(wireType);
  }
}

function sub(reader: ProtoReader): ProtoReader {
  const [start, end] = reader.span();
  return new ProtoReader(reader.buf, start, end);
}

/** Decodes a gzip'd (or plain) goroutine profile into one snapshot; never throws. */
export function readPprof(bytes: Uint8Array): { snapshot: Snapshot | null; warnings: Warning[] } {
  let data: Uint8Array;
  try {
    data = isGzip(bytes) ? gunzipSync(bytes) : bytes;
  } catch (error) {
    return { snapshot: null, warnings: [{ line: 0, message: `cannot gunzip the profile: ${(error as Error).message}` }] };
  }
  const strings: string[] = [];
  const samples: RawSample[] = [];
  const locations = new Map<number, RawLocation>();
  const functions = new Map<number, RawFunction>();
  const decoder = new TextDecoder();
  const warnings: Warning[] = [];
  try {
    const top = new ProtoReader(data);
    readFields(top, (field, wireType) => {
      if (field === 6 && wireType === 2) {
        const [start, end] = top.span();
        strings.push(decoder.decode(data.subarray(start, end)));
      } else if (field === 2 && wireType === 2) {
        const sample: RawSample = { locationIds: [], values: [], labels: [] };
        const inner = sub(top);
        readFields(inner, (f, w) => {
          if (f === 1) inner.integers(w, sample.locationIds);
          else if (f === 2) inner.integers(w, sample.values);
          else if (f === 3 && w === 2) {
            const label = sub(inner);
            let key = 0;
            let str = 0;
            readFields(label, (lf, lw) => {
              if (lf === 1 && lw === 0) key = label.varint();
              else if (lf === 2 && lw === 0) str = label.varint();
            });
            sample.labels.push([key, str]);
          }
        });
        samples.push(sample);
      } else if (field === 4 && wireType === 2) {
        const inner = sub(top);
        let id = 0;
        const location: RawLocation = { address: 0, lines: [] };
        readFields(inner, (f, w) => {
          if (f === 1 && w === 0) id = inner.varint();
          else if (f === 3 && w === 0) location.address = inner.varint();
          else if (f === 4 && w === 2) {
            const lineReader = sub(inner);
            const line: RawLine = { functionId: 0, line: 0 };
            readFields(lineReader, (lf, lw) => {
              if (lf === 1 && lw === 0) line.functionId = lineReader.varint();
              else if (lf === 2 && lw === 0) line.line = lineReader.varint();
            });
            location.lines.push(line);
          }
        });
        locations.set(id, location);
      } else if (field === 5 && wireType === 2) {
        const inner = sub(top);
        let id = 0;
        const fn: RawFunction = { name: 0, filename: 0 };
        readFields(inner, (f, w) => {
          if (f === 1 && w === 0) id = inner.varint();
          else if (f === 2 && w === 0) fn.name = inner.varint();
          else if (f === 4 && w === 0) fn.filename = inner.varint();
        });
        functions.set(id, fn);
      }
    });
  } catch (error) {
    warnings.push({ line: 0, message: `the profile is damaged: ${(error as Error).message}; read what came before` });
  }

  const text = (index: number): string => strings[index] ?? '';
  const frameCache = new Map<string, Frame>();
  const goroutines: Goroutine[] = [];
  let total = 0;
  for (const sample of samples) {
    const frames: Frame[] = [];
    for (const locationId of sample.locationIds) {
      const location = locations.get(locationId);
      if (location === undefined) {
        warnings.push({ line: 0, message: `sample refers to missing location ${locationId}` });
        continue;
      }
      for (const line of location.lines) {
        const fn = functions.get(line.functionId);
        const name = fn === undefined ? '?' : text(fn.name);
        const file = fn === undefined ? '?' : text(fn.filename);
        const key = `${location.address}\n${name}\n${file}\n${line.line}`;
        let frame = frameCache.get(key);
        if (frame === undefined) {
          const parts = parseFunctionName(name);
          frame = {
            function: name, ...parts, file, line: line.line, pcOffset: null,
            pc: location.address === 0 ? null : location.address, args: null, inlined: false,
          };
          frameCache.set(key, frame);
        }
        frames.push(frame);
      }
    }
    const labels: Record<string, string> = {};
    for (const [key, value] of sample.labels) labels[text(key)] = text(value);
    const count = sample.values[0] ?? 1;
    total += count;
    goroutines.push({
      id: null, state: '', waitClass: 'unknown', waitMinutes: null, lockedToThread: false, leaked: false, durable: false, bubble: null, frames,
      framesElided: false, createdBy: null, labels, count, line: 0, truncated: false,
    });
  }
  if (goroutines.length === 0) return { snapshot: null, warnings };
  const snapshot: Snapshot = {
    format: 'pprof', goroutines, declaredTotal: total, reason: null, warnings, startLine: 0,
  };
  return { snapshot, warnings: [] };
}
