import { coldStartTracker } from '../../../src/invocation/coldstart';

/** A tracker whose clock reads `now` and whose init ended at 1000 (or at a time it does not know). */
function tracker(initializationType: string, now: number, initEnded: 'at 1000' | 'unknown' = 'at 1000') {
  const initEndedAt = initEnded === 'at 1000' ? 1000 : undefined;
  return coldStartTracker({ initializationType, proactiveInitMs: 10_000, initEndedAt: () => initEndedAt, now: () => now });
}

describe('coldStartTracker', () => {
  it('makes the first invocation of an on-demand environment a cold start, and only that one', () => {
    const next = tracker('on-demand', 1050);
    expect(next()).toEqual({ first: true, coldStart: true, attributes: { 'aws.lambda.init_type': 'on-demand' } });
    expect(next()).toEqual({ first: false, coldStart: false, attributes: {} });
  });

  it('takes an on-demand init whose first invocation came more than the threshold later for a proactive one', () => {
    expect(tracker('on-demand', 11_001)()).toEqual({
      first: true,
      coldStart: false,
      attributes: { 'aws.lambda.init_type': 'on-demand', 'aws.lambda.proactive_initialization': true },
    });
    expect(tracker('on-demand', 11_000)().coldStart).toBe(true);
  });

  it('counts a cold start when the end of init is unknown', () => {
    expect(tracker('on-demand', 99_999, 'unknown')().coldStart).toBe(true);
  });

  it.each(['provisioned-concurrency', 'snap-start', 'lambda-managed-instances'])('never counts a %s init as a cold start', (type) => {
    const next = tracker(type, 1050);
    expect(next()).toEqual({ first: true, coldStart: false, attributes: { 'aws.lambda.init_type': type } });
    expect(next().first).toBe(false);
  });
});
