import { join } from 'node:path';
import type { InvokeResult } from '../sandbox/sandbox';

/** The layer as `npm run build` leaves it, unpacked: what Lambda puts under /opt. */
export const LAYER_WRAPPER = join(__dirname, '..', '..', 'dist', 'layer', 'otel-wrapper');

/**
 * What a caller can observe of an answer, less what differs between any two runs: timings,
 * request ids, and stack traces (which name the frames the answer passed through).
 */
export function comparable(result: InvokeResult | { errorType: string; errorMessage: string }): Record<string, unknown> {
  const { kind, payload, raw, streamed, errorType, errorMessage } = result as Record<string, unknown>;
  const body = kind === 'success' && Buffer.isBuffer(raw) ? raw.toString('utf8') : undefined;
  return { kind, payload, body, streamed, errorType, errorMessage };
}
