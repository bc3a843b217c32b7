/** Order statistics over samples (milliseconds or bytes). */

function sorted(xs: readonly number[]): number[] {
  if (xs.length === 0) throw new Error('no samples');
  return [...xs].sort((a, b) => a - b);
}

/**
 * The p-th percentile (0..100), linear interpolation between closest ranks (Hyndman & Fan type 7,
 * numpy's default): with n = 300, p99 lies between the 297th and 298th smallest values.
 */
export function percentile(xs: readonly number[], p: number): number {
  const s = sorted(xs);
  const h = (s.length - 1) * (p / 100);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(xs: readonly number[]): Summary {
  const s = sorted(xs);
  return { n: s.length, median: median(s), p99: percentile(s, 99), min: s[0], max: s[s.length - 1] };
}
