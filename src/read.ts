/**
 * Defensive readers for values of unknown shape: events, results, the runtime's `context`, user
 * modules. Each returns undefined (or false) rather than throwing or guessing when a value is
 * missing or of another type.
 */

/** A JSON-like object: what an event or one of its fields is when it is an object at all. */
export type UnknownObject = Readonly<Record<string, unknown>>;

/** A non-null object that is not an array (a JSON object). */
export function isObject(value: unknown): value is UnknownObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Any non-null object, arrays included: the runtime's own test before it reads a property of
 * a user module (aws-lambda-ric 4.x, `typeof nested === "object"`), kept so handler lookup
 * follows it exactly.
 */
export function isObjectLike(value: unknown): value is Readonly<Record<PropertyKey, unknown>> {
  return typeof value === 'object' && value !== null;
}

/** The value itself when it is a non-empty string. */
export function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `source[key]` when `source` is an object and that field a non-empty string. */
export function stringField(source: unknown, key: string): string | undefined {
  return isObject(source) ? stringValue(source[key]) : undefined;
}

/** `source[key]` when `source` is an object and that field an object too. */
export function objectField(source: unknown, key: string): UnknownObject | undefined {
  if (!isObject(source)) return undefined;
  const value = source[key];
  return isObject(value) ? value : undefined;
}

/** `source[key]` when `source` is an object and that field an array. */
export function arrayField(source: unknown, key: string): readonly unknown[] | undefined {
  if (!isObject(source)) return undefined;
  const value = source[key];
  return Array.isArray(value) ? value : undefined;
}
