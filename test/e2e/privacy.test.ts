/**
 * Issue #11, nothing private by default, payloads when asked for: a request full of secrets and
 * user data, which the function passes on to DynamoDB, SQS, SNS, fetch and node:http, leaves no
 * trace of either in any exported span with default settings (every decoded attribute, event,
 * link, status and resource is searched); with payload capture on, the payload is there with its
 * secrets redacted, and user data appears in the invocation span's payload only.
 */
import { AwsEndpoint } from '../helpers/sandbox/aws-endpoint';
import { Downstream } from '../helpers/sandbox/downstream';
import { loadEvent } from '../helpers/events';
import type { ReceivedSpan } from '../helpers/sandbox/otlp-receiver';
import { runtimes } from '../helpers/sandbox/sandbox';
import { functionFixture } from '../helpers/sandbox/task-root';
import { useReceiver, withLayer } from '../helpers/layer';

/** Sent under names that look like secrets: never recorded, whatever the settings. */
const SECRETS = {
  authorization: 'header-auth-secret',
  cookie: 'header-cookie-secret',
  apiKeyHeader: 'header-apikey-secret',
  queryToken: 'query-token-secret',
  password: 'body-password-secret',
  bearer: 'fetch-bearer-secret',
  apiKey: 'fetch-apikey-secret',
  userinfoPassword: 'http-userinfo-secret',
};
/** Sent under ordinary names: recorded only as part of a captured payload, never in a client span. */
const USER_DATA = {
  header: 'header-note-value',
  query: 'query-note-value',
  body: 'body-note-value',
  item: 'ddb-item-value',
  message: 'sqs-body-value',
  attribute: 'sqs-attribute-value',
  phone: '+15550100999',
  sms: 'sns-message-value',
  fetchQuery: 'fetch-query-value',
};
/** What the function answers with (test/fixtures/functions/passes-data-on). */
const RESULT_SECRETS = ['result-token-value', 'result-cookie-value'];
const RESULT_DATA = 'result-note-value';

const PAYLOAD_ATTRIBUTES = /^(aws\.lambda\.(event|request_body|result)|http\.request\.header\..+)$/;

/** Everything of a span an exporter sends, as one searchable string. */
function searchable(span: ReceivedSpan, only: (key: string) => boolean = () => true): string {
  const attributes = Object.fromEntries(Object.entries(span.attributes).filter(([key]) => only(key)));
  const replacer = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);
  return JSON.stringify({ name: span.name, attributes, events: span.events, links: span.links, status: span.status, resource: span.resource }, replacer);
}

function found(spans: readonly ReceivedSpan[], values: readonly string[], only?: (key: string) => boolean): string[] {
  return values.filter((value) => spans.some((span) => searchable(span, only).includes(value)));
}

describe.each(runtimes.map((r) => r.name))('%s', (runtime) => {
  const receiver = useReceiver();
  let aws: AwsEndpoint;
  let downstream: Downstream;

  beforeAll(async () => {
    [aws, downstream] = await Promise.all([AwsEndpoint.start(), Downstream.start({ status: 200 })]);
  });
  afterAll(() => Promise.all([aws.close(), downstream.close()]));
  beforeEach(() => {
    aws.reset();
    downstream.reset();
  });

  /** An HTTP API request carrying every secret and every piece of user data. */
  function request(): Record<string, unknown> {
    const event = loadEvent('api-gateway-v2');
    const passOn = {
      item: USER_DATA.item,
      message: USER_DATA.message,
      attribute: USER_DATA.attribute,
      phone: USER_DATA.phone,
      sms: USER_DATA.sms,
      bearer: SECRETS.bearer,
      apiKey: SECRETS.apiKey,
      query: USER_DATA.fetchQuery,
      userinfoPassword: SECRETS.userinfoPassword,
      queueUrl: aws.queueUrl('orders'),
      downstream: downstream.url(''),
    };
    return {
      ...event,
      headers: {
        ...(event.headers as Record<string, string>),
        authorization: `Bearer ${SECRETS.authorization}`,
        cookie: `sid=${SECRETS.cookie}`,
        'x-api-key': SECRETS.apiKeyHeader,
        'x-note': USER_DATA.header,
        'content-type': 'application/json',
      },
      cookies: [`sid=${SECRETS.cookie}`],
      rawQueryString: `token=${SECRETS.queryToken}&q=${USER_DATA.query}`,
      queryStringParameters: { token: SECRETS.queryToken, q: USER_DATA.query },
      body: JSON.stringify({ password: SECRETS.password, note: USER_DATA.body, passOn }),
      isBase64Encoded: false,
    };
  }

  async function run(env: Record<string, string> = {}) {
    const taskRoot = functionFixture('passes-data-on');
    const result = await withLayer(
      { runtime, taskRoot, handler: 'index.handler', env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, FAKE_AWS_ENDPOINT: aws.url, ...env } },
      (sandbox) => sandbox.invoke(request()),
    );
    expect(result).toMatchObject({ kind: 'success', payload: { statusCode: 200 } });
    // The invocation, PutItem, SendMessage, Publish, fetch and node:http.
    const spans = await receiver().waitForSpans(6);
    // The calls happened as the function made them: the layer takes nothing out of them.
    const sent = aws.requests().map((exchange) => JSON.stringify(exchange.body));
    expect(sent.join()).toEqual(expect.stringContaining(USER_DATA.item));
    expect(downstream.requests().map((r) => r.headers.authorization)).toEqual([`Bearer ${SECRETS.bearer}`, `Bearer ${SECRETS.bearer}`]);
    expect(downstream.requests().map((r) => r.path)).toEqual([
      `/fetched?api_key=${SECRETS.apiKey}&q=${USER_DATA.fetchQuery}`,
      `/got?api_key=${SECRETS.apiKey}&q=${USER_DATA.fetchQuery}`,
    ]);
    return spans;
  }

  it('with default settings: no secret and no user data in any exported span', async () => {
    const spans = await run();
    expect(spans.map((s) => s.name).sort()).toEqual(['DynamoDB.PutItem', 'GET', 'GET', 'GET /orders/{id}', 'orders send', 'phone_number send']);
    expect(found(spans, [...Object.values(SECRETS), ...Object.values(USER_DATA), ...RESULT_SECRETS, RESULT_DATA])).toEqual([]);

    // What is recorded instead.
    const port = downstream.url('').split(':').pop();
    const urls = spans.filter((s) => s.kind === 'CLIENT' && s.name === 'GET').map((s) => s.attributes['url.full']);
    expect(urls.sort()).toEqual([
      `http://127.0.0.1:${port}/fetched?api_key=REDACTED&q=REDACTED`,
      `http://REDACTED:REDACTED@127.0.0.1:${port}/got?api_key=REDACTED&q=REDACTED`,
    ]);
    const publish = spans.find((s) => s.name === 'phone_number send');
    expect(publish?.attributes).toMatchObject({ 'messaging.destination': 'phone_number', 'messaging.destination.name': 'phone_number' });
    const invocation = spans.find((s) => s.kind === 'SERVER');
    expect(Object.keys(invocation?.attributes ?? {}).filter((key) => PAYLOAD_ATTRIBUTES.test(key))).toEqual([]);
  });

  it('with LAMBDA_OTEL_CAPTURE_URL_QUERY=true: query values are recorded, but not those of secret names', async () => {
    const spans = await run({ LAMBDA_OTEL_CAPTURE_URL_QUERY: 'true' });
    expect(found(spans, [...Object.values(SECRETS), ...RESULT_SECRETS])).toEqual([]);
    const port = downstream.url('').split(':').pop();
    const urls = spans.filter((s) => s.kind === 'CLIENT' && s.name === 'GET').map((s) => s.attributes['url.full']);
    expect(urls.sort()).toEqual([
      `http://127.0.0.1:${port}/fetched?api_key=REDACTED&q=${USER_DATA.fetchQuery}`,
      `http://REDACTED:REDACTED@127.0.0.1:${port}/got?api_key=REDACTED&q=${USER_DATA.fetchQuery}`,
    ]);
    expect(spans.find((s) => s.kind === 'SERVER')?.attributes['url.query']).toBe(`token=REDACTED&q=${USER_DATA.query}`);
  });

  it('with payload capture on: the payload with its secrets redacted; user data in the payload only', async () => {
    const spans = await run({ LAMBDA_OTEL_CAPTURE_PAYLOAD: 'true' });
    expect(found(spans, [...Object.values(SECRETS), ...RESULT_SECRETS])).toEqual([]);
    // Client spans record no user data, payload capture or not; the other attributes neither.
    expect(found(spans, [...Object.values(USER_DATA), RESULT_DATA], (key) => !PAYLOAD_ATTRIBUTES.test(key))).toEqual([]);

    const invocation = spans.find((s) => s.kind === 'SERVER');
    const attributes = invocation?.attributes ?? {};
    expect(attributes).toMatchObject({
      'http.request.header.authorization': ['REDACTED'],
      'http.request.header.cookie': ['REDACTED'],
      'http.request.header.x-api-key': ['REDACTED'],
      'http.request.header.x-note': [USER_DATA.header],
    });
    const event = JSON.parse(String(attributes['aws.lambda.event'])) as Record<string, unknown>;
    expect(event).toMatchObject({
      cookies: 'REDACTED',
      rawQueryString: `token=REDACTED&q=${USER_DATA.query}`,
      queryStringParameters: { token: 'REDACTED', q: USER_DATA.query },
    });
    const body = JSON.parse(String(attributes['aws.lambda.request_body'])) as { password: string; note: string; passOn: Record<string, unknown> };
    expect(body).toMatchObject({ password: 'REDACTED', note: USER_DATA.body, passOn: { bearer: 'REDACTED', apiKey: 'REDACTED', userinfoPassword: 'REDACTED', item: USER_DATA.item } });
    const result = JSON.parse(String(attributes['aws.lambda.result'])) as { headers: unknown; body: string };
    expect(result.headers).toEqual({ 'content-type': 'application/json', 'set-cookie': 'REDACTED' });
    expect(JSON.parse(result.body)).toEqual({ ok: true, session_token: 'REDACTED', note: RESULT_DATA });
  });

  it('with payload capture on, a 5 MB event is capped and marked as cut; the answer is unchanged', async () => {
    const event = { data: 'x'.repeat(5 * 1024 * 1024), list: Array.from({ length: 50_000 }, (_, i) => i) };
    const result = await withLayer(
      { runtime, taskRoot: functionFixture('echo'), handler: 'index.handler', env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url, LAMBDA_OTEL_CAPTURE_PAYLOAD: 'true' } },
      (sandbox) => sandbox.invoke(event),
    );
    expect(result.kind === 'success' && result.raw.equals(Buffer.from(JSON.stringify({ echo: event })))).toBe(true);
    const [span] = await receiver().waitForSpans(1);
    for (const key of ['aws.lambda.event', 'aws.lambda.result']) {
      const value = String(span.attributes[key]);
      expect(Buffer.byteLength(value)).toBeLessThanOrEqual(8192);
      expect(value).toMatch(/^\{"(data|echo)":.*…\[cut: 8192-byte attribute limit\]$/s);
    }
  });
});
