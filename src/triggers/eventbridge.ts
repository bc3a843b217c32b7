import { SpanKind, type Attributes } from '@opentelemetry/api';
import {
  ATTR_CLOUDEVENTS_EVENT_ID,
  ATTR_CLOUDEVENTS_EVENT_SOURCE,
  ATTR_CLOUDEVENTS_EVENT_TYPE,
  ATTR_FAAS_TIME,
  ATTR_FAAS_TRIGGER,
  FAAS_TRIGGER_VALUE_PUBSUB,
  FAAS_TRIGGER_VALUE_TIMER,
} from '../semconv';
import { isObject, objectField, stringField } from '../read';
import { CARRIER_TRACEPARENT, CARRIER_TRACESTATE, traceCarrier } from './carriers';
import type { EventObject, Trigger, TriggerDetector } from './types';

/**
 * EventBridge events: `source`, `detail-type` and `detail`.
 *
 * Schedules (`detail-type: 'Scheduled Event'` from `aws.events` or `aws.scheduler`) are `timer`
 * triggers with a SERVER span and `faas.time`; `faas.cron` stays unset because the event names the
 * rule but not its expression. Other events are `pubsub` deliveries from a bus: a CONSUMER span
 * carrying the envelope as `cloudevents.*`, since no `messaging.system` value exists for
 * EventBridge and the bus name is not in the event. A `traceparent` in `detail` becomes a link.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 */
export const SOURCE_EVENTBRIDGE = 'eventbridge';

const DETAIL_TYPE = 'detail-type';
const SCHEDULED_DETAIL_TYPE = 'Scheduled Event';
const SCHEDULE_SOURCES: ReadonlySet<string> = new Set(['aws.events', 'aws.scheduler']);

export function matches(event: unknown): boolean {
  return (
    isObject(event) &&
    typeof event[DETAIL_TYPE] === 'string' &&
    typeof event.source === 'string' &&
    event.detail !== undefined
  );
}

export function describe(event: EventObject): Trigger {
  const source = stringField(event, 'source');
  const detailType = stringField(event, DETAIL_TYPE);
  if (detailType === SCHEDULED_DETAIL_TYPE && source !== undefined && SCHEDULE_SOURCES.has(source)) {
    const attributes: Attributes = { [ATTR_FAAS_TRIGGER]: FAAS_TRIGGER_VALUE_TIMER };
    const time = stringField(event, 'time');
    if (time !== undefined) attributes[ATTR_FAAS_TIME] = time;
    return {
      source: SOURCE_EVENTBRIDGE,
      trigger: FAAS_TRIGGER_VALUE_TIMER,
      kind: SpanKind.SERVER,
      attributes,
      linkCarriers: [],
    };
  }

  const attributes: Attributes = { [ATTR_FAAS_TRIGGER]: FAAS_TRIGGER_VALUE_PUBSUB };
  const id = stringField(event, 'id');
  if (id !== undefined) attributes[ATTR_CLOUDEVENTS_EVENT_ID] = id;
  if (source !== undefined) attributes[ATTR_CLOUDEVENTS_EVENT_SOURCE] = source;
  if (detailType !== undefined) attributes[ATTR_CLOUDEVENTS_EVENT_TYPE] = detailType;
  const detail = objectField(event, 'detail');
  const carrier = traceCarrier(
    stringField(detail, CARRIER_TRACEPARENT),
    stringField(detail, CARRIER_TRACESTATE),
    undefined,
  );
  return {
    source: SOURCE_EVENTBRIDGE,
    trigger: FAAS_TRIGGER_VALUE_PUBSUB,
    kind: SpanKind.CONSUMER,
    attributes,
    linkCarriers: carrier === undefined ? [] : [carrier],
  };
}

export const eventBridge: TriggerDetector = { source: SOURCE_EVENTBRIDGE, matches, describe };
