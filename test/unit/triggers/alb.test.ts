import { SpanKind } from '@opentelemetry/api';
import { describe as describeEvent, matches } from '../../../src/triggers/alb';
import { CAPTURE_QUERY, loadEvent, NO_QUERY } from '../../helpers/events';

describe('alb', () => {
  it('describes a single-value request, scheme from X-Forwarded-Proto', () => {
    const trigger = describeEvent(loadEvent('alb'), NO_QUERY);
    expect(trigger).toMatchObject({ source: 'alb', trigger: 'http', kind: SpanKind.SERVER, spanName: 'GET' });
    expect(trigger.attributes).toEqual({
      'faas.trigger': 'http',
      'http.request.method': 'GET',
      'url.path': '/lambda',
      'url.scheme': 'http',
      'server.address': 'lambda-alb-123578498.us-east-2.elb.amazonaws.com',
      'server.port': 80,
      'client.address': '72.12.164.125',
      'user_agent.original':
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/71.0.3578.98 Safari/537.36',
    });
    expect(trigger.parentCarrier?.traceparent).toBe('00-5bf92f3577b34da6a3ce929d0e0e4736-10f067aa0ba902b7-01');
  });

  it('describes a multi-value request: first values, names lower-cased', () => {
    const trigger = describeEvent(loadEvent('alb-multi-value'), NO_QUERY);
    expect(trigger.spanName).toBe('POST');
    expect(trigger.attributes).toMatchObject({
      'url.scheme': 'https',
      'server.address': 'lambda-alb-123578498.us-east-2.elb.amazonaws.com',
      'server.port': 443,
      'client.address': '72.12.164.125',
    });
    expect(trigger.parentCarrier?.traceparent).toBe('00-6bf92f3577b34da6a3ce929d0e0e4736-20f067aa0ba902b7-01');
  });

  it('passes the query on as received, only when configured', () => {
    expect(describeEvent(loadEvent('alb'), NO_QUERY).attributes['url.query']).toBeUndefined();
    expect(describeEvent(loadEvent('alb'), CAPTURE_QUERY).attributes['url.query']).toBe('query=1234ABCD');
    expect(describeEvent(loadEvent('alb-multi-value'), CAPTURE_QUERY).attributes['url.query']).toBe(
      'myKey=val1&myKey=val2&q=a%20b',
    );
  });

  it('takes the port from the Host header when it has one', () => {
    const event = loadEvent('alb');
    (event.headers as Record<string, string>).host = 'internal.example:8443';
    expect(describeEvent(event, NO_QUERY).attributes).toMatchObject({
      'server.address': 'internal.example',
      'server.port': 8443,
    });
  });

  it('needs requestContext.elb', () => {
    expect(matches(loadEvent('alb'))).toBe(true);
    expect(matches({ requestContext: { elb: null }, httpMethod: 'GET' })).toBe(false);
  });
});
