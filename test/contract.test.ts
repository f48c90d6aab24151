// Version 1 of the JSON contract (DESIGN.md), checked at run time on real output: every report the
// CLI prints for the fixture programs and the seeds has exactly the documented keys, types and
// enumerations. Other programs read this output; the TypeScript types alone do not prove it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

type Shape = (value: unknown, path: string) => void;

const fail = (path: string, what: string, value: unknown) => assert.fail(`${path}: expected ${what}, got ${JSON.stringify(value)?.slice(0, 80)}`);
const str: Shape = (v, p) => (typeof v === 'string' ? undefined : fail(p, 'a string', v));
const int: Shape = (v, p) => (Number.isInteger(v) ? undefined : fail(p, 'an integer', v));
const bool: Shape = (v, p) => (typeof v === 'boolean' ? undefined : fail(p, 'a boolean', v));
const oneOf = (...values: string[]): Shape => (v, p) => (values.includes(v as string) ? undefined : fail(p, `one of ${values.join('|')}`, v));
const stringMap: Shape = (v, p) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.entries(v).forEach(([k, x]) => str(x, `${p}.${k}`)) : fail(p, 'an object of strings', v);
const nullable = (shape: Shape): Shape => (v, p) => (v === null ? undefined : shape(v, p));
const array = (shape: Shape): Shape => (v, p) => (Array.isArray(v) ? v.forEach((item, i) => shape(item, `${p}[${i}]`)) : fail(p, 'an array', v));
/** An object with exactly these keys (optional ones marked with a trailing `?`). */
const object = (fields: Record<string, Shape>): Shape => (v, p) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(p, 'an object', v);
  const record = v as Record<string, unknown>;
  const allowed = new Set(Object.keys(fields).map((k) => k.replace(/\?$/, '')));
  for (const key of Object.keys(record)) assert.ok(allowed.has(key), `${p}: unexpected key ${key}`);
  for (const [key, shape] of Object.entries(fields)) {
    const name = key.replace(/\?$/, '');
    if (!(name in record)) {
      assert.ok(key.endsWith('?'), `${p}: missing key ${name}`);
      continue;
    }
    shape(record[name], `${p}.${name}`);
  }
};

const OPERATIONS = ['chan-send', 'chan-receive', 'select', 'mutex-lock', 'rwmutex-lock', 'rwmutex-rlock', 'waitgroup-wait', 'cond-wait'];
const location = object({ file: str, line: int });
const resource = object({ kind: oneOf('chan', 'mutex', 'rwmutex', 'waitgroup', 'cond'), name: str, expression: str, declared: nullable(location) });
const waker = object({ function: str, 'group?': nullable(str), site: location });
const frame = object({ function: str, file: str, line: int });

const report = object({
  gridlock: (v, p) => assert.equal(v, 1, `${p}: contract version`),
  snapshot: object({
    format: oneOf('traceback', 'debug1', 'debug2', 'pprof', 'flattened', 'panicparse'),
    goroutines: int,
    declaredTotal: nullable(int),
    warnings: array(object({ line: int, message: str })),
  }),
  groups: array(
    object({
      id: str,
      count: int,
      goroutineIds: array(int),
      state: str,
      waitMinutes: nullable(object({ min: int, max: int })),
      frames: array(frame),
      createdBy: nullable(object({ function: str, file: str, line: int, goroutine: nullable(int) })),
      identity: nullable(str),
      'name?': str,
      labels: stringMap,
      'stuck?': nullable(bool),
      blocking: nullable(
        object({
          site: object({ function: str, file: str, line: int, statement: str }),
          operation: oneOf(...OPERATIONS),
          resource: nullable(resource),
          wokenBy: array(waker),
          cases: nullable(array(object({ operation: oneOf(...OPERATIONS), resource, wokenBy: array(waker) }))),
        }),
      ),
    }),
  ),
  findings: array(
    object({
      kind: oneOf('deadlock-cycle', 'leaked-lock', 'orphaned-wait', 'pile-up', 'long-wait'),
      confidence: oneOf('certain', 'likely', 'possible'),
      title: str,
      explanation: str,
      waits: array(
        object({ group: nullable(str), inferred: bool, function: str, 'name?': str, blockedIn: frame, operation: oneOf(...OPERATIONS), resource: nullable(resource), wokenBy: array(waker) }),
      ),
      fixes: array(object({ file: str, line: int, hint: str })),
      mermaid: str,
    }),
  ),
  // Additive to version 1: how many blocked groups were checked against matching source.
  coverage: object({
    blockedGroups: int,
    checkedGroups: int,
    unchecked: array(object({ reason: oneOf('no-source', 'no-operation', 'no-frame'), message: str, groups: array(str) })),
  }),
});

function gridlockJson(args: string[]): unknown {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args, '--json', '--no-cache'], { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 60_000 });
  assert.ok(r.status === 0, `gridlock ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

test('every fixture program’s report follows contract version 1', () => {
  const programs = join(root, 'testdata/programs');
  let checked = 0;
  for (const name of readdirSync(programs).sort()) {
    const dir = join(programs, name);
    const dump = join(dir, 'dump-go1.26.txt');
    if (!existsSync(dump)) continue;
    report(gridlockJson([dump, '--source', dir]), `${name}`);
    checked++;
  }
  assert.ok(checked >= 15, `programs checked: ${checked}`);
});

test('the seeds’ reports (no source) follow contract version 1', (t) => {
  const seeds = join(root, '../shared/seeds');
  if (!existsSync(seeds)) return t.skip('the shared seeds are not beside the checkout');
  for (const seed of ['000_ee07be610e3102c8.txt', '004_102381bbb3503e09.txt']) report(gridlockJson([join(seeds, seed)]), seed);
});

test('the shape check itself rejects a report that breaks the contract', () => {
  const good = gridlockJson([join(root, 'testdata/programs/04-self-deadlock/dump-go1.26.txt'), '--source', join(root, 'testdata/programs/04-self-deadlock')]) as Record<string, unknown>;
  report(good, 'good');
  const extraKey = structuredClone(good);
  (extraKey.snapshot as Record<string, unknown>).extra = 1;
  assert.throws(() => report(extraKey, 'extra'), /unexpected key extra/);
  const badKind = structuredClone(good);
  ((badKind.findings as Record<string, unknown>[])[0]).kind = 'deadlock';
  assert.throws(() => report(badKind, 'kind'), /one of deadlock-cycle/);
});
