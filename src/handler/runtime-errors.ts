/**
 * The runtime's own init error, re-created: the runtime posts `error.name` as the error type, so
 * an error with the same name and message is indistinguishable from the runtime's.
 */
export class HandlerNotFound extends Error {
  override readonly name = 'Runtime.HandlerNotFound';
}
