// Phase 2: link the per-file facts across files and packages. Gives every package its import
// path, every function its traceback name, resolves expression types to canonical resource
// names and calls to traceback callee names. Pure: no I/O (import paths come in precomputed).
import type {
  CallSite, FunctionFacts, GoStatement, HeldRegion, IndexedFile, LeakyReturn, OperationKind, OperationSite,
  ResourceKind, ResourceRef, SourceIndex, SourceLocation,
} from './types.js';
import type { Expr, FieldFact, FileFacts, FunctionFact, LocalDecl, RawCall, RawOp, RawReturn, TypeDeclFact, TypeExpr } from './facts.js';
import { isDerivedName, ValueFlow, VALUE_FLOW_MODULE } from './value-flow.js';
import { codeOfLine, LINE_TEXT_MODULE } from './line-text.js';

/** The files of the linker's code: part of what a cached index was made by (index-cache.ts). */
export const LINK_MODULES = [import.meta.url, VALUE_FLOW_MODULE, LINE_TEXT_MODULE];

/** One file ready for linking. */
export interface LinkInput {
  file: string;
  /** Import path of the file's package as tracebacks print it, `main` for commands. */
  pkgPath: string;
  /** The package's directory: commands share the path `main`, so packages are told apart by it. */
  pkgDir: string;
  lines: string[];
  facts: FileFacts;
}

/** A type resolved to its package: what the resolver reasons about. */
type RType =
  | { k: 'named'; pkg: string; n: string; home?: PackageInfo }
  | { k: 'ptr'; t: RType }
  | { k: 'chan'; dir: 'both' | 'send' | 'recv'; t: RType }
  | { k: 'slice'; t: RType }
  | { k: 'map'; t: RType }
  | { k: 'func'; results: RType[] }
  | { k: 'struct'; fields: FieldFact[]; file: FileCtx }
  | { k: 'iface'; methods: string[] }
  | { k: 'tuple'; items: RType[]; source: string }
  | { k: 'unknown' };

const UNKNOWN: RType = { k: 'unknown' };

interface FileCtx {
  input: LinkInput;
  pkg: PackageInfo;
  /** Import name → import path, plain imports named by the imported package's own name. */
  imports: Map<string, string>;
}

interface TypeInfo { decl: TypeDeclFact; file: FileCtx }
interface VarInfo { name: string; type: TypeExpr | null; value: Expr | null; line: number; file: FileCtx }

interface FnInfo {
  fact: FunctionFact;
  file: FileCtx;
  name: string; // traceback name
  parent: FnInfo | null;
  /** Name in traceback form without the package, for `pkg.Func#local`. */
  localName: string;
}

interface PackageInfo {
  path: string;
  name: string;
  files: FileCtx[];
  types: Map<string, TypeInfo>;
  vars: Map<string, VarInfo>;
  funcs: Map<string, FnInfo>;
  /** Receiver type name → method name → function. */
  methods: Map<string, Map<string, FnInfo>>;
}

const SYNC_KINDS: Record<string, ResourceKind> = {
  Mutex: 'mutex', RWMutex: 'rwmutex', WaitGroup: 'waitgroup', Cond: 'cond', Once: 'once',
};
const SYNC_METHODS = new Set(['Lock', 'Unlock', 'RLock', 'RUnlock', 'Add', 'Done', 'Wait', 'Signal', 'Broadcast', 'Do']);
const BUILTINS = new Set(['len', 'cap', 'append', 'make', 'new', 'panic', 'recover', 'print', 'println', 'copy', 'delete', 'min', 'max', 'clear', 'complex', 'real', 'imag']);
const CANCEL_MAKERS = new Set(['WithCancel', 'WithTimeout', 'WithDeadline', 'WithCancelCause', 'WithTimeoutCause', 'WithDeadlineCause']);
const DEADLINE_MAKERS = new Set(['WithTimeout', 'WithDeadline', 'WithTimeoutCause', 'WithDeadlineCause']);

export function link(inputs: LinkInput[], warnings: string[]): SourceIndex {
  return new Linker(inputs, warnings).run();
}

class Linker {
  /** Importable packages by import path (commands and external test packages excluded). */
  private packages = new Map<string, PackageInfo>();
  /** Every package by directory (+ `#test` for a `_test` package). */
  private packagesByDir = new Map<string, PackageInfo>();
  private fileCtxs: FileCtx[] = [];
  private fnInfos = new Map<FunctionFact, FnInfo>();
  private index: SourceIndex;
  /** Methods by name across the index, for calls through interfaces. */
  private methodsByName = new Map<string, FnInfo[]>();
  /** Canonical names of channels handed to `signal.Notify`. */
  private signalTargets = new Set<string>();
  private getterDepth = 0;
  /** Where each function literal is invoked with arguments (called in place or by `go`). */
  private literalInvocations = new Map<FunctionFact, { args: Expr[]; caller: FnInfo; line: number }>();

  constructor(private readonly inputs: LinkInput[], warnings: string[]) {
    this.index = {
      functions: new Map(), sitesByResource: new Map(), files: new Map(), warnings,
      classes: { classOf: new Map(), members: new Map(), open: new Map(), home: new Map(), madeIn: new Map(), cancellable: new Set() }, entryPoints: new Set(),
      methodsByName: new Map(),
    };
  }

  run(): SourceIndex {
    this.collectPackages();
    this.nameFunctions();
    this.collectLiteralInvocations();
    const all: FunctionFacts[] = [];
    const inInputOrder = this.fileCtxs.flatMap((ctx) => ctx.input.facts.functions.map((fn) => this.fnInfos.get(fn)!));
    for (const info of inInputOrder) {
      if (info.fact.kind === 'varinit' && info.fact.ops.length === 0 && info.fact.calls.length === 0) continue;
      all.push(this.functionFacts(info));
    }
    for (const { literal, resource } of this.waitGroupDones) {
      const facts = this.index.functions.get(literal.name);
      if (facts) facts.operations.push(this.site('waitgroup-done', resource, literal, literal.fact.endLine, true));
    }
    for (const facts of all) {
      for (const op of facts.operations) {
        if (this.signalTargets.has(op.resource.name)) op.resource.external = 'signal';
        for (const c of op.cases ?? []) if (this.signalTargets.has(c.resource.name)) c.resource.external = 'signal';
      }
      for (const op of facts.operations) {
        this.addSite(op);
        for (const c of op.cases ?? []) this.addSite(c);
      }
    }
    this.valueFlow(inInputOrder);
    for (const [name, infos] of this.methodsByName) this.index.methodsByName.set(name, infos.map((m) => m.name));
    return this.index;
  }

  private collectLiteralInvocations(): void {
    for (const [fact, info] of this.fnInfos) {
      for (const call of fact.calls) this.noteInvocation(call.f, call.args, info, call.line);
      for (const go of fact.gos) this.noteInvocation(go.f, go.args, info, go.line);
    }
  }

  private noteInvocation(f: Expr, args: Expr[] | undefined, caller: FnInfo, line: number): void {
    if (f.k !== 'func' || !args || args.length === 0) return;
    const literal = caller.file.input.facts.functions[f.fn];
    if (literal) this.literalInvocations.set(literal, { args, caller, line });
  }

  private addSite(site: OperationSite): void {
    if (site.kind === 'select') return;
    const list = this.index.sitesByResource.get(site.resource.name);
    if (list) list.push(site);
    else this.index.sitesByResource.set(site.resource.name, [site]);
  }

  // ---- packages and names -----------------------------------------------------------------

  private collectPackages(): void {
    for (const input of this.inputs) {
      const external = input.facts.pkg.endsWith('_test');
      const key = external ? `${input.pkgDir}#test` : input.pkgDir;
      let pkg = this.packagesByDir.get(key);
      if (!pkg) {
        const path = external && input.pkgPath !== 'main' ? `${input.pkgPath}_test` : input.pkgPath;
        pkg = { path, name: input.facts.pkg, files: [], types: new Map(), vars: new Map(), funcs: new Map(), methods: new Map() };
        this.packagesByDir.set(key, pkg);
        if (!external && path !== 'main' && !this.packages.has(path)) this.packages.set(path, pkg);
      }
      const ctx: FileCtx = { input, pkg, imports: new Map(Object.entries(input.facts.imports)) };
      pkg.files.push(ctx);
      this.fileCtxs.push(ctx);
      const indexed: IndexedFile = { file: input.file, pkg: input.pkgPath, lines: input.lines };
      this.index.files.set(input.file, indexed);
      for (const t of input.facts.types) pkg.types.set(t.name, { decl: t, file: ctx });
      for (const v of input.facts.vars) pkg.vars.set(v.name, { ...v, file: ctx });
    }
    for (const ctx of this.fileCtxs) {
      for (const path of ctx.input.facts.plainImports) {
        const known = this.packages.get(path);
        ctx.imports.set(known ? known.name : defaultImportName(path), path);
      }
    }
  }

  private nameFunctions(): void {
    for (const pkg of this.packagesByDir.values()) {
      // Package-wide ordinals: `init.0`, `init.1` for init functions and `init.funcN` for
      // literals in package-level initialisers, in file-name order as the compiler sees them.
      const files = [...pkg.files].sort((a, b) => baseName(a.input.file).localeCompare(baseName(b.input.file)));
      let initOrdinal = 0;
      let varLiteralOrdinal = 0;
      for (const ctx of files) {
        const fns = ctx.input.facts.functions;
        const names: string[] = new Array(fns.length);
        const offsetForVarInit = varLiteralOrdinal;
        fns.forEach((fn, i) => {
          let local: string;
          if (fn.parent < 0) {
            if (fn.kind === 'init') local = `init.${initOrdinal++}`;
            else local = fn.name;
          } else {
            const parent = fns[fn.parent];
            const parentName = names[fn.parent];
            if (parent.kind === 'varinit') {
              const ordinal = Number(fn.name.replace('func', '')) + offsetForVarInit;
              varLiteralOrdinal = Math.max(varLiteralOrdinal, ordinal);
              local = `${parentName}.func${ordinal}`;
            } else local = `${parentName}.${fn.name}`;
          }
          names[i] = local;
          const info: FnInfo = { fact: fn, file: ctx, name: `${pkg.path}.${local}`, parent: null, localName: local };
          this.fnInfos.set(fn, info);
        });
      }
    }
    // Registered in input order: a file a default build leaves out comes first, so the built
    // file's declaration of the same name wins.
    for (const ctx of this.fileCtxs) {
      const fns = ctx.input.facts.functions;
      for (const fn of fns) {
        const info = this.fnInfos.get(fn)!;
        if (fn.parent >= 0) info.parent = this.fnInfos.get(fns[fn.parent]) ?? null;
        if (fn.kind === 'func') ctx.pkg.funcs.set(fn.name.replace('[...]', ''), info);
        if (fn.kind === 'method' && fn.recv) this.registerMethod(ctx.pkg, fn.recv.type, info);
      }
    }
  }

  private registerMethod(pkg: PackageInfo, receiverType: string, info: FnInfo): void {
    const methodName = info.fact.name.slice(info.fact.name.lastIndexOf('.') + 1);
    let methods = pkg.methods.get(receiverType);
    if (!methods) pkg.methods.set(receiverType, (methods = new Map()));
    methods.set(methodName, info);
    const list = this.methodsByName.get(methodName);
    if (list) list.push(info);
    else this.methodsByName.set(methodName, [info]);
  }

  // ---- one function -------------------------------------------------------------------------

  private functionFacts(info: FnInfo): FunctionFacts {
    const fn = info.fact;
    const file = info.file.input.file;
    const facts: FunctionFacts = {
      name: info.name, pkg: info.file.pkg.path, file, startLine: fn.startLine, endLine: fn.endLine,
      operations: [], calls: [], goStatements: [], heldRegions: [], leakyReturns: [], loops: fn.loops ?? [], returns: fn.returns.map((r) => r.line),
    };
    if (fn.kind === 'varinit') facts.name = `${info.file.pkg.path}.init`;
    else if (info.localName.startsWith('init.func')) facts.aliases = [`${info.file.pkg.path}.glob..${info.localName.slice('init.'.length)}`];
    const lockCalls: { site: OperationSite; call: RawCall }[] = [];
    for (const raw of fn.ops) {
      const site = this.channelOp(raw, info);
      if (site) facts.operations.push(site);
    }
    fn.calls.forEach((call, callIndex) => {
      if (this.waitGroupGo(call, callIndex, info, facts)) return;
      const site = this.callOp(call, info);
      if (site) {
        facts.operations.push(site);
        if (site.kind.startsWith('mutex') || site.kind.startsWith('rwmutex')) lockCalls.push({ site, call });
        return;
      }
      this.noteSignalNotify(call, info);
      const targets = this.callTargets(call.f, info, call.line);
      if (targets === null) return;
      // `tx.cancel()` through a field of type context.CancelFunc: it cancels the context its value
      // came from, which value flow puts in one class with the field.
      if (targets.open && call.f.k === 'sel' && this.functionKind(call.f, info, call.line) === 'cancel') {
        facts.operations.push(this.cancelThrough(call, info));
        return;
      }
      const c: CallSite = { line: call.line, callees: targets.callees, expression: exprText(call.f), deferred: call.deferred === true };
      if (targets.dynamic.length > 0) c.dynamic = targets.dynamic;
      if (targets.dispatch) c.dispatch = targets.dispatch;
      if (targets.open) {
        c.open = true;
        this.callsThroughValues.push({ site: c, f: call.f, info });
      }
      facts.calls.push(c);
    });
    for (const g of fn.gos) {
      const targets = this.callees(g.f, info, g.line) ?? [];
      const st: GoStatement = { line: g.line, targets, statement: this.statement(info, g.line) };
      if (g.f.k === 'sel' && g.f.x.k === 'id') {
        const local = this.lookupLocal(g.f.x.n, info, g.line);
        const v = local?.decl.value;
        const fresh = v && (v.k === 'lit' || (v.k === 'addr' && v.x.k === 'lit') || (v.k === 'call' && v.f.k === 'id' && v.f.n === 'new'));
        if (fresh && local.decl.tuple === undefined && local.decl.range === undefined) st.freshReceiver = true;
      }
      facts.goStatements.push(st);
    }
    facts.operations.sort((a, b) => a.line - b.line);
    this.lockRegions(facts, info, lockCalls);
    if (fn.kind !== 'varinit' || facts.operations.length > 0) {
      this.index.functions.set(facts.name, facts);
      for (const alias of facts.aliases ?? []) this.index.functions.set(alias, facts);
    }
    return facts;
  }

  /** Calls through a function value (a field, a local, a parameter): value flow may name what they run. */
  private callsThroughValues: { site: CallSite; f: Expr; info: FnInfo }[] = [];

  /** `wg.Go(f)` calls waiting for their function literal's facts: the Done at its end. */
  private waitGroupDones: { literal: FnInfo; resource: ResourceRef }[] = [];

  /**
   * `wg.Go(f)` (Go 1.25): `wg.Add(1)`, then `f` on a goroutine of its own with `wg.Done()` when it
   * returns. A `go` statement of `f`, and a deferred Done in `f` once the literal's facts exist.
   */
  private waitGroupGo(call: RawCall, callIndex: number, info: FnInfo, facts: FunctionFacts): boolean {
    if (call.f.k !== 'sel' || call.f.n !== 'Go' || this.isPackage(call.f.x, info, call.line)) return false;
    const target = this.syncTarget(call.f.x, info, call.line);
    if (!target || target.kind !== 'waitgroup') return false;
    const arg = info.fact.flows?.find((f) => f.k === 'arg' && !f.go && f.call === callIndex && (f.i ?? 0) === 0)?.v;
    const callee = arg ? this.functionValueInfo(arg, info, call.line) : null;
    facts.goStatements.push({ line: call.line, targets: callee ? [callee.name] : [], statement: this.statement(info, call.line) });
    facts.operations.push(this.site('waitgroup-add', target.ref, info, call.line, false));
    if (callee) this.waitGroupDones.push({ literal: callee, resource: target.ref });
    return true;
  }

  private functionValueInfo(x: Expr, info: FnInfo, line: number): FnInfo | null {
    if (x.k === 'func') {
      const fact = info.file.input.facts.functions[x.fn];
      return (fact && this.fnInfos.get(fact)) ?? null;
    }
    const name = this.functionValue(x, info, line);
    if (!name) return null;
    for (const candidate of this.fnInfos.values()) if (candidate.name === name) return candidate;
    return null;
  }

  private statement(info: FnInfo, line: number): string {
    return codeOfLine(info.file.input.lines[line - 1] ?? '');
  }

  private site(kind: OperationKind, resource: ResourceRef, info: FnInfo, line: number, deferred: boolean): OperationSite {
    return {
      kind, resource, function: info.name, file: info.file.input.file, line,
      statement: this.statement(info, line), deferred, cases: null, hasDefault: false,
    };
  }

  private channelOp(raw: RawOp, info: FnInfo): OperationSite | null {
    if (raw.op === 'select') {
      const site = this.site('select', this.resourceRef('unknown', `${info.name}#select@${raw.line}`, 'select', null), info, raw.line, false);
      site.hasDefault = raw.hasDefault === true;
      site.cases = [];
      for (const c of raw.cases ?? []) {
        if (!c.x) continue;
        const kind: OperationKind = c.op === 'send' ? 'chan-send' : 'chan-receive';
        const caseSite = this.site(kind, this.resourceOf(c.x, info, c.line, 'chan'), info, c.line, false);
        if (this.onReceiver(c.x, info)) caseSite.onReceiver = true;
        site.cases.push(caseSite);
      }
      return site;
    }
    if (!raw.x) return null;
    const resource = this.resourceOf(raw.x, info, raw.line, 'chan');
    if (raw.op === 'range') {
      const t = this.underlying(this.typeOf(raw.x, info, raw.line));
      if (t.k !== 'chan') return null;
      return this.site('chan-range', resource, info, raw.line, false);
    }
    const kind: OperationKind = raw.op === 'send' ? 'chan-send' : raw.op === 'recv' ? 'chan-receive' : 'chan-close';
    if (kind === 'chan-receive' && resource.external === 'timer' && this.drainAfterFailedStop(raw.x, info, raw.line)) resource.external = null;
    const site = this.site(kind, resource, info, raw.line, raw.deferred === true);
    if (this.onReceiver(raw.x, info)) site.onReceiver = true;
    return site;
  }

  /**
   * `if !t.Stop() { <-t.C }` on a timer local to this function and reset nowhere else: Stop
   * returned false, so the one-shot timer has fired or was stopped, and nothing will send on its
   * channel again before a Reset this goroutine has not reached. A goroutine blocked here already
   * took the tick (in a select case): it waits forever, so the wait is no timer's.
   */
  private drainAfterFailedStop(x: Expr, info: FnInfo, line: number): boolean {
    if (x.k !== 'sel' || x.n !== 'C' || x.x.k !== 'id') return false;
    const timer = x.x.n;
    const t = this.deref(this.typeOf(x.x, info, line));
    if (t.k !== 'named' || t.pkg !== 'time' || t.n !== 'Timer') return false;
    const local = this.lookupLocal(timer, info, line);
    if (!local) return false;
    const guard = new RegExp(`\\bif\\s+!\\s*${timer}\\.Stop\\(\\)\\s*\\{`);
    let guarded = false;
    for (let l = line - 1; l >= Math.max(1, line - 2) && !guarded; l--) guarded = guard.test(this.statement(info, l));
    if (!guarded) return false;
    // Its value stays in this function: a Reset or Stop from elsewhere would make a new tick possible.
    const flows = local.fn.fact.flows ?? [];
    if (flows.some((f) => f.v.k === 'id' && f.v.n === timer)) return false;
    // Nor may a literal inside it (another goroutine, a callback) reset it.
    for (const other of this.fnInfos.values()) {
      let p = other.parent;
      while (p && p !== local.fn) p = p.parent;
      if (!p) continue;
      if (other.fact.calls.some((c) => c.f.k === 'sel' && c.f.x.k === 'id' && c.f.x.n === timer && c.f.n === 'Reset')) return false;
    }
    return true;
  }

  /** `recv.field` in a method whose receiver is `recv` (the method of a closure's parent counts too). */
  private onReceiver(x: Expr, info: FnInfo): boolean {
    let method: FnInfo | null = info;
    while (method && method.fact.kind === 'literal') method = method.parent;
    const recv = method?.fact.recv?.name;
    return recv !== undefined && recv !== null && x.k === 'sel' && x.x.k === 'id' && x.x.n === recv && this.lookupLocal(recv, info, info.fact.startLine)?.fn === method;
  }

  /** A call of a cancel function held in a field, parameter or local: a cancel of its context's class. */
  private cancelThrough(call: RawCall, info: FnInfo): OperationSite {
    const ref = this.resourceOf(call.f, info, call.line, 'context');
    return this.site('context-cancel', { ...ref, kind: 'context' }, info, call.line, call.deferred === true);
  }

  /** Lock, WaitGroup, Cond, Once and context-cancel operations, which are calls in the syntax. */
  private callOp(call: RawCall, info: FnInfo): OperationSite | null {
    const f = call.f;
    if (f.k === 'id') {
      const found = this.lookupLocal(f.n, info, call.line);
      if (found && found.decl.tuple === 1 && found.decl.tupleNames && found.decl.value) {
        const maker = contextMaker(found.decl.value, found.fn.file);
        if (maker) {
          const ctxName = found.decl.tupleNames[0];
          const ref = ctxName && ctxName !== '_'
            ? this.resourceOf({ k: 'id', n: ctxName }, found.fn, found.decl.line, 'context')
            : this.resourceRef('context', `${found.fn.file.pkg.path}.${found.fn.localName}#${f.n}`, f.n, null);
          ref.kind = 'context';
          ref.expression = f.n;
          return this.site('context-cancel', ref, info, call.line, call.deferred === true);
        }
      }
      // A parameter or another local of type context.CancelFunc: `func stop(cancel context.CancelFunc) { cancel() }`.
      if (found && this.functionKind(f, info, call.line) === 'cancel') return this.cancelThrough(call, info);
      return null;
    }
    if (f.k !== 'sel') return null;
    const method = f.n;
    if (!SYNC_METHODS.has(method)) return null;
    if (this.isPackage(f.x, info, call.line)) return null;
    const target = this.syncTarget(f.x, info, call.line);
    if (!target) return null;
    const { kind, ref } = target;
    const opKind = syncOperation(kind, method);
    if (!opKind) return null;
    return this.site(opKind, ref, info, call.line, call.deferred === true);
  }

  /** The sync object a method call acts on: the value itself, or a sync type embedded in it. */
  private syncTarget(x: Expr, info: FnInfo, line: number): { kind: ResourceKind; ref: ResourceRef } | null {
    // `e.cond.L.Lock()`: the Cond's Locker, named `<cond>.L`; value flow joins it with the lock
    // handed to sync.NewCond.
    if (x.k === 'sel' && x.n === 'L') {
      const cond = this.deref(this.typeOf(x.x, info, line));
      if (cond.k === 'named' && cond.pkg === 'sync' && cond.n === 'Cond') {
        const owner = this.resourceOf(x.x, info, line, 'cond');
        return { kind: 'mutex', ref: { ...owner, kind: 'mutex', name: `${owner.name}.L`, expression: exprText(x) } };
      }
    }
    const t = this.deref(this.typeOf(x, info, line));
    if (t.k === 'named' && t.pkg === 'sync' && SYNC_KINDS[t.n]) {
      const ref = this.resourceOf(x, info, line, SYNC_KINDS[t.n]);
      return { kind: SYNC_KINDS[t.n], ref };
    }
    if (t.k === 'named') {
      const owner = this.typeInfo(t);
      if (!owner) {
        // A lock type from a package outside the index (`deadlock.RWMutex`): take it by its name.
        const kind = t.n === 'Mutex' ? 'mutex' : t.n === 'RWMutex' ? 'rwmutex' : null;
        return kind ? { kind, ref: { ...this.resourceOf(x, info, line, kind), kind } } : null;
      }
      const st = this.resolveType(owner.decl.type, owner.file);
      if (st.k !== 'struct') return null;
      for (const field of st.fields) {
        if (!field.embedded) continue;
        const ft = this.deref(this.resolveType(field.type, owner.file));
        if (ft.k === 'named' && ft.pkg === 'sync' && SYNC_KINDS[ft.n]) {
          const kind = SYNC_KINDS[ft.n];
          // A field or variable of a wrapper type (`mtx tmsync.RWMutex`) is itself the lock;
          // a receiver or local of the embedding type names the embedded field (`pkg.T.Mutex`).
          const own = this.resourceOf(x, info, line, kind);
          if (!own.name.includes('#')) return { kind, ref: { ...own, kind } };
          const ref = this.resourceRef(kind, `${t.pkg}.${t.n}.${field.name}`, exprText(x), this.loc(owner.file, field.line));
          return { kind, ref };
        }
      }
      return null;
    }
    if (t.k === 'struct') {
      // A lock embedded in an anonymous struct field (`mu struct { sync.RWMutex; m map[K]V }`):
      // the field is the lock, named as the field (`pkg.Store.mu`).
      for (const field of t.fields) {
        if (!field.embedded) continue;
        const ft = this.deref(this.resolveType(field.type, t.file));
        if (ft.k === 'named' && ft.pkg === 'sync' && SYNC_KINDS[ft.n]) {
          const kind = SYNC_KINDS[ft.n];
          return { kind, ref: { ...this.resourceOf(x, info, line, kind), kind } };
        }
      }
      return null;
    }
    return null;
  }

  private noteSignalNotify(call: RawCall, info: FnInfo): void {
    const f = call.f;
    if (f.k !== 'sel' || f.n !== 'Notify' || f.x.k !== 'id' || !call.args || call.args.length === 0) return;
    if (this.importPath(f.x.n, info, call.line) !== 'os/signal') return;
    this.signalTargets.add(this.resourceOf(call.args[0], info, call.line, 'chan').name);
  }

  // ---- held regions --------------------------------------------------------------------------

  private lockRegions(facts: FunctionFacts, info: FnInfo, lockCalls: { site: OperationSite; call: RawCall }[]): void {
    for (const { site, call } of lockCalls) {
      if ((site.kind !== 'mutex-lock' && site.kind !== 'rwmutex-rlock') || site.deferred) continue;
      const name = site.resource.name;
      const wanted: OperationKind = site.kind === 'mutex-lock' ? 'mutex-unlock' : 'rwmutex-runlock';
      const lockBlocks = blocksOf(call);
      // The unlocks of the same lock after it; a deferred one on the lock's path holds to the end.
      let deferredUnlock: { site: OperationSite; call: RawCall } | undefined;
      const plain: { site: OperationSite; call: RawCall }[] = [];
      for (const u of lockCalls) {
        if (u.site.kind !== wanted || u.site.resource.name !== name || u.call.line <= call.line) continue;
        if (!u.site.deferred) plain.push(u);
        else if (!deferredUnlock && (isPrefix(blocksOf(u.call), lockBlocks) || isPrefix(lockBlocks, blocksOf(u.call)))) deferredUnlock = u;
      }
      // The region ends at the first unlock on the lock's own path (same or enclosing block).
      let closing: { site: OperationSite; call: RawCall } | null = null;
      for (const u of plain) {
        if (isPrefix(blocksOf(u.call), lockBlocks)) {
          closing = u;
          break;
        }
      }
      // No unlock of it after the lock: either the function re-takes a lock its caller holds
      // (`mu.Unlock(); …; mu.Lock()`), or it returns holding it by design (an acquire function,
      // `db.rmu.RLock(); return txn`), to be released by a later call of the caller's. Neither
      // return is a leak.
      if (plain.length === 0 && !deferredUnlock) {
        const unlockedBefore = lockCalls.some((u) => u.site.kind === wanted && u.site.resource.name === name && u.call.line < call.line);
        facts.heldRegions.push({ resource: site.resource, mode: site.kind === 'mutex-lock' ? 'write' : 'read', lockLine: call.line, endLine: facts.endLine, deferredUnlock: false });
        if (!unlockedBefore) (facts.acquires ??= []).push({ resource: site.resource, mode: site.kind === 'mutex-lock' ? 'write' : 'read', line: call.line });
        continue;
      }
      let endLine = facts.endLine;
      // `defer mu.Unlock()` then `mu.Unlock(); …; mu.Lock()` on the lock's own path: the held
      // region ends at the explicit unlock (the re-lock opens a region of its own).
      if (closing) endLine = closing.call.line;
      else if (!deferredUnlock && plain.length > 0) endLine = plain[plain.length - 1].call.line;
      const region: HeldRegion = {
        resource: site.resource, mode: site.kind === 'mutex-lock' ? 'write' : 'read', lockLine: call.line, endLine,
        deferredUnlock: deferredUnlock !== undefined,
      };
      facts.heldRegions.push(region);
      if (deferredUnlock) continue;
      const limit = closing ? closing.call.line : facts.endLine;
      for (const ret of info.fact.returns) {
        if (ret.line <= call.line || ret.line >= limit) continue;
        if (!isPrefix(blocksOf(call), ret.blocks ?? NO_BLOCKS)) continue;
        if (releasedBefore(plain, ret.line, ret.blocks ?? NO_BLOCKS)) continue;
        const leak: LeakyReturn = { resource: site.resource, lockLine: call.line, returnLine: ret.line, statement: this.statement(info, ret.line) };
        facts.leakyReturns.push(leak);
      }
    }
  }

  // ---- resources -----------------------------------------------------------------------------

  private resourceRef(kind: ResourceKind, name: string, expression: string, declared: SourceLocation | null): ResourceRef {
    return { kind, name, expression, declared, external: null, nil: false };
  }

  private loc(file: FileCtx, line: number): SourceLocation {
    return { file: file.input.file, line };
  }

  /** Canonical resource for an expression at a line of a function. `fallbackKind` when the type is unknown. */
  private resourceOf(x: Expr, info: FnInfo, line: number, fallbackKind: ResourceKind): ResourceRef {
    const expression = exprText(x);
    switch (x.k) {
      case 'nil': {
        const ref = this.resourceRef(fallbackKind, 'nil', 'nil', null);
        ref.nil = true;
        return ref;
      }
      case 'addr':
      case 'star':
        return { ...this.resourceOf(x.x, info, line, fallbackKind), expression };
      case 'id': {
        const local = this.lookupLocal(x.n, info, line);
        if (local) {
          const d = local.decl;
          const invocation = d.param !== undefined ? this.literalInvocations.get(local.fn.fact) : undefined;
          const argument = invocation?.args[d.param!];
          if (invocation && argument && this.getterDepth < 4) {
            // A literal's parameter is what its caller passed: `go func(ch chan T) {…}(s.ch)`.
            this.getterDepth++;
            try {
              const via = this.resourceOf(argument, invocation.caller, invocation.line, fallbackKind);
              return { ...via, expression };
            } finally {
              this.getterDepth--;
            }
          }
          if (d.value && d.tuple === undefined && d.range === undefined && isTraceable(d.value)) {
            const value = d.value;
            const via = this.whileFollowing(d, () => this.resourceOf(value, local.fn, d.line, fallbackKind));
            if (!via.name.includes('#')) return { ...via, expression };
          }
          const ref = this.resourceRef(this.kindOf(x, info, line, fallbackKind), `${local.fn.file.pkg.path}.${local.fn.localName}#${x.n}`, expression, this.loc(local.fn.file, d.line));
          if (d.tuple === 0 && d.value) {
            const maker = contextMaker(d.value, local.fn.file);
            if (maker) {
              ref.kind = 'context';
              if (DEADLINE_MAKERS.has(maker)) ref.external = 'deadline';
            }
          }
          if (d.value && this.isExternalTimer(d.value, local.fn, d.line)) ref.external = 'timer';
          return ref;
        }
        const v = info.file.pkg.vars.get(x.n);
        if (v) {
          const ref = this.resourceRef(this.kindOf(x, info, line, fallbackKind), `${info.file.pkg.path}.${x.n}`, expression, this.loc(v.file, v.line));
          return ref;
        }
        return this.fallbackRef(x, info, line, fallbackKind, expression);
      }
      case 'sel': {
        const pkgPath = this.isPackage(x.x, info, line) ? this.importPath((x.x as { n: string }).n, info, line) : null;
        if (pkgPath) {
          const v = this.packages.get(pkgPath)?.vars.get(x.n);
          return this.resourceRef(this.kindOf(x, info, line, fallbackKind), `${pkgPath}.${x.n}`, expression, v ? this.loc(v.file, v.line) : null);
        }
        const base = this.deref(this.typeOf(x.x, info, line));
        if (base.k === 'named') {
          if (base.pkg === 'time' && (base.n === 'Timer' || base.n === 'Ticker') && x.n === 'C') {
            const ref = this.resourceRef('chan', `time.${base.n}.C`, expression, null);
            ref.external = 'timer';
            const owner = this.resourceOf(x.x, info, line, 'chan');
            ref.name = `${owner.name}.C`;
            return ref;
          }
          const field = this.findField(base, x.n, 0);
          if (field) {
            const ref = this.resourceRef(this.kindOf(x, info, line, fallbackKind), `${field.owner.pkg}.${field.owner.n}.${x.n}`, expression, this.loc(field.file, field.field.line));
            return ref;
          }
        }
        return this.fallbackRef(x, info, line, fallbackKind, expression);
      }
      case 'call': {
        const f = x.f;
        // A conversion keeps the value: `chanOutput(d.progress)` is d.progress.
        if (x.a.length === 1 && (f.k === 'type' || this.isConversion(f, info, line))) return { ...this.resourceOf(x.a[0], info, line, fallbackKind), expression };
        if (f.k === 'sel' && f.x.k === 'id' && this.isPackage(f.x, info, line)) {
          const path = this.importPath(f.x.n, info, line);
          if (path === 'time' && (f.n === 'After' || f.n === 'Tick')) {
            const ref = this.resourceRef('chan', `time.${f.n}`, expression, null);
            ref.external = 'timer';
            return ref;
          }
        }
        if (f.k === 'sel' && f.n === 'Done' && !this.isPackage(f.x, info, line)) {
          const t = this.deref(this.typeOf(f.x, info, line));
          if (t.k === 'named' && t.pkg === 'context' && t.n === 'Context') {
            const ref = this.resourceOf(f.x, info, line, 'context');
            return { ...ref, kind: 'context', expression };
          }
        }
        const getter = this.getterReturn(f, info, line);
        if (getter) {
          this.getterDepth++;
          try {
            if (this.getterDepth < 4) {
              const ref = this.resourceOf(getter.value, getter.fn, getter.line, fallbackKind);
              if (!ref.name.includes('#')) return { ...ref, expression };
            }
          } finally {
            this.getterDepth--;
          }
        }
        // The result of a call of one indexed function is what that function returns
        // (`ch := After(f)`): value flow joins `After#~ret0` with the returned names.
        const result = this.resultName(x, info, line, 0);
        if (result) return this.resourceRef(this.kindOf(x, info, line, fallbackKind), result, expression, null);
        return this.fallbackRef(x, info, line, fallbackKind, expression);
      }
      case 'idx': {
        // An element of a slice, array or map of channels belongs to its container's class:
        // `m.outs[i]` is named `pkg.Mux.outs`, like the `ch` of `for _, ch := range m.outs`.
        const container = this.resourceOf(x.x, info, line, 'unknown');
        if (!container.nil && !isDerivedName(container.name)) return { ...container, kind: this.kindOf(x, info, line, fallbackKind), expression, external: null };
        return this.fallbackRef(x, info, line, fallbackKind, expression);
      }
      default:
        return this.fallbackRef(x, info, line, fallbackKind, expression);
    }
  }

  /**
   * `pkg.F#~ret<i>`, the name of result `i` of a call `x` when it runs exactly one indexed function
   * with results (not a conversion, a builtin or a call through a value).
   */
  private resultName(x: Expr, info: FnInfo, line: number, position: number): string | null {
    if (x.k !== 'call' || x.f.k === 'type' || x.f.k === 'func') return null;
    const callees = this.callees(x.f, info, line);
    if (!callees || callees.length !== 1) return null;
    const target = this.fnInfoByName.get(callees[0]);
    if (!target || target.fact.results.length <= position) return null;
    return `${callees[0]}#~ret${position}`;
  }

  private get fnInfoByName(): Map<string, FnInfo> {
    if (!this.infoByName) {
      this.infoByName = new Map();
      for (const info of this.fnInfos.values()) this.infoByName.set(info.name, info);
    }
    return this.infoByName;
  }

  private infoByName: Map<string, FnInfo> | null = null;

  private syncMethodValue(x: Expr, info: FnInfo, line: number): { kind: OperationKind; resource: ResourceRef } | null {
    if (x.k !== 'sel' || !SYNC_METHODS.has(x.n) || this.isPackage(x.x, info, line)) return null;
    const target = this.syncTarget(x.x, info, line);
    const kind = target ? syncOperation(target.kind, x.n) : null;
    return target && kind ? { kind, resource: target.ref } : null;
  }

  /** A context.CancelFunc, another function value (or a slice or map of them), or neither. */
  private functionKind(x: Expr, info: FnInfo, line: number): 'cancel' | 'func' | null {
    const t = this.typeOf(x, info, line);
    if (t.k === 'named' && t.pkg === 'context' && (t.n === 'CancelFunc' || t.n === 'CancelCauseFunc')) return 'cancel';
    const u = this.underlying(t);
    const elem = u.k === 'slice' || u.k === 'map' ? this.underlying(u.t) : u;
    return elem.k === 'func' ? 'func' : null;
  }

  /** `T(x)` with `T` a type of the package (not shadowed by a local) or `pkg.T` of an imported one. */
  private isConversion(f: Expr, info: FnInfo, line: number): boolean {
    if (f.k === 'id') return info.file.pkg.types.has(f.n) && !this.lookupLocal(f.n, info, line) && !info.file.pkg.funcs.has(f.n);
    if (f.k === 'sel' && f.x.k === 'id' && this.isPackage(f.x, info, line)) return this.packages.get(this.importPath(f.x.n, info, line)!)?.types.has(f.n) ?? false;
    return false;
  }

  /** The kind an expression's type gives, else `fallbackKind`. */
  private kindOf(x: Expr, info: FnInfo, line: number, fallbackKind: ResourceKind): ResourceKind {
    const k = kindOfType(this.underlying(this.typeOf(x, info, line)));
    return k === 'unknown' ? fallbackKind : k;
  }

  /** An expression that cannot be traced to a field or variable: `pkg.Func#expr`. */
  private fallbackRef(x: Expr, info: FnInfo, line: number, fallbackKind: ResourceKind, expression: string): ResourceRef {
    return this.resourceRef(this.kindOf(x, info, line, fallbackKind), `${info.file.pkg.path}.${this.ownerName(x, info, line)}#${expression}`, expression, null);
  }

  private isExternalTimer(value: Expr, info: FnInfo, line: number): boolean {
    if (value.k !== 'call' || value.f.k !== 'sel' || value.f.x.k !== 'id') return false;
    if (!this.isPackage(value.f.x, info, line)) return false;
    return this.importPath(value.f.x.n, info, line) === 'time' && (value.f.n === 'After' || value.f.n === 'Tick');
  }

  /**
   * The function an untraceable expression belongs to: the one declaring its root variable, so a
   * closure and its enclosing function name a captured variable alike.
   */
  private ownerName(x: Expr, info: FnInfo, line: number): string {
    let root = x;
    while (root.k === 'sel' || root.k === 'call' || root.k === 'idx' || root.k === 'star' || root.k === 'addr' || root.k === 'recv') {
      root = root.k === 'call' ? root.f : root.x;
    }
    if (root.k === 'id') {
      const local = this.lookupLocal(root.n, info, line);
      if (local) return local.fn.localName;
    }
    return info.localName;
  }

  /** A method whose body is a single `return <expr>`: the expression and where it is evaluated. */
  private getterReturn(f: Expr, info: FnInfo, line: number): { value: Expr; fn: FnInfo; line: number } | null {
    if (f.k !== 'sel') return null;
    const t = this.deref(this.typeOf(f.x, info, line));
    if (t.k !== 'named') return null;
    const method = this.findMethod(t, f.n, 0);
    if (!method) return null;
    const ret = getterValue(method.fact);
    return ret ? { value: ret.value!, fn: method, line: ret.line } : null;
  }

  // ---- names in scope --------------------------------------------------------------------------

  /** Declarations whose right-hand side is being followed: `ch := ch` names the outer `ch`, not itself. */
  private following = new Set<LocalDecl>();

  /** A local (declared before `line`) of the function or of an enclosing one (captured by a closure). */
  private lookupLocal(name: string, info: FnInfo, line: number): { decl: LocalDecl; fn: FnInfo } | null {
    for (let fn: FnInfo | null = info; fn; fn = fn.parent) {
      let best: LocalDecl | null = null;
      for (const d of fn.fact.decls) {
        if (d.name === name && d.line <= line && !this.following.has(d) && (!best || d.line >= best.line)) best = d;
      }
      if (best) return { decl: best, fn };
    }
    return null;
  }

  /** Runs `f` while `d`'s own value is being followed, so that a name in it skips `d` itself. */
  private whileFollowing<T>(d: LocalDecl, f: () => T): T {
    if (this.following.has(d)) return f();
    this.following.add(d);
    try {
      return f();
    } finally {
      this.following.delete(d);
    }
  }

  private isPackage(x: Expr, info: FnInfo, line: number): x is { k: 'id'; n: string } {
    return x.k === 'id' && info.file.imports.has(x.n) && !this.lookupLocal(x.n, info, line) && !info.file.pkg.vars.has(x.n);
  }

  private importPath(name: string, info: FnInfo, _line: number): string | null {
    return info.file.imports.get(name) ?? null;
  }

  // ---- types ---------------------------------------------------------------------------------

  private resolveType(t: TypeExpr | null, file: FileCtx): RType {
    if (!t) return UNKNOWN;
    switch (t.k) {
      case 'name': {
        if (t.q) {
          const path = file.imports.get(t.q);
          return path ? { k: 'named', pkg: path, n: t.n } : UNKNOWN;
        }
        if (file.pkg.types.has(t.n)) return { k: 'named', pkg: file.pkg.path, n: t.n, home: file.pkg };
        return { k: 'named', pkg: '', n: t.n };
      }
      case 'ptr': return { k: 'ptr', t: this.resolveType(t.t, file) };
      case 'chan': return { k: 'chan', dir: t.dir, t: this.resolveType(t.t, file) };
      case 'slice': return { k: 'slice', t: this.resolveType(t.t, file) };
      case 'map': return { k: 'map', t: this.resolveType(t.t, file) };
      case 'func': return { k: 'func', results: t.results.map((r) => this.resolveType(r, file)) };
      case 'struct': return { k: 'struct', fields: t.fields, file };
      case 'iface': return { k: 'iface', methods: t.methods };
      default: return UNKNOWN;
    }
  }

  private packageOf(t: { pkg: string; home?: PackageInfo }): PackageInfo | undefined {
    return t.home ?? this.packages.get(t.pkg);
  }

  private typeInfo(t: { pkg: string; n: string; home?: PackageInfo }): TypeInfo | null {
    return this.packageOf(t)?.types.get(t.n) ?? null;
  }

  private deref(t: RType): RType {
    let cur = t;
    for (let i = 0; i < 3 && cur.k === 'ptr'; i++) cur = cur.t;
    return cur;
  }

  /** Follow named types to their definition, except sync/context/time types and structs. */
  private underlying(t: RType): RType {
    let cur = t;
    for (let i = 0; i < 5 && cur.k === 'named'; i++) {
      const info = this.typeInfo(cur);
      if (!info) return cur;
      const next = this.resolveType(info.decl.type, info.file);
      if (next.k === 'struct' || next.k === 'iface' || next.k === 'unknown') return cur;
      cur = next;
    }
    return cur;
  }

  private findField(t: { pkg: string; n: string; home?: PackageInfo }, name: string, depth: number): { owner: { pkg: string; n: string }; field: FieldFact; file: FileCtx; type: RType } | null {
    if (depth > 3) return null;
    const info = this.typeInfo(t);
    if (!info) return null;
    const st = this.resolveType(info.decl.type, info.file);
    if (st.k !== 'struct') return null;
    for (const field of st.fields) {
      if (field.name === name) return { owner: t, field, file: info.file, type: this.resolveType(field.type, info.file) };
    }
    for (const field of st.fields) {
      if (!field.embedded) continue;
      const ft = this.deref(this.resolveType(field.type, info.file));
      if (ft.k !== 'named') continue;
      const found = this.findField(ft, name, depth + 1);
      if (found) return found;
    }
    return null;
  }

  private findMethod(t: { pkg: string; n: string; home?: PackageInfo }, name: string, depth: number): FnInfo | null {
    if (depth > 3) return null;
    const direct = this.packageOf(t)?.methods.get(t.n)?.get(name);
    if (direct) return direct;
    const info = this.typeInfo(t);
    if (!info) return null;
    const st = this.resolveType(info.decl.type, info.file);
    if (st.k !== 'struct') return null;
    for (const field of st.fields) {
      if (!field.embedded) continue;
      const ft = this.deref(this.resolveType(field.type, info.file));
      if (ft.k !== 'named') continue;
      const found = this.findMethod(ft, name, depth + 1);
      if (found) return found;
    }
    return null;
  }

  private typeDepth = 0;

  typeOf(x: Expr, info: FnInfo, line: number): RType {
    if (this.typeDepth > 12) return UNKNOWN;
    this.typeDepth++;
    try {
      return this.typeOfInner(x, info, line);
    } finally {
      this.typeDepth--;
    }
  }

  private typeOfInner(x: Expr, info: FnInfo, line: number): RType {
    switch (x.k) {
      case 'id': {
        const local = this.lookupLocal(x.n, info, line);
        if (local) return this.declType(local.decl, local.fn);
        const v = info.file.pkg.vars.get(x.n);
        if (v) return v.type ? this.resolveType(v.type, v.file) : v.value ? this.typeOf(v.value, this.anyFn(v.file), v.line) : UNKNOWN;
        const f = info.file.pkg.funcs.get(x.n);
        if (f) return this.funcType(f);
        return UNKNOWN;
      }
      case 'sel': {
        if (this.isPackage(x.x, info, line)) {
          const path = this.importPath(x.x.n, info, line)!;
          const pkg = this.packages.get(path);
          const v = pkg?.vars.get(x.n);
          if (v) return v.type ? this.resolveType(v.type, v.file) : UNKNOWN;
          const f = pkg?.funcs.get(x.n);
          if (f) return this.funcType(f);
          return stdlibFuncType(path, x.n);
        }
        const base = this.deref(this.typeOf(x.x, info, line));
        if (base.k === 'named') {
          const field = this.findField(base, x.n, 0);
          if (field) return field.type;
          const method = this.findMethod(base, x.n, 0);
          if (method) return this.funcType(method);
          if (base.pkg === 'time' && (base.n === 'Timer' || base.n === 'Ticker') && x.n === 'C') return { k: 'chan', dir: 'recv', t: { k: 'named', pkg: 'time', n: 'Time' } };
          if (base.pkg === 'context' && base.n === 'Context' && x.n === 'Done') return { k: 'func', results: [{ k: 'chan', dir: 'recv', t: UNKNOWN }] };
        } else if (base.k === 'struct') {
          const field = base.fields.find((f) => f.name === x.n);
          if (field) return this.resolveType(field.type, base.file);
        }
        return UNKNOWN;
      }
      case 'call': {
        const f = x.f;
        if (f.k === 'id' && (f.n === 'make' || f.n === 'new') && !this.lookupLocal(f.n, info, line)) {
          const arg = x.a[0];
          const t = arg && arg.k === 'type' ? this.resolveType(arg.t, info.file) : arg && arg.k === 'id' ? this.resolveType({ k: 'name', q: null, n: arg.n }, info.file)
            : arg && arg.k === 'sel' && arg.x.k === 'id' ? this.resolveType({ k: 'name', q: arg.x.n, n: arg.n }, info.file) : UNKNOWN;
          return f.n === 'new' ? { k: 'ptr', t } : t;
        }
        const ft = this.underlying(this.typeOf(f, info, line));
        if (ft.k === 'func') {
          if (ft.results.length === 1) return ft.results[0];
          if (ft.results.length > 1) return { k: 'tuple', items: ft.results, source: '' };
        }
        if (ft.k === 'tuple') return ft;
        // A conversion `T(x)`.
        if (f.k === 'id' && info.file.pkg.types.has(f.n)) return { k: 'named', pkg: info.file.pkg.path, n: f.n, home: info.file.pkg };
        // A method of an interface the index implements once (`fw.Events()`): that method's result.
        if (f.k === 'sel' && this.underlying(this.deref(this.typeOf(f.x, info, line))).k !== 'unknown') {
          const callees = this.callees(f, info, line);
          const target = callees && callees.length === 1 ? this.fnInfoByName.get(callees[0]) : undefined;
          if (target && target.fact.results.length === 1) return this.resolveType(target.fact.results[0], target.file);
        }
        return UNKNOWN;
      }
      case 'recv': {
        const t = this.underlying(this.typeOf(x.x, info, line));
        return t.k === 'chan' ? t.t : UNKNOWN;
      }
      case 'idx': {
        const t = this.underlying(this.deref(this.typeOf(x.x, info, line)));
        return t.k === 'slice' || t.k === 'map' ? t.t : t.k === 'func' ? t : UNKNOWN;
      }
      case 'star': {
        const t = this.typeOf(x.x, info, line);
        return t.k === 'ptr' ? t.t : UNKNOWN;
      }
      case 'addr': return { k: 'ptr', t: this.typeOf(x.x, info, line) };
      case 'lit': return this.resolveType(x.t, info.file);
      case 'type': return this.resolveType(x.t, info.file);
      case 'assert': return this.resolveType(x.t, info.file);
      case 'func': {
        const fact = info.file.input.facts.functions[x.fn];
        return fact ? { k: 'func', results: fact.results.map((r) => this.resolveType(r, info.file)) } : UNKNOWN;
      }
      default: return UNKNOWN;
    }
  }

  private anyFn(file: FileCtx): FnInfo {
    const fake: FunctionFact = {
      name: 'init', kind: 'varinit', parent: -1, startLine: 0, endLine: 0, start: 0, generic: false, recv: null,
      results: [], decls: [], ops: [], calls: [], gos: [], returns: [],
    };
    return { fact: fake, file, name: `${file.pkg.path}.init`, parent: null, localName: 'init' };
  }

  private funcType(fn: FnInfo): RType {
    return { k: 'func', results: fn.fact.results.map((r) => this.resolveType(r, fn.file)) };
  }

  /** Types of locals, computed once each when no other local is being followed (see whileFollowing). */
  private readonly declTypes = new Map<LocalDecl, RType>();

  private declType(d: LocalDecl, fn: FnInfo): RType {
    if (this.following.size > 0) return this.declTypeOnce(d, fn);
    let t = this.declTypes.get(d);
    if (t === undefined) this.declTypes.set(d, (t = this.declTypeOnce(d, fn)));
    return t;
  }

  private declTypeOnce(d: LocalDecl, fn: FnInfo): RType {
    if (d.type) return this.resolveType(d.type, fn.file);
    if (!d.value) return UNKNOWN;
    const value = d.value;
    const vt = this.whileFollowing(d, () => this.typeOf(value, fn, d.line));
    if (d.range !== undefined) {
      const u = this.underlying(this.deref(vt));
      if (u.k === 'chan') return d.range === 0 ? u.t : UNKNOWN;
      if (u.k === 'slice' || u.k === 'map') return d.range === 1 ? u.t : UNKNOWN;
      return UNKNOWN;
    }
    if (d.tuple !== undefined) {
      if (vt.k === 'tuple') return vt.items[d.tuple] ?? UNKNOWN;
      // `v, ok := <-ch`, `v, ok := m[k]`, `v, ok := x.(T)`
      return d.tuple === 0 ? vt : UNKNOWN;
    }
    if (d.value.k === 'recv' && vt.k === 'unknown') return UNKNOWN;
    return vt;
  }

  // ---- calls ---------------------------------------------------------------------------------

  /** Callees of a call expression's function part in traceback form; null for builtins. */
  private callees(f: Expr, info: FnInfo, line: number): string[] | null {
    switch (f.k) {
      case 'func': {
        const fact = info.file.input.facts.functions[f.fn];
        const target = fact ? this.fnInfos.get(fact) : undefined;
        return target ? [target.name] : [];
      }
      case 'id': {
        const local = this.lookupLocal(f.n, info, line);
        if (local) {
          const v = local.decl.value;
          if (v && v.k === 'func' && local.decl.tuple === undefined) return this.whileFollowing(local.decl, () => this.callees(v, local.fn, local.decl.line));
          return [];
        }
        const fn = info.file.pkg.funcs.get(f.n);
        if (fn) return [fn.name];
        const v = info.file.pkg.vars.get(f.n);
        if (v && v.value && v.value.k === 'func') {
          const fact = v.file.input.facts.functions[v.value.fn];
          const target = fact ? this.fnInfos.get(fact) : undefined;
          return target ? [target.name] : [];
        }
        if (BUILTINS.has(f.n)) return null;
        if (info.file.pkg.types.has(f.n)) return null; // a conversion
        return [];
      }
      case 'sel': {
        if (this.isPackage(f.x, info, line)) {
          const path = this.importPath(f.x.n, info, line)!;
          const fn = this.packages.get(path)?.funcs.get(f.n);
          if (fn) return [fn.name];
          if (this.packages.get(path)?.types.has(f.n)) return null;
          return [`${path}.${f.n}`];
        }
        const base = this.deref(this.typeOf(f.x, info, line));
        if (base.k === 'named') {
          const method = this.findMethod(base, f.n, 0);
          if (method) return [method.name];
          const ti = this.typeInfo(base);
          if (ti && ti.decl.type.k === 'iface') return this.implementations(ti.decl.type.methods, f.n);
          if (base.pkg === 'sync' || base.pkg === 'context' || base.pkg === 'time') return [];
        }
        return [];
      }
      case 'idx': return this.callees(f.x, info, line);
      default: return [];
    }
  }

  /**
   * What a call may run: its static callees; when there are none, why: a method reached only by
   * dispatch on its name (unknown receiver type, a standard-library interface), or a call through a
   * function value the index cannot trace (`open`). A method of a type outside the index runs
   * known outside code: neither.
   */
  callTargets(f: Expr, info: FnInfo, line: number): { callees: string[]; dynamic: string[]; dispatch?: string; open: boolean } | null {
    const callees = this.callees(f, info, line);
    if (callees === null) return null;
    const none = { callees, dynamic: [] as string[], open: false };
    if (callees.length > 0) return none;
    const byName = (name: string) => (this.methodsByName.has(name) ? { dispatch: name } : {});
    switch (f.k) {
      case 'sel': {
        if (this.isPackage(f.x, info, line)) return none;
        const t = this.typeOf(f.x, info, line);
        const base = this.deref(t);
        if (base.k === 'named') {
          const ti = this.typeInfo(base);
          if (ti) return this.findField(base, f.n, 0) ? { ...none, open: true } : none;
          if (STANDARD_INTERFACES.has(`${base.pkg}.${base.n}`) || (base.pkg === '' && base.n === 'error')) return { ...none, ...byName(f.n) };
          return none;
        }
        if (base.k === 'iface') return { ...none, dynamic: this.implementations(base.methods, f.n) };
        if (base.k === 'func') return { ...none, open: true };
        return { ...none, ...byName(f.n) };
      }
      case 'func':
        return none;
      default:
        // A local or parameter holding a function, an element of a map of handlers, a call's result.
        return { ...none, open: true };
    }
  }

  private valueFlow(infos: FnInfo[]): void {
    const byName = new Map<string, FnInfo>();
    for (const info of infos) byName.set(info.name, info);
    // Names called through (`rc.release()`, `f(ev)`): value flow follows what they hold.
    const called = this.callsThroughValues.map((c) => this.resourceOf(c.f, c.info, c.site.line, 'unknown').name);
    const flow = new ValueFlow({
      index: this.index,
      calledValues: new Set(called),
      resourceTypeMethods: this.resourceTypeMethods(infos),
      functions: infos.map((info) => ({ info, name: info.name, fact: info.fact })),
      resolve: (x, fn, line) => this.resourceOf(x, fn as FnInfo, line, 'unknown'),
      functionValue: (x, fn, line) => this.functionValue(x, fn as FnInfo, line),
      callTargets: (x, fn, line) => this.callTargets(x, fn as FnInfo, line),
      isPackageCall: (x, fn, line) => (x.k === 'sel' && this.isPackage(x.x, fn as FnInfo, line) ? this.importPath(x.x.n, fn as FnInfo, line) : null),
      paramName: (target, position) => {
        const info = byName.get(target);
        if (!info) return null;
        const d = info.fact.decls.find((decl) => decl.param === position);
        return d ? `${info.file.pkg.path}.${info.localName}#${d.name}` : null;
      },
      receiverName: (target) => {
        const info = byName.get(target);
        const recv = info?.fact.recv?.name;
        return info && recv && recv !== '_' ? `${info.file.pkg.path}.${info.localName}#${recv}` : null;
      },
      localDecl: (name, fn, line) => this.lookupLocal(name, fn as FnInfo, line)?.decl ?? null,
      localName: (fn, name) => `${(fn as FnInfo).file.pkg.path}.${(fn as FnInfo).localName}#${name}`,
      fieldOf: (t, key, position, fn) => this.literalField(t, key, position, (fn as FnInfo).file),
      isContextMaker: (x, fn) => contextMaker(x, (fn as FnInfo).file) !== null,
      isGetter: (fn) => getterValue((fn as FnInfo).fact) !== null,
      resultName: (x, fn, line, position) => this.resultName(x, fn as FnInfo, line, position),
      syncMethodValue: (x, fn, line) => this.syncMethodValue(x, fn as FnInfo, line),
      functionKind: (x, fn, line) => this.functionKind(x, fn as FnInfo, line),
    });
    flow.run();
    // `rc.release()` where every value ever stored in `release` is known: the call runs those.
    for (const [i, { site, info }] of this.callsThroughValues.entries()) {
      const holder = flow.functionHolder(called[i]);
      if (!holder) continue;
      site.callees = [...new Set([...site.callees, ...holder.values])];
      if (!holder.open) delete site.open;
      // `f()` holding `n.cond.Wait`: the call itself is the operation.
      const facts = holder.ops.length > 0 ? this.index.functions.get(info.name) : undefined;
      if (!facts) continue;
      for (const op of holder.ops) {
        const opSite = this.site(op.kind, { ...op.resource, expression: site.expression }, info, site.line, site.deferred);
        facts.operations.push(opSite);
        this.addSite(opSite);
      }
      facts.operations.sort((a, b) => a.line - b.line);
    }
  }

  /** Names of the methods whose receiver's type is a channel (`type chanOutput chan<- Progress`). */
  private resourceTypeMethods(infos: FnInfo[]): Set<string> {
    const out = new Set<string>();
    for (const info of infos) {
      const recv = info.fact.recv;
      if (!recv) continue;
      const t = this.underlying(this.resolveType({ k: 'name', q: null, n: recv.type }, info.file));
      if (t.k === 'chan') out.add(info.name.slice(info.name.lastIndexOf('.') + 1));
    }
    return out;
  }

  /** The function a value denotes: a literal, a package function, or a method value `x.M`. */
  private functionValue(x: Expr, info: FnInfo, line: number): string | null {
    switch (x.k) {
      case 'func': {
        const fact = info.file.input.facts.functions[x.fn];
        return (fact && this.fnInfos.get(fact)?.name) ?? null;
      }
      case 'id': {
        if (this.lookupLocal(x.n, info, line)) return null;
        return info.file.pkg.funcs.get(x.n)?.name ?? null;
      }
      case 'sel': {
        if (this.isPackage(x.x, info, line)) return this.packages.get(this.importPath(x.x.n, info, line)!)?.funcs.get(x.n)?.name ?? null;
        const base = this.deref(this.typeOf(x.x, info, line));
        return base.k === 'named' ? this.findMethod(base, x.n, 0)?.name ?? null : null;
      }
      default:
        return null;
    }
  }

  /** The field a composite-literal element stores into: `T{key: v}` or the `position`-th field. */
  private literalField(t: TypeExpr, key: string | undefined, position: number | undefined, file: FileCtx): string | null {
    const named = this.deref(this.resolveType(t.k === 'ptr' ? t.t : t, file));
    if (named.k !== 'named') return null;
    const ti = this.typeInfo(named);
    if (!ti) return null;
    const st = this.resolveType(ti.decl.type, ti.file);
    if (st.k !== 'struct') return null;
    const field = key !== undefined ? st.fields.find((f) => f.name === key) : position !== undefined ? st.fields[position] : undefined;
    return field ? `${named.pkg}.${named.n}.${field.name}` : null;
  }

  /** Every method named `name` on a type whose methods include the interface's (by name). */
  private implementations(ifaceMethods: string[], name: string): string[] {
    const out: string[] = [];
    for (const candidate of this.methodsByName.get(name) ?? []) {
      const recv = candidate.fact.recv;
      if (!recv) continue;
      const set = candidate.file.pkg.methods.get(recv.type);
      if (set && ifaceMethods.every((m) => set.has(m))) out.push(candidate.name);
    }
    return out;
  }
}

// ---- small pure helpers ----------------------------------------------------------------------

/**
 * The one value a getter returns: a body with no calls and no operations whose returns give that
 * value, or `nil` (`if s == nil { return nil }; return s.quiescer`). Null for anything else.
 */
function getterValue(fact: FunctionFact): RawReturn | null {
  if (fact.calls.length > 0 || fact.ops.length > 0 || fact.returns.length === 0) return null;
  const real = fact.returns.filter((r) => !(r.value && r.value.k === 'nil'));
  if (real.length !== 1 || !real[0].value) return null;
  return real[0];
}

const NO_BLOCKS: number[] = [];

/** Standard-library interfaces whose methods the program's own types commonly implement. */
const STANDARD_INTERFACES = new Set([
  'io.Closer', 'io.Reader', 'io.Writer', 'io.ReadCloser', 'io.WriteCloser', 'io.ReadWriter', 'io.ReadWriteCloser',
  'io.WriterTo', 'io.ReaderFrom', 'net.Conn', 'net.Listener', 'net/http.Handler', 'net/http.ResponseWriter',
  'net/http.RoundTripper', 'fmt.Stringer', 'sort.Interface', 'hash.Hash', 'context.Context',
]);

/** True when an unlock on the path to a return (an enclosing block, earlier line) released the lock. */
function releasedBefore(unlocks: { call: RawCall }[], line: number, blocks: number[]): boolean {
  for (const u of unlocks) if (u.call.line < line && isPrefix(blocksOf(u.call), blocks)) return true;
  return false;
}

function blocksOf(call: RawCall): number[] {
  return call.blocks ?? NO_BLOCKS;
}

function isPrefix(prefix: number[], of: number[]): boolean {
  if (prefix.length > of.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== of[i]) return false;
  return true;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The name a plain import is used by when the package is not indexed: its last element, sans `go-`/`.vN`. */
export function defaultImportName(path: string): string {
  const parts = path.split('/');
  let last = parts[parts.length - 1];
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  return last.replace(/^go-/, '').replace(/\.v\d+$/, '').replace(/[-.]/g, '_');
}

function isTraceable(x: Expr): boolean {
  return x.k === 'sel' || x.k === 'id' || (x.k === 'call' && x.f.k === 'sel') || x.k === 'addr' || x.k === 'star';
}

function contextMaker(value: Expr, file: FileCtx): string | null {
  if (value.k !== 'call' || value.f.k !== 'sel' || value.f.x.k !== 'id') return null;
  if (file.imports.get(value.f.x.n) !== 'context') return null;
  return CANCEL_MAKERS.has(value.f.n) ? value.f.n : null;
}

function stdlibFuncType(path: string, name: string): RType {
  const named = (pkg: string, n: string): RType => ({ k: 'named', pkg, n });
  if (path === 'time') {
    if (name === 'After' || name === 'Tick') return { k: 'func', results: [{ k: 'chan', dir: 'recv', t: named('time', 'Time') }] };
    if (name === 'NewTimer' || name === 'AfterFunc') return { k: 'func', results: [{ k: 'ptr', t: named('time', 'Timer') }] };
    if (name === 'NewTicker') return { k: 'func', results: [{ k: 'ptr', t: named('time', 'Ticker') }] };
  }
  if (path === 'context') {
    if (CANCEL_MAKERS.has(name)) return { k: 'func', results: [named('context', 'Context'), named('context', 'CancelFunc')] };
    if (name === 'Background' || name === 'TODO' || name === 'WithValue' || name === 'WithoutCancel') return { k: 'func', results: [named('context', 'Context')] };
  }
  if (path === 'sync' && name === 'NewCond') return { k: 'func', results: [{ k: 'ptr', t: named('sync', 'Cond') }] };
  return UNKNOWN;
}

function kindOfType(t: RType): ResourceKind {
  if (t.k === 'ptr') return kindOfType(t.t);
  if (t.k === 'chan') return 'chan';
  if (t.k === 'named' && t.pkg === 'sync' && SYNC_KINDS[t.n]) return SYNC_KINDS[t.n];
  if (t.k === 'named' && t.pkg === 'context' && t.n === 'Context') return 'context';
  return 'unknown';
}

function syncOperation(kind: ResourceKind, method: string): OperationKind | null {
  switch (kind) {
    case 'mutex':
      return method === 'Lock' ? 'mutex-lock' : method === 'Unlock' ? 'mutex-unlock' : null;
    case 'rwmutex':
      return method === 'Lock' ? 'mutex-lock' : method === 'Unlock' ? 'mutex-unlock'
        : method === 'RLock' ? 'rwmutex-rlock' : method === 'RUnlock' ? 'rwmutex-runlock' : null;
    case 'waitgroup':
      return method === 'Add' ? 'waitgroup-add' : method === 'Done' ? 'waitgroup-done' : method === 'Wait' ? 'waitgroup-wait' : null;
    case 'cond':
      return method === 'Wait' ? 'cond-wait' : method === 'Signal' ? 'cond-signal' : method === 'Broadcast' ? 'cond-broadcast' : null;
    case 'once':
      return method === 'Do' ? 'once-do' : null;
    default:
      return null;
  }
}

const exprTexts = new WeakMap<Expr, string>();

/** An expression printed back compactly: `s.donePeers`, `pu.Done()`, `m[]`. */
export function exprText(x: Expr): string {
  // An identifier is its own text: no entry (the table of texts costs the collector per entry).
  if (x.k === 'id') return x.n;
  let text = exprTexts.get(x);
  if (text === undefined) {
    text = printExpr(x);
    exprTexts.set(x, text);
  }
  return text;
}

function printExpr(x: Expr): string {
  switch (x.k) {
    case 'id': return x.n;
    case 'sel': return `${exprText(x.x)}.${x.n}`;
    case 'call': return `${exprText(x.f)}()`;
    case 'idx': return `${exprText(x.x)}[]`;
    case 'star': return `*${exprText(x.x)}`;
    case 'addr': return `&${exprText(x.x)}`;
    case 'recv': return `<-${exprText(x.x)}`;
    case 'nil': return 'nil';
    case 'func': return 'func(){…}';
    case 'assert': return `${exprText(x.x)}.(…)`;
    default: return '…';
  }
}

