import type { EventObject } from './types';

/**
 * Defensive readers for untrusted event JSON: each returns undefined rather than throwing or
 * guessing when a field is missing or of another type.
 */

export function isObject(value: unknown): value is EventObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectField(source: unknown, key: string): EventObject | undefined {
  if (!isObject(source)) return undefined;
  const value = source[key];
  return isObject(value) ? value : undefined;
}

export function stringField(source: unknown, key: string): string | undefined {
  if (!isObject(source)) return undefined;
  const value = source[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function arrayField(source: unknown, key: string): readonly unknown[] | undefined {
  if (!isObject(source)) return undefined;
  const value = source[key];
  return Array.isArray(value) ? value : undefined;
}

/** The `Records` array of a batch event when its first record comes from `eventSource`. */
export function recordsFrom(event: unknown, sourceKey: string, eventSource: string): readonly unknown[] | undefined {
  const records = arrayField(event, 'Records');
  if (records === undefined || records.length === 0) return undefined;
  return stringField(records[0], sourceKey) === eventSource ? records : undefined;
}
