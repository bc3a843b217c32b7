import type { TracerProvider } from '@opentelemetry/api';
import type { InstrumentationName } from '../config/load';

/**
 * What each instrumentation patches. The first require (or, for builtins, the first import) of
 * one of these modules loads that instrumentation; until then it costs nothing. A test checks
 * these lists against the module definitions the instrumentations declare themselves.
 */
export const TRIGGER_MODULES: Readonly<Record<InstrumentationName, readonly string[]>> = {
  http: ['http', 'https'],
  undici: ['undici'],
  'aws-sdk': ['@smithy/core', '@smithy/smithy-client', '@smithy/middleware-stack', '@aws-sdk/smithy-client', '@aws-sdk/middleware-stack'],
};

/** What a lazily loaded instrumentation module gets when it is switched on. */
export interface InstrumentationContext {
  readonly tracerProvider: TracerProvider;
  /** `host:port` (and bare host) pairs the instrumentations must never trace: our own traffic. */
  readonly ignoredHosts: ReadonlySet<string>;
}

/** The one export of every file under `instrumentations/` in the layer. */
export interface InstrumentationModule {
  enable(context: InstrumentationContext): void;
}
