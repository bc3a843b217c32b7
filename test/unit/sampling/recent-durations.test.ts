import { minimumSamples, RecentDurations } from '../../../src/sampling/recent-durations';

/** The nearest-rank percentile, by sorting: what RecentDurations must agree with. */
function nearestRank(values: readonly number[], percentile: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((percentile / 100) * sorted.length) - 1];
}

/** A fixed sequence of durations with a long tail and many ties, the same every run. */
function durations(count: number): number[] {
  let seed = 7;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const u = seed / 2 ** 31;
    out.push(i % 7 === 0 ? 5 : Math.round(1000 * -Math.log(1 - u)) / 100);
  }
  return out;
}

describe('RecentDurations', () => {
  it.each([50, 90, 95, 99, 99.9])('gives the p%p of the last 1000 durations, as sorting them would, as the window slides', (percentile) => {
    const window = new RecentDurations(1000);
    const all = durations(3500);
    all.forEach((ms, i) => {
      window.add(ms);
      const recent = all.slice(Math.max(0, i + 1 - 1000), i + 1);
      if (recent.length >= minimumSamples(percentile) && i % 97 === 0) {
        expect(window.percentile(percentile)).toBe(nearestRank(recent, percentile));
      }
    });
    expect(window.size).toBe(1000);
    expect(window.percentile(percentile)).toBe(nearestRank(all.slice(-1000), percentile));
  });

  it('says nothing until it holds enough durations for the percentile to mean something', () => {
    const window = new RecentDurations(1000);
    for (let i = 1; i < 100; i++) window.add(i);
    expect(window.percentile(99)).toBeUndefined();
    expect(window.percentile(95)).toBe(95);
    window.add(100);
    expect(window.percentile(99)).toBe(99);
    expect([minimumSamples(50), minimumSamples(90), minimumSamples(99), minimumSamples(99.9)]).toEqual([2, 10, 100, 1000]);
  });

  it('forgets the oldest duration first', () => {
    const window = new RecentDurations(10);
    for (const ms of [100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) window.add(ms);
    expect(window.percentile(90)).toBe(9);
  });
});
