import { SpanKind } from '@opentelemetry/api';
import { describe as describeEvent, matches } from '../../../src/triggers/api-gateway-v2';
import { CAPTURE_QUERY, loadEvent, NO_QUERY } from '../../helpers/events';

describe('api-gateway-v2', () => {
  it('describes an HTTP API request by its route key', () => {
    const trigger = describeEvent(loadEvent('api-gateway-v2'), NO_QUERY);
    expect(trigger).toMatchObject({
      source: 'api-gateway-v2',
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
      'server.address': 'r3pmxmplak.execute-api.us-east-2.amazonaws.com',
      'server.port': 443,
      'client.address': '205.255.255.176',
      'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64)',
      'network.protocol.version': '1.1',
    });
    expect(trigger.parentCarrier).toMatchObject({
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'vendor=value',
      baggage: 'tenant=acme',
    });
  });

  it('records the raw query only when configured', () => {
    const event = loadEvent('api-gateway-v2');
    expect(describeEvent(event, NO_QUERY).attributes['url.query']).toBeUndefined();
    expect(describeEvent(event, CAPTURE_QUERY).attributes['url.query']).toBe('expand=items&tag=a&tag=b%20c');
    event.rawQueryString = '';
    expect(describeEvent(event, CAPTURE_QUERY).attributes['url.query']).toBeUndefined();
  });

  it.each([
    ['ANY /{proxy+}', 'GET /{proxy+}', '/{proxy+}'],
    ['$default', 'GET', undefined],
    ['not a route', 'GET', undefined],
  ])('reads route key %s', (routeKey, spanName, route) => {
    const event = loadEvent('api-gateway-v2');
    event.routeKey = routeKey;
    const trigger = describeEvent(event, NO_QUERY);
    expect(trigger.spanName).toBe(spanName);
    expect(trigger.attributes['http.route']).toBe(route);
  });

  it('normalises HTTP/2 to "2"', () => {
    const event = loadEvent('api-gateway-v2');
    ((event.requestContext as Record<string, unknown>).http as Record<string, unknown>).protocol = 'HTTP/2.0';
    expect(describeEvent(event, NO_QUERY).attributes['network.protocol.version']).toBe('2');
  });

  it('leaves function URLs to their own detector', () => {
    expect(matches(loadEvent('api-gateway-v2'))).toBe(true);
    expect(matches(loadEvent('function-url'))).toBe(false);
  });
});
