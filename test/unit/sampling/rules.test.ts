import type { KeepRule } from '../../../src/config/load';
import { decide, type Outcome } from '../../../src/sampling/rules';

const ALL: ReadonlySet<KeepRule> = new Set(['error', 'timeout', 'crash', 'coldstart', 'slow']);
const BORING: Outcome = { failure: undefined, coldStart: false, slow: false, inRatio: false, underUnsampledParent: false };

describe('decide', () => {
  it.each([
    ['an error', { failure: 'error' }, 'error'],
    ['a timeout', { failure: 'timeout' }, 'timeout'],
    ['a crash', { failure: 'crash' }, 'crash'],
    ['a cold start', { coldStart: true }, 'coldstart'],
    ['a slow invocation', { slow: true }, 'slow'],
    ['a slow, failing cold start', { failure: 'timeout', coldStart: true, slow: true }, 'timeout'],
    ['a cold start that is also slow', { coldStart: true, slow: true }, 'coldstart'],
  ] as const)('keeps %s for certain, whatever its trace id', (_, outcome, reason) => {
    for (const inRatio of [false, true]) {
      expect(decide({ ...BORING, ...outcome, inRatio }, ALL)).toEqual({ keep: true, reason, weight: 'certain' });
    }
  });

  it('keeps the rest by the ratio only, with the weight they were started with', () => {
    expect(decide({ ...BORING, inRatio: true }, ALL)).toEqual({ keep: true, reason: 'ratio', weight: 'recorded' });
    expect(decide(BORING, ALL)).toEqual({ keep: false, recorded: true });
  });

  it('applies only the rules asked for', () => {
    const errorsOnly = new Set<KeepRule>(['error']);
    expect(decide({ ...BORING, failure: 'timeout' }, errorsOnly)).toEqual({ keep: false, recorded: true });
    expect(decide({ ...BORING, coldStart: true, slow: true, inRatio: true }, errorsOnly)).toMatchObject({ keep: true, reason: 'ratio' });
    expect(decide({ ...BORING, failure: 'error' }, new Set())).toEqual({ keep: false, recorded: true });
  });

  it('keeps only failures under a parent that was not sampled, and never by the ratio', () => {
    const under = { ...BORING, underUnsampledParent: true };
    expect(decide({ ...under, failure: 'crash' }, ALL)).toEqual({ keep: true, reason: 'crash', weight: 'certain' });
    expect(decide({ ...under, coldStart: true, slow: true, inRatio: true }, ALL)).toEqual({ keep: false, recorded: true });
  });
});
