/**
 * Decodes OTLP ExportTraceServiceRequest bodies with the official opentelemetry-proto schema: the
 * protobufjs code that OpenTelemetry JS generated from it, as shipped in
 * @opentelemetry/otlp-transformer 0.216.0 (the devDependency alias `otlp-proto-schema`; later
 * versions replaced it with a hand-written codec).
 */

export type SpanKindName = 'UNSPECIFIED' | 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
export type StatusCodeName = 'UNSET' | 'OK' | 'ERROR';

export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  readonly traceState: string;
  readonly name: string;
  readonly kind: SpanKindName;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly attributes: Record<string, unknown>;
  readonly resource: Record<string, unknown>;
  readonly scope: { readonly name: string; readonly version: string };
  readonly status: { readonly code: StatusCodeName; readonly message: string };
  readonly events: { readonly name: string; readonly timeUnixNano: bigint; readonly attributes: Record<string, unknown> }[];
  readonly links: { readonly traceId: string; readonly spanId: string; readonly attributes: Record<string, unknown> }[];
  readonly droppedAttributesCount: number;
  readonly flags: number;
}

/** protobufjs' toObject options (its IConversionOptions), kept local. */
interface ConversionOptions {
  readonly longs?: StringConstructor;
  readonly enums?: StringConstructor;
  readonly bytes?: StringConstructor;
  readonly defaults?: boolean;
  readonly arrays?: boolean;
  readonly oneofs?: boolean;
}

interface MessageType {
  decode(reader: Uint8Array): object;
  fromObject(object: Record<string, unknown>): object;
  toObject(message: object, options: ConversionOptions): Record<string, unknown>;
}

function loadRequestType(): MessageType {
  // The generated module's types are only `protobuf.Root`: walk it as data and check the shape.
  const root: unknown = require('otlp-proto-schema/build/src/generated/root');
  let node: unknown = root;
  for (const key of ['opentelemetry', 'proto', 'collector', 'trace', 'v1', 'ExportTraceServiceRequest']) {
    node = typeof node === 'object' || typeof node === 'function' ? (node as Record<string, unknown> | null)?.[key] : undefined;
  }
  const t = node as Partial<MessageType> | undefined;
  if (typeof t?.decode !== 'function' || typeof t.fromObject !== 'function' || typeof t.toObject !== 'function') {
    throw new Error('otlp-proto-schema: ExportTraceServiceRequest not found in the generated root');
  }
  return t as MessageType;
}

let requestType: MessageType | undefined;
function traceRequestType(): MessageType {
  requestType ??= loadRequestType();
  return requestType;
}

// oneofs: AnyValue gets a virtual `value` field naming the member that is set.
const TO_OBJECT: ConversionOptions = { longs: String, enums: String, bytes: String, defaults: true, arrays: true, oneofs: true };

/** Decodes a (decompressed) body of the given content type into flat spans. */
export function decodeTraceRequest(body: Uint8Array, contentType: string): ReceivedSpan[] {
  const type = traceRequestType();
  let message: object;
  if (contentType === 'application/x-protobuf' || contentType === 'application/protobuf') {
    message = type.decode(body);
  } else if (contentType === 'application/json') {
    const parsed: unknown = JSON.parse(Buffer.from(body).toString('utf8'));
    message = type.fromObject(asRecord(jsonIdsToBase64(parsed)));
  } else {
    throw new Error(`unsupported Content-Type ${contentType}`);
  }
  return flatten(type.toObject(message, TO_OBJECT));
}

// ---- OTLP/JSON: trace and span ids are hex there, base64 in the proto3 JSON mapping ----------

const HEX_ID_KEYS = new Set(['traceId', 'spanId', 'parentSpanId', 'trace_id', 'span_id', 'parent_span_id']);

function jsonIdsToBase64(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(jsonIdsToBase64);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    out[key] = HEX_ID_KEYS.has(k) && typeof v === 'string' ? Buffer.from(v, 'hex').toString('base64') : jsonIdsToBase64(v);
  }
  return out;
}

// ---- flattening --------------------------------------------------------------------------

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function asString(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function hex(v: unknown): string {
  return typeof v === 'string' ? Buffer.from(v, 'base64').toString('hex') : '';
}

function big(v: unknown): bigint {
  if (typeof v === 'string' && v !== '') return BigInt(v);
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  return 0n;
}

/** AnyValue -> string | number | boolean | unknown[] | Record<string, unknown> | Buffer | undefined. */
export function unwrapAnyValue(v: unknown): unknown {
  const o = asRecord(v);
  const which = typeof o.value === 'string' ? o.value : undefined;
  switch (which) {
    case 'stringValue':
      return asString(o.stringValue);
    case 'boolValue':
      return o.boolValue === true;
    case 'intValue':
      return Number(o.intValue);
    case 'doubleValue':
      return Number(o.doubleValue);
    case 'arrayValue':
      return asArray(asRecord(o.arrayValue).values).map(unwrapAnyValue);
    case 'kvlistValue':
      return keyValues(asRecord(o.kvlistValue).values);
    case 'bytesValue':
      return Buffer.from(asString(o.bytesValue), 'base64');
    default:
      return undefined;
  }
}

function keyValues(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of asArray(list)) {
    const o = asRecord(kv);
    out[asString(o.key)] = unwrapAnyValue(o.value);
  }
  return out;
}

const SPAN_KINDS: Record<string, SpanKindName> = {
  SPAN_KIND_UNSPECIFIED: 'UNSPECIFIED',
  SPAN_KIND_INTERNAL: 'INTERNAL',
  SPAN_KIND_SERVER: 'SERVER',
  SPAN_KIND_CLIENT: 'CLIENT',
  SPAN_KIND_PRODUCER: 'PRODUCER',
  SPAN_KIND_CONSUMER: 'CONSUMER',
};

const STATUS_CODES: Record<string, StatusCodeName> = {
  STATUS_CODE_UNSET: 'UNSET',
  STATUS_CODE_OK: 'OK',
  STATUS_CODE_ERROR: 'ERROR',
};

function flatten(request: Record<string, unknown>): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of asArray(request.resourceSpans)) {
    const resourceSpans = asRecord(rs);
    const resource = keyValues(asRecord(resourceSpans.resource).attributes);
    for (const ss of asArray(resourceSpans.scopeSpans)) {
      const scopeSpans = asRecord(ss);
      const scopeObj = asRecord(scopeSpans.scope);
      const scope = { name: asString(scopeObj.name), version: asString(scopeObj.version) };
      for (const sp of asArray(scopeSpans.spans)) {
        const s = asRecord(sp);
        const status = asRecord(s.status);
        out.push({
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          parentSpanId: hex(s.parentSpanId),
          traceState: asString(s.traceState),
          name: asString(s.name),
          kind: SPAN_KINDS[asString(s.kind)] ?? 'UNSPECIFIED',
          startTimeUnixNano: big(s.startTimeUnixNano),
          endTimeUnixNano: big(s.endTimeUnixNano),
          attributes: keyValues(s.attributes),
          resource,
          scope,
          status: { code: STATUS_CODES[asString(status.code)] ?? 'UNSET', message: asString(status.message) },
          events: asArray(s.events).map((e) => {
            const ev = asRecord(e);
            return { name: asString(ev.name), timeUnixNano: big(ev.timeUnixNano), attributes: keyValues(ev.attributes) };
          }),
          links: asArray(s.links).map((l) => {
            const link = asRecord(l);
            return { traceId: hex(link.traceId), spanId: hex(link.spanId), attributes: keyValues(link.attributes) };
          }),
          droppedAttributesCount: Number(s.droppedAttributesCount ?? 0),
          flags: Number(s.flags ?? 0),
        });
      }
    }
  }
  return out;
}
