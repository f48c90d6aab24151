// A file's syntax tree read out of tree-sitter in one pass, into arrays the extractor walks in
// plain JavaScript. web-tree-sitter's own nodes cross into WebAssembly for every property (the
// type, a child, a field), and the extractor asks several per node: on a large tree that was
// three quarters of the cold index's time. Reading every node once with a cursor and answering
// the extractor's questions from arrays gives the same answers for a fraction of the cost.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';

/** A position as tree-sitter gives it: zero-based row, column in UTF-16 code units. */
export interface Point { row: number; column: number }

/** The node kinds and fields of a grammar, looked up once. */
export class Grammar {
  private readonly typeNames: string[] = [];
  private readonly namedTypes: boolean[] = [];
  private readonly fieldIds = new Map<string, number>();

  constructor(language: Language) {
    for (let id = 0; id < language.nodeTypeCount; id++) {
      this.typeNames.push(language.nodeTypeForId(id) ?? '');
      this.namedTypes.push(language.nodeTypeIsNamed(id));
    }
    for (let id = 1; id <= language.fieldCount; id++) {
      const name = language.fieldNameForId(id);
      if (name) this.fieldIds.set(name, id);
    }
  }

  /** Ids past the table are tree-sitter's error node, which is named. */
  typeName(id: number): string {
    return id < this.typeNames.length ? this.typeNames[id] : 'ERROR';
  }

  isNamed(id: number): boolean {
    return id < this.namedTypes.length ? this.namedTypes[id] : true;
  }

  /** 0 for a name the grammar has no field of (no node has field 0). */
  fieldId(name: string): number {
    return this.fieldIds.get(name) ?? 0;
  }
}

/** What a reader fills: one entry per node, in pre-order (a node before its children, children in order). */
class NodeRows {
  types = new Uint16Array(4096);
  starts = new Int32Array(4096);
  ends = new Int32Array(4096);
  fields = new Uint16Array(4096);
  parents = new Int32Array(4096);
  count = 0;

  push(type: number, start: number, end: number, field: number, parent: number): number {
    if (this.count === this.types.length) this.grow();
    const i = this.count++;
    this.types[i] = type;
    this.starts[i] = start;
    this.ends[i] = end;
    this.fields[i] = field;
    this.parents[i] = parent;
    return i;
  }

  private grow(): void {
    const size = this.types.length * 2;
    const more = <T extends Uint16Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.types = more(this.types, (n) => new Uint16Array(n));
    this.starts = more(this.starts, (n) => new Int32Array(n));
    this.ends = more(this.ends, (n) => new Int32Array(n));
    this.fields = more(this.fields, (n) => new Uint16Array(n));
    this.parents = more(this.parents, (n) => new Int32Array(n));
  }
}

/**
 * A tree as read out of tree-sitter, one entry per node in pre-order: what a worker that parses
 * hands to the thread that extracts (its buffers move with the message, nothing is copied).
 */
export interface ReadTree {
  types: Uint16Array;
  starts: Int32Array;
  ends: Int32Array;
  fields: Uint16Array;
  parents: Int32Array;
  hasError: boolean;
}

/** The buffers of a reading, to move with a message that carries it. */
export function readingBuffers(reading: ReadTree): ArrayBuffer[] {
  return [reading.types.buffer, reading.starts.buffer, reading.ends.buffer, reading.fields.buffer, reading.parents.buffer] as ArrayBuffer[];
}

/** Reads every visible node of a tree into `rows`, in pre-order. */
type TreeReader = (tree: Tree, rows: NodeRows) => void;

/** The reader on web-tree-sitter's public cursor: the reference, and the fallback. */
export const readWithCursor: TreeReader = (tree, rows) => {
  const cursor = tree.walk();
  try {
    const parents: number[] = [];
    let parent = -1;
    for (;;) {
      const i = rows.push(cursor.nodeTypeId, cursor.startIndex, cursor.endIndex, cursor.currentFieldId, parent);
      if (cursor.gotoFirstChild()) {
        parents.push(parent);
        parent = i;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return;
        parent = parents.pop()!;
      }
    }
  } finally {
    cursor.delete();
  }
};

/**
 * The exports of web-tree-sitter's WebAssembly binding that a cursor walk needs. Its cursor lives
 * in the binding's transfer buffer between calls: moves update it there, and the questions about
 * the current node only read it, so a walk that asks nothing else never copies it out.
 */
interface CursorBinding {
  _ts_tree_root_node_wasm(tree: number): void;
  _ts_tree_cursor_new_wasm(tree: number): void;
  _ts_tree_cursor_delete_wasm(tree: number): void;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
}

const CURSOR_EXPORTS: (keyof CursorBinding)[] = [
  '_ts_tree_root_node_wasm', '_ts_tree_cursor_new_wasm', '_ts_tree_cursor_delete_wasm',
  '_ts_tree_cursor_goto_first_child_wasm', '_ts_tree_cursor_goto_next_sibling_wasm', '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm', '_ts_tree_cursor_start_index_wasm', '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
];

/** The same walk as readWithCursor, calling the binding directly; null when it lacks an export. */
function directReader(binding: Record<string, unknown>): TreeReader | null {
  if (!CURSOR_EXPORTS.every((name) => typeof binding[name] === 'function')) return null;
  const b = binding as unknown as CursorBinding;
  const firstChild = b._ts_tree_cursor_goto_first_child_wasm;
  const nextSibling = b._ts_tree_cursor_goto_next_sibling_wasm;
  const toParent = b._ts_tree_cursor_goto_parent_wasm;
  const typeId = b._ts_tree_cursor_current_node_type_id_wasm;
  const startIndex = b._ts_tree_cursor_start_index_wasm;
  const endIndex = b._ts_tree_cursor_end_index_wasm;
  const fieldId = b._ts_tree_cursor_current_field_id_wasm;
  return (tree, rows) => {
    const t = (tree as unknown as { 0: number })[0];
    b._ts_tree_root_node_wasm(t);
    b._ts_tree_cursor_new_wasm(t);
    const parents: number[] = [];
    let parent = -1;
    try {
      for (;;) {
        const i = rows.push(typeId(t) & 0xffff, startIndex(t), endIndex(t), fieldId(t), parent);
        if (firstChild(t)) {
          parents.push(parent);
          parent = i;
          continue;
        }
        while (!nextSibling(t)) {
          if (!toParent(t)) return;
          parent = parents.pop()!;
        }
      }
    } finally {
      b._ts_tree_cursor_delete_wasm(t);
    }
  };
}

/**
 * One parsed file, as arrays indexed by node (pre-order; the root is 0; -1 is no node). The
 * extractor reads it through SyntaxNode; the arrays are for SyntaxNode and the reader checks.
 */
export class SyntaxTree {
  readonly hasError: boolean;
  readonly root: SyntaxNode;
  readonly types: Uint16Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly fields: Uint16Array;
  readonly parents: Int32Array;
  readonly firstChildren: Int32Array;
  readonly nextSiblings: Int32Array;
  readonly firstNamedChildren: Int32Array;
  readonly nextNamedSiblings: Int32Array;
  /** The first node after each node's subtree: its descendants are the nodes in between. */
  readonly subtreeEnds: Int32Array;
  private readonly nodes: (SyntaxNode | undefined)[];
  private lineStarts: number[] | null = null;

  constructor(readonly source: string, readonly grammar: Grammar, rows: ReadTree) {
    const n = rows.types.length;
    this.hasError = rows.hasError;
    this.types = rows.types;
    this.starts = rows.starts;
    this.ends = rows.ends;
    this.fields = rows.fields;
    this.parents = rows.parents;
    this.firstChildren = new Int32Array(n).fill(-1);
    this.nextSiblings = new Int32Array(n).fill(-1);
    this.firstNamedChildren = new Int32Array(n).fill(-1);
    this.nextNamedSiblings = new Int32Array(n).fill(-1);
    this.subtreeEnds = new Int32Array(n);
    const lastChild = new Int32Array(n).fill(-1);
    const lastNamedChild = new Int32Array(n).fill(-1);
    for (let i = 1; i < n; i++) {
      const p = this.parents[i];
      if (lastChild[p] < 0) this.firstChildren[p] = i;
      else this.nextSiblings[lastChild[p]] = i;
      lastChild[p] = i;
      if (!grammar.isNamed(this.types[i])) continue;
      if (lastNamedChild[p] < 0) this.firstNamedChildren[p] = i;
      else this.nextNamedSiblings[lastNamedChild[p]] = i;
      lastNamedChild[p] = i;
    }
    // Children come after their parent: from the end, each subtree is complete when its parent reads it.
    for (let i = n - 1; i >= 0; i--) {
      if (this.subtreeEnds[i] === 0) this.subtreeEnds[i] = i + 1;
      const p = this.parents[i];
      if (p >= 0 && this.subtreeEnds[i] > this.subtreeEnds[p]) this.subtreeEnds[p] = this.subtreeEnds[i];
    }
    this.nodes = new Array<SyntaxNode | undefined>(n);
    this.root = this.node(0)!;
  }

  get size(): number {
    return this.types.length;
  }

  /** The node at an index (one object per node, so nodes compare by identity); null for -1. */
  node(i: number): SyntaxNode | null {
    if (i < 0) return null;
    return (this.nodes[i] ??= new SyntaxNode(this, i));
  }

  /** The position of a source index: rows end at `\n`, as tree-sitter counts them. */
  pointAt(index: number): Point {
    const starts = (this.lineStarts ??= lineStartsOf(this.source));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: index - starts[lo] };
  }
}

function lineStartsOf(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** A node of a SyntaxTree, answering as web-tree-sitter's Node does for the questions the extractor asks. */
export class SyntaxNode {
  constructor(private readonly tree: SyntaxTree, readonly id: number) {}

  get type(): string {
    return this.tree.grammar.typeName(this.tree.types[this.id]);
  }

  get isNamed(): boolean {
    return this.tree.grammar.isNamed(this.tree.types[this.id]);
  }

  get startIndex(): number {
    return this.tree.starts[this.id];
  }

  get endIndex(): number {
    return this.tree.ends[this.id];
  }

  get text(): string {
    return this.tree.source.slice(this.tree.starts[this.id], this.tree.ends[this.id]);
  }

  get startPosition(): Point {
    return this.tree.pointAt(this.tree.starts[this.id]);
  }

  get endPosition(): Point {
    return this.tree.pointAt(this.tree.ends[this.id]);
  }

  get parent(): SyntaxNode | null {
    return this.tree.node(this.tree.parents[this.id]);
  }

  get firstNamedChild(): SyntaxNode | null {
    return this.tree.node(this.tree.firstNamedChildren[this.id]);
  }

  get nextNamedSibling(): SyntaxNode | null {
    return this.tree.node(this.tree.nextNamedSiblings[this.id]);
  }

  get lastNamedChild(): SyntaxNode | null {
    let last = -1;
    for (let c = this.tree.firstNamedChildren[this.id]; c >= 0; c = this.tree.nextNamedSiblings[c]) last = c;
    return this.tree.node(last);
  }

  get namedChildren(): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = this.tree.firstNamedChildren[this.id]; c >= 0; c = this.tree.nextNamedSiblings[c]) out.push(this.tree.node(c)!);
    return out;
  }

  get namedChildCount(): number {
    let count = 0;
    for (let c = this.tree.firstNamedChildren[this.id]; c >= 0; c = this.tree.nextNamedSiblings[c]) count++;
    return count;
  }

  namedChild(index: number): SyntaxNode | null {
    let c = this.tree.firstNamedChildren[this.id];
    for (let k = 0; c >= 0 && k < index; k++) c = this.tree.nextNamedSiblings[c];
    return index < 0 ? null : this.tree.node(c);
  }

  /** The first child, named or not, in the field `name`. */
  childForFieldName(name: string): SyntaxNode | null {
    const field = this.tree.grammar.fieldId(name);
    if (field === 0) return null;
    for (let c = this.tree.firstChildren[this.id]; c >= 0; c = this.tree.nextSiblings[c]) {
      if (this.tree.fields[c] === field) return this.tree.node(c);
    }
    return null;
  }

  /** Every child, named or not, in the field `name`. */
  childrenForFieldName(name: string): SyntaxNode[] {
    const field = this.tree.grammar.fieldId(name);
    const out: SyntaxNode[] = [];
    if (field === 0) return out;
    for (let c = this.tree.firstChildren[this.id]; c >= 0; c = this.tree.nextSiblings[c]) {
      if (this.tree.fields[c] === field) out.push(this.tree.node(c)!);
    }
    return out;
  }

  /** Whether this node or one below it is of the kind `type`. */
  contains(type: string): boolean {
    const { types, grammar } = this.tree;
    for (let i = this.id, end = this.tree.subtreeEnds[this.id]; i < end; i++) if (grammar.typeName(types[i]) === type) return true;
    return false;
  }
}

/** Parses Go source into SyntaxTrees. */
export interface GoParser {
  /** `reference`: read with web-tree-sitter's public cursor, whatever the fast walk is. */
  parse(source: string, options?: { reference?: boolean }): SyntaxTree | null;
  /** The source parsed and read, not yet a SyntaxTree (which `tree` makes, on any thread). */
  read(source: string): ReadTree | null;
  /** The SyntaxTree of a source from its reading. */
  tree(source: string, reading: ReadTree): SyntaxTree;
  /** Whether trees are read through the binding directly (else through the public cursor). */
  readonly readsDirectly: boolean;
}

/**
 * Source the readers are checked against at load: every kind of child a walk meets (fields,
 * tokens, comments, errors, missing nodes).
 */
const READER_CHECK = 'package p\n\n// c\nfunc (r *T) f(a, b int) (err error) {\n\tselect {\n\tcase v := <-r.c:\n\t\t_ = v\n\tdefault:\n\t}\n\tx := []int{1, 2,\n\tgo func() { r.mu.Lock() }()\n\treturn )\n}\n';

/**
 * The two WebAssembly modules of the parser, compiled. One thread compiles them and hands them to
 * its workers: threads of a process that share a module share its machine code, so a worker
 * neither compiles it again nor waits for its own copy to be optimised.
 */
export interface GoWasm {
  runtime: WebAssembly.Module;
  language: WebAssembly.Module;
}

let compiled: Promise<GoWasm> | null = null;

/** This thread's compiled modules (compiled once). */
export function goWasm(): Promise<GoWasm> {
  if (compiled === null) {
    compiled = (async () => {
      const require = createRequire(import.meta.url);
      const compile = async (path: string) => WebAssembly.compile(await readFile(require.resolve(path)));
      const [runtime, language] = await Promise.all([
        compile('web-tree-sitter/web-tree-sitter.wasm'), compile('tree-sitter-go/tree-sitter-go.wasm'),
      ]);
      return { runtime, language };
    })();
  }
  return compiled;
}

let goParser: Promise<GoParser> | null = null;

/** The shared parser for Go (loaded once per thread), on modules compiled here or handed over. */
export function loadGoParser(wasm?: GoWasm): Promise<GoParser> {
  if (goParser === null) {
    goParser = (async () => {
      const { runtime, language: languageModule } = wasm ?? await goWasm();
      // The binding adds its exports to the options object it is given (an Emscripten module).
      // Instantiated at once, so that a failure rejects init instead of leaving it waiting.
      const binding: Record<string, unknown> = {
        instantiateWasm: (imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => {
          receive(new WebAssembly.Instance(runtime, imports), runtime);
          return {};
        },
      };
      await Parser.init(binding);
      const language = Language.loadSync(languageModule);
      const parser = new Parser();
      parser.setLanguage(language);
      const grammar = new Grammar(language);
      const direct = directReader(binding);
      const rows = new NodeRows();
      const readRows = (reader: TreeReader, source: string): ReadTree | null => {
        const tree = parser.parse(source);
        if (tree === null) return null;
        try {
          rows.count = 0;
          reader(tree, rows);
          const n = rows.count;
          return {
            types: rows.types.slice(0, n), starts: rows.starts.slice(0, n), ends: rows.ends.slice(0, n),
            fields: rows.fields.slice(0, n), parents: rows.parents.slice(0, n), hasError: tree.rootNode.hasError,
          };
        } finally {
          tree.delete();
        }
      };
      const read = (reader: TreeReader, source: string): SyntaxTree | null => {
        const reading = readRows(reader, source);
        return reading && new SyntaxTree(source, grammar, reading);
      };
      // The direct walk leans on how this version of the binding keeps its cursor: used only
      // when it reads the check source exactly as the public cursor does.
      const reader = direct && sameRows(read(direct, READER_CHECK), read(readWithCursor, READER_CHECK)) ? direct : readWithCursor;
      return {
        parse: (source, options) => read(options?.reference ? readWithCursor : reader, source),
        read: (source) => readRows(reader, source),
        tree: (source, reading) => new SyntaxTree(source, grammar, reading),
        readsDirectly: reader === direct,
      };
    })();
  }
  return goParser;
}

/** Whether two readings of one source agree node for node. */
export function sameRows(a: SyntaxTree | null, b: SyntaxTree | null): boolean {
  if (!a || !b || a.size !== b.size) return false;
  const same = (x: ArrayLike<number>, y: ArrayLike<number>) => {
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  };
  return same(a.types, b.types) && same(a.starts, b.starts) && same(a.ends, b.ends) && same(a.fields, b.fields) && same(a.parents, b.parents);
}
