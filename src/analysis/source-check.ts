// Does the source on disk match the program that wrote the dump? A frame's line must lie inside
// the function the dump names; when it does not, the checkout is most likely another commit, and
// every resource resolved from it is suspect. One warning per file, with an example.

import type { GoroutineGroup } from '../dump/index.js';
import { isRuntimeFrame } from '../dump/index.js';
import type { PathMapping, SourceIndex } from '../source/types.js';

export function checkFramesAgainstSource(groups: GoroutineGroup[], index: SourceIndex, mapping: PathMapping): string[] {
  const misses = new Map<string, { count: number; example: string }>();
  const seen = new Set<string>();
  for (const group of groups) {
    for (const frame of group.representative.frames) {
      if (isRuntimeFrame(frame)) continue;
      const key = `${frame.function}@${frame.file}:${frame.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const disk = mapping.mapped.get(frame.file);
      const fn = index.functions.get(frame.function);
      // Functions the index does not know by name (compiler-made wrappers) prove nothing either way.
      if (!disk || !fn || fn.file !== disk) continue;
      if (frame.line >= fn.startLine && frame.line <= fn.endLine) continue;
      const miss = misses.get(frame.file) ?? { count: 0, example: `line ${frame.line} is outside ${frame.name} (lines ${fn.startLine}-${fn.endLine})` };
      miss.count++;
      misses.set(frame.file, miss);
    }
  }
  return [...misses].map(
    ([file, miss]) => `${file}: ${miss.count} frame(s) do not match the source (${miss.example}); the source is probably another version than the program that wrote the dump`,
  );
}
