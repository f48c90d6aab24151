// The JSON contract (DESIGN.md, version 1) with a stable key order: the order of the contract,
// whatever order the analysis built its objects in. Keys the contract does not name (optional
// additions) follow the known ones, sorted, so that output never depends on insertion order.

import type { Report } from '../analysis/types.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** For each object kind, the contract's key order; nested objects say which kind they are. */
interface Shape {
  keys: string[];
  /** Shape of the value under a key (for arrays: of each element). */
  children?: Record<string, Shape>;
}

const LOCATION: Shape = { keys: ['file', 'line'] };
const RESOURCE: Shape = { keys: ['kind', 'name', 'expression', 'declared'], children: { declared: LOCATION } };
const WAKER: Shape = { keys: ['function', 'group', 'site'], children: { site: LOCATION } };
const FRAME: Shape = { keys: ['function', 'file', 'line'] };
const SELECT_CASE: Shape = { keys: ['operation', 'resource', 'wokenBy'], children: { resource: RESOURCE, wokenBy: WAKER } };
const BLOCKING: Shape = {
  keys: ['site', 'operation', 'resource', 'wokenBy', 'cases'],
  children: { site: { keys: ['function', 'file', 'line', 'statement'] }, resource: RESOURCE, wokenBy: WAKER, cases: SELECT_CASE },
};
const GROUP: Shape = {
  keys: ['id', 'count', 'goroutineIds', 'state', 'waitMinutes', 'frames', 'createdBy', 'identity', 'name', 'labels', 'stuck', 'blocking'],
  children: {
    waitMinutes: { keys: ['min', 'max'] },
    frames: FRAME,
    createdBy: { keys: ['function', 'file', 'line', 'goroutine'] },
    blocking: BLOCKING,
  },
};
const WAIT: Shape = {
  keys: ['group', 'inferred', 'function', 'name', 'blockedIn', 'operation', 'resource', 'wokenBy'],
  children: { blockedIn: FRAME, resource: RESOURCE, wokenBy: WAKER },
};
const FINDING: Shape = {
  keys: ['kind', 'confidence', 'title', 'explanation', 'waits', 'fixes', 'mermaid'],
  children: { waits: WAIT, fixes: { keys: ['file', 'line', 'hint'] } },
};
const REPORT: Shape = {
  keys: ['gridlock', 'snapshot', 'groups', 'findings', 'coverage'],
  children: {
    coverage: { keys: ['blockedGroups', 'checkedGroups', 'unchecked'], children: { unchecked: { keys: ['reason', 'message', 'groups'] } } },
    snapshot: { keys: ['format', 'goroutines', 'declaredTotal', 'warnings'], children: { warnings: { keys: ['line', 'message'] } } },
    groups: GROUP,
    findings: FINDING,
  },
};

function ordered(value: unknown, shape: Shape | undefined): Json {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) {
    const out: Json[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = ordered(value[i], shape);
    return out;
  }
  if (typeof value !== 'object') return value as Json;
  const source = value as Record<string, unknown>;
  const known = shape?.keys ?? NO_KEYS;
  const children = shape?.children;
  const result: { [key: string]: Json } = {};
  // The known keys first, in the contract's order; the rest are looked for only when some are left.
  let present = 0;
  for (const key of known) {
    if (!(key in source)) continue;
    present++;
    if (source[key] !== undefined) result[key] = ordered(source[key], children?.[key]);
  }
  const all = Object.keys(source);
  if (all.length > present) {
    const extra = all.filter((key) => !known.includes(key)).sort();
    for (const key of extra) if (source[key] !== undefined) result[key] = ordered(source[key], children?.[key]);
  }
  return result;
}

const NO_KEYS: string[] = [];

/** The report as JSON: contract key order, 2-space indent, trailing newline. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(ordered(report, REPORT), null, 2)}\n`;
}
