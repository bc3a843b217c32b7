/**
 * What log correlation costs per `console.log` line, and payload capture per invocation of a
 * 100 KB event: each against the same layer with the feature off, in the sandbox (nodejs24.x,
 * interleaved, CPU of every thread of the runtime process), and capture once more in this process,
 * where nothing else moves the figure.
 */
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { createDiag } from '../src/diag';
import { payloadRecorder } from '../src/payload/capture';
import { detectTrigger } from '../src/triggers/detect';
import { LOG_LINES_ENV, LOG_LINES_PER_INVOCATION, sqsBatchEvent } from './functions';
import { of, warmInvocations, type RunContext, type Variant, type WarmSamples } from './scenarios';
import { median } from './stats';
import { OURS_WRAPPER } from './upstream-layer';

const NONE: Variant = { name: 'none' };
const OURS: Variant = { name: 'ours', wrapper: OURS_WRAPPER };
/** Log correlation is off by default; the logs scenario compares it on with off. */
const OURS_LOG_CORRELATION: Variant = { name: 'ours', wrapper: OURS_WRAPPER, env: { LAMBDA_OTEL_LOG_CORRELATION: 'true' } };
const OURS_NO_LOG_CORRELATION: Variant = { name: 'ours-no-log-correlation', wrapper: OURS_WRAPPER };
const OURS_CAPTURE: Variant = { name: 'ours-capture', wrapper: OURS_WRAPPER, env: { LAMBDA_OTEL_CAPTURE_PAYLOAD: 'true' } };

export interface LogsAndPayloadsFigures {
  readonly logLinesPerInvocation: number;
  /** CPU and caller latency per line: correlation on minus off. */
  readonly logCorrelationCpuUsPerLine: number;
  readonly logCorrelationLatencyUsPerLine: number;
  /** What one line costs without the layer (CPU of the logging function, per line, no layer). */
  readonly noLayerCpuUsPerInvocation: number;
  readonly captureEventBytes: number;
  /** Per invocation: capture on minus off. */
  readonly captureCpuMsPerInvocation: number;
  readonly captureLatencyMsPerInvocation: number;
  /** CPU to record the event and a result of the same size, in this process. */
  readonly captureInProcessUs: number;
}

const segment = (samples: WarmSamples) => samples.segments[0];

export async function logsAndPayloadsCost(perVariant: number, run: RunContext, log: (message: string) => void): Promise<LogsAndPayloadsFigures> {
  log(`log correlation: nodejs24.x, ${LOG_LINES_PER_INVOCATION} console.log lines per invocation, ${perVariant} x 3 variants`);
  const logRun = { ...run, env: { ...run.env, [LOG_LINES_ENV]: String(LOG_LINES_PER_INVOCATION) } };
  const logs = await warmInvocations('nodejs24.x', 'logs', perVariant, [0], [NONE, OURS_LOG_CORRELATION, OURS_NO_LOG_CORRELATION], logRun);
  const on = segment(of(logs, 'ours'));
  const off = segment(of(logs, 'ours-no-log-correlation'));
  const perLine = (ms: number): number => (ms * 1000) / LOG_LINES_PER_INVOCATION;

  log(`payload capture: nodejs24.x, a ${(eventBytes() / 1024).toFixed(0)} KB SQS batch per invocation, ${perVariant} x 2 variants`);
  const capture = await warmInvocations('nodejs24.x', 'plain', perVariant, [0], [OURS, OURS_CAPTURE], run, 20, sqsBatchEvent);
  const withCapture = segment(of(capture, 'ours-capture'));
  const without = segment(of(capture, 'ours'));

  return {
    logLinesPerInvocation: LOG_LINES_PER_INVOCATION,
    logCorrelationCpuUsPerLine: perLine(on.cpuMsPerInvocation - off.cpuMsPerInvocation),
    logCorrelationLatencyUsPerLine: perLine(median(on.latencyMs) - median(off.latencyMs)),
    noLayerCpuUsPerInvocation: segment(of(logs, 'none')).cpuMsPerInvocation * 1000,
    captureEventBytes: eventBytes(),
    captureCpuMsPerInvocation: withCapture.cpuMsPerInvocation - without.cpuMsPerInvocation,
    captureLatencyMsPerInvocation: median(withCapture.latencyMs) - median(without.latencyMs),
    captureInProcessUs: captureMicros(Math.max(200, perVariant * 10)),
  };
}

export function renderLogsAndPayloads(f: LogsAndPayloadsFigures): string {
  const us = (value: number): string => `${value.toFixed(2)} us`;
  return [
    `log correlation, per console.log line (${f.logLinesPerInvocation} lines per invocation, on minus off): CPU ${us(f.logCorrelationCpuUsPerLine)}, caller latency ${us(f.logCorrelationLatencyUsPerLine)}` +
      ` (the whole logging invocation without a layer: ${us(f.noLayerCpuUsPerInvocation)} of CPU)`,
    `payload capture, per invocation of a ${(f.captureEventBytes / 1024).toFixed(0)} KB event (on minus off): CPU ${f.captureCpuMsPerInvocation.toFixed(3)} ms, caller latency ${f.captureLatencyMsPerInvocation.toFixed(3)} ms;` +
      ` in this process ${us(f.captureInProcessUs)}`,
  ].join('\n');
}

function eventBytes(): number {
  return Buffer.byteLength(JSON.stringify(sqsBatchEvent(0)));
}

/**
 * CPU time to record a 100 KB event and a result as large on a real span, in microseconds, per
 * invocation: CPU rather than wall time, which a shared machine inflates with waits.
 */
function captureMicros(iterations: number): number {
  const recorder = payloadRecorder({ redactKeys: [], diag: createDiag('none') });
  const tracer = new BasicTracerProvider().getTracer('bench');
  const event = sqsBatchEvent(0);
  const trigger = detectTrigger(event, { captureQuery: false });
  const once = (): void => {
    const span = tracer.startSpan('invocation');
    recorder.recordEvent(span, event, trigger);
    recorder.recordResult(span, event);
    span.end();
  };
  for (let i = 0; i < iterations / 10; i++) once();
  const before = process.cpuUsage();
  for (let i = 0; i < iterations; i++) once();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / iterations;
}
