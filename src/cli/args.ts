// Command-line arguments → a plain command value. No I/O here, so every rule is testable.

import type { Similarity } from '../dump/index.js';

export class UsageError extends Error {}

export type OutputFormat = 'text' | 'json' | 'markdown' | 'mermaid' | 'dot';
export type FailOn = 'none' | 'deadlock' | 'any';

export interface DumpCommand {
  kind: 'dump';
  /** A path, a URL (`http://host:6060/debug/pprof/goroutine?debug=2`), or `-` for standard input. */
  input: string;
  sources: string[];
  format: OutputFormat;
  /** True when no --format/--json was given (with --html, stdout then stays quiet). */
  formatImplied: boolean;
  html: string | null;
  failOn: FailOn;
  snapshot: number | undefined;
  similarity: Similarity;
  /** null: colour when stdout is a terminal. */
  color: boolean | null;
  cache: boolean;
  cacheDir: string | null;
  maxGroups: number | undefined;
  /** `--verbose` / `--all`: every party's details, group stacks, waits and creation sites in the text output. */
  verbose: boolean;
  /** `--explain kmbtq`: print how the verdict on that group was reached instead of the report. */
  explain: string | null;
  /** `--pass-through`: copy the input to stdout as it is read, then the diagnosis of each dump in it. */
  passThrough: boolean;
}

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | DumpCommand
  | { kind: 'serve'; args: string[] }
  | { kind: 'watch'; args: string[] };

const FORMATS: OutputFormat[] = ['text', 'json', 'markdown', 'mermaid', 'dot'];
const FAIL_ON: FailOn[] = ['none', 'deadlock', 'any'];
const SIMILARITIES: Similarity[] = ['exact', 'stack', 'functions'];

function oneOf<T extends string>(flag: string, value: string, allowed: T[]): T {
  if (!(allowed as string[]).includes(value)) throw new UsageError(`${flag} takes one of ${allowed.join(', ')} (got '${value}')`);
  return value as T;
}

function positiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} takes a whole number from 1 (got '${value}')`);
  return n;
}

/** `stdinPiped`: standard input is not a terminal, so no dump argument means `-`. */
export function parseArgs(argv: string[], stdinPiped = false): Command {
  if (argv[0] === 'serve') return { kind: 'serve', args: argv.slice(1) };
  if (argv[0] === 'watch') return { kind: 'watch', args: argv.slice(1) };
  const command: DumpCommand = {
    kind: 'dump', input: '', sources: [], format: 'text', formatImplied: true, html: null, failOn: 'none',
    snapshot: undefined, similarity: 'stack', color: null, cache: true, cacheDir: null, maxGroups: undefined, verbose: false, explain: null,
    passThrough: false,
  };
  const inputs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inlineValue] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      if (inlineValue !== undefined) return inlineValue;
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '-h': case '--help': return { kind: 'help' };
      case '-V': case '--version': return { kind: 'version' };
      case '-s': case '--source': command.sources.push(value()); break;
      case '--json': command.format = 'json'; command.formatImplied = false; break;
      case '-f': case '--format': command.format = oneOf(flag, value(), FORMATS); command.formatImplied = false; break;
      case '--html': command.html = value(); break;
      case '--fail-on': command.failOn = oneOf(flag, value(), FAIL_ON); break;
      case '--snapshot': command.snapshot = positiveInteger(flag, value()) - 1; break;
      case '--group': command.similarity = oneOf(flag, value(), SIMILARITIES); break;
      case '--color': command.color = true; break;
      case '--no-color': command.color = false; break;
      case '--no-cache': command.cache = false; break;
      case '--pass-through': command.passThrough = true; break;
      case '--cache-dir': command.cacheDir = value(); break;
      case '--max-groups': command.maxGroups = positiveInteger(flag, value()); break;
      case '-v': case '--verbose': case '--all': command.verbose = true; break;
      case '--explain': {
        const id = value();
        if (!/^([a-z]{5}(-\d+)?|I\d+)$/.test(id)) throw new UsageError(`--explain takes a group id as the report prints it, such as kmbtq (or I1 for an inferred goroutine), got '${id}'`);
        command.explain = id;
        break;
      }
      default:
        if (arg !== '-' && arg.startsWith('-')) throw new UsageError(`unknown option ${arg} (see gridlock --help)`);
        inputs.push(arg);
    }
  }
  if (inputs.length === 0 && stdinPiped) inputs.push('-');
  if (inputs.length === 0) throw new UsageError('no dump given: gridlock <dump file | -> [--source DIR] (see gridlock --help)');
  if (inputs.length > 1) throw new UsageError(`one dump at a time (got ${inputs.join(', ')})`);
  command.input = inputs[0];
  return command;
}
