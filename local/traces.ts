/**
 * Spans as traces to look at: grouped by trace, in tree order, each placed on its trace's time
 * scale, with what a reader looks for (an error, a cold start, links to other traces). Shared by
 * the terminal waterfall and the HTML page. Any span shows up, whatever made it: a span whose
 * parent is not among the spans (the parent lives in another service) is drawn as a root.
 */
import type { ReceivedSpan } from '../test/helpers/sandbox/otlp-receiver';

const ATTR_COLDSTART = 'faas.coldstart';
const ATTR_EXCEPTION_TYPE = 'exception.type';
const ATTR_EXCEPTION_MESSAGE = 'exception.message';
const EXCEPTION_EVENT = 'exception';

export interface LinkView {
  readonly traceId: string;
  readonly spanId: string;
  /** The linked span, when it is among the spans shown. */
  readonly target: { readonly traceIndex: number; readonly name: string } | undefined;
  /** True for the other end: a span elsewhere links to this one. */
  readonly incoming: boolean;
}

export interface SpanRow {
  readonly span: ReceivedSpan;
  readonly depth: number;
  /** Start and length as fractions of the trace's duration. */
  readonly offset: number;
  readonly width: number;
  readonly durationMs: number;
  readonly startMs: number;
  /** Set for a span with an ERROR status: its message, or the recorded exception's. */
  readonly error: string | undefined;
  readonly coldStart: boolean;
  readonly links: readonly LinkView[];
}

export interface TraceView {
  readonly traceId: string;
  readonly index: number;
  readonly rows: readonly SpanRow[];
  readonly durationMs: number;
  /** service.name of the trace's root span. */
  readonly service: string;
  readonly title: string;
  readonly errors: number;
  readonly coldStart: boolean;
}

/** Traces in the order they started, spans in tree order (children by start time). */
export function traceViews(spans: readonly ReceivedSpan[]): TraceView[] {
  const byTrace = new Map<string, ReceivedSpan[]>();
  for (const span of spans) byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
  const traces = [...byTrace.values()].sort((a, b) => compare(earliest(a), earliest(b)));
  const where = new Map<string, { traceIndex: number; name: string }>();
  traces.forEach((traceSpans, traceIndex) => {
    for (const span of traceSpans) where.set(key(span.traceId, span.spanId), { traceIndex, name: span.name });
  });
  const incoming = new Map<string, LinkView[]>();
  for (const span of spans) {
    for (const link of span.links) {
      const back: LinkView = { traceId: span.traceId, spanId: span.spanId, target: where.get(key(span.traceId, span.spanId)), incoming: true };
      incoming.set(key(link.traceId, link.spanId), [...(incoming.get(key(link.traceId, link.spanId)) ?? []), back]);
    }
  }
  return traces.map((traceSpans, index) => {
    const start = earliest(traceSpans);
    const end = traceSpans.reduce((max, s) => (s.endTimeUnixNano > max ? s.endTimeUnixNano : max), traceSpans[0].endTimeUnixNano);
    const total = Number(end - start) || 1;
    const ids = new Set(traceSpans.map((s) => s.spanId));
    const rows: SpanRow[] = [];
    const walk = (parent: string | undefined, depth: number): void => {
      const children = traceSpans
        .filter((s) => (parent === undefined ? s.parentSpanId === '' || !ids.has(s.parentSpanId) : s.parentSpanId === parent))
        .sort((a, b) => compare(a.startTimeUnixNano, b.startTimeUnixNano));
      for (const span of children) {
        const outgoing = span.links.map((link) => ({ ...link, target: where.get(key(link.traceId, link.spanId)), incoming: false }));
        rows.push({
          span,
          depth,
          offset: Number(span.startTimeUnixNano - start) / total,
          width: Number(span.endTimeUnixNano - span.startTimeUnixNano) / total,
          durationMs: Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6,
          startMs: Number(span.startTimeUnixNano - start) / 1e6,
          error: errorOf(span),
          coldStart: span.attributes[ATTR_COLDSTART] === true,
          links: [...outgoing, ...(incoming.get(key(span.traceId, span.spanId)) ?? [])],
        });
        walk(span.spanId, depth + 1);
      }
    };
    walk(undefined, 0);
    // A span of no parent at all names the trace; one whose parent is elsewhere only if none is.
    const root = (rows.find((row) => row.span.parentSpanId === '') ?? rows[0]).span;
    const service = typeof root.resource['service.name'] === 'string' ? root.resource['service.name'] : '';
    return {
      traceId: traceSpans[0].traceId,
      index,
      rows,
      durationMs: total / 1e6,
      service,
      title: service === '' ? root.name : `${service}: ${root.name}`,
      errors: rows.filter((row) => row.error !== undefined).length,
      coldStart: rows.some((row) => row.coldStart),
    };
  });
}

/** `exception.type: exception.message` of the recorded exception, else the status message, for an ERROR span. */
function errorOf(span: ReceivedSpan): string | undefined {
  if (span.status.code !== 'ERROR') return undefined;
  const exception = span.events.find((event) => event.name === EXCEPTION_EVENT);
  const type = exception?.attributes[ATTR_EXCEPTION_TYPE];
  const message = exception?.attributes[ATTR_EXCEPTION_MESSAGE];
  const described = [type, message].filter((part) => typeof part === 'string' && part !== '').join(': ');
  return described || span.status.message || 'error';
}

/** An attribute value as text: strings as they are, anything else as JSON. */
export function attributeText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  return JSON.stringify(value) ?? String(value);
}

function earliest(spans: readonly ReceivedSpan[]): bigint {
  return spans.reduce((min, s) => (s.startTimeUnixNano < min ? s.startTimeUnixNano : min), spans[0].startTimeUnixNano);
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function key(traceId: string, spanId: string): string {
  return `${traceId}/${spanId}`;
}
