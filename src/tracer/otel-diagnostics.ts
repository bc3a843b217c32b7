import { diag as otelDiag, DiagLogLevel } from '@opentelemetry/api';
import type { Diag } from '../diag';

/**
 * What the OpenTelemetry API reports when a function brings its own set-up: it registers its own
 * tracer provider (or context manager, propagator) where the layer's is registered already, or
 * its copy of `@opentelemetry/api` is of another version than the layer's.
 */
const DUPLICATE = /Attempted duplicate registration of API: (\w+)/;
const VERSION_MISMATCH = /Registration of version v(\S+) for (\w+) does not match previously registered API v(\S+)/;

const OWN_PROVIDER =
  "the function registered its own OpenTelemetry set-up; the layer's stays registered: spans started through the global API " +
  "(trace.getTracer) go to the layer's exporter, spans started on the function's own provider go where that provider sends them. " +
  'Set OTEL_SDK_DISABLED=true to keep only the function\'s set-up.';

function otherVersion(registered: string, functions: string): string {
  return (
    `the function's @opentelemetry/api v${functions} could not register its set-up beside the layer's v${registered}; ` +
    "the layer's stays. Set OTEL_SDK_DISABLED=true to keep only the function's set-up."
  );
}

/**
 * OpenTelemetry's own warnings and errors reach the user through our one prefixed logger, each
 * once and on one line: instrumentations warn per call (an SQS send with no room for trace
 * context, say), a line per invocation would flood the function's logs, and the API prints stack
 * traces. A function's own set-up, refused by the API, gets one line that says which set-up wins.
 */
export function routeOtelDiagnostics(diag: Diag): void {
  const level = diag.level === 'debug' || diag.level === 'verbose' || diag.level === 'all' ? DiagLogLevel.DEBUG : DiagLogLevel.WARN;
  const report = (at: 'error' | 'warn', message: string): void => {
    const duplicate = DUPLICATE.exec(message);
    if (duplicate !== null) {
      diag.once('otel:own-setup', 'warn', OWN_PROVIDER);
      return;
    }
    const mismatch = VERSION_MISMATCH.exec(message);
    if (mismatch !== null) {
      diag.once('otel:own-setup', 'warn', otherVersion(mismatch[1], mismatch[3]));
      return;
    }
    const firstLine = message.split('\n', 1)[0];
    diag.once(`otel:${firstLine}`, at, firstLine);
  };
  otelDiag.setLogger(
    {
      error: (message) => report('error', message),
      warn: (message) => report('warn', message),
      info: (message) => diag.info(message),
      debug: (message) => diag.debug(message),
      verbose: (message) => diag.debug(message),
    },
    { logLevel: level, suppressOverrideMessage: true },
  );
}
