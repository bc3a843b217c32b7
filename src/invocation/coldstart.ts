import type { Attributes } from '@opentelemetry/api';
import { ATTR_LAMBDA_INIT_TYPE, ATTR_LAMBDA_PROACTIVE_INITIALIZATION } from '../semconv';

export interface ColdStartOptions {
  /** `AWS_LAMBDA_INITIALIZATION_TYPE`. */
  readonly initializationType: string;
  /** A gap longer than this between init's end and the first invocation means a proactive init. */
  readonly proactiveInitMs: number;
  /** When init ended (the handler was ready), on the `now` clock; undefined if unknown. */
  readonly initEndedAt: () => number | undefined;
  readonly now: () => number;
}

export interface InvocationStart {
  /** The first invocation of this environment (the one whose trace shows the init). */
  readonly first: boolean;
  /** `faas.coldstart`: a caller waited for this environment's init. */
  readonly coldStart: boolean;
  /** The init's kind, for the first invocation's span (later ones have none). */
  readonly attributes: Attributes;
}

/**
 * `faas.coldstart` as the platform means it: true only for the first invocation of an on-demand
 * environment whose init the caller waited for. Provisioned concurrency, SnapStart and managed
 * instances initialise before any caller waits; Lambda also initialises on-demand environments
 * ahead of demand ("proactive initialization"), and the first invocation then arrives long after
 * init ended (LAMBDA_OTEL_PROACTIVE_INIT_MS).
 */
export function coldStartTracker(options: ColdStartOptions): () => InvocationStart {
  const initType = { [ATTR_LAMBDA_INIT_TYPE]: options.initializationType };
  const warm: InvocationStart = { first: false, coldStart: false, attributes: {} };
  let first = true;
  return () => {
    if (!first) return warm;
    first = false;
    if (options.initializationType !== 'on-demand') return { first: true, coldStart: false, attributes: initType };
    const endedAt = options.initEndedAt();
    const proactive = endedAt !== undefined && options.now() - endedAt > options.proactiveInitMs;
    if (!proactive) return { first: true, coldStart: true, attributes: initType };
    return { first: true, coldStart: false, attributes: { ...initType, [ATTR_LAMBDA_PROACTIVE_INITIALIZATION]: true } };
  };
}
