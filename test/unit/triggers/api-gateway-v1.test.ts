import { SpanKind } from '@opentelemetry/api';
import { describe as describeEvent, matches } from '../../../src/triggers/api-gateway-v1';
import { detectTrigger } from '../../../src/triggers/detect';
import { CAPTURE_QUERY, loadEvent, NO_QUERY } from '../../helpers/events';

describe('api-gateway-v1', () => {
  it('describes a REST API proxy request by its route template', () => {
    // Prepare
    const event = loadEvent('api-gateway-v1');

    // Act
    const trigger = describeEvent(event, NO_QUERY);

    // Assess
    expect(trigger).toMatchObject({
      source: 'api-gateway-v1',
      trigger: 'http',
      kind: SpanKind.SERVER,
      spanName: 'GET /orders/{id}',
      linkCarriers: [],
    });
    expect(trigger.attributes).toEqual({
      'faas.trigger': 'http',
      'http.request.method': 'GET',
      'http.route': '/orders/{id}',
      'url.path': '/orders/123',
      'url.scheme': 'https',
      'server.address': '1234567890.execute-api.us-east-1.amazonaws.com',
      'server.port': 443,
      'client.address': '198.51.100.7',
      'user_agent.original': 'curl/8.5.0',
      'network.protocol.version': '1.1',
    });
  });

  it('hands over lower-cased headers as the parent carrier', () => {
    const trigger = describeEvent(loadEvent('api-gateway-v1'), NO_QUERY);
    expect(trigger.parentCarrier).toMatchObject({
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      host: '1234567890.execute-api.us-east-1.amazonaws.com',
      'x-forwarded-proto': 'https',
    });
    expect(Object.keys(trigger.parentCarrier ?? {}).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('records the query, re-encoded and with repeats, only when configured', () => {
    const event = loadEvent('api-gateway-v1');
    expect(describeEvent(event, NO_QUERY).attributes['url.query']).toBeUndefined();
    expect(describeEvent(event, CAPTURE_QUERY).attributes['url.query']).toBe('expand=items&tag=a&tag=b%20c');
    delete event.multiValueQueryStringParameters;
    expect(describeEvent(event, CAPTURE_QUERY).attributes['url.query']).toBe('expand=items&tag=b%20c');
    event.queryStringParameters = null;
    expect(describeEvent(event, CAPTURE_QUERY).attributes['url.query']).toBeUndefined();
  });

  it('takes the first value of a repeated header, whatever its case', () => {
    const event = loadEvent('api-gateway-v1');
    event.headers = { TRACEPARENT: 'second', 'x-forwarded-proto': 'http' };
    event.multiValueHeaders = { TraceParent: ['first', 'second'] };
    const trigger = describeEvent(event, NO_QUERY);
    expect(trigger.parentCarrier?.traceparent).toBe('first');
    expect(trigger.attributes['url.scheme']).toBe('http');
  });

  it('works from single-value headers alone and falls back to the request context', () => {
    const event = loadEvent('api-gateway-v1');
    delete event.multiValueHeaders;
    event.headers = { 'X-Forwarded-For': '203.0.113.9, 10.0.0.1' };
    (event.requestContext as Record<string, unknown>).identity = {};
    const attributes = describeEvent(event, NO_QUERY).attributes;
    expect(attributes['server.address']).toBe('1234567890.execute-api.us-east-1.amazonaws.com');
    expect(attributes['server.port']).toBeUndefined();
    expect(attributes['client.address']).toBe('203.0.113.9');
    expect(attributes['url.scheme']).toBe('https');
    expect(attributes['user_agent.original']).toBeUndefined();
  });

  it('puts unknown methods under _OTHER and names the span HTTP', () => {
    const event = loadEvent('api-gateway-v1');
    event.httpMethod = 'PURGE';
    const trigger = describeEvent(event, NO_QUERY);
    expect(trigger.spanName).toBe('HTTP /orders/{id}');
    expect(trigger.attributes['http.request.method']).toBe('_OTHER');
    expect(trigger.attributes['http.request.method_original']).toBe('PURGE');
  });

  it('matches payload format 1.0 of HTTP APIs but not ALB or WebSocket events', () => {
    expect(matches({ version: '1.0', resource: '/x', httpMethod: 'GET', requestContext: {} })).toBe(true);
    expect(matches(loadEvent('alb'))).toBe(false);
    expect(matches({ requestContext: { eventType: 'CONNECT', routeKey: '$connect' }, headers: {} })).toBe(false);
    expect(detectTrigger({ requestContext: { eventType: 'CONNECT' } }, NO_QUERY).source).toBe('unknown');
  });
});
