import { isObject } from '../read';

/**
 * Rebuilds a query string from API Gateway's parsed parameters, which arrive decoded: each name
 * and value is percent-encoded again so `url.query` reads like the request line. Prefers the
 * multi-value map, which keeps repeated parameters the single-value map collapses.
 */
export function encodeQuery(single: unknown, multi: unknown, encode: boolean): string | undefined {
  const parts: string[] = [];
  const escape = encode ? encodeURIComponent : (text: string): string => text;
  if (isObject(multi)) {
    for (const name of Object.keys(multi)) {
      const values = multi[name];
      if (!Array.isArray(values)) continue;
      for (const value of values) {
        if (typeof value === 'string') parts.push(`${escape(name)}=${escape(value)}`);
      }
    }
  } else if (isObject(single)) {
    for (const name of Object.keys(single)) {
      const value = single[name];
      if (typeof value === 'string') parts.push(`${escape(name)}=${escape(value)}`);
    }
  }
  return parts.length === 0 ? undefined : parts.join('&');
}
