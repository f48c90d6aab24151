// Splits a function name as the Go runtime prints it into package, receiver, name and closure.
//
// The linker's symbol naming (cmd/internal/objabi PathToPrefix, runtime funcpkgpath): the package
// path ends at the first `.` after its last `/`; dots inside that last element are escaped as `%2e`.
// Methods are `pkg.(*T).m` or `pkg.T.m`; closures append `.funcN`, `.N`, `.gowrapN`, `.deferwrapN`;
// generic instantiations print `[...]` (or full shapes in pprof) after the type or function.
import type { Frame } from './types.js';

/** The parts of a printed function name, as a Frame carries them. */
export type FunctionName = Pick<Frame, 'pkg' | 'receiver' | 'pointerReceiver' | 'name' | 'closure' | 'generic'>;

/** `func1`, `1`, `gowrap2`, `deferwrap1`: a segment that names a closure rather than a function. */
const closureSegment = /^(?:func|gowrap|deferwrap)?\d+$/;
function isClosureSegment(segment: string): boolean {
  return closureSegment.test(segment);
}

/** Removes every bracketed `[...]` group (type arguments); reports whether there was one. */
function stripTypeArguments(printed: string): { text: string; generic: boolean } {
  if (printed.indexOf('[') < 0) return { text: printed, generic: false };
  let out = '';
  let depth = 0;
  for (let i = 0; i < printed.length; i++) {
    const c = printed[i];
    if (c === '[') depth++;
    else if (c === ']') { if (depth > 0) depth--; }
    else if (depth === 0) out += c;
  }
  return { text: out, generic: true };
}

/** Parses a printed function name. Never throws; unparseable text becomes `{pkg: '', name: text}`. */
export function parseFunctionName(printed: string): FunctionName {
  const { text, generic } = stripTypeArguments(printed.trim());
  const lastSlash = text.lastIndexOf('/', text.indexOf('(') >= 0 ? text.indexOf('(') : text.length);
  const pkgEnd = text.indexOf('.', lastSlash + 1);
  if (pkgEnd < 0) {
    return { pkg: '', receiver: null, pointerReceiver: false, name: text, closure: null, generic };
  }
  const pkg = text.slice(0, pkgEnd).replace(/%2e/gi, '.');
  let rest = text.slice(pkgEnd + 1);
  let receiver: string | null = null;
  let pointerReceiver = false;

  if (rest.startsWith('(')) {
    // `(*T).m` — or a mangled `(*T.m` whose closing parenthesis was lost in a paste.
    const close = rest.indexOf(')');
    let inner: string;
    if (close >= 0) {
      inner = rest.slice(1, close);
      rest = rest.slice(close + 1);
      if (rest.startsWith('.')) rest = rest.slice(1);
    } else {
      const dot = rest.indexOf('.');
      inner = dot >= 0 ? rest.slice(1, dot) : rest.slice(1);
      rest = dot >= 0 ? rest.slice(dot + 1) : '';
    }
    pointerReceiver = inner.startsWith('*');
    receiver = pointerReceiver ? inner.slice(1) : inner;
    return { pkg, receiver, pointerReceiver, ...splitClosure(rest), generic };
  }

  const segments = rest.split('.');
  if (segments.length >= 2 && !isClosureSegment(segments[1]) && !isNumberedInit(segments)) {
    // `pkg.T.m`: a value-receiver method.
    receiver = segments[0];
    return { pkg, receiver, pointerReceiver, ...splitClosure(segments.slice(1).join('.')), generic };
  }
  return { pkg, receiver, pointerReceiver, ...splitClosure(rest), generic };
}

function isNumberedInit(segments: string[]): boolean {
  return segments[0] === 'init' && /^\d+$/.test(segments[1]);
}

/** `run.func2.1` → name `run`, closure `func2.1`; `init.0` stays a name. */
function splitClosure(rest: string): { name: string; closure: string | null } {
  const dot = rest.indexOf('.');
  if (dot < 0) return { name: rest, closure: null };
  let nameEnd = dot;
  if (rest.startsWith('init.')) {
    const next = rest.indexOf('.', dot + 1);
    const numbered = /^\d+$/.test(rest.slice(dot + 1, next < 0 ? rest.length : next));
    if (numbered) {
      if (next < 0) return { name: rest, closure: null };
      nameEnd = next;
    }
  }
  return { name: rest.slice(0, nameEnd), closure: rest.slice(nameEnd + 1) || null };
}
