import { SpanKind, type Attributes } from '@opentelemetry/api';
import {
  ATTR_FAAS_TRIGGER,
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  FAAS_TRIGGER_VALUE_PUBSUB,
  MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
} from '../semconv';
import type { Carrier, Trigger } from './types';

/** A batch of messages as a messaging detector read it. */
export interface MessageBatch {
  readonly source: string;
  /** A `messaging.system` value. */
  readonly system: string;
  /** Undefined when the records came from several queues or streams. */
  readonly destination: string | undefined;
  readonly count: number;
  /** The message id of a one-message batch; ignored for larger ones. */
  readonly messageId: string | undefined;
  readonly linkCarriers: readonly Carrier[];
  /** System-specific attributes, such as the SNS topic ARN. */
  readonly extra?: Attributes;
}

/**
 * Applies the messaging conventions to a batch: a CONSUMER span of operation `process`, named
 * `process <destination>` (`process` alone when the batch mixes destinations, as the messaging
 * span-name rule has it). `messaging.batch.message_count` is left out of one-message batches,
 * which get `messaging.message.id` instead: the registry says not to set the count on spans that
 * handle a single message.
 */
export function describeMessageBatch(batch: MessageBatch): Trigger {
  const attributes: Attributes = {
    [ATTR_FAAS_TRIGGER]: FAAS_TRIGGER_VALUE_PUBSUB,
    [ATTR_MESSAGING_SYSTEM]: batch.system,
    [ATTR_MESSAGING_OPERATION_TYPE]: MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
    [ATTR_MESSAGING_OPERATION_NAME]: MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
    ...batch.extra,
  };
  if (batch.destination !== undefined) attributes[ATTR_MESSAGING_DESTINATION_NAME] = batch.destination;
  if (batch.count === 1) {
    if (batch.messageId !== undefined) attributes[ATTR_MESSAGING_MESSAGE_ID] = batch.messageId;
  } else {
    attributes[ATTR_MESSAGING_BATCH_MESSAGE_COUNT] = batch.count;
  }
  return {
    source: batch.source,
    trigger: FAAS_TRIGGER_VALUE_PUBSUB,
    kind: SpanKind.CONSUMER,
    spanName:
      batch.destination === undefined
        ? MESSAGING_OPERATION_TYPE_VALUE_PROCESS
        : `${MESSAGING_OPERATION_TYPE_VALUE_PROCESS} ${batch.destination}`,
    attributes,
    linkCarriers: batch.linkCarriers,
  };
}
