import {
  isSpanContextValid,
  trace,
  TraceFlags,
  type Context,
  type SpanContext,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';

/**
 * The AWS X-Ray trace header, `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1`,
 * to and from an OpenTelemetry span context: the trace id is the root's 8 hex digits of epoch
 * seconds followed by its 24 random ones; the span id is `Parent`. Fields come in any order, and
 * others (`Lineage`, `Self`) are ignored.
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
 *
 * Hand-written rather than `@opentelemetry/propagator-aws-xray`: the parser is needed on its own
 * (the Lambda header and SQS `AWSTraceHeader` are strings, not carriers) and is a screen of code.
 */
export const XRAY_HEADER = 'x-amzn-trace-id';

const ROOT = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/i;
const SPAN_ID = /^[0-9a-f]{16}$/i;
const KEY_ROOT = 'root';
const KEY_PARENT = 'parent';
const KEY_SAMPLED = 'sampled';
const SAMPLED = '1';
/** Real headers are under 300 characters; a longer one is not worth splitting. */
const MAX_HEADER_LENGTH = 2048;
const TRACE_ID_EPOCH_LENGTH = 8;

/**
 * The span context a header describes, or undefined unless it has a valid `Root` and `Parent`.
 * Only `Sampled=1` sets the sampled flag: `0`, a deferred `?` and a missing field all read as
 * not sampled, since OpenTelemetry has no "decide later" flag.
 */
export function parseXrayHeader(header: string | undefined): SpanContext | undefined {
  if (typeof header !== 'string' || header.length > MAX_HEADER_LENGTH) return undefined;
  let traceId: string | undefined;
  let spanId: string | undefined;
  let sampled = false;
  for (const part of header.split(';')) {
    const equals = part.indexOf('=');
    if (equals < 0) continue;
    const key = part.slice(0, equals).trim().toLowerCase();
    const value = part.slice(equals + 1).trim();
    if (key === KEY_ROOT) {
      const match = ROOT.exec(value);
      traceId = match === null ? undefined : (match[1] + match[2]).toLowerCase();
    } else if (key === KEY_PARENT) {
      spanId = SPAN_ID.test(value) ? value.toLowerCase() : undefined;
    } else if (key === KEY_SAMPLED) {
      sampled = value === SAMPLED;
    }
  }
  if (traceId === undefined || spanId === undefined) return undefined;
  const context: SpanContext = {
    traceId,
    spanId,
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  };
  return isSpanContextValid(context) ? context : undefined;
}

/** The header for a span context, or undefined for an invalid one. */
export function formatXrayHeader(context: SpanContext): string | undefined {
  if (!isSpanContextValid(context)) return undefined;
  const epoch = context.traceId.slice(0, TRACE_ID_EPOCH_LENGTH);
  const random = context.traceId.slice(TRACE_ID_EPOCH_LENGTH);
  const sampled = (context.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? '1' : '0';
  return `Root=1-${epoch}-${random};Parent=${context.spanId};Sampled=${sampled}`;
}

/** `xray` in `OTEL_PROPAGATORS`: reads and writes the `X-Amzn-Trace-Id` header. */
export class XrayPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    const header = spanContext === undefined ? undefined : formatXrayHeader(spanContext);
    if (header !== undefined) setter.set(carrier, XRAY_HEADER, header);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const spanContext = parseXrayHeader(readHeader(carrier, getter));
    return spanContext === undefined ? context : trace.setSpanContext(context, spanContext);
  }

  fields(): string[] {
    return [XRAY_HEADER];
  }
}

/** Carriers are usually lower-cased already; other spellings cost a scan of the keys. */
function readHeader(carrier: unknown, getter: TextMapGetter): string | undefined {
  let value = getter.get(carrier, XRAY_HEADER);
  if (value === undefined) {
    const key = getter.keys(carrier).find((name) => name.toLowerCase() === XRAY_HEADER);
    value = key === undefined ? undefined : getter.get(carrier, key);
  }
  return Array.isArray(value) ? value[0] : value;
}
