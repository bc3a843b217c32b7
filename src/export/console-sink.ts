import { ConsoleSpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { SendResult, SpanSink } from './sink';

/** OTEL_TRACES_EXPORTER=console: prints spans with the SDK's own console format. */
export class ConsoleSink implements SpanSink {
  private readonly exporter = new ConsoleSpanExporter();

  send(spans: ReadableSpan[]): Promise<SendResult> {
    return new Promise((resolve) => {
      this.exporter.export(spans, (result) =>
        resolve(result.code === 0 ? { ok: true } : { ok: false, reason: String(result.error) }),
      );
    });
  }
}
