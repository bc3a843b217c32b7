import { TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * Holds ended, sampled spans until a flush takes them. Export timing is not this class's job:
 * the export policy decides when `take()` runs (before the response, after it, at shutdown).
 */
export class SpanBuffer implements SpanProcessor {
  private spans: ReadableSpan[] = [];
  private dropped = 0;

  constructor(private readonly maxSpans: number) {}

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.spans.length >= this.maxSpans) {
      this.dropped++;
      return;
    }
    this.spans.push(span);
  }

  get size(): number {
    return this.spans.length;
  }

  /** Removes and returns everything buffered, with the count dropped since the last take. */
  take(): { spans: ReadableSpan[]; dropped: number } {
    const taken = { spans: this.spans, dropped: this.dropped };
    this.spans = [];
    this.dropped = 0;
    return taken;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
