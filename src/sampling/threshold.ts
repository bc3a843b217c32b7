import { createTraceState, type TraceState } from '@opentelemetry/api';

/**
 * The sampling weight of OpenTelemetry's consistent probability sampling ("TraceState: Probability
 * Sampling" in the specification): a span kept with probability p carries, in the `ot` member of
 * its tracestate, `th:<hex>`, the rejection threshold (1 - p) x 2^56 in 14 hex digits with the
 * trailing zeros removed. A backend counts each such span as 1 / p spans; `th:0` means kept for
 * certain. The randomness is the trace id's last 56 bits: a trace is kept when they are at least
 * the threshold, so every participant with the same threshold decides alike.
 */
const OT = 'ot';
const TH_PREFIX = 'th:';
const RANDOMNESS_DIGITS = 14;
/** The specification's recommended precision: 4 significant hex digits. */
const PRECISION = 4;

/** `th` of what is kept for certain. */
export const CERTAIN_THRESHOLD = '0';

/** A sampling ratio as a threshold on the trace id's randomness. */
export class RatioThreshold {
  /** The `th` value; undefined for a ratio of 0 (or below 2^-56), which keeps no trace. */
  readonly th: string | undefined;
  /** The tracestate a trace chosen by this ratio starts with: `ot=th:<th>`. */
  readonly traceState: TraceState | undefined;
  /** `th` padded to 14 digits: compared with the trace id's last 14 as strings, lower-case hex either side. */
  private readonly padded: string | undefined;

  constructor(ratio: number) {
    this.th = thresholdOf(ratio);
    this.padded = this.th?.padEnd(RANDOMNESS_DIGITS, '0');
    this.traceState = this.th === undefined ? undefined : createTraceState(`${OT}=${TH_PREFIX}${this.th}`);
  }

  /** Whether the ratio keeps the trace of this (lower-case hex) id. */
  keeps(traceId: string): boolean {
    return this.padded !== undefined && traceId.slice(-RANDOMNESS_DIGITS) >= this.padded;
  }
}

/**
 * The specification's conversion ("Converting floating-point probability to threshold value"):
 * 4 significant digits, one more for each factor of 16 below 1 / 2, so that small ratios keep
 * their precision (0.01 gives `fd70a`, 0.1 `e666`, 0.5 `8`).
 */
export function thresholdOf(ratio: number): string | undefined {
  if (!(ratio > 0)) return undefined;
  if (ratio >= 1) return CERTAIN_THRESHOLD;
  const exponent = Math.floor(Math.log2(ratio)) + 1; // as C's frexp: ratio = m x 2^exponent, 0.5 <= m < 1
  const digits = Math.max(1, Math.min(12, PRECISION + Math.floor(exponent / -4)));
  const scale = 16 ** digits;
  const rejected = Math.min(scale - 1, Math.round((1 - ratio) * scale));
  // A ratio below 16^-digits rounds to a threshold that rejects everything: no probability left.
  if (rejected >= scale - 1 && ratio < 1 / scale) return undefined;
  return rejected.toString(16).padStart(digits, '0').replace(/0+$/, '') || CERTAIN_THRESHOLD;
}

/**
 * `state` with its `ot` member's `th` set to `th`, or removed when `th` is undefined (the
 * specification asks to erase a threshold that no longer says how the span was sampled). Other
 * `ot` sub-keys and other members are kept; the `ot` member moves first, as W3C asks of a
 * modified member.
 */
export function withThreshold(state: TraceState | undefined, th: string | undefined): TraceState | undefined {
  const ot = state?.get(OT);
  const others = ot === undefined ? [] : ot.split(';').filter((entry) => entry !== '' && !entry.startsWith(TH_PREFIX));
  const entries = th === undefined ? others : [`${TH_PREFIX}${th}`, ...others];
  if (entries.length === 0) return ot === undefined ? state : state?.unset(OT);
  return (state ?? createTraceState()).set(OT, entries.join(';'));
}

/** The `th` of a tracestate, if it has one. */
export function thresholdIn(state: TraceState | undefined): string | undefined {
  const entry = state?.get(OT)?.split(';').find((sub) => sub.startsWith(TH_PREFIX));
  return entry?.slice(TH_PREFIX.length);
}
