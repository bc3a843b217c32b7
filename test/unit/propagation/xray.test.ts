import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
  type SpanContext,
} from '@opentelemetry/api';
import { formatXrayHeader, parseXrayHeader, XrayPropagator } from '../../../src/propagation/xray';

const HEADER = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
const CONTEXT: SpanContext = {
  traceId: '5759e988bd862e3fe1be46a994272793',
  spanId: '53995c3f42cd8ad8',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
};

describe('parseXrayHeader', () => {
  it('reads root, parent and sampled', () => {
    expect(parseXrayHeader(HEADER)).toEqual(CONTEXT);
  });

  it.each([
    ['fields in another order', 'Sampled=1;Parent=53995c3f42cd8ad8;Root=1-5759e988-bd862e3fe1be46a994272793'],
    ['spaces and a trailing separator', ' Root=1-5759e988-bd862e3fe1be46a994272793 ; Parent=53995c3f42cd8ad8 ;Sampled=1;'],
    ['lineage and self fields', `${HEADER};Lineage=a87bd80c:1|68fd508a:5;Self=1-67891234-12456789abcdef012345678`],
    ['upper-case hex', 'Root=1-5759E988-BD862E3FE1BE46A994272793;Parent=53995C3F42CD8AD8;Sampled=1'],
    ['lower-case keys', 'root=1-5759e988-bd862e3fe1be46a994272793;parent=53995c3f42cd8ad8;sampled=1'],
  ])('accepts %s', (_label, header) => {
    expect(parseXrayHeader(header)).toEqual(CONTEXT);
  });

  it.each([
    ['Sampled=0', '0'],
    ['a deferred decision', '?'],
  ])('reads %s as not sampled', (_label, flag) => {
    const header = HEADER.replace('Sampled=1', `Sampled=${flag}`);
    expect(parseXrayHeader(header)?.traceFlags).toBe(TraceFlags.NONE);
  });

  it('reads a missing Sampled field as not sampled', () => {
    expect(parseXrayHeader('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8')?.traceFlags).toBe(
      TraceFlags.NONE,
    );
  });

  it.each([
    ['undefined', undefined],
    ['empty', ''],
    ['no fields', ';;;'],
    ['root only (API Gateway requests)', 'Root=1-5e66d96f-7491f09c79d18acf3d050aaa'],
    ['no root', 'Parent=53995c3f42cd8ad8;Sampled=1'],
    ['a version other than 1', 'Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8'],
    ['a short root', 'Root=1-5759e988-bd862e3fe1be46a99427279;Parent=53995c3f42cd8ad8'],
    ['a non-hex root', 'Root=1-5e66d96f-7491f09xmpl79d18acf3d050;Parent=53995c3f42cd8ad8'],
    ['a short parent', 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad'],
    ['an all-zero parent', 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=0000000000000000'],
    ['an all-zero trace id', 'Root=1-00000000-000000000000000000000000;Parent=53995c3f42cd8ad8'],
    ['a traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'],
    ['a huge value', `${HEADER};Lineage=${'x'.repeat(5000)}`],
  ])('rejects %s', (_label, header) => {
    expect(parseXrayHeader(header)).toBeUndefined();
  });

  it('rejects values that are not strings', () => {
    expect(parseXrayHeader(42 as unknown as string)).toBeUndefined();
  });
});

describe('formatXrayHeader', () => {
  it('round-trips with the parser', () => {
    expect(formatXrayHeader(CONTEXT)).toBe(HEADER);
    expect(parseXrayHeader(formatXrayHeader(CONTEXT))).toEqual(CONTEXT);
    const unsampled = { ...CONTEXT, traceFlags: TraceFlags.NONE };
    expect(formatXrayHeader(unsampled)).toBe(HEADER.replace('Sampled=1', 'Sampled=0'));
  });

  it('writes nothing for an invalid context', () => {
    expect(formatXrayHeader({ ...CONTEXT, spanId: '0000000000000000' })).toBeUndefined();
  });
});

describe('XrayPropagator', () => {
  const propagator = new XrayPropagator();

  it('declares its header', () => {
    expect(propagator.fields()).toEqual(['x-amzn-trace-id']);
  });

  it('injects the active span context', () => {
    const carrier: Record<string, string> = {};
    propagator.inject(trace.setSpanContext(ROOT_CONTEXT, CONTEXT), carrier, defaultTextMapSetter);
    expect(carrier).toEqual({ 'x-amzn-trace-id': HEADER });
  });

  it('injects nothing without a valid span context', () => {
    const carrier: Record<string, string> = {};
    propagator.inject(ROOT_CONTEXT, carrier, defaultTextMapSetter);
    expect(carrier).toEqual({});
  });

  it('extracts from any header spelling and from arrays', () => {
    const carriers = [{ 'x-amzn-trace-id': HEADER }, { 'X-Amzn-Trace-Id': HEADER }, { 'x-amzn-trace-id': [HEADER, 'x'] }];
    for (const carrier of carriers) {
      const context = propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
      expect(trace.getSpanContext(context)).toEqual(CONTEXT);
    }
  });

  it('leaves the context alone when the header is missing or malformed', () => {
    for (const carrier of [{}, { 'x-amzn-trace-id': 'Root=1-bad' }]) {
      expect(propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter)).toBe(ROOT_CONTEXT);
    }
  });

  it('round-trips through a carrier', () => {
    const carrier: Record<string, string> = {};
    propagator.inject(trace.setSpanContext(ROOT_CONTEXT, CONTEXT), carrier, defaultTextMapSetter);
    expect(trace.getSpanContext(propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter))).toEqual(CONTEXT);
  });
});
