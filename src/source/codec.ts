// The cache's wire form of FileFacts: expressions and types become short prefix-coded strings,
// decoded once per distinct string (identical expressions share one object). Most of a file's
// facts are expressions (`s.mu.Lock`, `ctx.Done()`), so this keeps the cache small and its load
// light on allocation.
import type { Expr, FieldFact, FileFacts, RawOp, TypeExpr } from './facts.js';

// ---- encoding ------------------------------------------------------------------------------
// Expr:  i<name>;  s<x><name>;  c<n>,<f><arg…>  x<x>  *<x>  &<x>  <<x>  L<type>  T<type>
//        A<x><type>  F<index>;  n (nil)  o (other)
// Type:  N<qualifier>;<name>;  P<t>  C<b|s|r><t>  S<t>  M<t>  f<n>,<t…>  I<n>,<name;…>
//        R<length>,<JSON of the fields>  O (other)

export function encodeExpr(e: Expr): string {
  switch (e.k) {
    case 'id': return `i${e.n};`;
    case 'sel': return `s${encodeExpr(e.x)}${e.n};`;
    case 'call': return `c${e.a.length},${encodeExpr(e.f)}${e.a.map(encodeExpr).join('')}`;
    case 'idx': return `x${encodeExpr(e.x)}`;
    case 'star': return `*${encodeExpr(e.x)}`;
    case 'addr': return `&${encodeExpr(e.x)}`;
    case 'recv': return `<${encodeExpr(e.x)}`;
    case 'lit': return `L${encodeType(e.t)}`;
    case 'type': return `T${encodeType(e.t)}`;
    case 'assert': return `A${encodeExpr(e.x)}${encodeType(e.t)}`;
    case 'func': return `F${e.fn};`;
    case 'nil': return 'n';
    default: return 'o';
  }
}

export function encodeType(t: TypeExpr): string {
  switch (t.k) {
    case 'name': return `N${t.q ?? ''};${t.n};`;
    case 'ptr': return `P${encodeType(t.t)}`;
    case 'chan': return `C${t.dir === 'both' ? 'b' : t.dir === 'send' ? 's' : 'r'}${encodeType(t.t)}`;
    case 'slice': return `S${encodeType(t.t)}`;
    case 'map': return `M${encodeType(t.t)}`;
    case 'func': return `f${t.results.length},${t.results.map(encodeType).join('')}`;
    case 'iface': return `I${t.methods.length},${t.methods.map((m) => `${m};`).join('')}`;
    case 'struct': {
      const json = JSON.stringify(t.fields.map((f) => [f.name, encodeType(f.type), f.embedded ? 1 : 0, f.line]));
      return `R${json.length},${json}`;
    }
    default: return 'O';
  }
}

// ---- decoding ------------------------------------------------------------------------------

class Reader {
  pos = 0;
  constructor(readonly s: string) {}
  until(ch: string): string {
    const end = this.s.indexOf(ch, this.pos);
    const stop = end < 0 ? this.s.length : end;
    const out = this.s.slice(this.pos, stop);
    this.pos = stop + 1;
    return out;
  }
  count(): number {
    return Number(this.until(','));
  }
}

const OTHER_EXPR: Expr = { k: 'other' };
const OTHER_TYPE: TypeExpr = { k: 'other' };

function readExpr(r: Reader): Expr {
  const tag = r.s[r.pos++];
  switch (tag) {
    case 'i': return { k: 'id', n: r.until(';') };
    case 's': {
      const x = readExpr(r);
      return { k: 'sel', x, n: r.until(';') };
    }
    case 'c': {
      const n = r.count();
      const f = readExpr(r);
      const a: Expr[] = [];
      for (let i = 0; i < n; i++) a.push(readExpr(r));
      return { k: 'call', f, a };
    }
    case 'x': return { k: 'idx', x: readExpr(r) };
    case '*': return { k: 'star', x: readExpr(r) };
    case '&': return { k: 'addr', x: readExpr(r) };
    case '<': return { k: 'recv', x: readExpr(r) };
    case 'L': return { k: 'lit', t: readType(r) };
    case 'T': return { k: 'type', t: readType(r) };
    case 'A': {
      const x = readExpr(r);
      return { k: 'assert', x, t: readType(r) };
    }
    case 'F': return { k: 'func', fn: Number(r.until(';')) };
    case 'n': return { k: 'nil' };
    default: return OTHER_EXPR;
  }
}

function readType(r: Reader): TypeExpr {
  const tag = r.s[r.pos++];
  switch (tag) {
    case 'N': {
      const q = r.until(';');
      return { k: 'name', q: q === '' ? null : q, n: r.until(';') };
    }
    case 'P': return { k: 'ptr', t: readType(r) };
    case 'C': {
      const d = r.s[r.pos++];
      return { k: 'chan', dir: d === 'b' ? 'both' : d === 's' ? 'send' : 'recv', t: readType(r) };
    }
    case 'S': return { k: 'slice', t: readType(r) };
    case 'M': return { k: 'map', t: readType(r) };
    case 'f': {
      const n = r.count();
      const results: TypeExpr[] = [];
      for (let i = 0; i < n; i++) results.push(readType(r));
      return { k: 'func', results };
    }
    case 'I': {
      const n = r.count();
      const methods: string[] = [];
      for (let i = 0; i < n; i++) methods.push(r.until(';'));
      return { k: 'iface', methods };
    }
    case 'R': {
      const len = r.count();
      const json = r.s.slice(r.pos, r.pos + len);
      r.pos += len;
      const rows = JSON.parse(json) as [string, string, number, number][];
      const fields: FieldFact[] = rows.map(([name, type, embedded, line]) => ({ name, type: decodeType(type), embedded: embedded === 1, line }));
      return { k: 'struct', fields };
    }
    default: return OTHER_TYPE;
  }
}

const exprCache = new Map<string, Expr>();
const typeCache = new Map<string, TypeExpr>();

/** Decoded expressions are shared between all who wrote the same text: never mutate them. */
export function decodeExpr(s: string): Expr {
  let e = exprCache.get(s);
  if (e === undefined) {
    e = readExpr(new Reader(s));
    if (exprCache.size > 500_000) exprCache.clear();
    exprCache.set(s, e);
  }
  return e;
}

export function decodeType(s: string): TypeExpr {
  let t = typeCache.get(s);
  if (t === undefined) {
    t = readType(new Reader(s));
    if (typeCache.size > 100_000) typeCache.clear();
    typeCache.set(s, t);
  }
  return t;
}

// ---- whole files ---------------------------------------------------------------------------
// The wire form has the same shape as FileFacts with every Expr / TypeExpr field a string.

type Wire = Record<string, unknown>;

function mapOp(op: RawOp, e: (x: Expr) => unknown): Wire {
  const out: Wire = { ...op };
  if (op.x) out.x = e(op.x);
  if (op.cases) out.cases = op.cases.map((c) => mapOp(c, e));
  return out;
}

export function toWire(facts: FileFacts): unknown {
  const e = encodeExpr;
  const t = encodeType;
  return {
    ...facts,
    types: facts.types.map((d) => ({ ...d, type: t(d.type) })),
    vars: facts.vars.map((v) => ({ ...v, type: v.type ? t(v.type) : null, value: v.value ? e(v.value) : null })),
    functions: facts.functions.map((fn) => ({
      ...fn,
      results: fn.results.map(t),
      decls: fn.decls.map((d) => {
        const out: Wire = { ...d };
        if (d.type) out.type = t(d.type);
        if (d.value) out.value = e(d.value);
        return out;
      }),
      ops: fn.ops.map((op) => mapOp(op, e)),
      calls: fn.calls.map((c) => {
        const out: Wire = { ...c, f: e(c.f) };
        if (c.args) out.args = c.args.map(e);
        return out;
      }),
      gos: fn.gos.map((g) => {
        const out: Wire = { ...g, f: e(g.f) };
        if (g.args) out.args = g.args.map(e);
        return out;
      }),
      returns: fn.returns.map((r) => {
        const out: Wire = { ...r };
        if (r.value) out.value = e(r.value);
        return out;
      }),
      ...(fn.flows ? { flows: fn.flows.map((f) => {
        const out: Wire = { ...f, v: e(f.v) };
        if (f.to) out.to = e(f.to);
        if (f.t) out.t = t(f.t);
        return out;
      }) } : {}),
    })),
  };
}

/** Decodes in place (the wire object is freshly parsed and owned by the caller). */
export function fromWire(wire: unknown): FileFacts {
  const w = wire as Wire & { types: Wire[]; vars: Wire[]; functions: (Wire & Record<string, Wire[]>)[] };
  const e = (x: unknown) => decodeExpr(x as string);
  const t = (x: unknown) => decodeType(x as string);
  for (const d of w.types) d.type = t(d.type);
  for (const v of w.vars) {
    if (v.type) v.type = t(v.type);
    if (v.value) v.value = e(v.value);
  }
  const op = (o: Wire) => {
    if (o.x) o.x = e(o.x);
    if (o.cases) for (const c of o.cases as Wire[]) op(c);
  };
  for (const fn of w.functions) {
    fn.results = (fn.results as unknown[]).map(t) as unknown as Wire[];
    for (const d of fn.decls) {
      if (d.type) d.type = t(d.type);
      if (d.value) d.value = e(d.value);
    }
    for (const o of fn.ops) op(o);
    for (const c of fn.calls) {
      c.f = e(c.f);
      if (c.args) c.args = (c.args as unknown[]).map(e);
    }
    for (const g of fn.gos) {
      g.f = e(g.f);
      if (g.args) g.args = (g.args as unknown[]).map(e);
    }
    for (const r of fn.returns) if (r.value) r.value = e(r.value);
    for (const f of (fn.flows ?? []) as Wire[]) {
      f.v = e(f.v);
      if (f.to) f.to = e(f.to);
      if (f.t) f.t = t(f.t);
    }
  }
  return w as unknown as FileFacts;
}

// ---- bytes ---------------------------------------------------------------------------------
// How a cache entry holds a wire value: smaller than its JSON and quicker to read, since every
// key list and every string is written once per entry. The value must be plain data: objects
// (their own keys, in order; a key holding undefined is kept), arrays, strings, numbers,
// booleans, null.
//
//   u32 length of the head, head = JSON [shapes: string[][], strings: string[]], then the value
//   as varints: 0 null  1 undefined  2 false  3 true  4 n (integer n ≥ 0)  5 n (−n)
//   6 s (another number, as strings[s])  7 s (strings[s])  8 n v… (array)  9+k v… (object of shape k)

const V_NULL = 0, V_UNDEFINED = 1, V_FALSE = 2, V_TRUE = 3, V_UINT = 4, V_NEG = 5, V_NUMBER = 6, V_STRING = 7, V_ARRAY = 8, V_OBJECT = 9;

/** Unsigned varints into a growing buffer (also the index cache's, graph-codec.ts). */
export class ByteWriter {
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

/** The wire value as entry bytes. Throws on anything but plain data. */
export function packWire(value: unknown): Uint8Array {
  const out = new ByteWriter();
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const shapes: string[][] = [];
  const shapeIds = new Map<string, number>();
  const string = (s: string) => {
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
      case 'undefined': out.uint(V_UNDEFINED); return;
      case 'boolean': out.uint(v ? V_TRUE : V_FALSE); return;
      case 'string': out.uint(V_STRING); string(v); return;
      case 'number':
        if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
          out.uint(v >= 0 ? V_UINT : V_NEG);
          out.uint(Math.abs(v));
        } else {
          out.uint(V_NUMBER);
          string(Object.is(v, -0) ? '-0' : String(v));
        }
        return;
      case 'object': break;
      default: throw new Error(`cannot pack a ${typeof v}`);
    }
    if (v === null) {
      out.uint(V_NULL);
      return;
    }
    if (Array.isArray(v)) {
      out.uint(V_ARRAY);
      out.uint(v.length);
      for (let i = 0; i < v.length; i++) write(v[i]);
      return;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw new Error('cannot pack an instance of a class');
    const keys = Object.keys(v);
    const key = `${keys.length}:${keys.join('\u0000')}`; // the count tells {} from { '': … }
    let shape = shapeIds.get(key);
    if (shape === undefined) {
      if (keys.includes('__proto__')) throw new Error('cannot pack a __proto__ key');
      shape = shapes.length;
      shapes.push(keys);
      shapeIds.set(key, shape);
    }
    out.uint(V_OBJECT + shape);
    const o = v as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) write(o[keys[i]]);
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
/** One object maker per key list: an object literal, so every object of a shape gets one hidden class. */
const makers = new Map<string, Maker>();

export function makerOf(keys: string[]): Maker {
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

/** The wire value packed in `bytes` from `offset` to the end. Throws on damaged bytes. */
export function unpackWire(bytes: Uint8Array, offset = 0): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headLength = view.getUint32(offset);
  let pos = offset + 4 + headLength;
  if (pos > bytes.length) throw new Error('entry cut short');
  const [shapes, strings] = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + offset + 4, headLength).toString('utf8')) as [string[][], string[]];
  const shapeMakers = shapes.map(makerOf);
  const end = bytes.length;
  const uint = (): number => {
    if (pos >= end) throw new Error('entry cut short');
    let b = bytes[pos++];
    if (b < 0x80) return b;
    let n = b & 0x7f;
    for (let scale = 0x80; ; scale *= 0x80) {
      if (pos >= end) throw new Error('entry cut short');
      b = bytes[pos++];
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
    }
  };
  const string = (): string => {
    const s = strings[uint()];
    if (s === undefined) throw new Error('damaged entry');
    return s;
  };
  const read = (): unknown => {
    const tag = uint();
    switch (tag) {
      case V_NULL: return null;
      case V_UNDEFINED: return undefined;
      case V_FALSE: return false;
      case V_TRUE: return true;
      case V_UINT: return uint();
      case V_NEG: return -uint();
      case V_NUMBER: return Number(string());
      case V_STRING: return string();
      case V_ARRAY: {
        const n = uint();
        if (n > end - pos) throw new Error('damaged entry');
        const a: unknown[] = new Array(n);
        for (let i = 0; i < n; i++) a[i] = read();
        return a;
      }
      default: {
        const maker = shapeMakers[tag - V_OBJECT];
        if (maker === undefined) throw new Error('damaged entry');
        return maker(read);
      }
    }
  };
  const value = read();
  if (pos !== end) throw new Error('damaged entry');
  return value;
}
