import { SpanKind, type Attributes } from '@opentelemetry/api';
import {
  ATTR_FAAS_DOCUMENT_COLLECTION,
  ATTR_FAAS_DOCUMENT_NAME,
  ATTR_FAAS_DOCUMENT_OPERATION,
  ATTR_FAAS_DOCUMENT_TIME,
  ATTR_FAAS_TRIGGER,
  FAAS_DOCUMENT_OPERATION_VALUE_DELETE,
  FAAS_DOCUMENT_OPERATION_VALUE_EDIT,
  FAAS_DOCUMENT_OPERATION_VALUE_INSERT,
  FAAS_TRIGGER_VALUE_DATASOURCE,
} from '../semconv';
import { objectField, stringField } from '../read';
import { recordsFrom } from './records';
import type { EventObject, Trigger, TriggerDetector } from './types';

/**
 * S3 event notifications: `Records[]` with `eventSource: 'aws:s3'`. A datasource trigger, SERVER
 * per the FaaS conventions. S3 sends one record per notification; the first one is described.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
export const SOURCE_S3 = 's3';

const EVENT_SOURCE = 'aws:s3';
/** `eventName` is `<category>:<detail>`, e.g. `ObjectCreated:Put`; the category decides. */
const OPERATIONS: ReadonlyMap<string, string> = new Map([
  ['ObjectCreated', FAAS_DOCUMENT_OPERATION_VALUE_INSERT],
  ['ObjectRemoved', FAAS_DOCUMENT_OPERATION_VALUE_DELETE],
  ['LifecycleExpiration', FAAS_DOCUMENT_OPERATION_VALUE_DELETE],
  // These change an existing object's state or metadata.
  ['ObjectRestore', FAAS_DOCUMENT_OPERATION_VALUE_EDIT],
  ['ObjectTagging', FAAS_DOCUMENT_OPERATION_VALUE_EDIT],
  ['ObjectAcl', FAAS_DOCUMENT_OPERATION_VALUE_EDIT],
  ['LifecycleTransition', FAAS_DOCUMENT_OPERATION_VALUE_EDIT],
  ['IntelligentTiering', FAAS_DOCUMENT_OPERATION_VALUE_EDIT],
]);
const PLUS = /\+/g;

export function matches(event: unknown): boolean {
  return recordsFrom(event, 'eventSource', EVENT_SOURCE) !== undefined;
}

export function describe(event: EventObject): Trigger {
  const record = (recordsFrom(event, 'eventSource', EVENT_SOURCE) ?? [])[0];
  const s3 = objectField(record, 's3');
  const attributes: Attributes = { [ATTR_FAAS_TRIGGER]: FAAS_TRIGGER_VALUE_DATASOURCE };
  const bucket = stringField(objectField(s3, 'bucket'), 'name');
  if (bucket !== undefined) attributes[ATTR_FAAS_DOCUMENT_COLLECTION] = bucket;
  const operation = operationOf(stringField(record, 'eventName'));
  if (operation !== undefined) attributes[ATTR_FAAS_DOCUMENT_OPERATION] = operation;
  const key = decodeKey(stringField(objectField(s3, 'object'), 'key'));
  if (key !== undefined) attributes[ATTR_FAAS_DOCUMENT_NAME] = key;
  const time = stringField(record, 'eventTime');
  if (time !== undefined) attributes[ATTR_FAAS_DOCUMENT_TIME] = time;
  return {
    source: SOURCE_S3,
    trigger: FAAS_TRIGGER_VALUE_DATASOURCE,
    kind: SpanKind.SERVER,
    attributes,
    linkCarriers: [],
  };
}

function operationOf(eventName: string | undefined): string | undefined {
  if (eventName === undefined) return undefined;
  const colon = eventName.indexOf(':');
  return OPERATIONS.get(colon < 0 ? eventName : eventName.slice(0, colon));
}

/** Keys arrive form-encoded (`my+photo%281%29.jpg`); the attribute wants the object's name. */
function decodeKey(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  try {
    return decodeURIComponent(key.replace(PLUS, ' '));
  } catch {
    return key;
  }
}

export const s3: TriggerDetector = { source: SOURCE_S3, matches, describe };
