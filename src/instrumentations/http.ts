import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import type { InstrumentationContext } from './catalog';

/** node:http / node:https client spans. A Lambda function serves no HTTP itself: incoming is off. */
export function enable({ tracerProvider, ignoredHosts }: InstrumentationContext): void {
  registerInstrumentations({
    tracerProvider,
    instrumentations: [
      new HttpInstrumentation({
        disableIncomingRequestInstrumentation: true,
        ignoreOutgoingRequestHook: (options) => {
          const host = typeof options.host === 'string' ? options.host : (options.hostname ?? 'localhost');
          const port = options.port ?? (options.protocol === 'https:' ? 443 : 80);
          return ignoredHosts.has(`${host}:${port}`) || ignoredHosts.has(host);
        },
      }),
    ],
  });
}
