/**
 * When an export is tried again. The rules follow the OTLP/HTTP specification (429, 502, 503 and
 * 504 are retryable, with `Retry-After` honoured) plus 408 and 500, which collectors behind load
 * balancers answer during deploys. Everything else from the backend is final: retrying a 400 or
 * a 401 only sends the same refused bytes again.
 */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/**
 * First wait between two attempts of one export; doubled after each retry. Short, because the
 * attempts share the invocation's bound (500 ms by default): 25 + 50 + 100 ms of waiting leave
 * room for four attempts, enough to get past a rolling deploy's failing instances, even with a
 * remote backend's round trips and the first export's loading of the serialiser.
 */
const FIRST_RETRY_DELAY_MS = 25;
const JITTER = 0.2;

/**
 * Wait before retry number `retry` (1 for the first): 25, 50, 100 ms... each ±20 %, so that the
 * functions that met the same failure do not come back at the same instant.
 */
export function retryDelayMs(retry: number, random: () => number = Math.random): number {
  return FIRST_RETRY_DELAY_MS * 2 ** (retry - 1) * (1 - JITTER + 2 * JITTER * random());
}

/**
 * `Retry-After` (RFC 9110 §10.2.3) in milliseconds from now: delay-seconds or an HTTP-date.
 * Undefined when absent or malformed; a date in the past is 0.
 */
export function parseRetryAfter(value: string | undefined, nowEpochMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // All three HTTP-date forms start with the day's name; Date.parse would take "-1" for a year.
  const at = /^[A-Za-z]{3}\b/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowEpochMs);
}
