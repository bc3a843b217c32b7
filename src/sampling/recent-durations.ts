/**
 * The durations of the last `capacity` invocations, kept sorted as well as in arrival order, so
 * that a percentile is one read and a new duration costs two binary searches and two shifts of at
 * most `capacity` numbers (about a microsecond for a thousand; sorting them per invocation would
 * take tens of microseconds).
 */
export class RecentDurations {
  /** Arrival order: a ring whose oldest entry is at `next` once full. */
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private count = 0;
  private next = 0;

  constructor(private readonly capacity: number) {
    this.ring = new Float64Array(capacity);
    this.sorted = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  add(ms: number): void {
    if (this.count === this.capacity) {
      const at = this.indexOf(this.ring[this.next]);
      this.sorted.copyWithin(at, at + 1, this.count);
      this.count--;
    }
    this.ring[this.next] = ms;
    this.next = (this.next + 1) % this.capacity;
    const at = this.insertionPoint(ms);
    this.sorted.copyWithin(at + 1, at, this.count);
    this.sorted[at] = ms;
    this.count++;
  }

  /**
   * The `percentile` (0 to 100, exclusive) of the durations held, by nearest rank; undefined until
   * there are enough of them for it to mean something: 1 / (1 - p), e.g. 100 for p99.
   */
  percentile(percentile: number): number | undefined {
    if (this.count < minimumSamples(percentile)) return undefined;
    return this.sorted[Math.max(0, Math.ceil((percentile / 100) * this.count) - 1)];
  }

  /** The first index whose value is greater than `ms`. */
  private insertionPoint(ms: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.sorted[mid] <= ms) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** An index holding `ms`, which is present. */
  private indexOf(ms: number): number {
    return this.insertionPoint(ms) - 1;
  }
}

export function minimumSamples(percentile: number): number {
  return Math.ceil(100 / (100 - percentile) - 1e-9);
}
