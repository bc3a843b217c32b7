import type { Diag } from '../diag';
import type { SpanBuffer } from './span-buffer';
import type { SendResult, SpanSink } from './sink';

/**
 * Moves whatever the buffer holds to the sink, within a time bound. Failures are reported once
 * per distinct reason and the spans are dropped: the function must never notice the backend.
 * After a failure the next flushes back off (doubling, up to a minute), so a dead backend does
 * not cost every invocation the full bound.
 */
const FIRST_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 60_000;

export class Flusher {
  private sink: SpanSink | undefined;
  /** After a failed export, flushes wait until then (spans stay buffered, within its limit). */
  private pausedUntil = 0;
  private backoffMs = FIRST_BACKOFF_MS;

  constructor(
    private readonly buffer: SpanBuffer,
    private readonly openSink: () => SpanSink,
    private readonly destination: string,
    private readonly diag: Diag,
  ) {}

  /** Loads the sink now rather than at the first export. */
  prepare(): void {
    try {
      this.sink ??= this.openSink();
    } catch (error) {
      this.diag.once('export:internal', 'error', `export failed inside the layer: ${String(error)}; spans dropped`);
    }
  }

  async flush(timeoutMs: number): Promise<void> {
    const started = Date.now();
    if (started < this.pausedUntil) return;
    const { spans, dropped } = this.buffer.take();
    if (dropped > 0) {
      this.diag.once('buffer-full', 'warn', `span buffer full: ${dropped} spans dropped (reported once)`);
    }
    if (spans.length === 0) return;
    try {
      this.sink ??= this.openSink();
      const result = await this.sink.send(spans, Math.max(1, timeoutMs - (Date.now() - started)));
      this.report(result, spans.length, started);
    } catch (error) {
      this.diag.once('export:internal', 'error', `export failed inside the layer: ${String(error)}; spans dropped`);
    }
  }

  /**
   * Sends what the buffer holds without returning to the event loop, for at most `timeoutMs`: the
   * last export of a process that is dying of an uncaught exception. Ignores the back-off: there
   * is no later export to wait for.
   */
  flushBlocking(timeoutMs: number): void {
    const started = Date.now();
    const { spans } = this.buffer.take();
    if (spans.length === 0) return;
    try {
      this.sink ??= this.openSink();
      this.report(this.sink.sendBlocking(spans, timeoutMs), spans.length, started);
    } catch (error) {
      this.diag.once('export:internal', 'error', `export failed inside the layer: ${String(error)}; spans dropped`);
    }
  }

  private report(result: SendResult, count: number, started: number): void {
    if (result.ok) {
      this.backoffMs = FIRST_BACKOFF_MS;
      this.diag.debug(`exported ${count} spans in ${Date.now() - started} ms`);
      return;
    }
    this.pausedUntil = Date.now() + this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    this.diag.once(
      `export:${result.reason}`,
      'warn',
      `export to ${this.destination} failed (${result.reason}); ${count} spans dropped. ` +
        'Further failures for the same reason are not reported.',
    );
  }
}
