// Value flow (DESIGN.md, layer 2), the part that soundness rests on: which resource names may hold
// the same channel, lock, WaitGroup, Cond, context or function value (one class), and which classes
// are *open* because their value may reach code the index does not have, or travel by a path this
// pass does not follow. A wait on an open class cannot be judged: its wakers cannot be enumerated.
//
// Classes are a union-find over the canonical names the linker gives (`pkg.T.field`, `pkg.var`,
// `pkg.Func#local`, `pkg.Func#~ret0` for a function's result), unified along
//   - call and `go` arguments into the indexed callee's parameter, and a receiver of a method of a
//     named channel type (`out.WriteProgress(p)`);
//   - plain and tuple assignments, composite-literal fields, conversions (`chanOutput(ch)`);
//   - `append`, range elements and index expressions: an element is of its container's class;
//   - returns: what `F` returns is `F#~ret<i>`, the name its callers' uses of the result get;
//   - `ctx, cancel := context.WithCancel(parent)`: the child, its parent and its cancel function
//     (wherever that goes: a field, a callee) are one class; `sync.NewCond(&mu)`: `<cond>.L` is mu;
//   - an access the linker could not type (`x.ch` with x unknown), with every field of that name.
// A class is open when one of its names
//   - is passed to code outside the index (other than a few standard packages known not to keep
//     it: fmt, log, errors, …; a cancel function handed to any of them is open), sent as a value on
//     a channel, stored where no name is known, or returned to callers the index does not see (a
//     function called from outside or by dispatch);
//   - is a local that comes from somewhere untraced: a call of code outside the index, a receive,
//     a type assertion, or a parameter of a function whose callers are not all in the index;
//   - is derived (`m[k]` of no named container, `f()` of no single callee, `<-ch` as a name).
// Function values stored in a class (literals, functions, method values, `n.cond.Wait`) are what a
// call through any member may run (functionHolder). Entry points are found on the way: every
// function whose value escapes, plus every function nothing in the index calls or starts.
//
// Cost: one pass over each function's flows and locals, near-linear with path compression.

import type { Expr, FunctionFact, LocalDecl, RawFlow, TypeExpr } from './facts.js';
import type { OperationKind, ResourceRef, SourceIndex } from './types.js';

/** This module's file: its code is part of what a cached index was made by (index-cache.ts). */
export const VALUE_FLOW_MODULE = import.meta.url;

/** What the pass needs from the linker, which alone knows types and scopes. */
export interface ValueFlowHost {
  index: SourceIndex;
  /** Names that code calls through (`rc.release()`): their classes are followed like resources'. */
  calledValues: Set<string>;
  /** Names of methods declared on a named channel (or other resource) type: `chanOutput.WriteProgress`. */
  resourceTypeMethods: Set<string>;
  functions: { info: unknown; name: string; fact: FunctionFact }[];
  resolve(x: Expr, fn: unknown, line: number): ResourceRef;
  functionValue(x: Expr, fn: unknown, line: number): string | null;
  callTargets(f: Expr, fn: unknown, line: number): { callees: string[]; dynamic: string[]; dispatch?: string; open: boolean } | null;
  /** The import path when `f` is `pkg.Name` of an imported package. */
  isPackageCall(f: Expr, fn: unknown, line: number): string | null;
  paramName(target: string, position: number): string | null;
  /** The name the receiver of method `target` has as a resource, or null. */
  receiverName(target: string): string | null;
  localDecl(name: string, fn: unknown, line: number): LocalDecl | null;
  /** The name a local of `fn` has as a resource (`pkg.Func#name`), without resolving it. */
  localName(fn: unknown, name: string): string;
  fieldOf(t: TypeExpr, key: string | undefined, position: number | undefined, fn: unknown): string | null;
  isContextMaker(x: Expr, fn: unknown): boolean;
  /** A plain getter (`return s.ch`, maybe after a nil check): its callers see the field itself. */
  isGetter(fn: unknown): boolean;
  /**
   * A context.CancelFunc (`cancel`: it travels in its context's class), another function value or
   * a slice or map of them (`func`: `subs []func(string)`), or neither.
   */
  functionKind(x: Expr, fn: unknown, line: number): 'cancel' | 'func' | null;
  /** `n.cond.Wait`, `mu.Unlock` as a value: the operation a call of it performs. */
  syncMethodValue(x: Expr, fn: unknown, line: number): SyncMethodValue | null;
  /** `pkg.F#~ret<i>` when the call `x` runs exactly one indexed function with a result `i`. */
  resultName(x: Expr, fn: unknown, line: number, position: number): string | null;
}

/** A method value of a sync object (`n.cond.Wait`): calling it performs `kind` on `resource`. */
export interface SyncMethodValue {
  kind: OperationKind;
  resource: ResourceRef;
}

/** Standard packages that take a resource without keeping it or operating on it for the program. */
const NON_RETAINING_PACKAGES = new Set(['fmt', 'log', 'log/slog', 'errors', 'strconv', 'strings', 'bytes', 'runtime', 'os/signal', 'sync', 'time', 'context', 'sync/atomic', 'testing']);

const RESOURCE_KINDS = new Set(['chan', 'mutex', 'rwmutex', 'waitgroup', 'cond', 'once', 'context']);

export class ValueFlow {
  private readonly parent = new Map<string, string>();
  private readonly openWhy = new Map<string, string>();
  /** Locals made fresh in a function (`make`, `new`, a literal, a zero value) → that function. */
  private readonly madeIn = new Map<string, Set<string>>();
  /** How stable a local's name is as the class's display name: a parameter before the local a value is made in, before any other. */
  private readonly localRank = new Map<string, number>();
  /** Local name → the functions (positions in host.functions) that declare it. */
  private readonly declaredIn = new Map<string, number[]>();
  /** Names that hold a cancel function: members of a context's class, but never its display name. */
  private readonly cancels = new Set<string>();
  /** `<cond>.L`, the Locker of a Cond: named by the lock handed to sync.NewCond when there is one. */
  private readonly lockers = new Set<string>();
  /** Methods of channel types called on a value value flow does not follow (an interface): their receiver is open. */
  private readonly unseenReceivers = new Set<string>();

  /**
   * Function values stored under a name (a func-typed field, local or parameter, or a slice of
   * them): the functions, and sync method values such as `n.cond.Wait`. Names that hold functions
   * are unified like resources, so a call through any member of the class may run any of them.
   */
  private readonly stored = new Map<string, { values: Set<string>; ops: SyncMethodValue[] }>();

  constructor(private readonly host: ValueFlowHost) {}

  private readonly localNames = new Map<LocalDecl, string>();

  /** The resource name of a declaration's local, built once (the pass asks for it several times). */
  private localOf(info: unknown, d: LocalDecl): string {
    let name = this.localNames.get(d);
    if (name === undefined) this.localNames.set(d, (name = this.host.localName(info, d.name)));
    return name;
  }

  /**
   * What a call through this name may run, once run() is done: every function stored in a member
   * of its class; `open` when the class is (a value may come from code the index does not follow).
   * Null when nothing known was stored.
   */
  functionHolder(name: string): { values: string[]; ops: SyncMethodValue[]; open: boolean } | null {
    const rep = this.find(name);
    const values = new Set<string>();
    const ops: SyncMethodValue[] = [];
    for (const member of this.host.index.classes.members.get(rep) ?? [name]) {
      const s = this.stored.get(member);
      if (!s) continue;
      for (const v of s.values) values.add(v);
      for (const op of s.ops) if (!ops.some((o) => o.kind === op.kind && o.resource.name === op.resource.name)) ops.push(op);
    }
    if (values.size === 0 && ops.length === 0) return null;
    return { values: [...values], ops, open: this.host.index.classes.open.has(rep) };
  }

  /** Whether code operates on the name or value flow put it in a class. */
  private inUse(name: string): boolean {
    return this.parent.has(name) || this.host.index.sitesByResource.has(name);
  }

  /** Records that `name` may hold `fn`: a function, or a sync method value such as `n.cond.Wait`. */
  private holds(name: string, fn: string | SyncMethodValue): void {
    if (name === 'nil' || isDerivedName(name)) return;
    let s = this.stored.get(name);
    if (!s) this.stored.set(name, (s = { values: new Set(), ops: [] }));
    if (typeof fn === 'string') s.values.add(fn);
    else if (!s.ops.some((o) => o.kind === fn.kind && o.resource.name === fn.resource.name)) s.ops.push(fn);
    this.parent.set(name, this.find(name));
  }

  run(): void {
    const { index } = this.host;
    const calledOrStarted = new Set<string>();
    // Callees whose callers' use of the result is not joined to it: several callees (an interface),
    // dynamic dispatch, dispatch on a method name.
    const unseen = new Set<string>();
    const dispatched = new Set<string>();
    for (const fn of new Set(index.functions.values())) {
      for (const call of fn.calls) {
        for (const c of call.callees) calledOrStarted.add(c);
        if (call.callees.length > 1) for (const c of call.callees) unseen.add(c);
        for (const c of call.dynamic ?? []) unseen.add(c);
        if (call.dispatch) dispatched.add(call.dispatch);
      }
      for (const go of fn.goStatements) for (const t of go.targets) calledOrStarted.add(t);
    }
    for (const { name, fact } of this.host.functions) {
      const topLevel = fact.kind === 'func' || fact.kind === 'method';
      if (topLevel && !calledOrStarted.has(name) && !/\.main$|\.init(\.\d+)?$/.test(name)) index.entryPoints.add(name);
    }
    this.host.functions.forEach(({ info, fact }, i) => this.rankLocals(info, fact, i));
    for (const { info, name, fact } of this.host.functions) {
      this.flows(info, name, fact);
      this.receivers(info, fact);
    }
    this.resultsSeenOutside(calledOrStarted, unseen, dispatched);
    // Only locals that some operation or flow names can matter: the others hold no resource anyone waits on.
    const named = new Set<string>(this.parent.keys());
    for (const name of index.sitesByResource.keys()) if (name.includes('#')) named.add(name);
    for (const name of this.host.calledValues) named.add(name);
    // Later functions (a literal after its parent) and later declarations first: `x := y` names y
    // before y's own declaration is judged, so fewer locals need the rounds below.
    for (let i = this.host.functions.length - 1; i >= 0; i--) {
      const { info, name, fact } = this.host.functions[i];
      this.locals(info, name, fact, calledOrStarted, named, null);
    }
    // A local can become named through a later one (`subs := append(…)` before `for _, f := range
    // subs`): judge those too, until none is new.
    for (let round = 0; round < 4; round++) {
      const fresh = new Set<string>();
      for (const n of this.parent.keys()) if (!named.has(n) && n.includes('#')) fresh.add(n);
      if (fresh.size === 0) break;
      for (const n of fresh) named.add(n);
      const fns = new Set<number>();
      for (const n of fresh) for (const i of this.declaredIn.get(n) ?? []) fns.add(i);
      for (const i of [...fns].sort((a, b) => a - b)) {
        const { info, name, fact } = this.host.functions[i];
        this.locals(info, name, fact, calledOrStarted, named, fresh);
      }
    }
    this.untypedSelectors();
    this.publish();
  }

  // ---- union-find ------------------------------------------------------------------------------

  private find(name: string): string {
    let root = name;
    for (let next = this.parent.get(root); next !== undefined && next !== root; next = this.parent.get(root)) root = next;
    // Path compression.
    for (let at = name; at !== root; ) {
      const next = this.parent.get(at)!;
      this.parent.set(at, root);
      at = next;
    }
    return root;
  }

  private union(a: string, b: string): void {
    // Derived names (`f()`, `m[]`) stand for many values at once: they join nothing.
    if (a === b || a === 'nil' || b === 'nil' || isDerivedName(a) || isDerivedName(b)) return;
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    // The more stable name represents the class: a field or package variable before a local.
    const [keep, drop] = this.stability(ra) <= this.stability(rb) ? [ra, rb] : [rb, ra];
    this.parent.set(drop, keep);
    this.parent.set(keep, keep);
  }

  /** Lower is more stable: a field or package variable, a parameter, the local a value is made in, another local. */
  private stability(name: string): number {
    if (isDerivedName(name)) return 5;
    if (this.cancels.has(name)) return 4;
    if (this.lockers.has(name)) return 0.5;
    if (name.includes('#~ret')) return 3.5;
    if (!name.includes('#')) return 0;
    return this.localRank.get(name) ?? 3;
  }

  private rankLocals(info: unknown, fact: FunctionFact, at: number): void {
    for (const d of fact.decls) {
      if (plainlyNoResource(d)) continue;
      const local = this.localOf(info, d);
      const fns = this.declaredIn.get(local);
      if (!fns) this.declaredIn.set(local, [at]);
      else if (fns[fns.length - 1] !== at) fns.push(at);
      const receiver = d.line === fact.startLine && d.param === undefined && !d.value && fact.recv?.name === d.name;
      const rank = d.param !== undefined || receiver ? 1 : d.range === undefined && d.tuple === undefined && (!d.value || isFresh(d.value)) ? 2 : 3;
      if (rank < (this.localRank.get(local) ?? 4)) this.localRank.set(local, rank);
    }
  }

  private open(name: string, why: string): void {
    if (name === 'nil') return;
    if (!this.openWhy.has(name)) this.openWhy.set(name, why);
  }

  private isResource(ref: ResourceRef): boolean {
    return RESOURCE_KINDS.has(ref.kind) || this.host.index.sitesByResource.has(ref.name);
  }

  // ---- flows -----------------------------------------------------------------------------------

  private flows(info: unknown, name: string, fact: FunctionFact): void {
    const host = this.host;
    for (const flow of fact.flows ?? []) {
      const fnValue = host.functionValue(flow.v, info, flow.line);
      if (fnValue) {
        host.index.entryPoints.add(fnValue);
        this.storeFunction(flow, fnValue, info, fact);
        continue;
      }
      if (flow.v.k === 'sel') {
        // `After(n.cond.Wait)`: whoever calls the value waits on the Cond.
        const op = host.syncMethodValue(flow.v, info, flow.line);
        if (op) {
          this.storeFunction(flow, op, info, fact);
          continue;
        }
      }
      // An argument of fmt, log, strconv …: nothing to follow (the context package aside, and a
      // cancel function, which `time.AfterFunc(d, cancel)` calls later).
      if (flow.k === 'arg' && !flow.go) {
        const f = fact.calls[flow.call ?? -1]?.f ?? { k: 'other' };
        const pkg = host.isPackageCall(f, info, flow.line);
        const newCond = pkg === 'sync' && f.k === 'sel' && f.n === 'NewCond';
        if (pkg && pkg !== 'context' && !newCond && NON_RETAINING_PACKAGES.has(pkg) && host.functionKind(flow.v, info, flow.line) !== 'cancel') continue;
      }
      // A local of a basic type (`n`, `name`) holds no resource.
      if (flow.v.k === 'id') {
        const d = host.localDecl(flow.v.n, info, flow.line);
        if (d && plainlyNoResource(d)) continue;
      }
      const ref = host.resolve(flow.v, info, flow.line);
      const oneOfResults = (flow.k === 'assign' && flow.i !== undefined) || isAppend(flow.v);
      // Besides resources, cancel functions and function values flow (their types are looked up
      // only for values that are no resource, the costly part of the pass).
      let cancel = false;
      if (!oneOfResults) {
        if (ref.nil) continue;
        if (!this.isResource(ref)) {
          const fnKind = flow.v.k === 'call' ? null : host.functionKind(flow.v, info, flow.line);
          if (fnKind === null) continue;
          cancel = fnKind === 'cancel';
        }
      }
      if (cancel) {
        this.cancels.add(ref.name);
        if (flow.k === 'assign' && flow.to) this.cancels.add(host.resolve(flow.to, info, flow.line).name);
        if (flow.k === 'lit' && flow.t) {
          const field = host.fieldOf(flow.t, flow.key, flow.i, info);
          if (field) this.cancels.add(field);
        }
      }
      switch (flow.k) {
        case 'arg': {
          const raw = flow.go ? fact.gos[flow.call ?? -1] : fact.calls[flow.call ?? -1];
          if (!raw) break;
          this.argument(ref, raw.f, flow.i ?? 0, info, fact, flow.line);
          break;
        }
        case 'assign': {
          if (!flow.to || (flow.to.k === 'id' && flow.to.n === '_')) break;
          const target = host.resolve(flow.to, info, flow.line);
          if (flow.i !== undefined) {
            // One result of a call with several: `ctx, rs.cancel = context.WithCancel(ctx)` joins the
            // child context and its cancel function (the parent joins in argument()); others are untraced.
            if (host.isContextMaker(flow.v, info)) {
              const first = (fact.flows ?? []).find((f) => f.k === 'assign' && f.line === flow.line && f.i === 0);
              if (flow.i === 1 && first?.to && !(first.to.k === 'id' && first.to.n === '_')) {
                this.cancels.add(target.name);
                this.union(target.name, host.resolve(first.to, info, flow.line).name);
              }
            } else {
              const result = host.resultName(flow.v, info, flow.line, flow.i);
              if (result) this.union(target.name, result);
              else if (this.isResource(target)) this.open(target.name, `assigned one result of ${exprLabel(flow.v)} (line ${flow.line})`);
            }
            break;
          }
          if (isAppend(flow.v)) this.appendInto(target.name, flow.v, info, flow.line);
          else if (isDerivedName(ref.name)) {
            // A fresh value (`make`) joins nothing; a call's result is whatever that call returned.
            if (!isFresh(flow.v)) this.open(target.name, `assigned the result of ${exprLabel(flow.v)} (line ${flow.line})`);
          } else if (isDerivedName(target.name)) this.open(ref.name, `stored into ${target.expression}`);
          else this.union(target.name, ref.name);
          break;
        }
        case 'lit': {
          const field = flow.t ? host.fieldOf(flow.t, flow.key, flow.i, info) : null;
          if (isDerivedName(ref.name)) {
            if (field && !isFresh(flow.v)) this.open(field, `set to the result of ${exprLabel(flow.v)} (line ${flow.line})`);
          } else if (field) this.union(field, ref.name);
          else this.open(ref.name, `stored in a composite literal the index cannot name (line ${flow.line})`);
          break;
        }
        case 'send':
          this.open(ref.name, `sent as a value on a channel (line ${flow.line})`);
          break;
        case 'ret': {
          // What a function returns is one class with `F#~ret<i>`, the name its callers' uses of
          // the result get (`ch := After(f)`; a getter's callers mostly see the field itself).
          const result = `${name}#~ret${flow.i ?? 0}`;
          if (!isDerivedName(ref.name)) this.union(result, ref.name);
          else if (isFresh(flow.v)) {
            const set = this.madeIn.get(result) ?? new Set<string>();
            set.add(name);
            this.madeIn.set(result, set);
            this.parent.set(result, this.find(result));
          } else this.open(result, `returns the result of ${exprLabel(flow.v)} (line ${flow.line})`);
          break;
        }
      }
    }
  }

  /**
   * Results whose callers are not all seen: of a function code outside may call (an entry point,
   * a function value handed on), or one reached by dispatch on an interface or a method name,
   * where the caller's use of the result is not joined to it.
   */
  private resultsSeenOutside(calledOrStarted: Set<string>, unseen: Set<string>, dispatched: Set<string>): void {
    const index = this.host.index;
    for (const { info, name, fact } of this.host.functions) {
      if (fact.results.length === 0) continue;
      // Only results that hold a resource or a function value (already in a class) matter.
      const results: string[] = [];
      for (let i = 0; i < fact.results.length; i++) if (this.parent.has(`${name}#~ret${i}`)) results.push(`${name}#~ret${i}`);
      // A getter hands out a field, which is no escape: a caller may wait on it, as on the field.
      if (results.length === 0 || this.host.isGetter(info)) continue;
      const byName = fact.kind === 'method' && dispatched.has(name.slice(name.lastIndexOf('.') + 1));
      const outside = byName || unseen.has(name) || index.entryPoints.has(name) || !calledOrStarted.has(name) || fact.kind === 'literal';
      if (outside) for (const r of results) this.open(r, `returned to callers the index does not see (${shortName(name)})`);
    }
  }

  /** A function value stored by a flow: into an assigned name, a literal's field, a callee's parameter. */
  private storeFunction(flow: RawFlow, fn: string | SyncMethodValue, info: unknown, fact: FunctionFact): void {
    const host = this.host;
    if (flow.k === 'assign' && flow.to && flow.i === undefined) {
      const target = host.resolve(flow.to, info, flow.line);
      if (!isDerivedName(target.name)) this.holds(target.name, fn);
    } else if (flow.k === 'lit' && flow.t) {
      const field = host.fieldOf(flow.t, flow.key, flow.i, info);
      if (field) this.holds(field, fn);
    } else if (flow.k === 'arg') {
      const raw = flow.go ? fact.gos[flow.call ?? -1] : fact.calls[flow.call ?? -1];
      const targets = raw ? host.callTargets(raw.f, info, flow.line) : null;
      for (const target of targets?.callees ?? []) {
        const param = host.paramName(target, flow.i ?? 0);
        if (!param) continue;
        this.holds(param, fn);
      }
    }
  }

  /**
   * `out.WriteProgress(p)` where `out` holds a resource (a named channel type with methods): the
   * method's receiver is that value.
   */
  private receivers(info: unknown, fact: FunctionFact): void {
    const host = this.host;
    for (const call of fact.calls) {
      const f = call.f;
      if (f.k !== 'sel' || !host.resourceTypeMethods.has(f.n) || host.isPackageCall(f, info, call.line) !== null) continue;
      const targets = host.callTargets(f, info, call.line);
      const reached = [...(targets?.callees ?? []), ...(targets?.dynamic ?? [])];
      const ref = host.resolve(f.x, info, call.line);
      // Through an interface (or any value not itself the channel) the receiver is not followed:
      // the method's receiver then comes from somewhere unseen.
      const followed = !ref.nil && RESOURCE_KINDS.has(ref.kind) && (targets?.dynamic ?? []).length === 0 && !targets?.dispatch;
      for (const target of reached) {
        const recv = host.receiverName(target);
        if (!recv) continue;
        if (followed) this.union(recv, ref.name);
        else this.unseenReceivers.add(target);
      }
    }
  }

  private argument(ref: ResourceRef, f: Expr, position: number, info: unknown, fact: FunctionFact, line: number): void {
    const host = this.host;
    const pkgPath = host.isPackageCall(f, info, line);
    // `e.cond = sync.NewCond(&e.mu)`: the Cond's L is that lock.
    if (pkgPath === 'sync' && f.k === 'sel' && f.n === 'NewCond' && position === 0) {
      for (const cond of this.assignedAt(fact, info, line, (v) => v.k === 'call' && v.f.k === 'sel' && v.f.n === 'NewCond')) {
        const locker = `${cond}.L`;
        this.lockers.add(locker);
        this.union(locker, ref.name);
      }
      return;
    }
    // A cancel function handed to any code outside the index may be called from there.
    if (pkgPath !== null && this.cancels.has(ref.name)) {
      this.open(ref.name, `its cancel function is passed to ${exprLabel(f)} (line ${line})`);
      return;
    }
    // `context.WithCancel(parent)`: the child ends when the parent does.
    if (pkgPath === 'context' && position === 0) {
      for (const d of fact.decls) {
        if (d.line !== line || !d.value || d.value.k !== 'call') continue;
        const child = (d.tuple === 0 && host.isContextMaker(d.value, info)) || (d.tuple === undefined && host.isPackageCall(d.value.f, info, line) === 'context');
        if (child) this.union(host.resolve({ k: 'id', n: d.name }, info, d.line).name, ref.name);
      }
      // `ctx, rs.cancel = context.WithCancel(parent)`, and `ctx = context.WithValue(parent, …)`.
      for (const flow of fact.flows ?? []) {
        if (flow.k !== 'assign' || flow.line !== line || !flow.to || (flow.i ?? 0) !== 0 || flow.v.k !== 'call') continue;
        if (host.isPackageCall(flow.v.f, info, line) !== 'context') continue;
        if (flow.to.k === 'id' && flow.to.n === '_') continue;
        this.union(host.resolve(flow.to, info, line).name, ref.name);
      }
      return;
    }
    const targets = host.callTargets(f, info, line);
    if (targets === null) {
      // A builtin or a conversion: `len(ch)` keeps nothing; `append(list, ch)` stores it in the
      // slice the result is assigned to (see appendInto), or somewhere unnamed.
      if (f.k === 'id' && f.n === 'append' && position > 0 && !this.appendAssigned(fact, line)) this.open(ref.name, `appended to a slice (line ${line})`);
      return;
    }
    const indexed = targets.callees.filter((c) => host.index.functions.has(c));
    for (const target of indexed) {
      const param = host.paramName(target, position);
      if (!param) continue;
      if (this.cancels.has(ref.name)) this.cancels.add(param);
      this.union(param, ref.name);
    }
    if (ref.kind === 'context') return; // handing a context on cancels nothing
    if (pkgPath && NON_RETAINING_PACKAGES.has(pkgPath)) return;
    const outside = targets.open || targets.callees.length === 0 || indexed.length < targets.callees.length;
    if (outside) this.open(ref.name, `passed to ${exprLabel(f)} (line ${line}), which the index cannot follow`);
  }

  /** The names a value matching `is` is assigned to at a line: `x = v`, `x := v`, a literal's field `T{f: v}`. */
  private assignedAt(fact: FunctionFact, info: unknown, line: number, is: (v: Expr) => boolean): string[] {
    const host = this.host;
    const out: string[] = [];
    for (const flow of fact.flows ?? []) {
      if (flow.line !== line || !is(flow.v)) continue;
      if (flow.k === 'assign' && flow.to && flow.i === undefined) out.push(host.resolve(flow.to, info, line).name);
      if (flow.k === 'lit' && flow.t) {
        const field = host.fieldOf(flow.t, flow.key, flow.i, info);
        if (field) out.push(field);
      }
    }
    for (const d of fact.decls) if (d.line === line && d.value && d.tuple === undefined && d.range === undefined && is(d.value)) out.push(host.resolve({ k: 'id', n: d.name }, info, line).name);
    return out.filter((n) => !isDerivedName(n));
  }

  /** `xs = append(xs, ch)`: the slice and its elements are one class with the name it is stored in. */
  private appendInto(target: string, v: Expr, info: unknown, line: number): void {
    if (v.k !== 'call') return;
    if (isDerivedName(target)) {
      for (const a of v.a.slice(1)) {
        const ref = this.host.resolve(a, info, line);
        if (this.isResource(ref) && !isDerivedName(ref.name)) this.open(ref.name, `appended to a slice stored where no name is known (line ${line})`);
      }
      return;
    }
    for (const a of v.a) {
      if (isFresh(a)) continue;
      const ref = this.host.resolve(a, info, line);
      if (ref.nil) continue;
      if (isDerivedName(ref.name)) this.open(target, `appended the result of ${exprLabel(a)} (line ${line})`);
      else if (this.isResource(ref) || this.host.functionKind(a, info, line) !== null || this.host.index.sitesByResource.has(target) || this.parent.has(target)) this.union(target, ref.name);
    }
  }

  /** Whether an `append` at this line has its result assigned to a name (`xs = append(xs, …)`, `xs := append(…)`). */
  private appendAssigned(fact: FunctionFact, line: number): boolean {
    if ((fact.flows ?? []).some((f) => f.k === 'assign' && f.line === line && isAppend(f.v))) return true;
    return fact.decls.some((d) => d.line === line && d.value !== undefined && isAppend(d.value) && d.tuple === undefined);
  }

  /** Locals whose value comes from somewhere untraced, and parameters of functions with unseen callers. */
  private locals(info: unknown, name: string, fact: FunctionFact, calledOrStarted: Set<string>, named: Set<string>, only: Set<string> | null): void {
    const host = this.host;
    const calledFromOutside = host.index.entryPoints.has(name) || !calledOrStarted.has(name) || fact.kind === 'literal';
    for (let at = fact.decls.length - 1; at >= 0; at--) {
      const d = fact.decls[at];
      if (only && !only.has(this.localOf(info, d))) continue;
      if (d.value && d.tuple === undefined && d.range === undefined && d.param === undefined) {
        const fnValue = host.functionValue(d.value, info, d.line) ?? host.syncMethodValue(d.value, info, d.line);
        if (fnValue) this.holds(this.localOf(info, d), fnValue);
      }
      // `ctx, cancel := context.WithCancel(…)`: the cancel function is no resource, but where it goes matters.
      if (d.tuple === 1 && d.value && host.isContextMaker(d.value, info)) {
        // The cancel function is of its context's class: where it goes (a field, a callee, code
        // outside) the flows follow like any member's.
        const ctxName = d.tupleNames?.[0];
        const cancel = this.localOf(info, d);
        this.cancels.add(cancel);
        named.add(cancel); // judged here: the rounds below need not see it again
        if (ctxName && ctxName !== '_' && d.name !== '_') this.union(host.resolve({ k: 'id', n: ctxName }, info, d.line).name, cancel);
        continue;
      }
      // A local of a plain type holds no resource, unless code operates on it or value flow put it
      // in a class anyway (`out chanOutput`, a channel of a named type of the program's own).
      if (plainlyNoResource(d) && !(d.type && mayBeNamedChannel(d.type) && this.inUse(this.localOf(info, d)))) continue;
      const local = this.localOf(info, d);
      if (!named.has(local)) {
        if (!this.parent.has(local)) continue;
        named.add(local);
      }
      const ref = host.resolve({ k: 'id', n: d.name }, info, d.line);
      if (!ref.name.includes('#') || !(this.isResource(ref) || this.parent.has(ref.name) || this.host.calledValues.has(ref.name) || host.functionKind({ k: 'id', n: d.name }, info, d.line) !== null)) continue;
      if (d.param !== undefined) {
        // A literal's parameter that the linker followed to its caller's argument is named after
        // that argument: its class is the caller's business.
        if (ref.name !== host.paramName(name, d.param)) continue;
        if (calledFromOutside) this.open(ref.name, `a parameter of ${shortName(name)}, whose callers are not all known`);
        continue;
      }
      if (d.range !== undefined) {
        // `for _, ch := range m.outs`: an element of a slice or map of channels is of its container's
        // class; ranging over a channel receives its elements from anywhere.
        const from = d.value ? host.resolve(d.value, info, d.line) : null;
        if (from && from.kind !== 'chan' && from.kind !== 'context' && !from.nil && !isDerivedName(from.name)) this.union(ref.name, from.name);
        else this.open(ref.name, `a range element (line ${d.line})`);
        continue;
      }
      if (d.tuple !== undefined) {
        if (d.value && host.isContextMaker(d.value, info)) continue;
        const result = d.value ? host.resultName(d.value, info, d.line, d.tuple) : null;
        if (result) this.union(ref.name, result);
        else this.open(ref.name, `one result of a call (line ${d.line})`);
        continue;
      }
      const v = d.value;
      const fresh = () => {
        const set = this.madeIn.get(ref.name) ?? new Set<string>();
        set.add(name);
        this.madeIn.set(ref.name, set);
      };
      if (!v) {
        if (!d.type) this.open(ref.name, `declared without a known type (line ${d.line})`);
        else if (d.line === fact.startLine) {
          // A receiver is what its callers called the method on: unknown when some are not seen.
          if (calledFromOutside || this.unseenReceivers.has(name)) this.open(ref.name, `the receiver of ${shortName(name)}, whose callers are not all known`);
        }
        else fresh();
        continue;
      }
      if (v.k === 'lit') fresh();
      if (isAppend(v)) {
        this.appendInto(ref.name, v, info, d.line);
        continue;
      }
      if (v.k === 'idx') {
        // `ch := m.outs[i]`: the element is of the container's class (the linker names it so).
        const from = host.resolve(v, info, d.line);
        if (!isDerivedName(from.name)) this.union(ref.name, from.name);
        else this.open(ref.name, `looked up in ${exprLabel(v.x)} (line ${d.line})`);
        continue;
      }
      if (v.k === 'call') {
        // `context.WithValue(parent, …)` and friends: the child is the parent's (see argument()).
        if (host.isPackageCall(v.f, info, d.line) === 'context') continue;
        const maker = v.f.k === 'id' && (v.f.n === 'make' || v.f.n === 'new');
        if (maker) fresh();
        else {
          // A conversion (`chanOutput(ch)`) or a getter the linker followed keeps the value's name.
          const from = host.resolve(v, info, d.line);
          if (!isDerivedName(from.name) && from.name !== ref.name) this.union(ref.name, from.name);
          else if (v.f.k !== 'type') this.open(ref.name, `the result of ${exprLabel(v.f)} (line ${d.line})`);
        }
      } else if (v.k === 'recv' || v.k === 'assert' || v.k === 'other') {
        this.open(ref.name, `received or looked up (line ${d.line})`);
      } else if (v.k === 'id' || v.k === 'sel' || v.k === 'star' || v.k === 'addr') {
        const from = host.resolve(v, info, d.line);
        this.union(ref.name, from.name);
      }
    }
  }

  /**
   * `x.ch <- v` where the type of `x` is unknown is named `pkg.F#x.ch`; it may be any field named
   * `ch`, so it joins every class of a field by that name.
   */
  private untypedSelectors(): void {
    const fieldsByName = new Map<string, string[]>();
    for (const name of this.host.index.sitesByResource.keys()) {
      if (name.includes('#')) continue;
      const last = name.slice(name.lastIndexOf('.') + 1);
      const list = fieldsByName.get(last) ?? [];
      list.push(name);
      fieldsByName.set(last, list);
    }
    for (const [name, sites] of this.host.index.sitesByResource) {
      const hash = name.indexOf('#');
      if (hash < 0) continue;
      const tail = name.slice(hash + 1);
      if (isDerivedName(name)) {
        this.open(name, `reached through ${sites[0]?.resource.expression ?? tail}, which has no single name`);
        continue;
      }
      const dot = tail.lastIndexOf('.');
      if (dot < 0) continue;
      for (const field of fieldsByName.get(tail.slice(dot + 1)) ?? []) this.union(name, field);
    }
  }

  private publish(): void {
    const classes = this.host.index.classes;
    for (const name of this.parent.keys()) {
      const rep = this.find(name);
      classes.classOf.set(name, rep);
      const list = classes.members.get(rep) ?? [];
      list.push(name);
      classes.members.set(rep, list);
    }
    for (const name of this.cancels) classes.cancellable.add(this.find(name));
    for (const [name, why] of this.openWhy) {
      const rep = this.find(name);
      if (!classes.open.has(rep)) classes.open.set(rep, why);
    }
    // A class made fresh in exactly one function and held by nothing but locals and parameters.
    const homes = new Map<string, Set<string>>();
    for (const [name, fns] of this.madeIn) {
      const rep = this.find(name);
      const set = homes.get(rep) ?? new Set<string>();
      for (const fn of fns) set.add(fn);
      homes.set(rep, set);
    }
    for (const [rep, fns] of homes) {
      if (fns.size !== 1 || classes.open.has(rep)) continue;
      const members = classes.members.get(rep) ?? [rep];
      if (!members.every((m) => m.includes('#'))) continue;
      classes.madeIn.set(rep, [...fns][0]);
      // A value returned to callers leaves the call: whoever called it may use it too (hand it to
      // a goroutine of its own), so only a value that never leaves has a home.
      if (!members.some((m) => m.includes('#~ret'))) classes.home.set(rep, [...fns][0]);
    }
  }
}

/**
 * A local whose declared type is no channel and no sync or context type (`n int`, `s *Server`),
 * or whose value can hold no resource (`n := 0`). A named channel type of the program's own
 * (`type out chan<- T`) looks plain here, where types are not resolved: such a local counts once
 * value flow has joined it to a class (a conversion, a receiver).
 */
function plainlyNoResource(d: LocalDecl): boolean {
  if (d.type) return !mayBeResourceType(d.type);
  return d.value !== undefined && (d.value.k === 'other' || d.value.k === 'nil' || d.value.k === 'func' || d.value.k === 'lit');
}

const PREDECLARED = new Set(['bool', 'byte', 'rune', 'string', 'error', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'float32', 'float64', 'complex64', 'complex128', 'any']);

/** A named type that is not predeclared: it may be a channel type of the program (`chanOutput`). */
function mayBeNamedChannel(t: TypeExpr): boolean {
  return t.k === 'name' && !(t.q === null && PREDECLARED.has(t.n));
}

function mayBeResourceType(t: TypeExpr): boolean {
  switch (t.k) {
    case 'chan': return true;
    case 'func': return true; // a function value: calls through it are followed
    case 'ptr': return mayBeResourceType(t.t);
    case 'slice':
    case 'map': return mayBeResourceType(t.t);
    case 'name': return t.q === 'sync' || t.q === 'context';
    default: return false;
  }
}

/** A name made from an expression that has no single name of its own: `m[]`, `f()`, `<-ch`. */
export function isDerivedName(name: string): boolean {
  const hash = name.indexOf('#');
  if (hash < 0) return false;
  const tail = name.slice(hash + 1);
  return tail.includes('[]') || tail.includes('()') || tail.includes('<-') || tail.includes('…') || tail.includes('*');
}

function isAppend(v: Expr): boolean {
  return v.k === 'call' && v.f.k === 'id' && v.f.n === 'append';
}

/** `make(…)`, `new(…)`, a conversion of one: a value no other name holds yet. */
function isFresh(v: Expr): boolean {
  if (v.k === 'addr') return isFresh(v.x);
  if (v.k !== 'call') return v.k === 'lit';
  if (v.f.k === 'id' && (v.f.n === 'make' || v.f.n === 'new')) return true;
  if (v.f.k === 'sel' && v.f.x.k === 'id' && v.f.x.n === 'sync' && v.f.n === 'NewCond') return true;
  return v.f.k === 'type' && v.a.length === 1 && isFresh(v.a[0]);
}

function exprLabel(f: Expr): string {
  switch (f.k) {
    case 'id': return f.n;
    case 'sel': return `${exprLabel(f.x)}.${f.n}`;
    case 'call': return `${exprLabel(f.f)}()`;
    default: return 'a call';
  }
}

function shortName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}
