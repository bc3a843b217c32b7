import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { invocationOf, type Invocation } from './invocation';

/**
 * Keeps, for each invocation, the spans started inside it that have not ended: a timeout or a crash
 * ends them, marked as cut short, so that they are exported with their invocation instead of dying
 * with the process. Per span: one context lookup at start, one map update at each end.
 */
export class OpenSpans implements SpanProcessor {
  private readonly owners = new WeakMap<ReadableSpan, Invocation>();

  onStart(span: Span, parentContext: Context): void {
    const invocation = invocationOf(parentContext);
    if (invocation === undefined || invocation.hasEnded) return;
    invocation.adopt(span);
    this.owners.set(span, invocation);
  }

  onEnd(span: ReadableSpan): void {
    const invocation = this.owners.get(span);
    if (invocation === undefined) return;
    this.owners.delete(span);
    invocation.release(span as Span);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
