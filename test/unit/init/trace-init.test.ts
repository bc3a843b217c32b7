import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { createDiag } from '../../../src/diag';
import { SpanBuffer } from '../../../src/export/span-buffer';
import { InitRecorder } from '../../../src/init/recorder';
import { initTracing } from '../../../src/init/trace-init';

function setup() {
  const buffer = new SpanBuffer(100);
  const tracer = new BasicTracerProvider({ spanProcessors: [buffer] }).getTracer('test');
  const recorder = new InitRecorder();
  recorder.mark('preload-end');
  recorder.mark('function-load-start');
  recorder.mark('function-load-end');
  recorder.ready();
  const traceInit = initTracing(recorder, {
    tracer,
    taskRoot: '/var/task',
    layerRoot: '/opt',
    minModuleMs: 3,
    initializationType: 'on-demand',
    diag: createDiag('none'),
    defer: (createSpans) => buffer.defer(createSpans),
  });
  const invocation = tracer.startSpan('invocation');
  return { buffer, traceInit, invocation, context: trace.setSpan(ROOT_CONTEXT, invocation) };
}

describe('initTracing', () => {
  it('builds the init\'s spans at the first export after the first invocation ended, once', () => {
    const { buffer, traceInit, invocation, context } = setup();
    let ended = false;
    traceInit(context, true, () => ended);
    traceInit(context, true, () => ended);
    expect(buffer.take()).toEqual([]);
    invocation.end();
    ended = true;
    const spans = buffer.take();
    expect(spans.map((s) => s.name)).toEqual(['invocation', 'node start', 'layer setup', 'runtime start', 'function load', 'init']);
    const init = spans.find((s) => s.name === 'init');
    expect(init?.parentSpanContext?.spanId).toBe(invocation.spanContext().spanId);
    expect(init?.attributes).toEqual({ 'aws.lambda.init_type': 'on-demand' });
    expect(buffer.take()).toEqual([]);
  });

  it('puts an init no caller waited for in a trace of its own, linked to the first invocation', () => {
    const { buffer, traceInit, invocation, context } = setup();
    traceInit(context, false, () => true);
    const init = buffer.take().find((s) => s.name === 'init');
    expect(init?.spanContext().traceId).not.toBe(invocation.spanContext().traceId);
    expect(init?.parentSpanContext).toBeUndefined();
    expect(init?.links.map((l) => l.context.spanId)).toEqual([invocation.spanContext().spanId]);
  });
});
