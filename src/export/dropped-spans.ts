/**
 * Why a span that was made never reached the backend:
 * - `over-budget`: past its invocation's span budget (LAMBDA_OTEL_MAX_SPANS_PER_INVOCATION);
 * - `buffer-full`: more spans were waiting for export than the layer keeps (a backend down for
 *   long, or more spans between two exports than the buffer holds);
 * - `export-failed`: the backend refused them (a 4xx other than 408 and 429, an untrusted
 *   certificate), or a send whose outcome was unknown (no answer in time) failed again;
 * - `shutdown`: still waiting when the shutdown flush ended;
 * - `sampled-out`: tail sampling dropped their invocation (src/sampling/): by design, not lost.
 */
export const DROP_REASONS = ['over-budget', 'buffer-full', 'export-failed', 'shutdown', 'sampled-out'] as const;
export type DropReason = (typeof DROP_REASONS)[number];
export type DropCounts = Readonly<Record<DropReason, number>>;

const none = (): Record<DropReason, number> => ({ 'over-budget': 0, 'buffer-full': 0, 'export-failed': 0, shutdown: 0, 'sampled-out': 0 });

/** Counts spans dropped, by reason: since the last `take()`, and in all. */
export class DroppedSpans {
  private recent = none();
  private readonly total = none();
  private anyRecent = false;

  add(reason: DropReason, count: number): void {
    if (count <= 0) return;
    this.recent[reason] += count;
    this.total[reason] += count;
    this.anyRecent = true;
  }

  /** The counts since the last call, or undefined when nothing was dropped (the usual case, checked cheaply). */
  take(): DropCounts | undefined {
    if (!this.anyRecent) return undefined;
    const recent = this.recent;
    this.recent = none();
    this.anyRecent = false;
    return recent;
  }

  totals(): DropCounts {
    return { ...this.total };
  }
}
