import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { InstrumentationBase } from '@opentelemetry/instrumentation';
import { INSTRUMENTATIONS, type InstrumentationName } from '../../../src/config/load';
import { PATCHED_MODULES } from '../../../src/instrumentations/catalog';

const create: Record<InstrumentationName, () => InstrumentationBase> = {
  http: () => new HttpInstrumentation({ enabled: false }),
  undici: () => new UndiciInstrumentation({ enabled: false }),
  'aws-sdk': () => new AwsInstrumentation({ enabled: false }),
};

describe('PATCHED_MODULES', () => {
  it.each(INSTRUMENTATIONS)('%s: loads on every module the instrumentation patches', (name) => {
    const patched = create[name]()
      .getModuleDefinitions()
      .map((definition) => definition.name);
    expect(PATCHED_MODULES[name]).toEqual(expect.arrayContaining(patched));
  });

  it('gives every instrumentation at least one module, and no module to two of them', () => {
    const all = INSTRUMENTATIONS.flatMap((name) => PATCHED_MODULES[name]);
    for (const name of INSTRUMENTATIONS) expect(PATCHED_MODULES[name].length).toBeGreaterThan(0);
    expect(new Set(all).size).toBe(all.length);
  });
});
