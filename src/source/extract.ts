// Phase 1: one walk over one file's syntax tree, producing FileFacts. Knows nothing of other
// files; names stay as written (qualifiers, locals) for the linker to resolve.
import type { GoParser, ReadTree, SyntaxNode as Node, SyntaxTree } from './syntax-tree.js';
import type {
  Expr, FieldFact, FileFacts, FunctionFact, LocalDecl, ParamFact, RawCall, RawFlow, RawGo, RawOp, RawReturn, TypeDeclFact, TypeExpr, VarFact,
} from './facts.js';

// The parser, loaded where the facts are made (build.ts; its workers load syntax-tree.ts alone).
export { goWasm, loadGoParser, type GoParser, type GoWasm } from './syntax-tree.js';

const OTHER_TYPE: TypeExpr = { k: 'other' };
const OTHER_EXPR: Expr = { k: 'other' };
const LOCK_METHODS = new Set(['Lock', 'Unlock', 'RLock', 'RUnlock']);

/** Calls whose arguments the linker reads: `make(chan T)`, `new(T)`, `append(xs, x)`, conversions `T(x)`, literals `func(…){…}(x)`. */
function keepsArguments(f: Expr): boolean {
  return (f.k === 'id' && (f.n === 'make' || f.n === 'new' || f.n === 'append')) || f.k === 'type' || f.k === 'func';
}

/**
 * `chanOutput(d.progress)`, `pkg.Signal(ch)`: a call of a plain name on one named value may be a
 * conversion to a named type, which keeps the value (the linker tells, knowing the types).
 */
function mayBeConversion(f: Expr, args: Node): boolean {
  if (args.namedChildCount !== 1) return false;
  if (f.k !== 'id' && !(f.k === 'sel' && f.x.k === 'id')) return false;
  const arg = args.firstNamedChild!;
  return arg.type === 'identifier' || arg.type === 'selector_expression';
}

/** Expression nodes whose value may be a resource or a function: what value flows keep. */
const FLOW_VALUE_NODES = new Set([
  'identifier', 'selector_expression', 'unary_expression', 'call_expression', 'index_expression',
  'parenthesized_expression', 'func_literal', 'type_assertion_expression', 'type_conversion_expression',
]);

/** Node types that hold no operation, call or literal: the walk does not descend into them. */
const LEAVES = new Set([
  'identifier', 'field_identifier', 'package_identifier', 'type_identifier', 'label_name', 'blank_identifier',
  'int_literal', 'float_literal', 'imaginary_literal', 'rune_literal', 'interpreted_string_literal', 'raw_string_literal',
  'true', 'false', 'nil', 'iota', 'comment', 'qualified_type', 'pointer_type', 'slice_type', 'map_type', 'channel_type',
  'function_type', 'struct_type', 'interface_type', 'generic_type', 'type_arguments', 'parameter_list',
  'break_statement', 'continue_statement', 'goto_statement', 'fallthrough_statement', 'empty_statement',
]);

/**
 * Parse and extract one file (`read`: its tree as a worker read it, else parsed here). Never
 * throws on bad Go: syntax errors are counted.
 */
export function extractFacts(parser: GoParser, source: string, read?: ReadTree): FileFacts {
  const tree = read ? parser.tree(source, read) : parser.parse(source);
  const facts: FileFacts = { pkg: '', imports: {}, plainImports: [], types: [], vars: [], functions: [], errors: 0 };
  if (tree !== null) new Extractor(facts).file(tree);
  return facts;
}

interface WalkState {
  fn: number;
  deferred: boolean;
  blocks: number[];
}

class Extractor {
  private literalNodes = new Map<number, number>();
  private varInit = -1;
  constructor(private readonly facts: FileFacts) {}

  file(tree: SyntaxTree): void {
    if (tree.hasError) this.facts.errors++;
    for (let n = tree.root.firstNamedChild; n; n = n.nextNamedSibling) {
      switch (n.type) {
        case 'package_clause': {
          const id = n.firstNamedChild;
          if (id) this.facts.pkg = id.text;
          break;
        }
        case 'import_declaration': this.imports(n); break;
        case 'type_declaration': this.typeDecl(n); break;
        case 'var_declaration': this.packageVars(n); break;
        case 'function_declaration':
        case 'method_declaration': this.funcDecl(n); break;
        default: break;
      }
    }
    this.numberLiterals();
  }

  private imports(decl: Node): void {
    const specs: Node[] = [];
    for (let n = decl.firstNamedChild; n; n = n.nextNamedSibling) {
      if (n.type === 'import_spec') specs.push(n);
      else if (n.type === 'import_spec_list') {
        for (let s = n.firstNamedChild; s; s = s.nextNamedSibling) if (s.type === 'import_spec') specs.push(s);
      }
    }
    for (const spec of specs) {
      const pathNode = spec.childForFieldName('path');
      if (!pathNode) continue;
      const path = pathNode.text.replace(/^["`]|["`]$/g, '');
      const name = spec.childForFieldName('name');
      if (name && name.type === 'package_identifier') this.facts.imports[name.text] = path;
      else if (!name) this.facts.plainImports.push(path);
    }
  }

  private typeDecl(decl: Node): void {
    for (let n = decl.firstNamedChild; n; n = n.nextNamedSibling) {
      if (n.type !== 'type_spec' && n.type !== 'type_alias') continue;
      const name = n.childForFieldName('name');
      const type = n.childForFieldName('type');
      if (!name || !type) continue;
      const fact: TypeDeclFact = {
        name: name.text,
        type: this.type(type),
        line: n.startPosition.row + 1,
        generic: n.childForFieldName('type_parameters') !== null,
      };
      this.facts.types.push(fact);
    }
  }

  private packageVars(decl: Node): void {
    const specs: Node[] = [];
    for (let n = decl.firstNamedChild; n; n = n.nextNamedSibling) {
      if (n.type === 'var_spec') specs.push(n);
      else if (n.type === 'var_spec_list') {
        for (let s = n.firstNamedChild; s; s = s.nextNamedSibling) if (s.type === 'var_spec') specs.push(s);
      }
    }
    for (const spec of specs) {
      const names = spec.childrenForFieldName('name');
      const typeNode = spec.childForFieldName('type');
      const valueList = spec.childForFieldName('value');
      const values = valueList ? valueList.namedChildren : [];
      const type = typeNode ? this.type(typeNode) : null;
      names.forEach((name, i) => {
        const valueNode = values.length === names.length ? values[i] : null;
        const fact: VarFact = { name: name.text, type, value: null, line: name.startPosition.row + 1 };
        if (valueNode) {
          // Literals in package-level initialisers belong to the package's init (`pkg.init.funcN`).
          const initFn = this.containsFuncLiteral(valueNode) ? this.varInitFunction(valueNode) : -1;
          fact.value = this.expr(valueNode, initFn);
          if (initFn >= 0) this.walk(valueNode, { fn: initFn, deferred: false, blocks: [] });
        }
        this.facts.vars.push(fact);
      });
    }
  }

  /** One pseudo-function per file holds the literals of package-level initialisers. */
  private varInitFunction(node: Node): number {
    if (this.varInit < 0) this.varInit = this.newFunction(node, 'varinit', 'init', -1);
    return this.varInit;
  }

  private containsFuncLiteral(node: Node): boolean {
    return node.contains('func_literal');
  }

  private newFunction(node: Node, kind: FunctionFact['kind'], name: string, parent: number): number {
    const fact: FunctionFact = {
      name, kind, parent,
      startLine: node.startPosition.row + 1,
      endLine: node.endPosition.row + 1,
      start: node.startIndex,
      generic: false, recv: null, results: [], decls: [], ops: [], calls: [], gos: [], returns: [],
    };
    this.facts.functions.push(fact);
    return this.facts.functions.length - 1;
  }

  private funcDecl(node: Node): void {
    const nameNode = node.childForFieldName('name');
    if (!nameNode) return;
    const name = nameNode.text;
    const generic = node.childForFieldName('type_parameters') !== null;
    let kind: FunctionFact['kind'] = 'func';
    let fullName = generic ? `${name}[...]` : name;
    let recv: FunctionFact['recv'] = null;
    const receiverList = node.childForFieldName('receiver');
    if (node.type === 'method_declaration' && receiverList) {
      kind = 'method';
      recv = this.receiver(receiverList);
      const recvGeneric = receiverList.contains('type_arguments') || receiverList.contains('generic_type');
      const base = recvGeneric ? `${recv.type}[...]` : recv.type;
      fullName = recv.ptr ? `(*${base}).${name}` : `${base}.${name}`;
    } else if (name === 'init') {
      kind = 'init';
    }
    const index = this.newFunction(node, kind, fullName, -1);
    const fn = this.facts.functions[index];
    fn.generic = generic;
    fn.recv = recv;
    this.signature(node, fn);
    const body = node.childForFieldName('body');
    if (body) this.walk(body, { fn: index, deferred: false, blocks: [] });
  }

  private receiver(list: Node): { name: string | null; type: string; ptr: boolean } {
    const param = list.firstNamedChild;
    const nameNode = param?.childForFieldName('name') ?? null;
    let typeNode = param?.childForFieldName('type') ?? null;
    let ptr = false;
    while (typeNode && (typeNode.type === 'pointer_type' || typeNode.type === 'parenthesized_type')) {
      if (typeNode.type === 'pointer_type') ptr = true;
      typeNode = typeNode.namedChild(typeNode.namedChildCount - 1);
    }
    if (typeNode && typeNode.type === 'generic_type') typeNode = typeNode.childForFieldName('type');
    return { name: nameNode && nameNode.text !== '_' ? nameNode.text : null, type: typeNode ? typeNode.text : '?', ptr };
  }

  private signature(node: Node, fn: FunctionFact): void {
    const paramsNode = node.childForFieldName('parameters');
    const params = paramsNode ? this.paramList(paramsNode) : [];
    const result = node.childForFieldName('result');
    if (result) {
      if (result.type === 'parameter_list') fn.results = this.paramList(result).map((p) => p.type);
      else fn.results = [this.type(result)];
    }
    // Parameters are kept as locals declared on the function's first line.
    params.forEach((p, i) => {
      if (!p.name) return;
      const d = this.decl(p.name, fn.startLine, p.type, null);
      d.param = i;
      fn.decls.push(d);
    });
    if (fn.recv?.name) {
      const t: TypeExpr = { k: 'name', q: null, n: fn.recv.type };
      fn.decls.push(this.decl(fn.recv.name, fn.startLine, fn.recv.ptr ? { k: 'ptr', t } : t, null));
    }
    if (result && result.type === 'parameter_list') {
      for (const p of this.paramList(result)) if (p.name) fn.decls.push(this.decl(p.name, fn.startLine, p.type, null));
    }
  }

  private paramList(list: Node): ParamFact[] {
    const out: ParamFact[] = [];
    for (let p = list.firstNamedChild; p; p = p.nextNamedSibling) {
      if (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration') continue;
      const typeNode = p.childForFieldName('type');
      let type = typeNode ? this.type(typeNode) : OTHER_TYPE;
      if (p.type === 'variadic_parameter_declaration') type = { k: 'slice', t: type };
      const names = p.childrenForFieldName('name');
      if (names.length === 0) out.push({ name: '', type });
      for (const n of names) out.push({ name: n.text === '_' ? '' : n.text, type });
    }
    return out;
  }

  private decl(name: string, line: number, type: TypeExpr | null, value: Expr | null): LocalDecl {
    const d: LocalDecl = { name, line };
    if (type) d.type = type;
    if (value) d.value = value;
    return d;
  }

  /** Gives literals their compiler ordinals: source order among the direct children of one function. */
  private numberLiterals(): void {
    const byParent = new Map<number, FunctionFact[]>();
    for (const fn of this.facts.functions) {
      if (fn.kind !== 'literal') continue;
      const list = byParent.get(fn.parent) ?? [];
      list.push(fn);
      byParent.set(fn.parent, list);
    }
    for (const [parent, list] of byParent) {
      list.sort((a, b) => a.start - b.start);
      const parentFn = this.facts.functions[parent];
      const childOfLiteral = parentFn.kind === 'literal';
      list.forEach((fn, i) => { fn.name = childOfLiteral ? `${i + 1}` : `func${i + 1}`; });
    }
  }

  // ---- types -------------------------------------------------------------------------------

  type(node: Node): TypeExpr {
    switch (node.type) {
      case 'type_identifier': return { k: 'name', q: null, n: node.text };
      case 'qualified_type': {
        const pkg = node.childForFieldName('package');
        const name = node.childForFieldName('name');
        return { k: 'name', q: pkg ? pkg.text : null, n: name ? name.text : '?' };
      }
      case 'generic_type': {
        const base = node.childForFieldName('type');
        return base ? this.type(base) : OTHER_TYPE;
      }
      case 'pointer_type': {
        const inner = node.namedChild(node.namedChildCount - 1);
        return inner ? { k: 'ptr', t: this.type(inner) } : OTHER_TYPE;
      }
      case 'parenthesized_type': {
        const inner = node.firstNamedChild;
        return inner ? this.type(inner) : OTHER_TYPE;
      }
      case 'channel_type': {
        const value = node.childForFieldName('value');
        const text = node.text;
        const dir = text.startsWith('<-') ? 'recv' : /^chan\s*<-/.test(text) ? 'send' : 'both';
        return { k: 'chan', dir, t: value ? this.type(value) : OTHER_TYPE };
      }
      case 'slice_type':
      case 'array_type':
      case 'implicit_length_array_type': {
        const el = node.childForFieldName('element');
        return { k: 'slice', t: el ? this.type(el) : OTHER_TYPE };
      }
      case 'map_type': {
        const v = node.childForFieldName('value');
        return { k: 'map', t: v ? this.type(v) : OTHER_TYPE };
      }
      case 'function_type': {
        const result = node.childForFieldName('result');
        let results: TypeExpr[] = [];
        if (result) results = result.type === 'parameter_list' ? this.paramList(result).map((p) => p.type) : [this.type(result)];
        return { k: 'func', results };
      }
      case 'struct_type': return { k: 'struct', fields: this.fields(node) };
      case 'interface_type': {
        const methods: string[] = [];
        for (let m = node.firstNamedChild; m; m = m.nextNamedSibling) {
          if (m.type === 'method_elem' || m.type === 'method_spec') {
            const name = m.childForFieldName('name');
            if (name) methods.push(name.text);
          }
        }
        return { k: 'iface', methods };
      }
      default: return OTHER_TYPE;
    }
  }

  private fields(struct: Node): FieldFact[] {
    const out: FieldFact[] = [];
    const list = struct.firstNamedChild;
    if (!list) return out;
    for (let f = list.firstNamedChild; f; f = f.nextNamedSibling) {
      if (f.type !== 'field_declaration') continue;
      const typeNode = f.childForFieldName('type');
      if (!typeNode) continue;
      const type = this.type(typeNode);
      const names = f.childrenForFieldName('name');
      const line = f.startPosition.row + 1;
      if (names.length === 0) {
        let base = type;
        while (base.k === 'ptr') base = base.t;
        out.push({ name: base.k === 'name' ? base.n : '?', type, embedded: true, line });
      }
      for (const n of names) out.push({ name: n.text, type, embedded: false, line });
    }
    return out;
  }

  // ---- expressions -------------------------------------------------------------------------

  /** Reduce an expression node; `fn` is the function the literal would belong to. */
  expr(node: Node, fn: number): Expr {
    switch (node.type) {
      case 'identifier': return { k: 'id', n: node.text };
      case 'nil': return { k: 'nil' };
      case 'parenthesized_expression': {
        const inner = node.firstNamedChild;
        return inner ? this.expr(inner, fn) : OTHER_EXPR;
      }
      case 'selector_expression': {
        const operand = node.childForFieldName('operand');
        const field = node.childForFieldName('field');
        if (!operand || !field) return OTHER_EXPR;
        return { k: 'sel', x: this.expr(operand, fn), n: field.text };
      }
      case 'call_expression': {
        const f = node.childForFieldName('function');
        const args = node.childForFieldName('arguments');
        const fx = f ? this.expr(f, fn) : OTHER_EXPR;
        // Arguments matter only where they carry a type (`make`, `new`) or a literal; other
        // calls' arguments are walked as expressions of their own and need not be kept.
        const a: Expr[] = [];
        if (args && (keepsArguments(fx) || mayBeConversion(fx, args))) for (let c = args.firstNamedChild; c; c = c.nextNamedSibling) a.push(this.argument(c, fn));
        else if (args) for (let c = args.firstNamedChild; c; c = c.nextNamedSibling) if (c.type === 'func_literal') this.literal(c, fn);
        return { k: 'call', f: fx, a };
      }
      case 'index_expression':
      case 'slice_expression':
      case 'generic_type':
      case 'type_instantiation_expression': {
        const operand = node.childForFieldName('operand') ?? node.childForFieldName('type') ?? node.firstNamedChild;
        if (!operand) return OTHER_EXPR;
        if (node.type === 'type_instantiation_expression' || node.type === 'generic_type') return this.expr(operand, fn);
        return { k: 'idx', x: this.expr(operand, fn) };
      }
      case 'unary_expression': {
        const operand = node.childForFieldName('operand');
        const op = node.childForFieldName('operator')?.type;
        if (!operand) return OTHER_EXPR;
        const x = this.expr(operand, fn);
        if (op === '<-') return { k: 'recv', x };
        if (op === '&') return { k: 'addr', x };
        if (op === '*') return { k: 'star', x };
        return OTHER_EXPR;
      }
      case 'composite_literal': {
        const t = node.childForFieldName('type');
        return { k: 'lit', t: t ? this.type(t) : OTHER_TYPE };
      }
      case 'type_assertion_expression': {
        const operand = node.childForFieldName('operand');
        const t = node.childForFieldName('type');
        return { k: 'assert', x: operand ? this.expr(operand, fn) : OTHER_EXPR, t: t ? this.type(t) : OTHER_TYPE };
      }
      case 'func_literal': return { k: 'func', fn: this.literal(node, fn) };
      case 'type_conversion_expression': {
        const t = node.childForFieldName('type');
        const operand = node.childForFieldName('operand');
        return { k: 'call', f: { k: 'type', t: t ? this.type(t) : OTHER_TYPE }, a: operand ? [this.expr(operand, fn)] : [] };
      }
      case 'type_identifier':
      case 'qualified_type':
      case 'parenthesized_type':
      case 'channel_type':
      case 'pointer_type':
      case 'map_type':
      case 'slice_type':
      case 'array_type':
      case 'function_type':
      case 'struct_type':
      case 'interface_type':
        return { k: 'type', t: this.type(node) };
      default: return OTHER_EXPR;
    }
  }

  private argument(node: Node, fn: number): Expr {
    // `make(chan T)` and `new(T)` carry types; the grammar may wrap them.
    if (node.type === 'type_elem' || node.type === 'parenthesized_type') {
      const inner = node.firstNamedChild;
      return inner ? { k: 'type', t: this.type(inner) } : OTHER_EXPR;
    }
    // `append(dst, src...)`: the spread slice itself.
    if (node.type === 'variadic_argument' && node.firstNamedChild) return this.expr(node.firstNamedChild, fn);
    return this.expr(node, fn);
  }

  /** The function index of a literal node, created on first sight. */
  private literal(node: Node, parent: number): number {
    const known = this.literalNodes.get(node.id);
    if (known !== undefined) return known;
    const index = this.newFunction(node, 'literal', '', parent);
    this.literalNodes.set(node.id, index);
    const fn = this.facts.functions[index];
    this.signature(node, fn);
    const body = node.childForFieldName('body');
    if (body) this.walk(body, { fn: index, deferred: false, blocks: [] });
    return index;
  }

  // ---- statements and operations -----------------------------------------------------------

  private fn(state: WalkState): FunctionFact {
    return this.facts.functions[state.fn];
  }

  private walkChildren(node: Node, state: WalkState): void {
    for (let c = node.firstNamedChild; c; c = c.nextNamedSibling) this.walk(c, state);
  }

  walk(node: Node, state: WalkState): void {
    const type = node.type;
    if (LEAVES.has(type)) return;
    switch (type) {
      case 'func_literal':
        this.literal(node, state.fn);
        return;
      case 'block':
      case 'communication_case':
      case 'expression_case':
      case 'type_case':
      case 'default_case': {
        const inner: WalkState = { fn: state.fn, deferred: false, blocks: [...state.blocks, node.startIndex] };
        if (node.type === 'communication_case') {
          const comm = node.childForFieldName('communication');
          for (let c = node.firstNamedChild; c; c = c.nextNamedSibling) {
            if (comm && c.id === comm.id) this.walkCommunication(c, inner);
            else this.walk(c, inner);
          }
          return;
        }
        this.walkChildren(node, inner);
        return;
      }
      case 'send_statement': {
        const ch = node.childForFieldName('channel');
        if (ch) this.op('send', node, this.expr(ch, state.fn), state);
        const sent = node.childForFieldName('value');
        if (sent) this.flow(state, { k: 'send', line: node.startPosition.row + 1 }, sent);
        this.walkChildren(node, { ...state, deferred: false });
        return;
      }
      case 'unary_expression': {
        if (node.childForFieldName('operator')?.type === '<-') {
          const operand = node.childForFieldName('operand');
          if (operand) this.op('recv', node, this.expr(operand, state.fn), state);
        }
        this.walkChildren(node, { ...state, deferred: false });
        return;
      }
      case 'for_statement': {
        const first = node.startPosition.row + 1;
        const last = node.endPosition.row + 1;
        if (last > first) (this.fn(state).loops ??= []).push(first, last);
        for (let c = node.firstNamedChild; c; c = c.nextNamedSibling) {
          if (c.type === 'range_clause') this.rangeClause(c, state);
          else this.walk(c, state);
        }
        return;
      }
      case 'select_statement':
        this.select(node, state);
        return;
      case 'go_statement': {
        const call = node.firstNamedChild;
        if (call && call.type === 'call_expression') {
          const f = call.childForFieldName('function');
          if (f) {
            const go: RawGo = { line: node.startPosition.row + 1, f: this.expr(f, state.fn) };
            const argsNode = call.childForFieldName('arguments');
            if (go.f.k === 'func' && argsNode && argsNode.namedChildCount > 0) {
              go.args = [];
              for (let c = argsNode.firstNamedChild; c; c = c.nextNamedSibling) go.args.push(this.argument(c, state.fn));
            }
            const gos = this.fn(state).gos;
            gos.push(go);
            if (argsNode) {
              let i = 0;
              for (let c = argsNode.firstNamedChild; c; c = c.nextNamedSibling, i++) {
                this.flow(state, { k: 'arg', line: go.line, call: gos.length - 1, go: true, i }, c);
              }
            }
          }
          // Arguments are evaluated by the caller; a literal's body is its own function.
          for (let c = call.firstNamedChild; c; c = c.nextNamedSibling) {
            if (c.type === 'arguments') this.walkChildren(c, state);
            else if (c.type === 'func_literal') this.literal(c, state.fn);
            else if (c.type !== 'identifier') this.walkChildren(c, state);
          }
        } else if (call) this.walk(call, state);
        return;
      }
      case 'defer_statement': {
        const inner = node.firstNamedChild;
        if (inner) this.walk(inner, { ...state, deferred: true });
        return;
      }
      case 'call_expression':
        this.call(node, state);
        return;
      case 'return_statement': {
        const list = node.firstNamedChild;
        let value: Expr | null = null;
        if (list && list.type === 'expression_list' && list.namedChildCount === 1) {
          value = this.expr(list.firstNamedChild!, state.fn);
        } else if (list && list.type !== 'expression_list') value = this.expr(list, state.fn);
        const ret: RawReturn = { line: node.startPosition.row + 1 };
        if (state.blocks.length > 0) ret.blocks = state.blocks;
        if (value) ret.value = value;
        this.fn(state).returns.push(ret);
        if (list) {
          const values = list.type === 'expression_list' ? list.namedChildren : [list];
          values.forEach((v, i) => this.flow(state, { k: 'ret', line: ret.line, i }, v));
        }
        if (list) this.walk(list, state);
        return;
      }
      case 'short_var_declaration':
        this.shortVar(node, state);
        return;
      case 'var_declaration':
        this.localVars(node, state);
        return;
      case 'type_declaration':
      case 'const_declaration':
        return;
      case 'assignment_statement': {
        const operator = node.childForFieldName('operator')?.type;
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (operator === '=' && left && right && left.namedChildCount === right.namedChildCount) {
          const targets = left.namedChildren;
          right.namedChildren.forEach((v, i) => {
            this.flow(state, { k: 'assign', line: v.startPosition.row + 1, to: this.expr(targets[i], state.fn) }, v);
          });
        } else if (operator === '=' && left && right && right.namedChildCount === 1 && left.namedChildCount > 1) {
          // `ctx, rs.cancel = context.WithCancel(ctx)`: each target takes one result of the call (`i`).
          const v = right.namedChildren[0]!;
          left.namedChildren.forEach((target, i) => {
            this.flow(state, { k: 'assign', line: v.startPosition.row + 1, to: this.expr(target, state.fn), i }, v);
          });
        }
        this.walkChildren(node, state);
        return;
      }
      case 'composite_literal': {
        this.compositeFlows(node, state);
        this.walkChildren(node, state);
        return;
      }
      default:
        this.walkChildren(node, state);
    }
  }

  /** Records a value flow when the value may name a resource or a function (see RawFlow). */
  private flow(state: WalkState, flow: Omit<RawFlow, 'v'>, valueNode: Node): void {
    if (!FLOW_VALUE_NODES.has(valueNode.type)) return;
    const v = this.expr(valueNode, state.fn);
    if (v.k === 'other' || v.k === 'nil' || v.k === 'lit' || v.k === 'type') return;
    (this.fn(state).flows ??= []).push({ ...flow, v } as RawFlow);
  }

  /** `T{key: v}` and `T{v1, v2}`: each element is a store into a field of T. */
  private compositeFlows(node: Node, state: WalkState): void {
    const typeNode = node.childForFieldName('type');
    const body = node.childForFieldName('body');
    if (!typeNode || !body) return;
    const t = this.type(typeNode);
    let i = 0;
    for (let el = body.firstNamedChild; el; el = el.nextNamedSibling, i++) {
      const line = el.startPosition.row + 1;
      if (el.type === 'keyed_element') {
        const key = el.namedChild(0);
        const value = el.namedChild(1);
        const keyId = key?.type === 'literal_element' ? key.firstNamedChild : key;
        const valueNode = value?.type === 'literal_element' ? value.firstNamedChild : value;
        if (keyId && valueNode && (keyId.type === 'identifier' || keyId.type === 'field_identifier')) {
          this.flow(state, { k: 'lit', line, t, key: keyId.text }, valueNode);
        }
      } else {
        const valueNode = el.type === 'literal_element' ? el.firstNamedChild : el;
        if (valueNode) this.flow(state, { k: 'lit', line, t, i }, valueNode);
      }
    }
  }

  private op(op: RawOp['op'], node: Node, x: Expr | null, state: WalkState): RawOp {
    const raw: RawOp = { op, line: node.startPosition.row + 1 };
    if (x) raw.x = x;
    if (state.deferred) raw.deferred = true;
    this.fn(state).ops.push(raw);
    return raw;
  }

  private call(node: Node, state: WalkState): void {
    const f = node.childForFieldName('function');
    const argsNode = node.childForFieldName('arguments');
    const fx = f ? this.expr(f, state.fn) : OTHER_EXPR;
    const args: Expr[] = [];
    const keep = keepsArguments(fx) || (fx.k === 'id' && fx.n === 'close') || (fx.k === 'sel' && fx.n === 'Notify');
    if (argsNode && keep) for (let c = argsNode.firstNamedChild; c; c = c.nextNamedSibling) args.push(this.argument(c, state.fn));
    if (fx.k === 'id' && fx.n === 'close' && args.length === 1) {
      this.op('close', node, args[0], state);
    } else {
      const call: RawCall = { line: node.startPosition.row + 1, f: fx };
      if (args.length > 0) call.args = args;
      if (state.deferred) call.deferred = true;
      // Enclosing blocks matter only for lock calls (held regions).
      if (fx.k === 'sel' && LOCK_METHODS.has(fx.n) && state.blocks.length > 0) call.blocks = state.blocks;
      const calls = this.fn(state).calls;
      calls.push(call);
      if (argsNode) {
        let i = 0;
        for (let c = argsNode.firstNamedChild; c; c = c.nextNamedSibling, i++) {
          this.flow(state, { k: 'arg', line: call.line, call: calls.length - 1, i }, c);
        }
      }
    }
    const inner: WalkState = { ...state, deferred: false };
    if (f) this.walk(f, inner);
    if (argsNode) this.walkChildren(argsNode, inner);
  }

  private walkCommunication(node: Node, state: WalkState): void {
    // The case's own send/receive is recorded on the select; walk only its sub-expressions.
    if (node.type === 'send_statement') {
      const ch = node.childForFieldName('channel');
      const value = node.childForFieldName('value');
      if (ch) this.walkChildren(ch, state);
      if (value) this.walk(value, state);
      return;
    }
    if (node.type === 'receive_statement') {
      const right = node.childForFieldName('right');
      const left = node.childForFieldName('left');
      if (right) {
        const operand = right.type === 'unary_expression' ? right.childForFieldName('operand') : right;
        if (operand) this.walk(operand, state);
        if (left && node.text.includes(':=')) {
          const fn = this.fn(state);
          const recv = this.expr(right, state.fn);
          left.namedChildren.forEach((id, i) => {
            if (id.type === 'identifier' && id.text !== '_' && i === 0) fn.decls.push(this.decl(id.text, id.startPosition.row + 1, null, recv));
          });
        }
      }
      return;
    }
    this.walk(node, state);
  }

  private select(node: Node, state: WalkState): void {
    const site = this.op('select', node, null, state);
    const cases: RawOp[] = [];
    site.cases = cases;
    const body = node.lastNamedChild && node.lastNamedChild.type === 'communication_case' ? node : node;
    for (let c = body.firstNamedChild; c; c = c.nextNamedSibling) {
      if (c.type === 'default_case') site.hasDefault = true;
      if (c.type === 'communication_case') {
        const comm = c.childForFieldName('communication');
        const line = c.startPosition.row + 1;
        if (comm && comm.type === 'send_statement') {
          const ch = comm.childForFieldName('channel');
          if (ch) cases.push({ op: 'send', line, x: this.expr(ch, state.fn) });
        } else if (comm && comm.type === 'receive_statement') {
          const right = comm.childForFieldName('right');
          const operand = right && right.type === 'unary_expression' ? right.childForFieldName('operand') : null;
          if (operand) cases.push({ op: 'recv', line, x: this.expr(operand, state.fn) });
        }
      }
      if (c.type === 'communication_case' || c.type === 'default_case' || c.type === 'block') this.walk(c, { ...state, deferred: false });
    }
  }

  private rangeClause(clause: Node, state: WalkState): void {
    const right = clause.childForFieldName('right');
    if (!right) return;
    const x = this.expr(right, state.fn);
    this.op('range', clause, x, state);
    const left = clause.childForFieldName('left');
    if (left && clause.text.includes(':=')) {
      const fn = this.fn(state);
      left.namedChildren.forEach((id, i) => {
        if (id.type !== 'identifier' || id.text === '_') return;
        const d = this.decl(id.text, id.startPosition.row + 1, null, x);
        d.range = i;
        fn.decls.push(d);
      });
    }
    this.walk(right, { ...state, deferred: false });
  }

  private shortVar(node: Node, state: WalkState): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left || !right) return;
    this.assignDecls(left.namedChildren, right.namedChildren, null, state);
    this.walk(right, state);
  }

  private localVars(node: Node, state: WalkState): void {
    const specs: Node[] = [];
    for (let n = node.firstNamedChild; n; n = n.nextNamedSibling) {
      if (n.type === 'var_spec') specs.push(n);
      else if (n.type === 'var_spec_list') for (let s = n.firstNamedChild; s; s = s.nextNamedSibling) if (s.type === 'var_spec') specs.push(s);
    }
    for (const spec of specs) {
      const typeNode = spec.childForFieldName('type');
      const value = spec.childForFieldName('value');
      this.assignDecls(spec.childrenForFieldName('name'), value ? value.namedChildren : [], typeNode ? this.type(typeNode) : null, state);
      if (value) this.walk(value, state);
    }
  }

  private assignDecls(names: Node[], values: Node[], type: TypeExpr | null, state: WalkState): void {
    const fn = this.fn(state);
    const ids = names.map((n) => (n.type === 'identifier' ? n.text : '_'));
    const tupleValue = values.length === 1 && names.length > 1 ? this.expr(values[0], state.fn) : null;
    names.forEach((n, i) => {
      if (ids[i] === '_') return;
      const line = n.startPosition.row + 1;
      if (tupleValue) {
        const d = this.decl(ids[i], line, type, tupleValue);
        d.tuple = i;
        d.tupleNames = ids;
        fn.decls.push(d);
      } else {
        const v = values[i];
        fn.decls.push(this.decl(ids[i], line, type, v ? this.expr(v, state.fn) : null));
      }
    });
  }
}
