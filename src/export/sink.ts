import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** The outcome of one send; a sink never throws or rejects. */
export type SendResult = { ok: true } | { ok: false; reason: string };

/**
 * Where finished spans go: OTLP/HTTP, the console, or nowhere.
 */
export interface SpanSink {
  send(spans: ReadableSpan[], timeoutMs: number): Promise<SendResult>;
  /**
   * Sends without returning to the event loop, blocking the thread for at most `timeoutMs`: for a
   * process that is about to die of an uncaught exception, whose event loop never turns again.
   */
  sendBlocking(spans: ReadableSpan[], timeoutMs: number): SendResult;
}
