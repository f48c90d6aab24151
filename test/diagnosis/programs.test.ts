// End to end over the catalogue of real hang patterns in testdata/programs/: each program's real
// dumps go through the whole pipeline with the program as --source, and
//  - every `// want: <operation> <resource…>` mark on a blocking line is what gridlock resolves there,
//    and every group blocked on a marked line agrees with the mark;
//  - every finding in expected.json is reported (kind, parties, resources, inferred, crowd size),
//    and nothing else is: an unexpected finding fails like a missing one.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeDump } from '../../src/analyze.js';
import { readDumpBytes } from '../../src/dump/index.js';
import type { Report, ReportFinding } from '../../src/analysis/types.js';

// GRIDLOCK_PROGRAMS_DIR runs the same checks on another folder (testdata/programs-pending/ while a shape is built).
const programsDir = process.env.GRIDLOCK_PROGRAMS_DIR ?? fileURLToPath(new URL('../../testdata/programs/', import.meta.url));

interface ExpectedFinding {
  /** Names for people the finding's waits must carry (the handler, not net/http's `serve`). */
  names?: string[];
  /** When true, `fixes` are all the fixes: a party that is not at fault gets none. */
  exactFixes?: boolean;
  /** When set, the finding's confidence in every dump of the program. */
  confidence?: 'certain' | 'likely' | 'possible';
  kind: ReportFinding['kind'];
  parties: string[];
  resources: string[];
  inferred?: boolean;
  /** Parties that must be inferred from source (absent from the dump). */
  inferredParties?: string[];
  /** Size of the crowd a pile-up is about. */
  count?: number;
  /** Lines the finding must point at as fixes, relative to the program directory. */
  fixes?: { file: string; line: number }[];
}
interface Expected {
  pattern: string;
  findings: ExpectedFinding[];
}

interface WantMark {
  file: string; // relative to the program directory
  line: number;
  operation: string;
  resources: string[];
}

function goFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) goFiles(path, out);
    else if (name.endsWith('.go')) out.push(path);
  }
  return out;
}

function wantMarks(programDir: string): WantMark[] {
  const marks: WantMark[] = [];
  for (const file of goFiles(programDir)) {
    readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
      const match = /\/\/ want: (\S+)((?: \S+)*)\s*$/.exec(text);
      if (match) marks.push({ file: relative(programDir, file), line: i + 1, operation: match[1], resources: match[2].trim().split(/\s+/).filter(Boolean) });
    });
  }
  return marks;
}

/** The dump path's part inside the program directory (dumps print the paths of a checkout elsewhere). */
function programRelative(dumpPath: string, programName: string): string | null {
  const at = dumpPath.indexOf(`/${programName}/`);
  return at >= 0 ? dumpPath.slice(at + programName.length + 2) : null;
}

async function analyse(programDir: string, dumpFile: string): Promise<Report> {
  const input = readDumpBytes(readFileSync(join(programDir, dumpFile)));
  const { report } = await analyzeDump(input, { sourceRoots: [programDir], cwd: programDir, env: {}, cacheDir: null });
  return report;
}

function matches(found: ReportFinding, want: ExpectedFinding, report: Report): boolean {
  if (found.kind !== want.kind) return false;
  if (want.confidence !== undefined && found.confidence !== want.confidence) return false;
  const functions = new Set(found.waits.map((w) => w.function));
  const resources = new Set<string>();
  for (const w of found.waits) if (w.resource) resources.add(w.resource.name);
  if (!want.parties.every((p) => functions.has(p))) return false;
  if (!want.resources.every((r) => resources.has(r))) return false;
  // `inferred` speaks of the parties named: a pile-up's crowd is real even when its chain leads to an inferred party.
  if (want.inferred !== undefined && found.waits.some((w) => w.inferred && want.parties.includes(w.function)) !== want.inferred) return false;
  for (const party of want.inferredParties ?? []) {
    if (!found.waits.some((w) => w.inferred && w.function === party)) return false;
  }
  for (const fix of want.fixes ?? []) {
    if (!found.fixes.some((f) => f.line === fix.line && f.file.endsWith(`/${fix.file}`))) return false;
  }
  if (want.names && !want.names.every((n) => found.waits.some((w) => w.name === n))) return false;
  if (want.exactFixes && found.fixes.length !== (want.fixes ?? []).length) return false;
  if (want.count !== undefined) {
    const crowd = found.waits[0]?.group ? report.groups.find((g) => g.id === found.waits[0].group) : undefined;
    if (crowd?.count !== want.count) return false;
  }
  return true;
}

function describe(f: ReportFinding): string {
  return `${f.kind} [${f.waits.map((w) => `${w.function}${w.inferred ? ' (inferred)' : ''} ${w.operation} ${w.resource?.name ?? '?'}`).join('; ')}]`;
}

const programs = existsSync(programsDir) ? readdirSync(programsDir).filter((name) => existsSync(join(programsDir, name, 'expected.json'))).sort() : [];

test('the catalogue of hang patterns is present', { skip: process.env.GRIDLOCK_PROGRAMS_DIR !== undefined }, () => {
  assert.ok(programs.length >= 13, `expected the 13 patterns of the catalogue, found ${programs.length}`);
});

for (const name of programs) {
  const dir = join(programsDir, name);
  // `dump-excerpt.txt` is described by `expected-excerpt.json` when there is one, else by `expected.json`.
  // Other formats of the same run (dump-go1.26.debug1.txt, dump-go1.26.sigquit.txt, dump-go1.26.pb.gz) share expected.json.
  const expectedFor = (dumpFile: string): Expected => {
    const special = /^dump-(.*)\.txt$/.test(dumpFile) ? join(dir, dumpFile.replace(/^dump-(.*)\.txt$/, 'expected-$1.json')) : null;
    return JSON.parse(readFileSync(special && existsSync(special) ? special : join(dir, 'expected.json'), 'utf8')) as Expected;
  };
  const dumps = readdirSync(dir).filter((f) => /^dump.*\.(?:txt|pb\.gz)$/.test(f)).sort();
  const marks = wantMarks(dir);

  for (const dumpFile of dumps) {
    test(`${name} / ${dumpFile}: findings`, async () => {
      const report = await analyse(dir, dumpFile);
      const wanted = expectedFor(dumpFile).findings;
      const unmatched = [...report.findings];
      for (const want of wanted) {
        const at = unmatched.findIndex((f) => matches(f, want, report));
        assert.ok(at >= 0, `missing ${want.kind} of ${want.parties.join(', ')} on ${want.resources.join(', ')}; reported: ${report.findings.map(describe).join(' | ') || 'nothing'}`);
        unmatched.splice(at, 1);
      }
      assert.deepEqual(unmatched.map(describe), [], 'unexpected findings');
    });

    // Marks are checked against complete dumps; an excerpt leaves some marked goroutines out.
    if (dumpFile.includes('excerpt')) continue;
    test(`${name} / ${dumpFile}: every // want mark resolves`, async () => {
      const report = await analyse(dir, dumpFile);
      for (const mark of marks) {
        const groups = report.groups.filter((g) => {
          const top = g.blocking?.site;
          return top && top.line === mark.line && programRelative(top.file, name) === mark.file;
        });
        assert.ok(groups.length > 0, `${mark.file}:${mark.line}: no goroutine resolved as blocked here (want ${mark.operation} ${mark.resources.join(' ')})`);
        for (const g of groups) {
          const b = g.blocking!;
          assert.equal(b.operation, mark.operation, `${mark.file}:${mark.line} (${g.id}) operation`);
          const names = b.cases ? b.cases.map((c) => c.resource.name) : b.resource ? [b.resource.name] : [];
          assert.deepEqual([...names].sort(), [...mark.resources].sort(), `${mark.file}:${mark.line} (${g.id}) resources`);
        }
      }
    });
  }
}
