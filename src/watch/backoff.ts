// How long to wait before the next poll after failures. Exponential so a dead target is not
// hammered, capped so a target that comes back is noticed soon, and reset by the first success.

export interface BackoffPolicy {
  /** The delay after the first failure, in ms (the poll interval). */
  baseMs: number;
  /** The longest delay, in ms. */
  maxMs: number;
  /** Growth per failure. */
  factor: number;
}

/** The policy for a poll interval: start at the interval, double, stop at a minute (or the interval if longer). */
export function backoffForInterval(intervalMs: number, maxMs?: number): BackoffPolicy {
  const base = Math.max(1, intervalMs);
  return { baseMs: base, maxMs: Math.max(base, maxMs ?? 60_000), factor: 2 };
}

/** The delay before the next try after `failures` consecutive failures (0 = none: the plain interval). */
export function backoffDelay(policy: BackoffPolicy, failures: number): number {
  if (failures <= 0) return policy.baseMs;
  // Cap the exponent first so a long outage cannot overflow to Infinity.
  const exponent = Math.min(failures - 1, 64);
  return Math.min(policy.maxMs, policy.baseMs * Math.pow(policy.factor, exponent));
}
