import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { InstrumentationContext } from './catalog';

/** Global `fetch` (and the undici package) client spans. */
export function enable({ tracerProvider, ignoredHosts }: InstrumentationContext): void {
  registerInstrumentations({
    tracerProvider,
    instrumentations: [
      new UndiciInstrumentation({
        ignoreRequestHook: (request) => {
          try {
            return ignoredHosts.has(new URL(request.origin).host);
          } catch {
            return false;
          }
        },
      }),
    ],
  });
}
