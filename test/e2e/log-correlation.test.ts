/**
 * Issue #11, log correlation: the function's console lines carry the trace and span ids of the
 * span active at the call, in both of Lambda's log formats and on every path the runtime writes
 * them (stdout here, the telemetry fd on Lambda, a socket on managed instances), and are
 * otherwise byte for byte what the runtime writes without the layer.
 */
import { randomUUID } from 'node:crypto';
import type { ReceivedSpan } from '../helpers/sandbox/otlp-receiver';
import { runtimes, Sandbox, withSandbox, type RuntimeName, type SandboxOptions } from '../helpers/sandbox/sandbox';
import { functionFixture } from '../helpers/sandbox/task-root';
import { DIAG_PREFIX } from '../../src/diag';
import { linkOtelApi, useReceiver, withLayer } from '../helpers/layer';

type Format = 'text' | 'json';
type Sink = 'stdout' | 'telemetry fd';

const TEXT_IDS = /trace_id=([0-9a-f]{32}) span_id=([0-9a-f]{16}) trace_flags=([0-9a-f]{2})\t/;
const JSON_IDS = /,"trace_id":"([0-9a-f]{32})","span_id":"([0-9a-f]{16})","trace_flags":"([0-9a-f]{2})"/;
const TEXT_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t/;
const JSON_TIME = /^\{"timestamp":"[^"]+"/;

interface Line {
  /** The line as written, less a trailing newline. */
  readonly raw: string;
  /** The line without the added ids, its timestamp replaced. */
  readonly normalised: string;
  readonly ids: { readonly traceId: string; readonly spanId: string; readonly flags: string } | undefined;
}

function parseLine(raw: string): Line {
  const found = TEXT_IDS.exec(raw) ?? JSON_IDS.exec(raw);
  const withoutIds = found === null ? raw : raw.replace(found[0], '');
  const normalised = withoutIds.replace(TEXT_TIME, 'TIME\t').replace(JSON_TIME, '{"timestamp":"TIME"');
  return { raw, normalised, ids: found === null ? undefined : { traceId: found[1], spanId: found[2], flags: found[3] } };
}

/** The runtime's console lines (frames or stdout) and the function's own stdout lines, the layer's diagnostics left out. */
function linesOf(sandbox: Sandbox, sink: Sink): { console: Line[]; stdout: Line[] } {
  const stdout = sandbox
    .logs()
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith(DIAG_PREFIX))
    .map(parseLine);
  if (sink === 'stdout') return { console: stdout, stdout: [] };
  return { console: sandbox.telemetryFrames().map((frame) => parseLine(frame.message.replace(/\n$/, ''))), stdout };
}

function options(runtime: RuntimeName, taskRoot: string, format: Format, sink: Sink, env: Record<string, string> = {}): Omit<SandboxOptions, 'wrapper'> {
  return {
    runtime,
    taskRoot,
    handler: 'index.handler',
    telemetryLog: sink === 'telemetry fd',
    env: { AWS_LAMBDA_LOG_FORMAT: format === 'json' ? 'JSON' : 'Text', LAMBDA_OTEL_LOG_CORRELATION: 'true', ...env },
  };
}

function invocationSpan(spans: readonly ReceivedSpan[], requestId: string): ReceivedSpan {
  const span = spans.find((s) => s.attributes['faas.invocation_id'] === requestId);
  if (span === undefined) throw new Error(`no invocation span for ${requestId}`);
  return span;
}

describe.each(runtimes.map((r) => r.name))('%s', (runtime) => {
  const receiver = useReceiver();

  /**
   * Runs the logs function once without the layer and once with it, on the same task root and
   * with the same request id, so that only timestamps and the added ids may differ.
   */
  async function both(format: Format, sink: Sink, env: Record<string, string> = {}) {
    const taskRoot = linkOtelApi(functionFixture('logs'));
    const requestId = randomUUID();
    const without = await withSandbox(options(runtime, taskRoot, format, sink, env), async (sandbox) => {
      expect(await sandbox.invoke({}, { requestId })).toMatchObject({ kind: 'success', payload: 'logged' });
      return linesOf(sandbox, sink);
    });
    const withIt = await withLayer(options(runtime, taskRoot, format, sink, { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url }), async (sandbox) => {
      expect(await sandbox.invoke({}, { requestId })).toMatchObject({ kind: 'success', payload: 'logged' });
      return linesOf(sandbox, sink);
    });
    const spans = await receiver().waitForSpans(2);
    return { without, withIt, invocation: invocationSpan(spans, requestId), child: spans.find((s) => s.name === 'child') };
  }

  describe.each([
    ['text', 'stdout'],
    ['json', 'stdout'],
    ['text', 'telemetry fd'],
    ['json', 'telemetry fd'],
  ] as [Format, Sink][])('%s lines through %s', (format, sink) => {
    it("carry the ids of the span active at the call; every other byte is the runtime's", async () => {
      const { without, withIt, invocation, child } = await both(format, sink);

      // Byte for byte, once the timestamps and the added ids are set aside.
      expect(withIt.console.map((line) => line.normalised)).toEqual(without.console.map((line) => line.normalised));
      expect(withIt.stdout.map((line) => line.raw)).toEqual(without.stdout.map((line) => line.raw));
      expect(without.console.filter((line) => line.ids !== undefined)).toEqual([]);
      // The sample covers what it claims to (the runtime's formatting of each kind of line).
      const all = without.console.map((line) => line.raw).join('\n');
      for (const part of ['a line at init', 'format: text 42 7 1.5', 'boom', 'out of range', 'a debug line', 'a trace line', 'unicode', '┌', 'inside a span']) {
        expect(all).toContain(part);
      }

      const isOwn = (line: Line): boolean => /own (logger|write)/.test(line.raw);
      const [init, ...inInvocation] = withIt.console.filter((line) => !isOwn(line));
      expect(init.raw).toContain('a line at init');
      expect(init.ids).toBeUndefined();
      expect(inInvocation.length).toBeGreaterThan(10);
      for (const line of inInvocation) {
        const span = line.raw.includes('inside a span of the function') ? child : invocation;
        expect({ line: line.raw, ids: line.ids }).toEqual({ line: line.raw, ids: { traceId: invocation.traceId, spanId: span?.spanId, flags: '01' } });
      }
      // The function's own writes, shaped like the runtime's lines, are left alone.
      const own = [...withIt.console, ...withIt.stdout].filter(isOwn);
      expect(own).toHaveLength(3);
      expect(own.every((line) => line.ids === undefined)).toBe(true);
    });
  });

  it('AWS_LAMBDA_LOG_LEVEL=WARN: the same lines are filtered out, the rest carry the ids', async () => {
    const { without, withIt, invocation } = await both('json', 'telemetry fd', { AWS_LAMBDA_LOG_LEVEL: 'WARN' });
    expect(withIt.console.map((line) => line.normalised)).toEqual(without.console.map((line) => line.normalised));
    expect(withIt.console.map((line) => (JSON.parse(line.raw) as { level: string }).level)).toEqual(['WARN', 'ERROR', 'ERROR']);
    expect(withIt.console.every((line) => line.ids?.spanId === invocation.spanId)).toBe(true);
  });

  it("a line from a timer an ended invocation left behind gets no ids, never that invocation's", async () => {
    const taskRoot = linkOtelApi(functionFixture('logs'));
    const lines = await withLayer(options(runtime, taskRoot, 'json', 'stdout', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url }), async (sandbox) => {
      expect(await sandbox.invoke({ leaveTimerMs: 100 })).toMatchObject({ kind: 'success' });
      // The environment is frozen before the timer is due; it fires while this one waits.
      expect(await sandbox.invoke({ waitMs: 400, lines: 1 })).toMatchObject({ kind: 'success' });
      return linesOf(sandbox, 'stdout').console;
    });
    const spans = await receiver().waitForSpans(2);
    const leftover = lines.find((line) => line.raw.includes('a line from a timer'));
    const logged = lines.find((line) => line.raw.includes('order o-0 processed'));
    expect(leftover).toBeDefined();
    expect(leftover?.ids).toBeUndefined();
    const second = invocationSpan(spans, (JSON.parse(logged?.raw ?? '{}') as { requestId: string }).requestId);
    expect(logged?.ids).toEqual({ traceId: second.traceId, spanId: second.spanId, flags: '01' });
  });

  it('off (the default): lines exactly as without the layer', async () => {
    const { without, withIt } = await both('text', 'stdout', { LAMBDA_OTEL_LOG_CORRELATION: '' });
    expect(withIt.console.every((line) => line.ids === undefined)).toBe(true);
    expect(withIt.console.map((line) => line.normalised)).toEqual(without.console.map((line) => line.normalised));
  });
});

describe('managed instances (nodejs24.x): concurrent invocations, always JSON', () => {
  const receiver = useReceiver();

  it("each invocation's lines carry its own ids", async () => {
    const taskRoot = linkOtelApi(functionFixture('logs'));
    const sandboxOptions = { ...options('nodejs24.x', taskRoot, 'text', 'stdout', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver().url }), maxConcurrency: 4 };
    const lines = await withLayer(sandboxOptions, async (sandbox) => {
      const results = await Promise.all([1, 2, 3, 4].map(() => sandbox.invoke({ waitMs: 200, lines: 5 })));
      for (const result of results) expect(result).toMatchObject({ kind: 'success' });
      // A worker thread's stdout reaches the process's pipe through the main thread, some time
      // after the invocation answered: wait for the lines (up to 5 s) rather than read them at once.
      const processed = () => linesOf(sandbox, 'stdout').console.filter((line) => line.raw.includes('processed'));
      for (const started = Date.now(); processed().length < 20 && Date.now() - started < 5000; ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return processed();
    });
    const spans = await receiver().waitForSpans(4);
    expect(lines).toHaveLength(20);
    for (const line of lines) {
      const span = invocationSpan(spans, (JSON.parse(line.raw) as { requestId: string }).requestId);
      expect(line.ids).toEqual({ traceId: span.traceId, spanId: span.spanId, flags: '01' });
    }
    expect(new Set(lines.map((line) => line.ids?.spanId)).size).toBe(4);
  });
});
