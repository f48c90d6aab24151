// Checks the catalogue of Go fixture programs under testdata/programs/: every program carries its
// source, its real dumps for both Go versions and an expected.json of the agreed shape, its
// `// want:` marks sit on lines the dumps actually show as blocked, and (when Go is installed) one
// program still produces a dump with the same goroutines as the committed one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';

const repoRoot = resolve(import.meta.dirname, '..');
const programsDir = join(repoRoot, 'testdata', 'programs');
/** Where the dump generator rewrites this checkout's absolute path to. */
const neutralRoot = '/src/gridlock';
const goVersionsWithDumps = ['1.26', '1.19'];
const goRoots = ['/usr/local/go/', '/usr/lib/go-1.19/'];

const findingKinds = new Set(['deadlock-cycle', 'leaked-lock', 'orphaned-wait', 'pile-up', 'long-wait']);
const operations = new Set([
  'chan-send', 'chan-receive', 'select', 'mutex-lock', 'rwmutex-lock', 'rwmutex-rlock', 'waitgroup-wait', 'cond-wait',
]);

interface ExpectedFinding {
  kind: string;
  parties: string[];
  resources: string[];
  inferred: boolean;
  count?: number;
  inferredParties?: string[];
  fixes?: { file: string; line: number }[];
}

interface Expected {
  pattern: string;
  findings: ExpectedFinding[];
  notes: string;
}

interface WantMark {
  /** Path relative to the program directory, with `/` separators. */
  file: string;
  line: number;
  operation: string;
  resources: string[];
}

function programNames(): string[] {
  return readdirSync(programsDir)
    .filter((name) => /^\d\d-/.test(name) && statSync(join(programsDir, name)).isDirectory())
    .sort();
}

function goFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) goFiles(path, out);
    else if (name.endsWith('.go')) out.push(path);
  }
  return out;
}

const wantPattern = /\/\/ want: (\S+)((?: \S+)*)\s*$/;

function wantMarks(programDir: string): WantMark[] {
  const marks: WantMark[] = [];
  for (const path of goFiles(programDir)) {
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((text, index) => {
      const match = wantPattern.exec(text);
      if (!match) return;
      marks.push({
        file: relative(programDir, path).split('\\').join('/'),
        line: index + 1,
        operation: match[1],
        resources: match[2].trim().split(/\s+/).filter((r) => r !== ''),
      });
    });
  }
  return marks;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && v !== '');
}

/** Asserts the agreed expected.json shape; returns it typed. */
function checkExpectedShape(value: unknown, where: string): Expected {
  assert.ok(value !== null && typeof value === 'object', `${where}: not an object`);
  const expected = value as Record<string, unknown>;
  assert.equal(typeof expected.pattern, 'string', `${where}: pattern`);
  assert.equal(typeof expected.notes, 'string', `${where}: notes`);
  assert.ok(Array.isArray(expected.findings), `${where}: findings`);
  for (const [i, raw] of (expected.findings as unknown[]).entries()) {
    const finding = raw as Record<string, unknown>;
    const at = `${where}: findings[${i}]`;
    assert.ok(findingKinds.has(finding.kind as string), `${at}: kind ${String(finding.kind)}`);
    assert.ok(isStringArray(finding.parties) && finding.parties.length > 0, `${at}: parties`);
    assert.ok(isStringArray(finding.resources) && finding.resources.length > 0, `${at}: resources`);
    assert.equal(typeof finding.inferred, 'boolean', `${at}: inferred`);
    if (finding.count !== undefined) assert.ok(Number.isInteger(finding.count), `${at}: count`);
    if (finding.inferredParties !== undefined) {
      assert.ok(isStringArray(finding.inferredParties), `${at}: inferredParties`);
      for (const party of finding.inferredParties) {
        assert.ok((finding.parties as string[]).includes(party), `${at}: inferred party ${party} is not a party`);
      }
      assert.equal(finding.inferred, true, `${at}: inferredParties without inferred`);
    }
    if (finding.fixes !== undefined) {
      assert.ok(Array.isArray(finding.fixes), `${at}: fixes`);
      for (const fix of finding.fixes as { file: unknown; line: unknown }[]) {
        assert.equal(typeof fix.file, 'string', `${at}: fix file`);
        assert.ok(Number.isInteger(fix.line), `${at}: fix line`);
      }
    }
  }
  return value as Expected;
}

/**
 * The dump files of a program besides dump-go1.26.txt and dump-go1.19.txt: the extra formats its
 * `formats` file asks for (debug1, sigquit: text; proto: dump-go1.26.pb.gz) and the dumps of the Go
 * versions its `go-versions` file lists.
 */
function extraDumpFiles(dir: string): string[] {
  const words = (file: string): string[] =>
    existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').split(/\s+/).filter((w) => w !== '') : [];
  const files = words('formats').map((format) => (format === 'proto' ? 'dump-go1.26.pb.gz' : `dump-go1.26.${format}.txt`));
  for (const version of words('go-versions')) files.push(`dump-go${version}.txt`);
  return files;
}

/** The complete text dumps of a program (not an excerpt): dump-goV.txt and dump-goV.FORMAT.txt. */
function textDumpFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => /^dump-go\d+\.\d+(?:\.\w+)?\.txt$/.test(f)).sort();
}

/**
 * The line a mark's operation has in the binary the dumps came from. A program whose committed
 * main.go was edited after the run keeps the source that ran as main.go.orig: the marked line is
 * found there by its text.
 */
function dumpLineOf(dir: string, mark: WantMark): number {
  const orig = join(dir, `${mark.file}.orig`);
  if (!existsSync(orig)) return mark.line;
  const text = readFileSync(join(dir, mark.file), 'utf8').split('\n')[mark.line - 1];
  const at = readFileSync(orig, 'utf8').split('\n').indexOf(text);
  assert.ok(at >= 0, `${mark.file}:${mark.line}: the marked line is not in ${mark.file}.orig`);
  return at + 1;
}

/** The strings of a gzipped pprof protobuf's string table (field 6 of Profile) that are absolute paths. */
function protoPaths(path: string): string[] {
  const buf = gunzipSync(readFileSync(path));
  const varint = (at: number): [number, number] => {
    let value = 0;
    for (let mul = 1; ; mul *= 128) {
      const b = buf[at++];
      value += (b & 0x7f) * mul;
      if (!(b & 0x80)) return [value, at];
    }
  };
  const strings: string[] = [];
  for (let at = 0; at < buf.length; ) {
    const [key, next] = varint(at);
    at = next;
    const wire = key % 8;
    if (wire === 0) at = varint(at)[1];
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const [length, start] = varint(at);
      if (Math.floor(key / 8) === 6) strings.push(buf.subarray(start, start + length).toString('utf8'));
      at = start + length;
    } else assert.fail(`${path}: wire type ${wire} at byte ${at}`);
  }
  return strings.filter((s) => s.startsWith('/'));
}

/** Lines of the form `\t/abs/path.go:123` or `#\t0x… fn+0x… /abs/path.go:123` name a source location. */
function dumpLocations(dump: string): string[] {
  const locations: string[] = [];
  for (const match of dump.matchAll(/(\/[^\s:]+\.(?:go|s)):(\d+)/g)) locations.push(`${match[1]}:${match[2]}`);
  return locations;
}

test('every program directory has source, both dumps and a well-formed expected.json', () => {
  const names = programNames();
  assert.ok(names.length >= 13, `expected the whole catalogue, found ${names.length} programs`);
  for (const name of names) {
    const dir = join(programsDir, name);
    assert.ok(existsSync(join(dir, 'main.go')), `${name}: main.go`);
    assert.match(readFileSync(join(dir, 'go.mod'), 'utf8'), /^module example\.com\/\S+\n\ngo 1\.19\n/, `${name}: go.mod`);
    for (const version of goVersionsWithDumps) {
      const dump = readFileSync(join(dir, `dump-go${version}.txt`), 'utf8');
      assert.match(dump, /^goroutine |^SIGQUIT: quit|^goroutine profile: total \d+/m, `${name}: dump-go${version}.txt is no dump`);
    }
    for (const file of extraDumpFiles(dir)) {
      assert.ok(existsSync(join(dir, file)), `${name}: ${file} (asked for by formats / go-versions)`);
      if (file.endsWith('.pb.gz')) {
        assert.ok(protoPaths(join(dir, file)).some((p) => p.startsWith(`${neutralRoot}/testdata/programs/${name}/`)), `${name}: ${file} names no source file of the program`);
      } else {
        assert.match(readFileSync(join(dir, file), 'utf8'), /^goroutine |^SIGQUIT: quit|^goroutine profile: total \d+/m, `${name}: ${file} is no dump`);
      }
    }
    const expected = checkExpectedShape(JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')), `${name}/expected.json`);
    const marks = wantMarks(dir);
    if (expected.findings.length > 0) assert.ok(marks.length > 0, `${name}: no // want: marks`);
  }
});

test('want marks name a known operation and their resources', () => {
  for (const name of programNames()) {
    for (const mark of wantMarks(join(programsDir, name))) {
      const at = `${name}/${mark.file}:${mark.line}`;
      assert.ok(operations.has(mark.operation), `${at}: unknown operation ${mark.operation}`);
      if (mark.operation === 'select') assert.ok(mark.resources.length >= 1, `${at}: a select lists its cases`);
      else assert.equal(mark.resources.length, 1, `${at}: one resource`);
    }
  }
});

test('want marks sit on lines every text dump shows, and findings name only marked resources', () => {
  for (const name of programNames()) {
    const dir = join(programsDir, name);
    const marks = wantMarks(dir);
    for (const file of textDumpFiles(dir)) {
      const locations = new Set(dumpLocations(readFileSync(join(dir, file), 'utf8')));
      for (const mark of marks) {
        const line = dumpLineOf(dir, mark);
        const location = `${neutralRoot}/testdata/programs/${name}/${mark.file}:${line}`;
        assert.ok(locations.has(location), `${name}: ${file} never shows ${mark.file}:${line}${line === mark.line ? '' : ` (marked at ${mark.line})`}`);
      }
    }
    const markedResources = new Set(marks.flatMap((mark) => mark.resources));
    const expectedFiles = readdirSync(dir).filter((f) => /^expected.*\.json$/.test(f));
    for (const file of expectedFiles) {
      const expected = checkExpectedShape(JSON.parse(readFileSync(join(dir, file), 'utf8')), `${name}/${file}`);
      for (const finding of expected.findings) {
        for (const resource of finding.resources) {
          assert.ok(markedResources.has(resource), `${name}/${file}: resource ${resource} has no // want: mark`);
        }
        for (const fix of finding.fixes ?? []) {
          const line = readFileSync(join(dir, fix.file), 'utf8').split('\n')[fix.line - 1] ?? '';
          // The `return` that leaks a lock or leaves a loop early, the unbuffered `make` of an orphaned
          // channel, or (for a cycle) the blocking line that a marked party must change.
          const marked = marks.some((m) => m.file === fix.file && m.line === fix.line);
          assert.ok(marked || /\breturn\b|\bmake\(chan\b/.test(line), `${name}/${file}: fix ${fix.file}:${fix.line} is neither a return, a make(chan, nor a marked blocking line`);
        }
      }
    }
  }
});

test('dumps carry no machine path: only the neutral checkout root and GOROOT', () => {
  const dumpFiles: string[] = [join(repoRoot, 'examples', 'btcd-shape', 'dump.txt')];
  for (const name of programNames()) {
    for (const file of readdirSync(join(programsDir, name))) {
      if (/^dump.*\.txt$/.test(file)) dumpFiles.push(join(programsDir, name, file));
    }
  }
  for (const path of dumpFiles) {
    for (const location of dumpLocations(readFileSync(path, 'utf8'))) {
      const allowed = location.startsWith(`${neutralRoot}/`) || goRoots.some((root) => location.startsWith(root));
      assert.ok(allowed, `${relative(repoRoot, path)}: ${location}`);
    }
  }
  // Protobuf dumps: the source paths of its functions, and the binary's path (the generator's /tmp/build/).
  for (const name of programNames()) {
    for (const file of readdirSync(join(programsDir, name)).filter((f) => f.endsWith('.pb.gz'))) {
      for (const path of protoPaths(join(programsDir, name, file))) {
        const allowed = [`${neutralRoot}/`, '/tmp/build/', ...goRoots].some((root) => path.startsWith(root));
        assert.ok(allowed, `testdata/programs/${name}/${file}: ${path}`);
      }
    }
  }
});

test('the debug=1 excerpt keeps the header, the crowds and blockHandler, and drops peerHandler', () => {
  const dir = join(programsDir, '12-btcd-debug1');
  const full = readFileSync(join(dir, 'dump-go1.26.txt'), 'utf8');
  const excerpt = readFileSync(join(dir, 'dump-excerpt.txt'), 'utf8');
  const header = /^goroutine profile: total (\d+)\n/;
  assert.equal(header.exec(excerpt)?.[1], header.exec(full)?.[1]);
  assert.doesNotMatch(excerpt, /\(\*server\)\.peerHandler\+/);
  assert.match(full, /\(\*server\)\.peerHandler\+/);
  const counts = [...excerpt.matchAll(/^(\d+) @ /gm)].map((m) => Number(m[1])).sort((a, b) => b - a);
  assert.deepEqual(counts, [3000, 2000, 1]);
  assert.match(excerpt, /\(\*syncManager\)\.blockHandler\+/);
});

/**
 * What must not change between two runs of one program: per goroutine, its state and its frames'
 * functions and source lines (no ids, addresses, arguments or offsets), as a sorted list.
 */
function tracebackSignature(dump: string): string[] {
  const records: string[] = [];
  for (const block of dump.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((l) => l !== '');
    const header = /^goroutine \d+(?: gp=\S+ m=\S+(?: mp=\S+)?)? \[([^\],]+)/.exec(lines[0] ?? '');
    if (!header) continue;
    const parts = [header[1]];
    for (const line of lines.slice(1)) {
      if (line.startsWith('\t')) parts.push(line.trim().replace(/ .*$/, ''));
      else parts.push(line.replace(/ in goroutine \d+$/, '').replace(/\(.*\)$/, ''));
    }
    records.push(parts.join(' | '));
  }
  return records.sort();
}

test('a fresh run of a program reproduces the committed dump (Go on PATH)', { timeout: 180_000 }, (t) => {
  const version = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8', timeout: 30_000 });
  if (version.error || version.status !== 0) {
    t.skip('go is not on PATH: cannot build the fixture program');
    return;
  }
  const minor = /^go(\d+\.\d+)/.exec(version.stdout.trim())?.[1];
  const name = '04-self-deadlock';
  const dir = join(programsDir, name);
  const committedPath = join(dir, `dump-go${minor}.txt`);
  if (!minor || !existsSync(committedPath)) {
    t.skip(`no committed dump for ${version.stdout.trim()} (dumps exist for Go ${goVersionsWithDumps.join(', ')})`);
    return;
  }
  const run = spawnSync('go', ['run', '.'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 150_000,
    env: { ...process.env, GOTOOLCHAIN: 'local', GOWORK: 'off', GOFLAGS: '' },
  });
  assert.equal(run.status, 0, `go run failed: ${run.error?.message ?? run.stderr}`);
  const fresh = run.stdout.split(dir).join(`${neutralRoot}/testdata/programs/${name}`);
  const committed = readFileSync(committedPath, 'utf8');
  const expectedSignature = tracebackSignature(committed);
  assert.ok(expectedSignature.length >= 2, 'the committed dump has the main goroutine and the blocked one');
  assert.deepEqual(tracebackSignature(fresh), expectedSignature);
});
