import { context, isSpanContextValid, trace, type Span } from '@opentelemetry/api';
import { invocationOf } from '../invocation/invocation';
import { lineIds, type LineIds } from './line';

/**
 * The ids a `console` line gets: those of the span active at the call, while its invocation is
 * in flight. Outside an invocation (init, the runtime's own lines between invocations) there are
 * none, and neither are there for work an earlier invocation left running (a timer that fires in
 * the next one): its context still holds a span, but that invocation has ended, and its ids
 * would point the line at the wrong trace. Consecutive lines from one span share its formatted
 * ids.
 */
export function activeIdsSource(): () => LineIds | undefined {
  let lastSpan: Span | undefined;
  let lastIds: LineIds | undefined;
  return () => {
    const active = context.active();
    const span = trace.getSpan(active);
    if (span === undefined) return undefined;
    const invocation = invocationOf(active);
    if (invocation === undefined || invocation.hasEnded) return undefined;
    if (span !== lastSpan) {
      const spanContext = span.spanContext();
      if (!isSpanContextValid(spanContext)) return undefined;
      lastIds = lineIds(spanContext.traceId, spanContext.spanId, spanContext.traceFlags);
      lastSpan = span;
    }
    return lastIds;
  };
}
