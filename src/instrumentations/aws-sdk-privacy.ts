import type { Span } from '@opentelemetry/api';
import { REDACTED } from '../privacy/url';

/**
 * What instrumentation-aws-sdk 0.77 would record of the data an AWS call carries, and the two
 * places it does by default. It records names (tables, queues, topics, buckets, functions,
 * secrets' ARNs), counts and settings, never item values, message bodies or message attribute
 * values, and leaves `db.query.text` out unless given a `dynamoDBStatementSerializer` (the layer
 * gives none). But:
 * - SNS Publish to a phone number (an SMS) names the number as the destination;
 * - DynamoDB writes asked for `ReturnItemCollectionMetrics` record the metrics as JSON, and
 *   their `ItemCollectionKey` is the item's partition key value.
 * These hooks overwrite both, after the service extension wrote them.
 */

/** The instrumentation's keys (development conventions it writes as literals). */
const ATTR_MESSAGING_DESTINATION = 'messaging.destination';
const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
const ATTR_ITEM_COLLECTION_METRICS = 'aws.dynamodb.item_collection_metrics';
/** What the instrumentation itself puts in the span's name for an SMS. */
const PHONE_NUMBER = 'phone_number';
const ITEM_COLLECTION_KEY = 'ItemCollectionKey';

/** The parts of the instrumentation's normalised request and response these hooks read. */
interface AwsRequest {
  readonly serviceName: string;
  readonly commandName: string;
  readonly commandInput?: Readonly<Record<string, unknown>>;
}

export function preRequestHook(span: Span, { request }: { request: AwsRequest }): void {
  if (request.serviceName === 'SNS' && request.commandName === 'Publish' && request.commandInput?.PhoneNumber !== undefined) {
    span.setAttributes({ [ATTR_MESSAGING_DESTINATION]: PHONE_NUMBER, [ATTR_MESSAGING_DESTINATION_NAME]: PHONE_NUMBER });
  }
}

export function responseHook(span: Span, { response }: { response: { data?: unknown; request: AwsRequest } }): void {
  if (response.request.serviceName !== 'DynamoDB') return;
  const metrics = (response.data as { ItemCollectionMetrics?: unknown } | undefined)?.ItemCollectionMetrics;
  if (metrics === undefined || metrics === null) return;
  // The same shape the DynamoDB extension writes: one JSON string per entry of the metrics.
  const entries: unknown[] = Array.isArray(metrics) ? metrics : [metrics];
  span.setAttribute(
    ATTR_ITEM_COLLECTION_METRICS,
    entries.map((entry) => JSON.stringify(entry, (key: string, value: unknown) => (key === ITEM_COLLECTION_KEY ? REDACTED : value))),
  );
}
