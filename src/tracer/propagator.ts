import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Config } from '../config/load';
import { XrayPropagator } from '../propagation/xray';

export function createPropagator(names: Config['propagators']): TextMapPropagator {
  const propagators: TextMapPropagator[] = [];
  for (const name of names) {
    if (name === 'tracecontext') propagators.push(new W3CTraceContextPropagator());
    if (name === 'baggage') propagators.push(new W3CBaggagePropagator());
    if (name === 'xray') propagators.push(new XrayPropagator());
  }
  return new CompositePropagator({ propagators });
}
