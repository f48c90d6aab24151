// Phase-1 facts: what one Go file says on its own, before any cross-file linking. Plain JSON so
// that it can be cached on disk by content hash. Lines are 1-based.

/** A type as written in the source (qualifiers unresolved). */
export type TypeExpr =
  | { k: 'name'; q: string | null; n: string } // `T`, `sync.Mutex` (q = `sync`)
  | { k: 'ptr'; t: TypeExpr }
  | { k: 'chan'; dir: 'both' | 'send' | 'recv'; t: TypeExpr }
  | { k: 'slice'; t: TypeExpr } // slices and arrays
  | { k: 'map'; t: TypeExpr }
  | { k: 'func'; results: TypeExpr[] }
  | { k: 'struct'; fields: FieldFact[] }
  | { k: 'iface'; methods: string[] }
  | { k: 'other' };

/** An expression as written, reduced to what naming and call resolution need. */
export type Expr =
  | { k: 'id'; n: string }
  | { k: 'sel'; x: Expr; n: string }
  | { k: 'call'; f: Expr; a: Expr[] }
  | { k: 'idx'; x: Expr }
  | { k: 'star'; x: Expr }
  | { k: 'addr'; x: Expr }
  | { k: 'recv'; x: Expr }
  | { k: 'lit'; t: TypeExpr }
  | { k: 'type'; t: TypeExpr } // a type in expression position: `make(chan int)`'s argument
  | { k: 'assert'; x: Expr; t: TypeExpr }
  | { k: 'func'; fn: number } // a function literal: index into FileFacts.functions
  | { k: 'nil' }
  | { k: 'other' };

export interface FieldFact {
  /** Field name; for an embedded field, the type's own name (`Mutex` for `sync.Mutex`). */
  name: string;
  type: TypeExpr;
  embedded: boolean;
  line: number;
}

export interface TypeDeclFact {
  name: string;
  type: TypeExpr;
  line: number;
  generic: boolean;
}

export interface VarFact {
  name: string;
  type: TypeExpr | null;
  value: Expr | null;
  line: number;
}

// Fields marked optional are left out when they hold their default, which keeps the cache small.

/** A local declaration (`x := e`, `var x T = e`, `for k, v := range e`, a parameter). */
export interface LocalDecl {
  name: string;
  line: number;
  type?: TypeExpr;
  /** The right-hand side that produced the value. */
  value?: Expr;
  /** Position in a multi-value assignment from one call (`ctx, cancel := context.WithCancel(p)`); absent otherwise. */
  tuple?: number;
  /** The names of the same tuple assignment, in order (for `cancel` to find its `ctx`). */
  tupleNames?: string[];
  /** Set for range variables: 0 = key, 1 = value, over `value`. */
  range?: number;
  /** Set for parameters: their position, to follow a literal's argument (`go func(ch chan T) {…}(ch)`). */
  param?: number;
}

/** A raw channel operation: send, receive, range, close, select. */
export interface RawOp {
  op: 'send' | 'recv' | 'range' | 'close' | 'select';
  line: number;
  x?: Expr;
  deferred?: true;
  cases?: RawOp[];
  hasDefault?: true;
}

export interface RawCall {
  line: number;
  f: Expr;
  args?: Expr[];
  deferred?: true;
  /** Ids of the enclosing blocks, outermost first (kept for lock calls, for dominance). */
  blocks?: number[];
}

export interface RawGo {
  line: number;
  f: Expr;
  /** Arguments, kept when the goroutine runs a function literal. */
  args?: Expr[];
}

export interface RawReturn {
  line: number;
  blocks?: number[];
  /** The single returned expression, when exactly one. */
  value?: Expr;
}

/**
 * A place where a value may flow into another name (DESIGN.md, layer 2): the linker unifies
 * resource classes along these and marks a class open when its value reaches code it cannot see.
 * - `arg`: argument `i` of call `call` (index into `calls`), or of go statement `call` (into `gos`)
 *   when `go` is set;
 * - `assign`: `to = v` (plain assignment, not `:=`); with `i`, `to` is target `i` of an assignment
 *   of one call's results (`ctx, rs.cancel = context.WithCancel(ctx)`);
 * - `lit`: element `key` (or position `i`) of a composite literal of type `t`;
 * - `send`: `v` is sent as a value on a channel;
 * - `ret`: `v` is returned (position `i`).
 * Only values that may name a resource or a function are kept (identifiers, selectors, `&x`,
 * calls, conversions, index expressions, function literals).
 */
export interface RawFlow {
  k: 'arg' | 'assign' | 'lit' | 'send' | 'ret';
  line: number;
  v: Expr;
  to?: Expr;
  call?: number;
  go?: true;
  i?: number;
  t?: TypeExpr;
  key?: string;
}

export interface ParamFact {
  name: string;
  type: TypeExpr;
}

export interface FunctionFact {
  /**
   * Name relative to its parent: a declared function `F`, a method `(*T).M` / `T.M`, a literal
   * `func3` (child of a declared function) or `3` (child of a literal). `init` functions and
   * package-level literals get their package-wide ordinal in linking (`kind`).
   */
  name: string;
  kind: 'func' | 'method' | 'literal' | 'init' | 'varinit';
  /** Index of the enclosing function for literals; -1 at top level. */
  parent: number;
  startLine: number;
  endLine: number;
  /** Byte offset of the start, to order literals as the compiler numbers them. */
  start: number;
  generic: boolean;
  recv: { name: string | null; type: string; ptr: boolean } | null;
  results: TypeExpr[];
  /** Locals in declaration order; parameters, receiver and named results first (on `startLine`). */
  decls: LocalDecl[];
  ops: RawOp[];
  calls: RawCall[];
  gos: RawGo[];
  returns: RawReturn[];
  /** Value flows (see RawFlow); absent when none. */
  flows?: RawFlow[];
  /** Spans of `for` statements as [firstLine, lastLine] pairs, flattened; absent when none. */
  loops?: number[];
}

export interface FileFacts {
  pkg: string;
  /** Import name as used in this file → import path. */
  imports: Record<string, string>;
  /** Imports without an explicit name (their name is the package's own, found in linking). */
  plainImports: string[];
  types: TypeDeclFact[];
  vars: VarFact[];
  functions: FunctionFact[];
  errors: number;
}

/** Bump when the extractor's output or the entries' byte form (graph-codec.ts) changes, so cached facts are not reused. */
export const FACTS_VERSION = 10;
