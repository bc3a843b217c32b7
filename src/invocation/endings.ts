import { SpanStatusCode, type Span } from '@opentelemetry/api';
import type { DropCounts } from '../export/dropped-spans';
import {
  ATTR_ERROR_TYPE,
  ATTR_LAMBDA_CRASHED,
  ATTR_LAMBDA_CUT_SHORT,
  ATTR_LAMBDA_TIMEOUT_MS,
  ATTR_LAMBDA_TIMEOUT_REMAINING_MS,
  ATTR_PREFIX_SPANS_DROPPED,
  ERROR_TYPE_VALUE_TIMEOUT,
} from '../semconv';
import type { PayloadRecorder } from '../payload/capture';
import type { Failure } from '../sampling/rules';
import { responseAttributes } from '../triggers/response';
import type { Trigger } from '../triggers/types';

/** How an invocation ended. Only `answered` reaches the caller through the handler. */
export type Ending =
  /** The handler gave its answer: a result, or an error (thrown, rejected, or passed to a callback). */
  | { readonly kind: 'answered'; readonly error?: unknown; readonly result?: unknown }
  /** Still running when its deadline came near: Lambda will kill the process. */
  | { readonly kind: 'timed-out'; readonly timeoutMs: number; readonly remainingMs: number }
  /** An uncaught exception or unhandled rejection is ending the process. */
  | { readonly kind: 'crashed'; readonly error: unknown; readonly culprit: boolean }
  /** Something called `process.exit()` while the invocation ran. */
  | { readonly kind: 'exited'; readonly code: number };

/**
 * Writes how the invocation ended onto its span (status, exception, the trigger's response
 * attributes, and the result itself when payloads are captured) and says how it failed, if it
 * did: an error (thrown, or an error answer such as an HTTP 5xx), a timeout, or a crash.
 */
export function recordEnding(span: Span, trigger: Trigger, ending: Ending, payloads?: PayloadRecorder): Failure | undefined {
  switch (ending.kind) {
    case 'answered': {
      if (ending.error !== undefined && ending.error !== null) {
        recordError(span, ending.error);
        return 'error';
      }
      const response = responseAttributes(trigger, ending.result);
      span.setAttributes(response.attributes);
      payloads?.recordResult(span, ending.result);
      if (!response.isError) return undefined;
      span.setStatus({ code: SpanStatusCode.ERROR });
      return 'error';
    }
    case 'timed-out':
      span.setAttributes({
        [ATTR_ERROR_TYPE]: ERROR_TYPE_VALUE_TIMEOUT,
        [ATTR_LAMBDA_TIMEOUT_MS]: ending.timeoutMs,
        [ATTR_LAMBDA_TIMEOUT_REMAINING_MS]: ending.remainingMs,
      });
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: `timed out: still running ${ending.remainingMs} ms before the ${ending.timeoutMs / 1000} s timeout`,
      });
      return 'timeout';
    case 'exited':
      span.setAttribute(ATTR_LAMBDA_CRASHED, true);
      span.setStatus({ code: SpanStatusCode.ERROR, message: `the process exited during the invocation: process.exit(${ending.code})` });
      return 'crash';
    case 'crashed':
      span.setAttribute(ATTR_LAMBDA_CRASHED, true);
      if (ending.culprit) {
        recordError(span, ending.error);
      } else {
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'the process crashed while this invocation ran' });
      }
      return 'crash';
  }
}

/** `lambda_otel.spans_dropped.<reason>` for each reason with drops. */
export function recordDropped(span: Span, counts: DropCounts | undefined): void {
  if (counts === undefined) return;
  for (const [reason, count] of Object.entries(counts)) {
    if (count > 0) span.setAttribute(ATTR_PREFIX_SPANS_DROPPED + reason.replace('-', '_'), count);
  }
}

/** Ends a span that was still open when its invocation ended without answering. */
export function cutShort(span: Span, ending: Exclude<Ending, { kind: 'answered' }>, endTime: number): void {
  const reason = ending.kind === 'timed-out' ? 'timeout' : 'crash';
  span.setAttribute(ATTR_LAMBDA_CUT_SHORT, reason);
  span.setStatus({ code: SpanStatusCode.ERROR, message: `cut short: the invocation ended by ${reason} while this span was open` });
  span.end(endTime);
}

function recordError(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : safeString(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return safeString(error.message);
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? safeString(error);
  } catch {
    return safeString(error);
  }
}

/** `String(value)`, for values whose `toString` may throw (anything can be thrown). */
function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
