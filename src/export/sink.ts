import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * When a send must be over: `at` on the `performance.now()` clock. `ms` is the bound it was
 * computed from, for messages: a remainder recomputed later would read one less whenever the
 * clock ticked in between.
 */
export interface Deadline {
  readonly at: number;
  readonly ms: number;
}

/**
 * The outcome of one send; a sink never throws or rejects.
 * - `retryable`: the same spans may go through later (a 503, a refused connection, no answer).
 *   Otherwise trying again cannot help (a 400, an untrusted certificate, spans that do not serialise).
 * - `uncertain`: the backend may have taken them (no answer, or the connection broke after the
 *   request went out), so sending them again may duplicate them.
 * - `timedOut`: there was no answer in time, whatever the reason says.
 * - `retryAfterMs`: the backend asked not to be called again before then.
 * - `bytes`: the serialised size of the spans, for the cap on what is kept.
 */
export type SendResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly retryable: boolean;
      readonly uncertain?: boolean;
      readonly timedOut?: boolean;
      readonly retryAfterMs?: number;
      readonly attempts?: number;
      readonly bytes?: number;
      /** Not sent, but written to disk for the runtime's next start in this environment (src/export/spill.ts). */
      readonly keptOnDisk?: boolean;
    };

/**
 * Where finished spans go: OTLP/HTTP, the console, or nowhere.
 */
export interface SpanSink {
  /** `keepOnDisk`: the process may be killed before the answer; keep the body until it comes. */
  send(spans: ReadableSpan[], deadline: Deadline, keepOnDisk?: boolean): Promise<SendResult>;
  /**
   * Sends without returning to the event loop, blocking the thread for at most `timeoutMs`: for a
   * process that is about to die of an uncaught exception, whose event loop never turns again.
   * The body is kept on disk until the backend took it.
   */
  sendBlocking(spans: ReadableSpan[], timeoutMs: number): SendResult;
}
