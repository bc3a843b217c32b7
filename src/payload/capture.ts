import type { Span } from '@opentelemetry/api';
import { isUtf8 } from 'node:buffer';
import { types } from 'node:util';
import type { Diag } from '../diag';
import { isObject, type UnknownObject } from '../read';
import { secretNames, type SecretNameTest } from '../privacy/secret-keys';
import { REDACTED, redactQuery } from '../privacy/url';
import {
  ATTR_HTTP_REQUEST_HEADER_PREFIX,
  ATTR_LAMBDA_EVENT,
  ATTR_LAMBDA_REQUEST_BODY,
  ATTR_LAMBDA_RESULT,
  FAAS_TRIGGER_VALUE_HTTP,
} from '../semconv';
import type { Trigger } from '../triggers/types';
import { MAX_EMBEDDED_JSON_CHARS, redactJsonText, writeJson, writeRaw, type CutReason, type Written, type WriterLimits } from './json-writer';

/**
 * Payload capture (LAMBDA_OTEL_CAPTURE_PAYLOAD), a file of its own in the layer, loaded only when
 * the setting is on. On the invocation span:
 * - `aws.lambda.event`: the event as JSON; for HTTP triggers without its headers and body, which
 *   get attributes of their own:
 * - `http.request.header.<name>`: each request header's values (the HTTP conventions' form);
 * - `aws.lambda.request_body`: the request body (decoded when base64), JSON and form bodies
 *   redacted by key, other text as it is;
 * - `aws.lambda.result`: what the handler answered, as JSON.
 * Values under names that look like secrets are redacted before anything is written (see
 * json-writer.ts). Each attribute takes at most {@link MAX_ATTRIBUTE_BYTES}, the headers together
 * as much as one attribute, all of them at most {@link MAX_SPAN_BYTES}, and writing stops after
 * {@link TIME_BUDGET_MS} of CPU per invocation: a value cut short ends with `…[cut: <which limit>]`.
 * Nothing here logs a value, not even at debug level, and nothing throws.
 */
export interface PayloadRecorder {
  recordEvent(span: Span, event: unknown, trigger: Trigger): void;
  recordResult(span: Span, result: unknown): void;
}

export const MAX_ATTRIBUTE_BYTES = 8 * 1024;
export const MAX_SPAN_BYTES = 32 * 1024;
export const TIME_BUDGET_MS = 5;
/** Headers past this many are not recorded: a span keeps 128 attributes, and the rest matter more. */
export const MAX_HEADERS = 48;
/** Room kept in every attribute for the cut marker. */
const MARKER_ROOM = 48;
const MAX_HEADER_NAME = 256;
const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
/** What an HTTP event carries that gets an attribute of its own, or is itself a query string. */
const HTTP_PARTS: ReadonlySet<string> = new Set(['headers', 'multiValueHeaders', 'body']);
const RAW_QUERY = 'rawQueryString';

const CUT_MARKERS: Readonly<Record<CutReason, string>> = {
  attribute: `…[cut: ${MAX_ATTRIBUTE_BYTES}-byte attribute limit]`,
  span: `…[cut: ${MAX_SPAN_BYTES}-byte span limit]`,
  time: `…[cut: ${TIME_BUDGET_MS} ms time limit]`,
};

/**
 * The time budget is spent in this thread's CPU time, where Node has it (22.19 and later, so
 * every Lambda runtime the layer supports): a busy host that preempts the function is not
 * capture's cost, and must not cut a payload short. Elsewhere, wall time.
 */
const threadCpuMs: () => number =
  typeof process.threadCpuUsage === 'function'
    ? () => {
        const { user, system } = process.threadCpuUsage();
        return (user + system) / 1000;
      }
    : () => performance.now();

export interface PayloadRecorderOptions {
  readonly redactKeys: readonly string[];
  readonly diag: Diag;
  /** Milliseconds; tests pass a clock of their own. */
  readonly clock?: () => number;
}

export function payloadRecorder(options: PayloadRecorderOptions): PayloadRecorder {
  return new PayloadCapture(secretNames(options.redactKeys), options.diag, options.clock ?? threadCpuMs);
}

/** What one invocation may still spend: set at its event, spent by its result. */
interface SpanBudget {
  bytesLeft: number;
  msLeft: number;
}

class PayloadCapture implements PayloadRecorder {
  private readonly budgets = new WeakMap<Span, SpanBudget>();

  constructor(
    private readonly isSecret: SecretNameTest,
    private readonly diag: Diag,
    private readonly clock: () => number,
  ) {}

  recordEvent(span: Span, event: unknown, trigger: Trigger): void {
    this.record(span, (out) => {
      if (trigger.trigger === FAAS_TRIGGER_VALUE_HTTP && isObject(event) && !types.isProxy(event)) {
        out.set(ATTR_LAMBDA_EVENT, writeJson(withoutHttpParts(event, this.isSecret), out.limits(), this.isSecret, 'json'));
        const headers = readHeaders(event);
        const body = requestBody(event, headers.get('content-type')?.[0], out.limits(), this.isSecret);
        if (body !== undefined) out.set(ATTR_LAMBDA_REQUEST_BODY, body);
        this.recordHeaders(out, headers);
      } else {
        out.set(ATTR_LAMBDA_EVENT, writeJson(event, out.limits(), this.isSecret, 'json'));
      }
    });
  }

  recordResult(span: Span, result: unknown): void {
    if (result === undefined) return;
    this.record(span, (out) => out.set(ATTR_LAMBDA_RESULT, writeJson(result, out.limits(), this.isSecret, 'code')));
  }

  /** All headers share one attribute's worth of bytes; a secret header's value is one `REDACTED`. */
  private recordHeaders(out: Recording, headers: ReadonlyMap<string, readonly string[]>): void {
    const limits = out.limits();
    let room = limits.maxBytes;
    for (const [name, values] of headers) {
      room -= Buffer.byteLength(name);
      if (room <= 0) return;
      const recorded: string[] = [];
      for (const value of this.isSecret(name) ? [REDACTED] : values) {
        const written = writeRaw(value, { ...limits, maxBytes: room });
        room -= written.bytes;
        recorded.push(withMarker(written));
        if (written.cut !== undefined) break;
      }
      out.setHeader(`${ATTR_HTTP_REQUEST_HEADER_PREFIX}${name}`, recorded);
      if (room <= 0) return;
    }
  }

  /** Runs one recording within the span's budget; a failure records nothing more and never throws. */
  private record(span: Span, write: (out: Recording) => void): void {
    const started = this.clock();
    let budget = this.budgets.get(span);
    if (budget === undefined) {
      budget = { bytesLeft: MAX_SPAN_BYTES, msLeft: TIME_BUDGET_MS };
      this.budgets.set(span, budget);
    }
    try {
      write(new Recording(span, budget, this.clock, started + budget.msLeft));
    } catch {
      // The error could quote a value (a JSON parser's message does): it is not passed on.
      this.diag.once('payload', 'error', 'payload capture failed, so part of a payload is not recorded; please report it');
    } finally {
      budget.msLeft = Math.max(0, budget.msLeft - (this.clock() - started));
    }
  }
}

/** Attributes written for one span, each within the attribute limit and what the span has left. */
class Recording {
  constructor(
    private readonly span: Span,
    private readonly budget: SpanBudget,
    private readonly clock: () => number,
    private readonly deadline: number,
  ) {}

  limits(): WriterLimits {
    const spanBound = this.budget.bytesLeft < MAX_ATTRIBUTE_BYTES;
    return {
      maxBytes: Math.max(0, (spanBound ? this.budget.bytesLeft : MAX_ATTRIBUTE_BYTES) - MARKER_ROOM),
      bytesReason: spanBound ? 'span' : 'attribute',
      clock: this.clock,
      deadline: this.deadline,
    };
  }

  set(key: string, written: Written): void {
    const value = withMarker(written);
    this.budget.bytesLeft -= Buffer.byteLength(value);
    this.span.setAttribute(key, value);
  }

  setHeader(key: string, values: string[]): void {
    this.budget.bytesLeft -= values.reduce((sum, value) => sum + Buffer.byteLength(value), Buffer.byteLength(key));
    this.span.setAttribute(key, values);
  }
}

function withMarker(written: Written): string {
  return written.cut === undefined ? written.text : written.text + CUT_MARKERS[written.cut];
}

/** The event without the parts recorded apart, its raw query string redacted like a URL's. */
function withoutHttpParts(event: UnknownObject, isSecret: SecretNameTest): UnknownObject {
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(event)) {
    if (HTTP_PARTS.has(key)) continue;
    const value = event[key];
    rest[key] = key === RAW_QUERY && typeof value === 'string' ? redactQuery(value, { keepValues: true, isSecret }) : value;
  }
  return rest;
}

/** Lower-cased names, every value: `multiValueHeaders` where the event has them, else `headers`. */
function readHeaders(event: UnknownObject): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  const add = (name: string, values: string[]): void => {
    const key = name.toLowerCase();
    if (headers.size < MAX_HEADERS && name.length <= MAX_HEADER_NAME && values.length > 0 && !headers.has(key)) headers.set(key, values);
  };
  const multi = event.multiValueHeaders;
  if (isObject(multi)) {
    for (const name of Object.keys(multi)) {
      const values = multi[name];
      if (Array.isArray(values)) add(name, values.filter((value): value is string => typeof value === 'string'));
    }
  }
  const single = event.headers;
  if (isObject(single)) {
    for (const name of Object.keys(single)) {
      const value = single[name];
      if (typeof value === 'string') add(name, [value]);
    }
  }
  return headers;
}

/**
 * The body as it is captured: decoded when base64 (binary stays out), a form redacted like a query
 * string, JSON by key; other text as it is. A body too large to inspect is not captured.
 */
function requestBody(event: UnknownObject, contentType: string | undefined, limits: WriterLimits, isSecret: SecretNameTest): Written | undefined {
  const { body } = event;
  if (typeof body !== 'string' || body === '') return undefined;
  let text = body;
  if (event.isBase64Encoded === true) {
    if (body.length > (MAX_EMBEDDED_JSON_CHARS / 3) * 4 + 4) return writeRaw(`[base64 body of ${body.length} characters: not captured]`, limits);
    const bytes = Buffer.from(body, 'base64');
    if (!isUtf8(bytes)) return writeRaw(`[binary: ${bytes.length} bytes]`, limits);
    text = bytes.toString('utf8');
  }
  if (contentType?.toLowerCase().startsWith(FORM_CONTENT_TYPE)) {
    if (text.length > MAX_EMBEDDED_JSON_CHARS) return writeRaw(`[form body of ${text.length} characters: too large to redact, not captured]`, limits);
    return writeRaw(redactQuery(text, { keepValues: true, isSecret }), limits);
  }
  return redactJsonText(text, limits, isSecret) ?? writeRaw(text, limits);
}
