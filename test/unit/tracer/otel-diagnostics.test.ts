import { diag as otelDiag } from '@opentelemetry/api';
import { createDiag } from '../../../src/diag';
import { routeOtelDiagnostics } from '../../../src/tracer/otel-diagnostics';

function route(): string[] {
  const lines: string[] = [];
  routeOtelDiagnostics(createDiag('info', (line) => lines.push(line)));
  return lines;
}

afterEach(() => otelDiag.disable());

describe("OpenTelemetry's own diagnostics", () => {
  it('become one line each, once, without the stack the API prints', () => {
    const lines = route();
    const error = new Error('@opentelemetry/instrumentation-aws-sdk: no room for trace context');
    otelDiag.error(error.stack ?? '');
    otelDiag.error(error.stack ?? '');
    otelDiag.warn('something to know');
    expect(lines).toEqual([
      '[lambda-otel-preload] ERROR Error: @opentelemetry/instrumentation-aws-sdk: no room for trace context',
      '[lambda-otel-preload] WARN something to know',
    ]);
  });

  it("turn a function's own set-up, refused by the API, into one line saying which set-up wins", () => {
    const lines = route();
    for (const type of ['trace', 'context', 'propagation']) {
      otelDiag.error(new Error(`@opentelemetry/api: Attempted duplicate registration of API: ${type}`).stack ?? '');
    }
    otelDiag.error('@opentelemetry/api: Registration of version v1.9.1 for diag does not match previously registered API v1.4.1');
    expect(lines).toEqual([expect.stringMatching(/^\[lambda-otel-preload\] WARN the function registered its own OpenTelemetry set-up; the layer's stays/)]);
  });
});
