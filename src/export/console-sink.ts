import { ConsoleSpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { SendResult, SpanSink } from './sink';

/** OTEL_TRACES_EXPORTER=console: prints spans with the SDK's own console format. */
export class ConsoleSink implements SpanSink {
  private readonly exporter = new ConsoleSpanExporter();

  send(spans: ReadableSpan[]): Promise<SendResult> {
    return Promise.resolve(this.sendBlocking(spans));
  }

  /** The SDK's console exporter prints synchronously and reports through its callback at once. */
  sendBlocking(spans: ReadableSpan[]): SendResult {
    let outcome: SendResult = { ok: false, reason: 'the console exporter did not report', retryable: false };
    this.exporter.export(spans, (result) => {
      outcome = result.code === 0 ? { ok: true } : { ok: false, reason: String(result.error), retryable: false };
    });
    return outcome;
  }
}
