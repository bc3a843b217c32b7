/**
 * What the deadline timer costs an invocation that answers in time (issue #9: "a timer that never
 * fires costs nothing measurable"): arming it at the start, clearing it at the answer, exactly as
 * src/invocation/invocation.ts does, measured in this process. The warm rows include it too; this
 * isolates it.
 */
export function deadlineTimerMicros(iterations: number): number {
  const onDeadline = (): void => undefined;
  const once = (): void => {
    const timer = setTimeout(onDeadline, 2_500);
    timer.unref();
    clearTimeout(timer);
  };
  for (let i = 0; i < iterations / 10; i++) once();
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) once();
  return Number(process.hrtime.bigint() - started) / 1e3 / iterations;
}
