import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';

/** node:http / node:https client spans. A Lambda function serves no HTTP itself: incoming is off. */
export function createHttpInstrumentation(ignored: ReadonlySet<string>): Instrumentation {
  return new HttpInstrumentation({
    disableIncomingRequestInstrumentation: true,
    ignoreOutgoingRequestHook: (options) => {
      const host = typeof options.host === 'string' ? options.host : (options.hostname ?? 'localhost');
      const port = options.port ?? (options.protocol === 'https:' ? 443 : 80);
      return ignored.has(`${host}:${port}`) || ignored.has(host);
    },
  });
}
