import { createTraceState } from '@opentelemetry/api';
import { RatioThreshold, thresholdIn, thresholdOf, withThreshold } from '../../../src/sampling/threshold';

describe('thresholdOf', () => {
  // The specification's table ("Converting floating-point probability to threshold value"), precision 4.
  it.each([
    [1, '0'],
    [0.5, '8'],
    [1 / 3, 'aaab'],
    [0.25, 'c'],
    [0.2, 'cccd'],
    [0.125, 'e'],
    [0.1, 'e666'],
    [0.0625, 'f'],
    [0.01, 'fd70a'],
    [0.001, 'ffbe77'],
    [0.0001, 'fff9724'],
    [0.00001, 'ffff583a'],
    [0.000001, 'ffffef39'],
  ])('ratio %p is th:%s, as the specification computes it', (ratio, th) => {
    expect(thresholdOf(ratio)).toBe(th);
  });

  it('has no threshold for a ratio of 0, or one too small for 56 bits of randomness', () => {
    expect(thresholdOf(0)).toBeUndefined();
    expect(thresholdOf(1e-18)).toBeUndefined();
    expect(thresholdOf(2 ** -40)).toMatch(/^ffffffffff/);
  });
});

describe('RatioThreshold.keeps', () => {
  /** A trace id whose last 56 bits (14 hex digits) are `randomness`. */
  const traceId = (randomness: string) => `0123456789abcdef01${randomness}`;

  it('keeps exactly the trace ids whose last 56 bits are at least the threshold', () => {
    const ratio = new RatioThreshold(0.01); // th fd70a -> fd70a000000000
    expect(ratio.keeps(traceId('fd70a000000000'))).toBe(true);
    expect(ratio.keeps(traceId('fd709fffffffff'))).toBe(false);
    expect(ratio.keeps(traceId('ffffffffffffff'))).toBe(true);
    expect(ratio.keeps(traceId('00000000000000'))).toBe(false);
  });

  it('ignores the trace id\'s first 72 bits, which other systems fill with timestamps', () => {
    const ratio = new RatioThreshold(0.5);
    expect(ratio.keeps(`ffffffffffffffffff${'80000000000000'}`)).toBe(true);
    expect(ratio.keeps(`ffffffffffffffffff${'7fffffffffffff'}`)).toBe(false);
  });

  it('keeps everything at 1 and nothing at 0', () => {
    expect(new RatioThreshold(1).keeps(traceId('00000000000000'))).toBe(true);
    expect(new RatioThreshold(0).keeps(traceId('ffffffffffffff'))).toBe(false);
    expect(new RatioThreshold(0).traceState).toBeUndefined();
  });

  it('keeps about the ratio of random trace ids', () => {
    // A fixed sequence (a linear congruential generator), not Math.random: the count is the same every run.
    let seed = 42;
    const hex = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return (seed >>> 3).toString(16).padStart(7, '0');
    };
    const ratio = new RatioThreshold(0.1);
    let kept = 0;
    for (let i = 0; i < 20_000; i++) if (ratio.keeps(traceId(hex() + hex()))) kept++;
    expect(kept / 20_000).toBeCloseTo(0.1, 2);
  });

  it('starts the traces it keeps with ot=th in their tracestate', () => {
    expect(new RatioThreshold(0.01).traceState?.serialize()).toBe('ot=th:fd70a');
  });
});

describe('withThreshold', () => {
  it('sets th in the ot member, first, keeping its other sub-keys and the other members', () => {
    const state = createTraceState('vendor=abc,ot=rv:0123456789abcd;th:8');
    const certain = withThreshold(state, '0');
    expect(certain?.serialize()).toBe('ot=th:0;rv:0123456789abcd,vendor=abc');
    expect(thresholdIn(certain)).toBe('0');
  });

  it('creates a tracestate where there was none', () => {
    expect(withThreshold(undefined, 'fd70a')?.serialize()).toBe('ot=th:fd70a');
  });

  it('erases th, and an ot member left empty, when the weight is unknown', () => {
    expect(withThreshold(createTraceState('ot=th:8;rv:01,v=1'), undefined)?.serialize()).toBe('ot=rv:01,v=1');
    expect(withThreshold(createTraceState('ot=th:8,v=1'), undefined)?.serialize()).toBe('v=1');
    expect(withThreshold(undefined, undefined)).toBeUndefined();
  });
});
