/**
 * What reading the event costs per invocation: trigger detection plus the parent and links it
 * yields, for every sample event, measured in this process (the sandbox adds nothing to it).
 */
import { parentContext } from '../src/propagation/extract';
import { createPropagator } from '../src/tracer/propagator';
import { detectTrigger } from '../src/triggers/detect';
import { fixtureNames, loadEvent } from '../test/helpers/events';

const LAMBDA_TRACE_HEADER = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

export function triggerDetectionMicros(iterations: number): Record<string, number> {
  const propagator = createPropagator(['tracecontext', 'baggage']);
  const out: Record<string, number> = {};
  for (const name of fixtureNames()) {
    const event = loadEvent(name);
    const once = (): void => {
      const trigger = detectTrigger(event, { captureQuery: false });
      parentContext(trigger, LAMBDA_TRACE_HEADER, propagator, 'link');
    };
    for (let i = 0; i < iterations / 10; i++) once();
    const started = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) once();
    out[name] = Number(process.hrtime.bigint() - started) / 1e3 / iterations;
  }
  return out;
}
