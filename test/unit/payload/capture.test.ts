import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createDiag } from '../../../src/diag';
import { MAX_ATTRIBUTE_BYTES, MAX_HEADERS, MAX_SPAN_BYTES, payloadRecorder, TIME_BUDGET_MS } from '../../../src/payload/capture';
import { loadEvent } from '../../helpers/events';
import { inMemoryInvocations, lambdaContext, useContextManager } from '../../helpers/invocations';

useContextManager();

const SECRET = 's3cr3t-value';

/**
 * Runs one invocation with payload capture on; returns its span and what the layer logged. The
 * clock stands still unless a test passes one: outputs must not depend on how busy the machine is.
 */
function capture(event: unknown, outcome: { result?: unknown; error?: unknown } = {}, redactKeys: string[] = [], clock = () => 0) {
  const lines: string[] = [];
  const payloads = payloadRecorder({ redactKeys, diag: createDiag('debug', (line) => lines.push(line)), clock });
  const { invocations, exporter } = inMemoryInvocations({ payloads });
  void invocations.start(event, lambdaContext('r1')).answer(outcome, 'after-settle');
  const [span] = exporter.getFinishedSpans();
  return { span, attributes: span.attributes, lines };
}

/** Every attribute value of the span as one string, to search for what must not be there. */
const everything = (span: ReadableSpan): string => JSON.stringify([span.attributes, span.events, span.status]);
const byteSize = (span: ReadableSpan): number =>
  Object.entries(span.attributes)
    .filter(([key]) => key.startsWith('aws.lambda.event') || key.startsWith('aws.lambda.re') || key.startsWith('http.request.header.'))
    .reduce((sum, [, value]) => sum + Buffer.byteLength([value].flat().join('')), 0);

describe('payload capture: an API Gateway REST request with secrets everywhere', () => {
  const event = loadEvent('api-gateway-v1');
  Object.assign(event, {
    headers: { ...(event.headers as object), Authorization: `Bearer ${SECRET}`, Cookie: `sid=${SECRET}`, 'X-Api-Key': SECRET, 'Content-Type': 'application/json' },
    multiValueHeaders: { ...(event.multiValueHeaders as object), Authorization: [`Bearer ${SECRET}`], Accept: ['text/html', 'application/json'] },
    queryStringParameters: { q: 'shoes', token: SECRET },
    multiValueQueryStringParameters: { q: ['shoes'], token: [SECRET] },
    body: JSON.stringify({ user: 'ada', password: SECRET, card: { cvv: SECRET, last4: '4242' } }),
  });
  const result = { statusCode: 200, headers: { 'Set-Cookie': `sid=${SECRET}` }, body: JSON.stringify({ ok: true, session_token: SECRET }) };

  it('records the event, headers, body and result, and none of the secrets', () => {
    const { span, attributes, lines } = capture(event, { result });
    expect(everything(span)).not.toContain(SECRET);
    expect(lines).toEqual([]);

    const recordedEvent = JSON.parse(attributes['aws.lambda.event'] as string) as Record<string, unknown>;
    expect(Object.keys(recordedEvent)).not.toEqual(expect.arrayContaining(['headers', 'multiValueHeaders', 'body']));
    expect(recordedEvent).toMatchObject({ httpMethod: event.httpMethod, queryStringParameters: { q: 'shoes', token: 'REDACTED' }, requestContext: expect.any(Object) });

    expect(attributes).toMatchObject({
      'http.request.header.authorization': ['REDACTED'],
      'http.request.header.cookie': ['REDACTED'],
      'http.request.header.x-api-key': ['REDACTED'],
      'http.request.header.accept': ['text/html', 'application/json'],
      'http.request.header.content-type': ['application/json'],
    });
    expect(JSON.parse(attributes['aws.lambda.request_body'] as string)).toEqual({ user: 'ada', password: 'REDACTED', card: { cvv: 'REDACTED', last4: '4242' } });
    const recordedResult = JSON.parse(attributes['aws.lambda.result'] as string) as { headers: unknown; body: string };
    expect(recordedResult.headers).toEqual({ 'Set-Cookie': 'REDACTED' });
    expect(JSON.parse(recordedResult.body)).toEqual({ ok: true, session_token: 'REDACTED' });
    // What the layer records without capture is still there.
    expect(attributes['http.request.method']).toBe(event.httpMethod);
  });
});

describe('payload capture: other HTTP shapes', () => {
  it('API Gateway HTTP API: cookies and the raw query string', () => {
    const event = { ...loadEvent('api-gateway-v2'), cookies: [`sid=${SECRET}`], rawQueryString: `q=1&api_key=${SECRET}&x-amz-signature=${SECRET}` };
    const { span, attributes } = capture(event);
    expect(everything(span)).not.toContain(SECRET);
    expect(JSON.parse(attributes['aws.lambda.event'] as string)).toMatchObject({ cookies: 'REDACTED', rawQueryString: 'q=1&api_key=REDACTED&x-amz-signature=REDACTED' });
  });

  it('a base64 form body is decoded and redacted like a query string', () => {
    const event = { ...loadEvent('alb'), headers: { 'content-type': 'application/x-www-form-urlencoded' }, isBase64Encoded: true, body: Buffer.from(`user=ada&password=${SECRET}`).toString('base64') };
    const { span, attributes } = capture(event);
    expect(everything(span)).not.toContain(SECRET);
    expect(attributes['aws.lambda.request_body']).toBe('user=ada&password=REDACTED');
  });

  it('a binary body is described; a plain-text body is kept', () => {
    const binary = { ...loadEvent('function-url'), isBase64Encoded: true, body: Buffer.from([0xff, 0xfe, 0x00, 0x81]).toString('base64') };
    expect(capture(binary).attributes['aws.lambda.request_body']).toBe('[binary: 4 bytes]');
    expect(capture(loadEvent('function-url')).attributes['aws.lambda.request_body']).toBe('Hello from client!');
  });

  it(`at most ${MAX_HEADERS} headers, together within one attribute's bytes`, () => {
    const headers = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`x-h${i}`, 'v'.repeat(100)]));
    const { attributes } = capture({ ...loadEvent('api-gateway-v2'), headers });
    const recorded = Object.keys(attributes).filter((key) => key.startsWith('http.request.header.'));
    expect(recorded.length).toBeLessThanOrEqual(MAX_HEADERS);
    expect(recorded.length).toBeGreaterThan(10);
    const bytes = recorded.reduce((sum, key) => sum + key.length + (attributes[key] as string[]).join('').length, 0);
    expect(bytes).toBeLessThanOrEqual(MAX_ATTRIBUTE_BYTES + MAX_HEADERS * 'http.request.header.'.length + 64);
  });
});

describe('payload capture: any event and result', () => {
  it('an SQS batch: JSON bodies redacted inside', () => {
    const event = loadEvent('sqs');
    (event.Records as Record<string, unknown>[])[0].body = JSON.stringify({ orderId: 1, credentials: { user: 'u', secret: SECRET } });
    const { span, attributes } = capture(event, { result: { batchItemFailures: [] } });
    expect(everything(span)).not.toContain(SECRET);
    expect(attributes['aws.lambda.event']).toContain('\\"orderId\\":1');
    expect(JSON.parse(attributes['aws.lambda.result'] as string)).toEqual({ batchItemFailures: [] });
  });

  it('the user\'s words', () => {
    const { attributes } = capture({ customer: { iban: 'DE89370400440532013000', name: 'ada' } }, {}, ['iban']);
    expect(JSON.parse(attributes['aws.lambda.event'] as string)).toEqual({ customer: { iban: 'REDACTED', name: 'ada' } });
  });

  it('no result attribute for an error, or an undefined result; a string result is JSON', () => {
    expect(capture({}, { error: new Error('boom') }).attributes['aws.lambda.result']).toBeUndefined();
    expect(capture({}, { result: undefined }).attributes['aws.lambda.result']).toBeUndefined();
    expect(capture({}, { result: 'done' }).attributes['aws.lambda.result']).toBe('"done"');
  });

  it('a hostile result: recorded as far as it can be, nothing thrown, nothing logged', () => {
    const result: Record<string, unknown> = { big: 10n, get boom(): never { throw new Error(SECRET); } };
    result.self = result;
    const { span, attributes, lines } = capture({}, { result });
    expect(JSON.parse(attributes['aws.lambda.result'] as string)).toEqual({ big: 10, boom: '[getter: not called]', self: '[circular]' });
    expect(everything(span)).not.toContain(SECRET);
    expect(lines).toEqual([]);
  });
});

describe('payload capture: the limits', () => {
  it('a 6 MB event is capped and marked as cut (json-writer.test.ts shows it is read no further)', () => {
    const event = { Records: [{ body: 'x'.repeat(6 * 1024 * 1024) }], more: Array.from({ length: 100_000 }, (_, i) => ({ i })) };
    const { attributes } = capture(event, { result: event });
    for (const key of ['aws.lambda.event', 'aws.lambda.result']) {
      const value = attributes[key] as string;
      expect(Buffer.byteLength(value)).toBeLessThanOrEqual(MAX_ATTRIBUTE_BYTES);
      expect(value).toMatch(/…\[cut: 8192-byte attribute limit\]$/);
    }
  });

  it(`all payload attributes of a span together stay within ${MAX_SPAN_BYTES} bytes`, () => {
    const big = 'y'.repeat(20_000);
    const headers = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`x-h${i}`, big]));
    const event = { ...loadEvent('api-gateway-v2'), headers, body: big, extra: big };
    const { span } = capture(event, { result: { big } });
    expect(byteSize(span)).toBeLessThanOrEqual(MAX_SPAN_BYTES);
    expect(span.attributes['aws.lambda.result']).toMatch(/…\[cut: /);
  });

  it(`writing stops at the time budget (${TIME_BUDGET_MS} ms per invocation): a value slow to walk but small to write is cut`, () => {
    // 10 000 fields JSON leaves out: nothing to write, but each look advances this clock.
    const wide = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, undefined]));
    let now = 0;
    const { attributes } = capture({ small: true }, { result: { wide, after: 1 } }, [], () => (now += 1));
    expect(attributes['aws.lambda.event']).toBe('{"small":true}');
    expect(attributes['aws.lambda.result']).toBe('{"wide":{…[cut: 5 ms time limit]');
  });
});
