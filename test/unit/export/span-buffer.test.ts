import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { SpanBuffer } from '../../../src/export/span-buffer';

function buffered() {
  const buffer = new SpanBuffer(10);
  const tracer = new BasicTracerProvider({ spanProcessors: [buffer] }).getTracer('t');
  return { buffer, end: (name: string) => tracer.startSpan(name).end() };
}

describe('SpanBuffer', () => {
  it('runs deferred span-creating work at the next take, whose spans leave with that take', () => {
    const { buffer, end } = buffered();
    const ran: string[] = [];
    end('invocation');
    buffer.defer(() => {
      ran.push('deferred');
      end('init');
    });
    expect(ran).toEqual([]);
    expect(buffer.take().map((s) => s.name)).toEqual(['invocation', 'init']);
    expect(ran).toEqual(['deferred']);
    expect(buffer.take()).toEqual([]);
    expect(ran).toEqual(['deferred']);
  });

  it('keeps the buffered spans when deferred work throws', () => {
    const { buffer, end } = buffered();
    end('invocation');
    buffer.defer(() => {
      throw new Error('broken');
    });
    expect(buffer.take().map((s) => s.name)).toEqual(['invocation']);
  });
});
