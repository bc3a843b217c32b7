import { SpanKind } from '@opentelemetry/api';
import { describe as describeEvent, matches } from '../../../src/triggers/function-url';
import { CAPTURE_QUERY, loadEvent, NO_QUERY } from '../../helpers/events';

describe('function-url', () => {
  it('names the span by the method alone: a function URL has no route template', () => {
    const trigger = describeEvent(loadEvent('function-url'), NO_QUERY);
    expect(trigger).toMatchObject({ source: 'function-url', trigger: 'http', kind: SpanKind.SERVER, spanName: 'POST' });
    expect(trigger.attributes).toEqual({
      'faas.trigger': 'http',
      'http.request.method': 'POST',
      'url.path': '/my/path',
      'url.scheme': 'https',
      'server.address': 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6.lambda-url.us-west-2.on.aws',
      'client.address': '123.123.123.123',
      'user_agent.original': 'agent',
      'network.protocol.version': '1.1',
    });
  });

  it('records the query only when configured', () => {
    expect(describeEvent(loadEvent('function-url'), CAPTURE_QUERY).attributes['url.query']).toBe(
      'parameter1=value1&parameter1=value2&parameter2=value',
    );
  });

  it('needs both the $default route and a lambda-url domain', () => {
    const event = loadEvent('function-url');
    expect(matches(event)).toBe(true);
    event.routeKey = 'POST /my/path';
    expect(matches(event)).toBe(false);
    expect(matches(loadEvent('api-gateway-v2'))).toBe(false);
  });
});
