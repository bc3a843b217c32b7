import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** The outcome of one send; a sink never throws or rejects. */
export type SendResult = { ok: true } | { ok: false; reason: string };

/**
 * Where finished spans go. One method so the export path stays pluggable: OTLP/HTTP, console,
 * or whatever a later mode needs.
 */
export interface SpanSink {
  send(spans: ReadableSpan[], timeoutMs: number): Promise<SendResult>;
}
