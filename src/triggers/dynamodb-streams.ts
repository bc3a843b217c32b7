import { SpanKind, type Attributes } from '@opentelemetry/api';
import {
  ATTR_FAAS_DOCUMENT_COLLECTION,
  ATTR_FAAS_DOCUMENT_OPERATION,
  ATTR_FAAS_DOCUMENT_TIME,
  ATTR_FAAS_TRIGGER,
  FAAS_DOCUMENT_OPERATION_VALUE_DELETE,
  FAAS_DOCUMENT_OPERATION_VALUE_EDIT,
  FAAS_DOCUMENT_OPERATION_VALUE_INSERT,
  FAAS_TRIGGER_VALUE_DATASOURCE,
} from '../semconv';
import { objectField, stringField } from '../read';
import { arnResourceName } from './arn';
import { recordsFrom } from './records';
import type { EventObject, Trigger, TriggerDetector } from './types';

/**
 * DynamoDB Streams event source mappings: `Records[]` with `eventSource: 'aws:dynamodb'`. A
 * datasource trigger (SERVER); the collection is the table, from `…:table/<name>/stream/<label>`.
 * A batch mixes inserts, edits and deletes: `faas.document.operation` is set only when every
 * record agrees, because one record's operation would misdescribe the rest.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
 */
export const SOURCE_DYNAMODB_STREAMS = 'dynamodb-streams';

const EVENT_SOURCE = 'aws:dynamodb';
const ARN_RESOURCE_TYPE = 'table';
const OPERATIONS: ReadonlyMap<string, string> = new Map([
  ['INSERT', FAAS_DOCUMENT_OPERATION_VALUE_INSERT],
  ['MODIFY', FAAS_DOCUMENT_OPERATION_VALUE_EDIT],
  ['REMOVE', FAAS_DOCUMENT_OPERATION_VALUE_DELETE],
]);
const MS_PER_SECOND = 1000;

export function matches(event: unknown): boolean {
  return recordsFrom(event, 'eventSource', EVENT_SOURCE) !== undefined;
}

export function describe(event: EventObject): Trigger {
  const records = recordsFrom(event, 'eventSource', EVENT_SOURCE) ?? [];
  const attributes: Attributes = { [ATTR_FAAS_TRIGGER]: FAAS_TRIGGER_VALUE_DATASOURCE };
  const table = arnResourceName(stringField(records[0], 'eventSourceARN'), ARN_RESOURCE_TYPE);
  if (table !== undefined) attributes[ATTR_FAAS_DOCUMENT_COLLECTION] = table;
  const eventName = stringField(records[0], 'eventName');
  if (records.every((record) => stringField(record, 'eventName') === eventName)) {
    const operation = eventName === undefined ? undefined : OPERATIONS.get(eventName);
    if (operation !== undefined) attributes[ATTR_FAAS_DOCUMENT_OPERATION] = operation;
  }
  const time = isoTime(objectField(records[0], 'dynamodb')?.ApproximateCreationDateTime);
  if (time !== undefined) attributes[ATTR_FAAS_DOCUMENT_TIME] = time;
  return {
    source: SOURCE_DYNAMODB_STREAMS,
    trigger: FAAS_TRIGGER_VALUE_DATASOURCE,
    kind: SpanKind.SERVER,
    attributes,
    linkCarriers: [],
  };
}

/** Streams give epoch seconds; the attribute wants ISO 8601 in UTC. */
function isoTime(seconds: unknown): string | undefined {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return undefined;
  const date = new Date(seconds * MS_PER_SECOND);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export const dynamodbStreams: TriggerDetector = { source: SOURCE_DYNAMODB_STREAMS, matches, describe };
