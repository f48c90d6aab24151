// The cache's wire form of FileFacts: expressions and types become short prefix-coded strings,
// decoded once per distinct string (identical expressions share one object). Most of a file's
// facts are expressions (`s.mu.Lock`, `ctx.Done()`), so this keeps the cache small and its load
// light on allocation.
import type { Expr, FieldFact, FileFacts, RawOp, TypeExpr } from './facts.js';
import { packGraph, unpackGraph } from './graph-codec.js';

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
// A cache entry holds the wire value packed by the graph codec, plain data only (no Map or Set,
// no shared objects): smaller than its JSON and quicker to read, since every key list and every
// string is written once per entry.

/** The wire value as entry bytes. Throws on anything but plain data. */
export function packWire(value: unknown): Uint8Array {
  return packGraph(value, { plainOnly: true });
}

/** The wire value packed in `bytes` from `offset` to the end. Throws on damaged bytes. */
export function unpackWire(bytes: Uint8Array, offset = 0): unknown {
  return unpackGraph(bytes, offset);
}
