import { ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import { describeError, type Diag } from '../diag';
import { ATTR_LAMBDA_INIT_TYPE } from '../semconv';
import type { InitSpanOptions } from './init-spans';
import type { InitRecorder } from './recorder';

/** The instrumentation scope of the init's spans, apart from the invocations' (`lambda-otel-preload`). */
export const INIT_SCOPE = 'lambda-otel-preload/init';

export interface InitTracingOptions extends Omit<InitSpanOptions, 'attributes' | 'links'> {
  /** `AWS_LAMBDA_INITIALIZATION_TYPE`. */
  readonly initializationType: string;
  readonly diag: Diag;
  /**
   * Runs the span building later, at the next export: building them takes a few milliseconds
   * that the caller of a cold start should not wait for.
   */
  readonly defer: (createSpans: () => void) => void;
}

/**
 * Called once, as the first invocation starts, with its context (holding its span), and how to
 * tell that it has ended.
 */
export type TraceInit = (invocation: Context, coldStart: boolean, hasEnded: () => boolean) => void;

/**
 * The init's spans, once: in the first invocation's trace, under its span, when the caller waited
 * for the init (a cold start); otherwise (provisioned concurrency, a proactive init) in a trace of
 * their own, at the time the init happened, linked to the first invocation, so that the
 * invocation's trace does not stretch back to an init that may be minutes old.
 */
export function initTracing(recorder: InitRecorder, options: InitTracingOptions): TraceInit {
  return (invocation, coldStart, hasEnded) => {
    const record = recorder.take();
    if (record === undefined) return;
    // Built with the first invocation's own spans, in the export that carries them: not earlier
    // (an export of the init alone would hold the connection the invocation's export needs, when
    // the backend is slow and the invocation times out), and not on the answer's path.
    const createSpans = (): void => {
      if (!hasEnded()) {
        options.defer(createSpans);
        return;
      }
      try {
        const first = trace.getSpanContext(invocation);
        const started = performance.now();
        // A layer file of its own (init/spans.mjs): nothing of the span building is parsed at start-up.
        const { emitInitSpans } = require('./init-spans') as typeof import('./init-spans');
        const count = emitInitSpans(record, coldStart ? invocation : ROOT_CONTEXT, {
          ...options,
          attributes: { [ATTR_LAMBDA_INIT_TYPE]: options.initializationType },
          links: coldStart || first === undefined ? undefined : [{ context: first }],
        });
        options.diag.debug(`init traced: ${count} spans in ${(performance.now() - started).toFixed(1)} ms`);
      } catch (error) {
        options.diag.error(`could not trace the init: ${describeError(error)}`);
      }
    };
    options.defer(createSpans);
  };
}
