/** Trace and span ids read out of propagation headers, to compare with decoded spans. */
export interface TraceIds {
  readonly traceId: string;
  readonly spanId: string;
}

/** A W3C `traceparent`, split; undefined for anything else. */
export function parseTraceparent(value: unknown): TraceIds | undefined {
  const match = typeof value === 'string' ? /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/.exec(value) : null;
  return match === null ? undefined : { traceId: match[1], spanId: match[2] };
}

/** An X-Ray header (`Root=1-<8 hex>-<24 hex>;Parent=<16 hex>;…`) as OpenTelemetry ids. */
export function parseXrayHeader(value: unknown): TraceIds | undefined {
  if (typeof value !== 'string') return undefined;
  const root = /Root=1-([0-9a-f]{8})-([0-9a-f]{24})/i.exec(value);
  const parent = /Parent=([0-9a-f]{16})/i.exec(value);
  return root === null || parent === null ? undefined : { traceId: (root[1] + root[2]).toLowerCase(), spanId: parent[1].toLowerCase() };
}
