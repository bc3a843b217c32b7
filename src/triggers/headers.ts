import { isObject } from '../read';
import type { Carrier } from './types';

/** Enough for any real request (API Gateway caps headers at 10 KB); stops a pathological event. */
const MAX_HEADERS = 200;

/**
 * Merges an event's `headers` and `multiValueHeaders` into one map with lower-cased names, since
 * HTTP header names are case-insensitive and events keep the client's spelling. A multi-value
 * header contributes its first value (the `headers` map holds the last one for API Gateway REST),
 * so `traceparent` sent twice resolves to the first, as a single-value reader would.
 */
export function normaliseHeaders(headers: unknown, multiValueHeaders?: unknown): Carrier {
  // A Map, then fromEntries: a header named `__proto__` stays a plain entry.
  const result = new Map<string, string>();
  if (isObject(multiValueHeaders)) {
    for (const name of Object.keys(multiValueHeaders)) {
      if (result.size >= MAX_HEADERS) break;
      const values = multiValueHeaders[name];
      const first: unknown = Array.isArray(values) ? values[0] : undefined;
      const key = name.toLowerCase();
      if (typeof first === 'string' && !result.has(key)) result.set(key, first);
    }
  }
  if (isObject(headers)) {
    for (const name of Object.keys(headers)) {
      if (result.size >= MAX_HEADERS) break;
      const value = headers[name];
      const key = name.toLowerCase();
      if (typeof value === 'string' && !result.has(key)) result.set(key, value);
    }
  }
  return Object.fromEntries(result);
}

/** The first entry of a comma-separated header such as `X-Forwarded-For`: the original client. */
export function firstListValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const comma = value.indexOf(',');
  const first = (comma < 0 ? value : value.slice(0, comma)).trim();
  return first === '' ? undefined : first;
}
