// A compact binary form for a graph of plain data: the facts cache's entries (codec.ts) and the
// linked index (index-cache.ts). Strings are stored once each and objects by their key list, so
// objects of one shape are rebuilt by one object literal with one hidden class. The graph may
// hold Maps and Sets, and an object reached twice (a site both in its function's operations and
// in sitesByResource) comes back as one object, as the linker made it, when the caller says it
// may be shared; others come back as equal copies, since keeping every object's identity would
// cost more than the rest of the packing. A cycle through shared objects is refused.
//
//   u32 length of the head, head = JSON [shapes: string[][], strings: string[]], then the value
//   as varints: 0 null  1 undefined  2 false  3 true  4 n (integer n ≥ 0)  5 n (−n)
//   6 s (another number, as strings[s])  7 s (strings[s])  8 n v… (array)  9 n (k v)… (Map)
//   10 n v… (Set)  11 n (the n-th shared object again)  12+2k v… (object of shape k)
//   13+2k v… (object of shape k, shared: numbered in the order reached)

/** This module's file: its code is part of what a cached index was made by (index-cache.ts). */
export const GRAPH_CODEC_MODULE = import.meta.url;

const T_NULL = 0, T_UNDEFINED = 1, T_FALSE = 2, T_TRUE = 3, T_UINT = 4, T_NEG = 5, T_NUMBER = 6, T_STRING = 7, T_ARRAY = 8, T_MAP = 9, T_SET = 10, T_REF = 11, T_OBJECT = 12;

/** Unsigned varints into a growing buffer. */
class ByteWriter {
  bytes = new Uint8Array(4096);
  pos = 0;
  uint(n: number): void {
    if (this.pos + 8 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    while (n >= 0x80) {
      this.bytes[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.bytes[this.pos++] = n;
  }
}

export interface PackOptions {
  /** Which plain objects may be reached twice and must come back as one (default: all). */
  shared?: (o: object) => boolean;
  /** Plain data only: objects, arrays and scalars; a Map or Set is refused, no object is shared. */
  plainOnly?: boolean;
}

const EVERY_OBJECT = () => true;
const NO_OBJECT = () => false;

/** The graph as bytes. Throws on anything but plain data, Maps and Sets, or on a cycle through shared objects. */
export function packGraph(value: unknown, options: PackOptions = {}): Uint8Array {
  const plainOnly = options.plainOnly === true;
  const shared = plainOnly ? NO_OBJECT : options.shared ?? EVERY_OBJECT;
  const out = new ByteWriter();
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const shapes: string[][] = [];
  /** Shapes by their first key: comparing key lists beats joining each object's keys into one string. */
  const shapesByFirstKey = new Map<string, { keys: string[]; id: number }[]>();
  const shapeOf = (keys: string[]): number => {
    const first = keys.length > 0 ? keys[0] : '';
    let list = shapesByFirstKey.get(first);
    if (list === undefined) shapesByFirstKey.set(first, (list = []));
    for (const candidate of list) {
      const known = candidate.keys;
      if (known.length !== keys.length) continue;
      let same = true;
      for (let i = 1; i < keys.length && same; i++) same = known[i] === keys[i];
      if (same) return candidate.id;
    }
    if (keys.includes('__proto__')) throw new Error('cannot pack a __proto__ key');
    const id = shapes.length;
    shapes.push(keys);
    list.push({ keys, id });
    return id;
  };
  /** Shared object → its number, in the order first reached; `done[n]` once its contents are written. */
  const objectIds = new Map<object, number>();
  const done: boolean[] = [];
  const string = (s: string): void => {
    let id = stringIds.get(s);
    if (id === undefined) {
      id = strings.length;
      strings.push(s);
      stringIds.set(s, id);
    }
    out.uint(id);
  };
  const write = (v: unknown): void => {
    switch (typeof v) {
      case 'undefined': out.uint(T_UNDEFINED); return;
      case 'boolean': out.uint(v ? T_TRUE : T_FALSE); return;
      case 'string': out.uint(T_STRING); string(v); return;
      case 'number':
        if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
          out.uint(v >= 0 ? T_UINT : T_NEG);
          out.uint(Math.abs(v));
        } else {
          out.uint(T_NUMBER);
          string(Object.is(v, -0) ? '-0' : String(v));
        }
        return;
      case 'object': break;
      default: throw new Error(`cannot pack a ${typeof v}`);
    }
    if (v === null) {
      out.uint(T_NULL);
      return;
    }
    const collection = v instanceof Map || v instanceof Set;
    if (collection && plainOnly) throw new Error('cannot pack a Map or Set as plain data');
    const tracked = !collection && !Array.isArray(v) && shared(v);
    let id = -1;
    if (tracked) {
      const seen = objectIds.get(v);
      if (seen !== undefined) {
        if (!done[seen]) throw new Error('cannot pack a cycle');
        out.uint(T_REF);
        out.uint(seen);
        return;
      }
      id = done.length;
      objectIds.set(v, id);
      done.push(false);
    }
    if (Array.isArray(v)) {
      out.uint(T_ARRAY);
      out.uint(v.length);
      for (let i = 0; i < v.length; i++) write(v[i]);
    } else if (v instanceof Map) {
      out.uint(T_MAP);
      out.uint(v.size);
      for (const [k, x] of v) {
        write(k);
        write(x);
      }
    } else if (v instanceof Set) {
      out.uint(T_SET);
      out.uint(v.size);
      for (const x of v) write(x);
    } else {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw new Error('cannot pack an instance of a class');
      const keys = Object.keys(v);
      out.uint(T_OBJECT + 2 * shapeOf(keys) + (tracked ? 1 : 0));
      const o = v as Record<string, unknown>;
      for (let i = 0; i < keys.length; i++) write(o[keys[i]]);
    }
    if (tracked) done[id] = true;
  };
  write(value);
  const head = Buffer.from(JSON.stringify([shapes, strings]), 'utf8');
  const bytes = new Uint8Array(4 + head.length + out.pos);
  new DataView(bytes.buffer).setUint32(0, head.length);
  bytes.set(head, 4);
  bytes.set(out.bytes.subarray(0, out.pos), 4 + head.length);
  return bytes;
}

type Maker = (next: () => unknown) => Record<string, unknown>;
/** One object maker per key list, kept across calls: entries of one cache share their shapes. */
const makers = new Map<string, Maker>();

/** An object literal per key list, so every object of a shape gets one hidden class. */
function makerOf(keys: string[]): Maker {
  const key = `${keys.length}:${keys.join('\u0000')}`; // the count tells {} from { '': … }
  let maker = makers.get(key);
  if (maker === undefined) {
    try {
      maker = new Function('next', `return {${keys.map((k) => `${JSON.stringify(k)}: next()`).join(', ')}};`) as Maker;
    } catch {
      // Code generation from strings disallowed: build the object key by key.
      maker = (next) => {
        const o: Record<string, unknown> = {};
        for (const k of keys) o[k] = next();
        return o;
      };
    }
    if (makers.size > 10_000) makers.clear();
    makers.set(key, maker);
  }
  return maker;
}

/** The graph packed in `bytes` from `offset` to the end. Throws on damaged bytes. */
export function unpackGraph(bytes: Uint8Array, offset = 0): unknown {
  if (offset + 4 > bytes.length) throw new Error('cut short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headLength = view.getUint32(offset);
  let pos = offset + 4 + headLength;
  if (pos > bytes.length) throw new Error('cut short');
  const [shapes, strings] = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + offset + 4, headLength).toString('utf8')) as [string[][], string[]];
  if (!Array.isArray(shapes) || !Array.isArray(strings)) throw new Error('damaged');
  const makers = shapes.map(makerOf);
  const objects: unknown[] = [];
  const end = bytes.length;
  const uint = (): number => {
    if (pos >= end) throw new Error('cut short');
    let b = bytes[pos++];
    if (b < 0x80) return b;
    let n = b & 0x7f;
    for (let scale = 0x80; ; scale *= 0x80) {
      if (pos >= end) throw new Error('cut short');
      b = bytes[pos++];
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
    }
  };
  const string = (): string => {
    const s = strings[uint()];
    if (s === undefined) throw new Error('damaged');
    return s;
  };
  const read = (): unknown => {
    const tag = uint();
    switch (tag) {
      case T_NULL: return null;
      case T_UNDEFINED: return undefined;
      case T_FALSE: return false;
      case T_TRUE: return true;
      case T_UINT: return uint();
      case T_NEG: return -uint();
      case T_NUMBER: return Number(string());
      case T_STRING: return string();
      case T_REF: {
        const o = objects[uint()];
        if (o === undefined) throw new Error('damaged');
        return o;
      }
      case T_ARRAY: {
        const n = uint();
        if (n > end - pos) throw new Error('damaged');
        const a: unknown[] = new Array(n);
        for (let i = 0; i < n; i++) a[i] = read();
        return a;
      }
      case T_MAP: {
        const n = uint();
        if (n > end - pos) throw new Error('damaged');
        const m = new Map<unknown, unknown>();
        for (let i = 0; i < n; i++) {
          const k = read();
          m.set(k, read());
        }
        return m;
      }
      case T_SET: {
        const n = uint();
        if (n > end - pos) throw new Error('damaged');
        const s = new Set<unknown>();
        for (let i = 0; i < n; i++) s.add(read());
        return s;
      }
      default: {
        const maker = makers[(tag - T_OBJECT) >> 1];
        if (maker === undefined) throw new Error('damaged');
        if ((tag & 1) === (T_OBJECT & 1)) return maker(read);
        // Numbered when reached, as the writer numbered it; made from its values, so after them.
        const id = objects.length;
        objects.push(undefined);
        const o = maker(read);
        objects[id] = o;
        return o;
      }
    }
  };
  const value = read();
  if (pos !== end) throw new Error('damaged');
  return value;
}
