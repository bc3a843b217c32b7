import type { Carrier } from './types';

/** Keys of the carriers handed to propagation: what W3C and X-Ray propagators read. */
export const CARRIER_TRACEPARENT = 'traceparent';
export const CARRIER_TRACESTATE = 'tracestate';
export const CARRIER_XRAY = 'x-amzn-trace-id';

/**
 * A record's trace context as a carrier, or undefined when it has none. A record with a
 * `traceparent` and an X-Ray header keeps both; the propagation side prefers W3C.
 */
export function traceCarrier(
  traceparent: string | undefined,
  tracestate: string | undefined,
  xrayHeader: string | undefined,
): Carrier | undefined {
  if (traceparent === undefined && xrayHeader === undefined) return undefined;
  const carrier: Record<string, string> = {};
  if (traceparent !== undefined) {
    carrier[CARRIER_TRACEPARENT] = traceparent;
    if (tracestate !== undefined) carrier[CARRIER_TRACESTATE] = tracestate;
  }
  if (xrayHeader !== undefined) carrier[CARRIER_XRAY] = xrayHeader;
  return carrier;
}
