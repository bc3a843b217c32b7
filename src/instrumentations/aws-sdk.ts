import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
import { preRequestHook, responseHook } from './aws-sdk-privacy';
import type { InstrumentationContext } from './catalog';

/**
 * AWS SDK v3 client spans, for the copy Lambda provides on NODE_PATH and for one in the
 * function's node_modules. The HTTP spans under them are suppressed: one span per AWS call. They
 * carry no item values or message bodies (aws-sdk-privacy.ts says what the hooks take out).
 */
export function enable({ tracerProvider }: InstrumentationContext): void {
  registerInstrumentations({
    tracerProvider,
    instrumentations: [new AwsInstrumentation({ suppressInternalInstrumentation: true, preRequestHook, responseHook })],
  });
}
