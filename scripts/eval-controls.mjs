#!/usr/bin/env node
// Precision controls: runs gridlock on goroutine dumps of healthy, widely used Go servers
// (testdata/controls/<server>/) with each server's published module source, and counts findings.
// A healthy server should yield no likely/certain deadlock-cycle, leaked-lock or orphaned-wait.
//
//   node scripts/eval-controls.mjs [--report-only] [--json] [--only SERVER] [--cache DIR]
//
// Each testdata/controls/<server>/SOURCE.md holds machine-readable lines:
//   module: github.com/coredns/coredns@v1.15.0
//   main: github.com/coredns/coredns
// The module and its dependencies are downloaded through the go command into a private module
// cache (default ${XDG_CACHE_HOME:-~/.cache}/gridlock-controls/mod); nothing from it is run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { availableParallelism, homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const controlsDir = join(repo, 'testdata', 'controls');
const cli = join(repo, 'dist', 'cli', 'main.js');

const KINDS = ['deadlock-cycle', 'leaked-lock', 'orphaned-wait'];
const CONFIDENCES = ['certain', 'likely', 'possible'];
const ALARM_CONFIDENCES = new Set(['certain', 'likely']);

function usage(code) {
  (code === 0 ? process.stdout : process.stderr).write(
    'usage: node scripts/eval-controls.mjs [--report-only] [--json] [--details] [--only SERVER] [--cache DIR] [--keep DIR] [--jobs N]\n' +
      '  --report-only  exit 0 even when a control has a likely/certain deadlock finding\n' +
      '  --json         print the table as JSON\n' +
      '  --details      after the table, list the title of each likely/certain finding\n' +
      '  --only SERVER  run one server (a folder name under testdata/controls); repeatable\n' +
      '  --cache DIR    module cache root (default ${XDG_CACHE_HOME:-~/.cache}/gridlock-controls)\n' +
      '  --keep DIR     also write each gridlock JSON report to DIR/<server>.<dump>.json\n' +
      '  --jobs N       gridlock runs at once (default: the CPU count, at most 4)\n',
  );
  process.exit(code);
}

function parseArgs(argv) {
  const opts = { reportOnly: false, json: false, details: false, only: [], cache: null, keep: null, jobs: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--report-only') opts.reportOnly = true;
    else if (a === '--json') opts.json = true;
    else if (a === '--details') opts.details = true;
    else if (a === '--only') opts.only.push(argv[++i] ?? usage(2));
    else if (a.startsWith('--only=')) opts.only.push(a.slice(7));
    else if (a === '--cache') opts.cache = argv[++i] ?? usage(2);
    else if (a === '--keep') opts.keep = argv[++i] ?? usage(2);
    else if (a === '--jobs' || a === '-j') opts.jobs = Math.max(1, Number(argv[++i] ?? usage(2)) || 1);
    else if (a === '-h' || a === '--help') usage(0);
    else {
      process.stderr.write(`eval-controls: unknown argument ${a}\n`);
      usage(2);
    }
  }
  return opts;
}

function log(msg) {
  process.stderr.write(`eval-controls: ${msg}\n`);
}

/** The machine-readable lines of a SOURCE.md: `module: PATH@VERSION`, `main: PKG` (optional). */
function readSource(dir) {
  const text = readFileSync(join(dir, 'SOURCE.md'), 'utf8');
  const field = (name) => {
    const m = text.match(new RegExp(`^\\s*[-*]?\\s*\`?${name}:\\s*\`?([^\\s\`]+)\`?\\s*$`, 'm'));
    return m ? m[1] : null;
  };
  const mod = field('module');
  if (!mod || !mod.includes('@')) throw new Error(`${dir}/SOURCE.md: no "module: PATH@VERSION" line`);
  const at = mod.lastIndexOf('@');
  const modulePath = mod.slice(0, at);
  const version = mod.slice(at + 1);
  return { modulePath, version, main: field('main') ?? modulePath, goVersion: field('go') };
}

/** Module cache paths escape capitals as `!x`. */
function escapeModulePath(p) {
  return p.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

function goEnv(cache) {
  return {
    ...process.env,
    GOMODCACHE: join(cache, 'mod'),
    GOFLAGS: '-mod=mod -buildvcs=false',
    GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local',
    GOWORK: 'off',
  };
}

/** Downloads the module and every dependency of its main package into <cache>/mod (once). */
function ensureModule(cache, src) {
  const modDir = join(cache, 'mod', `${escapeModulePath(src.modulePath)}@${src.version}`);
  const stamp = join(cache, 'stamps', `${escapeModulePath(src.main).replace(/\//g, '_')}@${src.version}.done`);
  if (existsSync(stamp) && existsSync(modDir)) return modDir;
  mkdirSync(join(cache, 'stamps'), { recursive: true });
  mkdirSync(join(cache, 'work'), { recursive: true });
  const env = goEnv(cache);
  log(`downloading ${src.main}@${src.version} and its dependencies into ${join(cache, 'mod')} …`);
  const work = mkdtempSync(join(cache, 'work', 'ctl-'));
  try {
    const run = (args) => {
      const r = spawnSync('go', args, { cwd: work, env, encoding: 'utf8', maxBuffer: 64 << 20 });
      if (r.error) throw new Error(`go ${args.join(' ')}: ${r.error.message}`);
      if (r.status !== 0) throw new Error(`go ${args.join(' ')} failed:\n${(r.stderr ?? '').slice(-4000)}`);
      return r.stdout;
    };
    run(['mod', 'download', '-json', `${src.modulePath}@${src.version}`]);
    run(['mod', 'init', 'ctl']);
    // go get resolves the main package's whole import graph with the versions its go.mod names,
    // downloading each dependency's source into GOMODCACHE; nothing is built or run.
    run(['get', `${src.main}@${src.version}`]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (!existsSync(modDir)) throw new Error(`${modDir}: not in the module cache after download`);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  return modDir;
}

/** The dumps of one control folder: every *.txt and *.txt.gz except SOURCE.md and configs. */
function listDumps(dir) {
  return readdirSync(dir)
    .filter((f) => /\.(txt|txt\.gz)$/.test(f))
    .sort((a, b) => dumpOrder(a) - dumpOrder(b) || a.localeCompare(b));
}

function dumpOrder(name) {
  const order = ['idle.debug2', 'idle.debug1', 'load.debug2', 'load.debug1', 'sigquit'];
  const i = order.findIndex((o) => name.startsWith(o));
  return i < 0 ? order.length : i;
}

function runGridlock(dumpFile, modDir, cache) {
  let input = null;
  let arg = dumpFile;
  if (dumpFile.endsWith('.gz')) {
    input = gunzipSync(readFileSync(dumpFile));
    arg = '-';
  }
  const env = { ...process.env, GOMODCACHE: join(cache, 'mod') };
  delete env.GOPATH;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, arg, '--json', '--source', modDir, '--no-color'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', (e) => reject(new Error(`gridlock ${dumpFile}: ${e.message}`)));
    child.on('close', (status) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (status !== 0 && status !== 1) {
        reject(new Error(`gridlock ${dumpFile}: exit ${status}: ${stderr.trim().slice(-2000)}`));
        return;
      }
      try {
        resolvePromise(JSON.parse(stdout));
      } catch (e) {
        reject(new Error(`gridlock ${dumpFile}: output is not JSON (${e.message}): ${stderr.trim().slice(-1000)}`));
      }
    });
    child.stdin.end(input ?? undefined);
  });
}

/** Runs `tasks` (functions returning promises) with at most `limit` in flight; results in order. */
async function pool(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Distinct non-standard-library files the dump names (frames and created-by), for the unmapped ratio. */
function dumpFileCount(report) {
  const files = new Set();
  for (const g of report.groups ?? []) {
    for (const f of g.frames ?? []) files.add(f.file);
    if (g.createdBy?.file) files.add(g.createdBy.file);
  }
  let user = 0;
  // The same test gridlock uses for the standard library (src/analyze.ts isStandardLibraryPath).
  const std = (f) => /(^|\/)(go|go-\d[\d.]*|goroot)\/src\//.test(f) || /^(runtime|sync|internal|net|os|time|context|io|syscall)\//.test(f) || f.startsWith('_cgo');
  for (const f of files) if (!std(f) && f !== '<autogenerated>') user++;
  return user;
}

function summarise(server, dump, report) {
  const row = {
    server,
    dump,
    goroutines: report.snapshot?.goroutines ?? null,
    declaredTotal: report.snapshot?.declaredTotal ?? null,
    groups: (report.groups ?? []).length,
    counts: {},
    pileUp: 0,
    alarms: 0,
    unmappedFiles: 0,
    userFiles: dumpFileCount(report),
    warnings: (report.snapshot?.warnings ?? []).length,
    alarmTitles: [],
  };
  for (const k of KINDS) for (const c of CONFIDENCES) row.counts[`${k}/${c}`] = 0;
  for (const f of report.findings ?? []) {
    if (f.kind === 'pile-up') {
      row.pileUp++;
      continue;
    }
    const key = `${f.kind}/${f.confidence}`;
    row.counts[key] = (row.counts[key] ?? 0) + 1;
    if (KINDS.includes(f.kind) && ALARM_CONFIDENCES.has(f.confidence)) {
      row.alarms++;
      row.alarmTitles.push(`${f.kind}/${f.confidence}: ${f.title}`);
    }
  }
  for (const w of report.snapshot?.warnings ?? []) {
    const m = /^(\d+) dump file\(s\) not found in the source/.exec(w.message ?? '');
    if (m) row.unmappedFiles += Number(m[1]) - (w.message.includes('<autogenerated>') ? 1 : 0);
    if (/none of the dump's files were found|no Go source given/.test(w.message ?? '')) row.unmappedFiles = row.userFiles;
  }
  return row;
}

function pad(s, n) {
  s = String(s);
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function printTable(rows) {
  const abbrev = { 'deadlock-cycle': 'cyc', 'leaked-lock': 'leak', 'orphaned-wait': 'orph' };
  const conf = { certain: 'C', likely: 'L', possible: 'P' };
  const cols = [];
  for (const k of KINDS) for (const c of CONFIDENCES) cols.push([`${abbrev[k]}.${conf[c]}`, `${k}/${c}`]);
  const head = [pad('server', 18), pad('dump', 20), pad('gorout', 7), pad('groups', 7), pad('unmapped', 9), ...cols.map(([h]) => pad(h, 7)), pad('pile-up', 7)];
  const lines = [head.join(' ')];
  for (const r of rows) {
    if (r.error) {
      lines.push(`${pad(r.server, 18)} ${pad(r.dump, 20)} ERROR ${r.error.split('\n')[0]}`);
      continue;
    }
    lines.push(
      [
        pad(r.server, 18),
        pad(r.dump, 20),
        pad(r.goroutines, 7),
        pad(r.groups, 7),
        pad(`${r.unmappedFiles}/${r.userFiles}`, 9),
        ...cols.map(([, key]) => pad(r.counts[key] || '.', 7)),
        pad(r.pileUp || '.', 7),
      ].join(' '),
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write('(cyc=deadlock-cycle leak=leaked-lock orph=orphaned-wait; C=certain L=likely P=possible; unmapped = non-stdlib dump files not found / named)\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(cli)) {
    log(`${cli} not found: run npm run build first`);
    process.exit(2);
  }
  const cache = resolve(opts.cache ?? join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gridlock-controls'));
  mkdirSync(cache, { recursive: true });
  if (opts.keep) mkdirSync(opts.keep, { recursive: true });
  let servers = existsSync(controlsDir)
    ? readdirSync(controlsDir, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(controlsDir, d.name, 'SOURCE.md'))).map((d) => d.name).sort()
    : [];
  if (opts.only.length > 0) {
    const unknown = opts.only.filter((s) => !servers.includes(s));
    if (unknown.length > 0) {
      log(`no such control: ${unknown.join(', ')} (have: ${servers.join(', ')})`);
      process.exit(2);
    }
    servers = servers.filter((s) => opts.only.includes(s));
  }
  const tasks = [];
  for (const server of servers) {
    const dir = join(controlsDir, server);
    let modDir;
    try {
      const src = readSource(dir);
      modDir = ensureModule(cache, src);
    } catch (e) {
      tasks.push(async () => ({ server, dump: '*', error: e.message }));
      continue;
    }
    for (const dump of listDumps(dir)) {
      tasks.push(async () => {
        try {
          const report = await runGridlock(join(dir, dump), modDir, cache);
          if (opts.keep) writeFileSync(join(opts.keep, `${server}.${dump.replace(/\.gz$/, '')}.json`), JSON.stringify(report, null, 2));
          const row = summarise(server, dump, report);
          if (row.userFiles > 0 && row.unmappedFiles * 2 > row.userFiles) log(`${server}/${dump}: ${row.unmappedFiles} of ${row.userFiles} non-stdlib files unmapped`);
          return row;
        } catch (e) {
          return { server, dump, error: e.message };
        }
      });
    }
  }
  const rows = await pool(tasks, opts.jobs ?? Math.max(1, Math.min(4, availableParallelism())));
  const ok = rows.filter((r) => !r.error);
  const withAlarm = ok.filter((r) => r.alarms > 0).length;
  const errors = rows.filter((r) => r.error).length;
  const final = `controls: ${ok.length} dumps, ${withAlarm} with likely/certain deadlock-cycle, leaked-lock or orphaned-wait${errors ? ` (${errors} error${errors > 1 ? 's' : ''})` : ''}`;
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ rows, dumps: ok.length, withAlarm, errors }, null, 2)}\n`);
  } else {
    printTable(rows);
    if (opts.details) {
      for (const r of ok) for (const t of r.alarmTitles) process.stdout.write(`  ${r.server}/${r.dump}: ${t}\n`);
    }
    process.stdout.write(`${final}\n`);
  }
  if (errors > 0) process.exit(2);
  if (withAlarm > 0 && !opts.reportOnly) process.exit(1);
}

main().catch((e) => {
  log(e.stack ?? String(e));
  process.exit(2);
});
