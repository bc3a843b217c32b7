import { ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { emitInitSpans, type InitSpanOptions } from '../../../src/init/init-spans';
import type { ModuleLoads } from '../../../src/init/module-loads';
import type { InitRecord } from '../../../src/init/recorder';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('test');
beforeEach(() => exporter.reset());

const TIME_ORIGIN = 1_700_000_000_000;
const MARKS = { nodeReady: 20, preloadStart: 22, preloadEnd: 60, functionLoadStart: 75, functionLoadEnd: 400, handlerReady: 401 };

/** Requests resolve to files under /var/task (or the runtime's folder for `http`), as a fake resolver. */
const FILES: Record<string, string> = {
  './handler.js': '/var/task/handler.js',
  express: '/var/task/node_modules/express/index.js',
  './router': '/var/task/node_modules/express/lib/router.js',
  './quick': '/var/task/quick.js',
  './esm.mjs': '/var/task/esm.mjs',
};

function record(modules: Partial<ModuleLoads>): InitRecord {
  return {
    timeOrigin: TIME_ORIGIN,
    marks: MARKS,
    modules: { requires: [], imports: [], loaded: new Map(), evaluated: new Map(), ...modules },
  };
}

function emit(initRecord: InitRecord, parent: Context = ROOT_CONTEXT, options: Partial<InitSpanOptions> = {}): ReadableSpan[] {
  emitInitSpans(initRecord, parent, {
    tracer,
    taskRoot: '/var/task',
    layerRoot: '/opt',
    minModuleMs: 3,
    resolveRequire: (request) => FILES[request],
    ...options,
  });
  return exporter.getFinishedSpans();
}

const named = (spans: ReadableSpan[], name: string): ReadableSpan => {
  const found = spans.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no span ${name} in ${spans.map((s) => s.name).join(', ')}`);
  return found;
};
const parentOf = (spans: ReadableSpan[], span: ReadableSpan): string | undefined =>
  spans.find((s) => s.spanContext().spanId === span.parentSpanContext?.spanId)?.name;
const ms = (span: ReadableSpan): [number, number] => [hrTimeToMilliseconds(span.startTime) - TIME_ORIGIN, hrTimeToMilliseconds(span.endTime) - TIME_ORIGIN];

describe('emitInitSpans', () => {
  it('covers the init from the process\'s start to the handler being ready, phase by phase', () => {
    const invocation = tracer.startSpan('invocation');
    const spans = emit(record({}), trace.setSpan(ROOT_CONTEXT, invocation), { attributes: { 'aws.lambda.init_type': 'on-demand' } });
    const init = named(spans, 'init');
    expect(init.parentSpanContext?.spanId).toBe(invocation.spanContext().spanId);
    expect(init.attributes).toEqual({ 'aws.lambda.init_type': 'on-demand' });
    expect(ms(init)).toEqual([0, 401]);
    expect(spans.filter((s) => s !== init).map((s) => [s.name, parentOf(spans, s), ms(s)])).toEqual([
      ['node start', 'init', [0, 20]],
      ['layer setup', 'init', [20, 60]],
      ['runtime start', 'init', [60, 75]],
      ['function load', 'init', [75, 400]],
    ]);
  });

  it('shows each slow module load under the phase it happened in, nested, named and marked', () => {
    const spans = emit(
      record({
        requires: [
          { id: 'http', parent: '/var/runtime/index.mjs', start: 62, end: 70 },
          { id: './quick', parent: '/var/task/handler.js', start: 80, end: 82 },
          { id: './router', parent: '/var/task/node_modules/express/index.js', start: 90, end: 200 },
          { id: 'express', parent: '/var/task/handler.js', start: 85, end: 300 },
          { id: './handler.js', parent: '/var/runtime/index.mjs', start: 76, end: 390 },
        ],
      }),
    );
    expect(spans.map((s) => [s.name, parentOf(spans, s)]).filter(([name]) => name?.startsWith('require'))).toEqual([
      ['require http', 'runtime start'],
      ['require express/lib/router.js', 'require express'],
      ['require express', 'require handler.js'],
      ['require handler.js', 'function load'],
    ]);
    const express = named(spans, 'require express');
    expect(ms(express)).toEqual([85, 300]);
    expect(express.attributes).toEqual({ 'aws.lambda.module.origin': 'function', 'code.file.path': '/var/task/node_modules/express/index.js' });
    expect(named(spans, 'require http').attributes).toEqual({ 'aws.lambda.module.origin': 'runtime' });
  });

  it('gives a require of an ES module and that module\'s evaluation one span', () => {
    const spans = emit(
      record({
        loaded: new Map([['file:///var/task/esm.mjs', 81]]),
        evaluated: new Map([['file:///var/task/esm.mjs', 140]]),
        requires: [{ id: './esm.mjs', parent: '/var/task/handler.js', start: 80, end: 150 }],
      }),
    );
    const modules = spans.filter((s) => s.name.includes('esm.mjs'));
    expect(modules.map((s) => [s.name, parentOf(spans, s), ms(s)])).toEqual([['require esm.mjs', 'function load', [80, 150]]]);
  });

  it('leaves out the module spans below the threshold, and all of them when none were recorded', () => {
    const slow = record({ requires: [{ id: './quick', parent: '/var/task/handler.js', start: 80, end: 90 }] });
    expect(emit(slow, ROOT_CONTEXT, { minModuleMs: 20 }).map((s) => s.name)).not.toContain('require quick.js');
    exporter.reset();
    expect(emit({ ...slow, modules: undefined }).map((s) => s.name)).toEqual(['node start', 'layer setup', 'runtime start', 'function load', 'init']);
  });

  it('puts a load that no phase covers under the init span itself', () => {
    const spans = emit(record({ requires: [{ id: './quick', parent: '/var/task/handler.js', start: 400.2, end: 400.9 }] }), ROOT_CONTEXT, { minModuleMs: 0.5 });
    expect(parentOf(spans, named(spans, 'require quick.js'))).toBe('init');
  });

  it('links the init span when asked, for an init in a trace of its own', () => {
    const first = tracer.startSpan('first invocation').spanContext();
    const spans = emit(record({}), ROOT_CONTEXT, { links: [{ context: first }] });
    const init = named(spans, 'init');
    expect(init.parentSpanContext).toBeUndefined();
    expect(init.links.map((l) => l.context.spanId)).toEqual([first.spanId]);
  });
});
