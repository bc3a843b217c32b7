import { arrayField, stringField } from '../read';

/** The `Records` array of a batch event when its first record comes from `eventSource`. */
export function recordsFrom(event: unknown, sourceKey: string, eventSource: string): readonly unknown[] | undefined {
  const records = arrayField(event, 'Records');
  if (records === undefined || records.length === 0) return undefined;
  return stringField(records[0], sourceKey) === eventSource ? records : undefined;
}
