import {
  defaultTextMapGetter,
  isSpanContextValid,
  trace,
  TraceFlags,
  type Context,
  type Link,
  type SpanContext,
  type TextMapPropagator,
} from '@opentelemetry/api';
import type { XrayContext } from '../config/load';
import type { Carrier, Trigger } from '../triggers/types';
import { PLAIN_ROOT_CONTEXT } from './root-context';
import { parseXrayHeader, XRAY_HEADER } from './xray';


export interface ParentContext {
  /** The context to start the invocation span in: its remote parent, if any, and baggage. */
  readonly parent: Context;
  readonly links: Link[];
}

/**
 * At most this many links per invocation span: enough to see where a batch came from, well
 * under the SDK's default limit of 128, and a bound on the work for 10,000-message batches.
 */
export const MAX_LINKS = 32;

/**
 * Decides the invocation span's parent and links.
 *
 * 1. The trigger's request headers, read by the configured propagator, win as parent (and bring
 *    their baggage).
 * 2. Otherwise, with `xrayMode` `parent`, the Lambda's X-Ray header is the parent. Its sampled
 *    flag is honoured: with `Sampled=0` (what Lambda sends when active tracing is off) a
 *    parent-based sampler drops the trace, which is what following X-Ray's decision means; hence
 *    `parent` suits functions reporting to X-Ray, not the default.
 * 3. With `link`, or with `parent` when a W3C parent won, the X-Ray context becomes a link instead,
 *    but only when sampled: an unsampled X-Ray segment is recorded nowhere.
 * 4. Each record carrier adds its W3C context and its X-Ray header (SQS `AWSTraceHeader`, which
 *    the AWS Lambda conventions say to link whatever the backend) as links, the X-Ray one only
 *    when sampled, like the Lambda's own header. `xrayMode` does not apply to these: it concerns
 *    the Lambda's own header only.
 * 5. A span context already linked (or the parent) is not linked again: a batch of messages from
 *    one request carries the same context many times.
 */
export function parentContext(
  trigger: Trigger,
  lambdaTraceHeader: string | undefined,
  propagator: TextMapPropagator,
  xrayMode: XrayContext,
): ParentContext {
  let parent = trigger.parentCarrier === undefined ? PLAIN_ROOT_CONTEXT : extractSafely(propagator, trigger.parentCarrier);
  const remoteParent = validSpanContext(parent);
  const links: Link[] = [];

  const seen = new Set<string>();
  if (remoteParent !== undefined) seen.add(spanKey(remoteParent));
  const link = (context: SpanContext | undefined): void => {
    if (context === undefined || links.length >= MAX_LINKS) return;
    const key = spanKey(context);
    if (seen.has(key)) return;
    seen.add(key);
    links.push({ context });
  };

  const xray = xrayMode === 'off' ? undefined : parseXrayHeader(lambdaTraceHeader);
  if (xray !== undefined) {
    if (xrayMode === 'parent' && remoteParent === undefined) {
      parent = trace.setSpanContext(parent, xray);
      seen.add(spanKey(xray));
    } else if (isSampled(xray)) {
      link(xray);
    }
  }

  for (const carrier of trigger.linkCarriers) {
    if (links.length >= MAX_LINKS) break;
    link(validSpanContext(extractSafely(propagator, carrier)));
    const recordXray = parseXrayHeader(carrier[XRAY_HEADER]);
    if (recordXray !== undefined && isSampled(recordXray)) link(recordXray);
  }
  return { parent, links };
}

function spanKey(context: SpanContext): string {
  return `${context.traceId}-${context.spanId}`;
}

/** Propagators should not throw, but a custom one might; a broken header must not fail the call. */
function extractSafely(propagator: TextMapPropagator, carrier: Carrier): Context {
  try {
    return propagator.extract(PLAIN_ROOT_CONTEXT, carrier, defaultTextMapGetter);
  } catch {
    return PLAIN_ROOT_CONTEXT;
  }
}

function validSpanContext(context: Context): SpanContext | undefined {
  const spanContext = trace.getSpanContext(context);
  return spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext : undefined;
}

function isSampled(spanContext: SpanContext): boolean {
  return (spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
}

