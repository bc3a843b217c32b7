import type { Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_AWS_REQUEST_ID, ATTR_AWS_REQUEST_ID_SDK } from '../semconv';

/**
 * The AWS SDK instrumentation records the request id under its own key, `aws.request.id`; the
 * semantic conventions name it `aws.request_id`. Every span that carries the first gets the second
 * as it ends, so one query finds every AWS call, hooked or seen at the HTTP layer, failed or not;
 * the instrumentation's own key stays for queries written against upstream layers.
 */
export class AwsRequestIdAlias implements SpanProcessor {
  onStart(): void {}

  onEnding(span: Span): void {
    const id = span.attributes[ATTR_AWS_REQUEST_ID_SDK];
    if (id !== undefined && span.attributes[ATTR_AWS_REQUEST_ID] === undefined) span.setAttribute(ATTR_AWS_REQUEST_ID, id);
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
