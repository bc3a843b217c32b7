import type { TracerProvider } from '@opentelemetry/api';
import type { InstrumentationName } from '../config/load';

/**
 * What each instrumentation patches. The first require (or, for builtins, the first import) of
 * one of these modules enables that instrumentation (loading the instrumentations file if no other
 * did yet); until then it costs nothing. A test checks
 * these lists against the module definitions the instrumentations declare themselves.
 */
export const PATCHED_MODULES: Readonly<Record<InstrumentationName, readonly string[]>> = {
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

/** One instrumentation: enabling it installs its hooks and patches what is loaded already. */
export interface InstrumentationModule {
  enable(context: InstrumentationContext): void;
}

/** What the layer's instrumentations file (layer-files.ts, INSTRUMENTATIONS_FILE) exports. */
export interface InstrumentationsFile {
  readonly instrumentations: Readonly<Record<InstrumentationName, InstrumentationModule>>;
}
