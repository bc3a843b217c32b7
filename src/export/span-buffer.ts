import { TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * Holds ended, sampled spans until a flush takes them. Export timing is not this class's job:
 * the export policy decides when `take()` runs (before the response, after it, at shutdown).
 */
export class SpanBuffer implements SpanProcessor {
  private spans: ReadableSpan[] = [];
  private dropped = 0;
  /** performance.now() when the oldest span buffered now arrived. */
  private firstAt = 0;
  private backlog: { readonly count: number; readonly then: () => void } | undefined;
  private deferred: (() => void)[] = [];

  constructor(private readonly maxSpans: number) {}

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.spans.length >= this.maxSpans) {
      this.dropped++;
      return;
    }
    if (this.spans.length === 0) this.firstAt = performance.now();
    this.spans.push(span);
    if (this.spans.length === this.backlog?.count) this.backlog.then();
  }

  /** Calls `then` each time the buffer comes to hold `count` spans (called from a span's end: keep it short). */
  whenHolding(count: number, then: () => void): void {
    this.backlog = { count, then };
  }

  /** performance.now() when the oldest span buffered now arrived; undefined when none is. */
  get oldestAt(): number | undefined {
    return this.spans.length === 0 ? undefined : this.firstAt;
  }

  get size(): number {
    return this.spans.length;
  }

  /**
   * Work that creates spans, run at the next `take()` (so its spans leave with that export): what
   * need not delay the answer, such as turning the init's record into spans, waits for the export.
   */
  defer(createSpans: () => void): void {
    this.deferred.push(createSpans);
  }

  /** Removes and returns everything buffered, after running the deferred work. */
  take(): ReadableSpan[] {
    if (this.deferred.length > 0) this.runDeferred();
    const spans = this.spans;
    this.spans = [];
    return spans;
  }

  private runDeferred(): void {
    const deferred = this.deferred;
    this.deferred = [];
    for (const createSpans of deferred) {
      try {
        createSpans();
      } catch {
        // Deferred work reports its own failures; a throw must not cost the buffered spans.
      }
    }
  }

  /** How many spans ended while the buffer was full, since the last call. */
  takeDropped(): number {
    const dropped = this.dropped;
    this.dropped = 0;
    return dropped;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
