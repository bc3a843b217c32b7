/** The parts of the runtime's `context` argument the layer reads. Every field may be missing. */
export interface LambdaContext {
  readonly awsRequestId?: unknown;
  readonly invokedFunctionArn?: unknown;
  readonly functionName?: unknown;
  readonly functionVersion?: unknown;
  readonly getRemainingTimeInMillis?: unknown;
  /** 4.x only; the 3.x runtime sets `_X_AMZN_TRACE_ID` instead. */
  readonly xRayTraceId?: unknown;
  /** 3.x only; true unless the function set it to false. */
  readonly callbackWaitsForEmptyEventLoop?: unknown;
}

export function asLambdaContext(value: unknown): LambdaContext {
  return typeof value === 'object' && value !== null ? (value as LambdaContext) : {};
}

/** Milliseconds left before Lambda's deadline, or Infinity when the context cannot say. */
export function remainingTimeMs(context: LambdaContext): number {
  const read = context.getRemainingTimeInMillis;
  if (typeof read !== 'function') return Infinity;
  try {
    const value: unknown = read.call(context);
    return typeof value === 'number' && Number.isFinite(value) ? value : Infinity;
  } catch {
    return Infinity;
  }
}
