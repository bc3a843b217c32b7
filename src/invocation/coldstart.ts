/**
 * `faas.coldstart` is true for the first invocation of an on-demand environment only: provisioned
 * concurrency, SnapStart and managed instances initialise before any caller waits.
 */
export function coldStartTracker(initializationType: string): () => boolean {
  let pending = initializationType === 'on-demand';
  return () => {
    const coldStart = pending;
    pending = false;
    return coldStart;
  };
}
