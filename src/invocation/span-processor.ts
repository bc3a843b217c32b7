import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { DroppedSpans } from '../export/dropped-spans';
import { invocationOf, type Invocation } from './invocation';

/**
 * What an invocation knows of the spans started inside it (at any depth), between the provider
 * and the span buffer (`next`; with tail sampling, the tail sampler, which then holds them until
 * the invocation's verdict):
 * - the ones still open, so that a timeout or a crash can end them, marked as cut short, and
 *   export them with their invocation instead of letting them die with the process;
 * - its span budget: past `maxSpans`, ended spans are dropped, and counted, instead of buffered, so a handler that makes 100 000 calls cannot grow memory without bound.
 *   The spans are still created and sampled as usual, so the trace context sent downstream does
 *   not change when the budget runs out.
 * Per span: one context lookup at start, one map update at each end.
 */
export class InvocationSpanProcessor implements SpanProcessor {
  private readonly owners = new WeakMap<ReadableSpan, Invocation>();

  constructor(
    private readonly next: SpanProcessor,
    private readonly maxSpans: number,
    private readonly dropped: DroppedSpans,
  ) {}

  onStart(span: Span, parentContext: Context): void {
    const invocation = invocationOf(parentContext);
    if (invocation !== undefined && !invocation.hasEnded) {
      invocation.adopt(span);
      this.owners.set(span, invocation);
    }
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    const invocation = this.owners.get(span);
    if (invocation !== undefined) {
      this.owners.delete(span);
      if (!invocation.release(span as Span, this.maxSpans)) {
        this.dropped.add('over-budget', 1);
        return;
      }
    }
    this.next.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}
