import type { Attributes, SpanKind } from '@opentelemetry/api';
import type { UnknownObject } from '../read';

/** Values of `faas.trigger`. */
export type FaasTrigger = 'http' | 'pubsub' | 'datasource' | 'timer' | 'other';

/** A string map, read-only: HTTP headers or one record's trace context. */
export type Carrier = Readonly<Record<string, string>>;

/** What started an invocation, as far as the event's shape tells. */
export interface Trigger {
  /** The detector that recognised the event, e.g. `api-gateway-v1`, `sqs`; `unknown` when none did. */
  readonly source: string;
  /** The `faas.trigger` value. */
  readonly trigger: FaasTrigger;
  /**
   * SERVER for HTTP, datasource, timer and unrecognised events (the FaaS default); CONSUMER for
   * messaging batches (SQS, SNS, Kinesis, EventBridge, CloudWatch Logs), as the AWS Lambda
   * conventions prescribe for SQS.
   */
  readonly kind: SpanKind;
  /** `GET /orders/{id}`, `GET`, `process orders`; undefined means: use the function name. */
  readonly spanName?: string;
  /** Every attribute the detector could read, `faas.trigger` included. */
  readonly attributes: Attributes;
  /** Lower-cased request headers (first value of multi-value ones) to extract the parent from. */
  readonly parentCarrier?: Carrier;
  /**
   * Trace context found in the batch's records, one carrier per record that has some:
   * `traceparent`/`tracestate`, or an X-Ray header under `x-amzn-trace-id`. Capped at
   * {@link MAX_LINK_CARRIERS} so a 10,000-message batch costs no more than a small one.
   */
  readonly linkCarriers: readonly Carrier[];
}

export interface TriggerOptions {
  /** Record `url.query`. Off by default upstream: queries often hold tokens and personal data. */
  readonly captureQuery: boolean;
}

/** One event source: a cheap shape check, then a description of a matching event. */
export interface TriggerDetector {
  readonly source: string;
  matches(event: unknown): boolean;
  /** Called only after `matches` returned true. */
  describe(event: EventObject, options: TriggerOptions): Trigger;
}

/** A non-null, non-array object, as JSON events are. */
export type EventObject = UnknownObject;

/** How many records are searched for trace context: bounds both cost and span links. */
export const MAX_LINK_CARRIERS = 32;
