import type { Instrumentation } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

/** Global `fetch` (undici) client spans. */
export function createUndiciInstrumentation(ignored: ReadonlySet<string>): Instrumentation {
  return new UndiciInstrumentation({
    ignoreRequestHook: (request) => {
      try {
        return ignored.has(new URL(request.origin).host);
      } catch {
        return false;
      }
    },
  });
}
