import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { secretNames } from '../../../src/privacy/secret-keys';
import { UrlRedaction } from '../../../src/privacy/url-redaction';

function tracerWith(keepValues: boolean) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new UrlRedaction({ keepValues, isSecret: secretNames(['iban']) }), new SimpleSpanProcessor(exporter)],
  });
  return { tracer: provider.getTracer('test'), exporter };
}

describe('UrlRedaction, the last look at every span before export', () => {
  it('by default, redacts every query value and any credentials of url.full and url.query, set at start or later', () => {
    const { tracer, exporter } = tracerWith(false);
    const atStart = tracer.startSpan('GET', { attributes: { 'url.full': 'https://bob:pw@api.example.com/o?id=7&token=t', 'url.query': '?id=7&token=t' } });
    atStart.end();
    const later = tracer.startSpan('GET');
    later.setAttribute('url.full', 'https://api.example.com/o?iban=DE00');
    later.end();
    const [first, second] = exporter.getFinishedSpans();
    expect(first.attributes).toEqual({ 'url.full': 'https://REDACTED:REDACTED@api.example.com/o?id=REDACTED&token=REDACTED', 'url.query': '?id=REDACTED&token=REDACTED' });
    expect(second.attributes).toEqual({ 'url.full': 'https://api.example.com/o?iban=REDACTED' });
  });

  it('with query values kept, redacts signing keys, secret names and the user words only', () => {
    const { tracer, exporter } = tracerWith(true);
    tracer.startSpan('GET', { attributes: { 'url.full': 'https://b.s3.amazonaws.com/k?X-Amz-Signature=s&iban=DE00&v=2', 'url.query': 'id=7&api_key=k' } }).end();
    expect(exporter.getFinishedSpans()[0].attributes).toEqual({ 'url.full': 'https://b.s3.amazonaws.com/k?X-Amz-Signature=REDACTED&iban=REDACTED&v=2', 'url.query': 'id=7&api_key=REDACTED' });
  });

  it('leaves other attributes and URLs without a query alone', () => {
    const { tracer, exporter } = tracerWith(false);
    const attributes = { 'url.full': 'https://sqs.us-east-1.amazonaws.com/123456789012/orders', 'url.path': '/o', 'http.request.method': 'GET', 'url.query': 'flag' };
    tracer.startSpan('GET', { attributes }).end();
    expect(exporter.getFinishedSpans()[0].attributes).toEqual(attributes);
  });
});
