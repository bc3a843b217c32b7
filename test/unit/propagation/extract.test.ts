import {
  propagation,
  trace,
  TraceFlags,
  type Context,
  type TextMapPropagator,
} from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { MAX_LINKS, parentContext } from '../../../src/propagation/extract';
import { PLAIN_ROOT_CONTEXT } from '../../../src/propagation/root-context';
import { XrayPropagator } from '../../../src/propagation/xray';
import { detectTrigger } from '../../../src/triggers/detect';
import type { Trigger } from '../../../src/triggers/types';
import { loadEvent } from '../../helpers/events';

const W3C = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });
const NONE = new CompositePropagator({ propagators: [] });
const OPTIONS = { captureQuery: false };

const LAMBDA_SAMPLED = 'Root=1-65f1a2b3-0123456789abcdef01234567;Parent=1111111111111111;Sampled=1;Lineage=a:1';
const LAMBDA_UNSAMPLED = LAMBDA_SAMPLED.replace('Sampled=1', 'Sampled=0');
const LAMBDA_TRACE_ID = '65f1a2b30123456789abcdef01234567';

function trigger(name: string): Trigger {
  return detectTrigger(loadEvent(name), OPTIONS);
}

function spanContextOf(context: Context) {
  return trace.getSpanContext(context);
}

describe('parentContext', () => {
  it('takes the W3C parent from the request headers, with its baggage', () => {
    const { parent, links } = parentContext(trigger('api-gateway-v2'), undefined, W3C, 'parent');
    expect(spanContextOf(parent)).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      isRemote: true,
    });
    expect(spanContextOf(parent)?.traceState?.get('vendor')).toBe('value');
    expect(propagation.getBaggage(parent)?.getEntry('tenant')?.value).toBe('acme');
    expect(links).toEqual([]);
  });

  it('lets the W3C header beat the Lambda X-Ray header, which becomes a link', () => {
    const { parent, links } = parentContext(trigger('api-gateway-v2'), LAMBDA_SAMPLED, W3C, 'parent');
    expect(spanContextOf(parent)?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(links.map((link) => link.context.traceId)).toEqual([LAMBDA_TRACE_ID]);
  });

  it('uses the X-Ray header as parent when there is no W3C one, sampled or not', () => {
    const sampled = parentContext(trigger('eventbridge-scheduled'), LAMBDA_SAMPLED, W3C, 'parent');
    expect(spanContextOf(sampled.parent)).toEqual({
      traceId: LAMBDA_TRACE_ID,
      spanId: '1111111111111111',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    expect(sampled.links).toEqual([]);
    // Honoured on purpose: a parent-based sampler will then drop the trace.
    const unsampled = parentContext(trigger('eventbridge-scheduled'), LAMBDA_UNSAMPLED, W3C, 'parent');
    expect(spanContextOf(unsampled.parent)?.traceFlags).toBe(TraceFlags.NONE);
  });

  it('keeps the baggage when the X-Ray header supplies the parent', () => {
    const http = trigger('api-gateway-v2');
    const carrier = { baggage: 'tenant=acme' };
    const { parent } = parentContext({ ...http, parentCarrier: carrier }, LAMBDA_SAMPLED, W3C, 'parent');
    expect(spanContextOf(parent)?.traceId).toBe(LAMBDA_TRACE_ID);
    expect(propagation.getBaggage(parent)?.getEntry('tenant')?.value).toBe('acme');
  });

  it('only links the X-Ray header in link mode, and only when sampled', () => {
    const linked = parentContext(trigger('eventbridge-scheduled'), LAMBDA_SAMPLED, W3C, 'link');
    expect(linked.parent).toBe(PLAIN_ROOT_CONTEXT);
    expect(linked.links).toEqual([
      { context: { traceId: LAMBDA_TRACE_ID, spanId: '1111111111111111', traceFlags: TraceFlags.SAMPLED, isRemote: true } },
    ]);
    expect(parentContext(trigger('eventbridge-scheduled'), LAMBDA_UNSAMPLED, W3C, 'link').links).toEqual([]);
  });

  it('ignores the X-Ray header when off', () => {
    const { parent, links } = parentContext(trigger('eventbridge-scheduled'), LAMBDA_SAMPLED, W3C, 'off');
    expect(parent).toBe(PLAIN_ROOT_CONTEXT);
    expect(links).toEqual([]);
  });

  it('ignores a malformed X-Ray header', () => {
    for (const header of ['', 'Root=1-5e66d96f-7491f09c79d18acf3d050aaa', 'garbage']) {
      const { parent, links } = parentContext(trigger('eventbridge-scheduled'), header, W3C, 'parent');
      expect(parent).toBe(PLAIN_ROOT_CONTEXT);
      expect(links).toEqual([]);
    }
  });

  it('does not link the X-Ray context twice when a propagator already made it the parent', () => {
    const withXray = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new XrayPropagator()] });
    const http: Trigger = { ...trigger('api-gateway-v2'), parentCarrier: { 'x-amzn-trace-id': LAMBDA_SAMPLED } };
    const { parent, links } = parentContext(http, LAMBDA_SAMPLED, withXray, 'parent');
    expect(spanContextOf(parent)?.traceId).toBe(LAMBDA_TRACE_ID);
    expect(links).toEqual([]);
  });

  it('links every SQS record that carries context: traceparent and AWSTraceHeader', () => {
    const { parent, links } = parentContext(trigger('sqs'), undefined, W3C, 'parent');
    expect(parent).toBe(PLAIN_ROOT_CONTEXT);
    expect(links.map((link) => link.context)).toEqual([
      expect.objectContaining({ traceId: '8bf92f3577b34da6a3ce929d0e0e4736', spanId: '40f067aa0ba902b7', isRemote: true }),
      expect.objectContaining({ traceId: '5759e988bd862e3fe1be46a994272793', spanId: '53995c3f42cd8ad8', isRemote: true }),
    ]);
    expect(links[0].context.traceState?.get('vendor')).toBe('producer');
  });

  it('still links AWSTraceHeader with no W3C propagator configured, and in X-Ray off mode', () => {
    const { links } = parentContext(trigger('sqs'), LAMBDA_SAMPLED, NONE, 'off');
    expect(links.map((link) => link.context.traceId)).toEqual(['5759e988bd862e3fe1be46a994272793']);
  });

  it('links both contexts of a record that has W3C attributes and an AWSTraceHeader, and each context once', () => {
    const traceparent = '00-8bf92f3577b34da6a3ce929d0e0e4736-40f067aa0ba902b7-01';
    const both = { traceparent, 'x-amzn-trace-id': LAMBDA_SAMPLED };
    const sqs: Trigger = { ...trigger('sqs'), linkCarriers: [both, both, { traceparent }, { 'x-amzn-trace-id': LAMBDA_SAMPLED }] };
    // The Lambda's own header is the same segment as the records' AWSTraceHeader: one link for it.
    const { links } = parentContext(sqs, LAMBDA_SAMPLED, W3C, 'link');
    expect(links.map((link) => [link.context.traceId, link.context.spanId])).toEqual([
      [LAMBDA_TRACE_ID, '1111111111111111'],
      ['8bf92f3577b34da6a3ce929d0e0e4736', '40f067aa0ba902b7'],
    ]);
  });

  it('links an AWSTraceHeader only when sampled, as the Lambda header', () => {
    const unsampled = LAMBDA_SAMPLED.replace('Sampled=1', 'Sampled=0');
    const sqs: Trigger = { ...trigger('sqs'), linkCarriers: [{ 'x-amzn-trace-id': unsampled }] };
    expect(parentContext(sqs, undefined, W3C, 'link').links).toEqual([]);
  });

  it('does not link the context that became the parent', () => {
    const sqs: Trigger = { ...trigger('sqs'), linkCarriers: [{ 'x-amzn-trace-id': LAMBDA_SAMPLED }] };
    const { parent, links } = parentContext(sqs, LAMBDA_SAMPLED, W3C, 'parent');
    expect(spanContextOf(parent)?.traceId).toBe(LAMBDA_TRACE_ID);
    expect(links).toEqual([]);
  });

  it('links SNS and EventBridge trace context', () => {
    expect(parentContext(trigger('sns'), undefined, W3C, 'off').links.map((link) => link.context.traceId)).toEqual([
      '9bf92f3577b34da6a3ce929d0e0e4736',
    ]);
    expect(
      parentContext(trigger('eventbridge-custom'), undefined, W3C, 'off').links.map((link) => link.context.traceId),
    ).toEqual(['abf92f3577b34da6a3ce929d0e0e4736']);
  });

  it('skips record carriers with malformed context', () => {
    const sqs: Trigger = {
      ...trigger('sqs'),
      linkCarriers: [
        { traceparent: 'nope' },
        { 'x-amzn-trace-id': 'Root=1-bad' },
        { traceparent: '00-00000000000000000000000000000000-b7ad6b7169203331-01' },
      ],
    };
    expect(parentContext(sqs, undefined, W3C, 'parent').links).toEqual([]);
  });

  it(`caps links at ${MAX_LINKS}, the X-Ray link included`, () => {
    const carrier = (n: number) => ({ traceparent: `00-8bf92f3577b34da6a3ce929d0e0e4736-${n.toString(16).padStart(16, '0')}-01` });
    const sqs: Trigger = { ...trigger('sqs'), linkCarriers: Array.from({ length: 100 }, (_, n) => carrier(n + 1)) };
    const { links } = parentContext(sqs, LAMBDA_SAMPLED, W3C, 'link');
    expect(links).toHaveLength(MAX_LINKS);
    expect(links[0].context.traceId).toBe(LAMBDA_TRACE_ID);
  });

  it('survives a propagator that throws', () => {
    const throwing: TextMapPropagator = {
      inject() {},
      extract() {
        throw new Error('boom');
      },
      fields: () => [],
    };
    const { parent, links } = parentContext(trigger('sqs'), LAMBDA_SAMPLED, throwing, 'parent');
    expect(spanContextOf(parent)?.traceId).toBe(LAMBDA_TRACE_ID);
    expect(links.map((link) => link.context.traceId)).toEqual(['5759e988bd862e3fe1be46a994272793']);
  });

  it('gives the root context for an unknown trigger and no header', () => {
    expect(parentContext(detectTrigger(null, OPTIONS), undefined, W3C, 'parent')).toEqual({ parent: PLAIN_ROOT_CONTEXT, links: [] });
  });
});
