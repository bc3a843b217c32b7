import { context } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { awsCallHooks } from './aws-over-http';
import type { InstrumentationContext } from './catalog';

/**
 * node:http / node:https client spans. A Lambda function serves no HTTP itself: incoming is off.
 * Requests that are AWS API calls (signed with SigV4) are named and attributed as AWS SDK spans:
 * that is all a bundled SDK, which no module hook can see, leaves visible.
 */
export function enable({ tracerProvider, ignoredHosts }: InstrumentationContext): void {
  const aws = awsCallHooks();
  registerInstrumentations({
    tracerProvider,
    instrumentations: [
      new HttpInstrumentation({
        disableIncomingRequestInstrumentation: true,
        // Under a suppressed context (the AWS SDK span's own HTTP request, the layer's export) the
        // instrumentation would still parse the request and build a span nobody records.
        ignoreOutgoingRequestHook: (options) => {
          if (isTracingSuppressed(context.active())) return true;
          const host = typeof options.host === 'string' ? options.host : (options.hostname ?? 'localhost');
          const port = options.port ?? (options.protocol === 'https:' ? 443 : 80);
          return ignoredHosts.has(`${host}:${port}`) || ignoredHosts.has(host);
        },
        startOutgoingSpanHook: aws.startAttributes,
        requestHook: aws.onRequest,
        responseHook: aws.onResponse,
      }),
    ],
  });
}
