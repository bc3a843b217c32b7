import type { Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_URL_FULL, ATTR_URL_QUERY } from '../semconv';
import { redactQuery, redactUrl, type QueryPolicy } from './url';

/**
 * The last look at every span's URL before it is exported, whichever instrumentation (or user
 * code) wrote it: `url.full` loses its credentials, and query values are redacted, all of them
 * unless LAMBDA_OTEL_CAPTURE_URL_QUERY is on, and those of signing keys and secret-looking names
 * always. One place instead of a hook per instrumentation: instrumentation-http builds `url.full`
 * from request options its hooks never see assembled (and redacts only a fixed list of signing
 * keys), instrumentation-undici redacts nothing. Per span: two attribute reads, and a string
 * scan only when there is a `?`, `#` or `@`.
 */
export class UrlRedaction implements SpanProcessor {
  constructor(private readonly policy: QueryPolicy) {}

  onStart(): void {}

  onEnding(span: Span): void {
    const full = span.attributes[ATTR_URL_FULL];
    if (typeof full === 'string' && /[?#@]/.test(full)) {
      const redacted = redactUrl(full, this.policy);
      if (redacted !== full) span.setAttribute(ATTR_URL_FULL, redacted);
    }
    const query = span.attributes[ATTR_URL_QUERY];
    if (typeof query === 'string' && query.includes('=')) {
      const redacted = redactQuery(query, this.policy);
      if (redacted !== query) span.setAttribute(ATTR_URL_QUERY, redacted);
    }
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
