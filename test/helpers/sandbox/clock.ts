import { performance } from 'node:perf_hooks';

/**
 * The one clock of the sandbox and the OTLP receiver: monotonic, sub-millisecond, and expressed
 * as Unix epoch milliseconds (performance.timeOrigin + performance.now()), so values can be
 * compared with span timestamps (`Number(startTimeUnixNano) / 1e6`) give or take clock skew.
 */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
