import type { Config, TracesExporter } from '../config/load';
import type { SendResult, SpanSink } from './sink';

/**
 * Loads the configured sinks on first use. The OTLP serialiser and `zlib` live in a file of their
 * own (`exporters/otlp.mjs` in the layer), so a cold start never loads them before the first
 * flush. Loading is synchronous (`require` of an ES module without top-level await, Node >=
 * 20.19): a crash must be able to export from inside Node's synchronous fatal-exception path.
 * With several exporters (`OTEL_TRACES_EXPORTER=otlp,console`) every span goes to each.
 */
export function sinkOpener(config: Config): () => SpanSink {
  return () => {
    const sinks = config.tracesExporters.map((name) => openSink(name, config));
    if (sinks.length === 0) return DISCARD;
    return sinks.length === 1 ? sinks[0] : fanOut(sinks, config.tracesExporters);
  };
}

function openSink(name: TracesExporter, config: Config): SpanSink {
  if (name === 'console') {
    const { ConsoleSink } = require('./console-sink') as typeof import('./console-sink');
    return new ConsoleSink();
  }
  const { OtlpHttpSink } = require('./otlp-sink') as typeof import('./otlp-sink');
  return new OtlpHttpSink(config.otlp);
}

/**
 * Sends to every sink at once; the send failed if one of them did, and the reason says which. It
 * is kept for a later export only when every failure may pass later, and then goes to every sink
 * again: a console that printed it prints it twice.
 */
function fanOut(sinks: readonly SpanSink[], names: readonly TracesExporter[]): SpanSink {
  const combine = (results: readonly SendResult[]): SendResult => {
    const failed = results.flatMap((result, i) => (result.ok ? [] : [{ name: names[i], ...result }]));
    if (failed.length === 0) return { ok: true };
    const most = (field: 'retryAfterMs' | 'attempts' | 'bytes'): number | undefined =>
      failed.reduce<number | undefined>((max, f) => (f[field] === undefined ? max : Math.max(max ?? 0, f[field])), undefined);
    return {
      ok: false,
      reason: failed.map((f) => `${f.name}: ${f.reason}`).join('; '),
      retryable: failed.every((f) => f.retryable),
      uncertain: failed.some((f) => f.uncertain === true),
      timedOut: failed.some((f) => f.timedOut === true),
      retryAfterMs: most('retryAfterMs'),
      attempts: most('attempts'),
      bytes: most('bytes'),
    };
  };
  return {
    send: async (spans, deadline, keepOnDisk) => combine(await Promise.all(sinks.map((sink) => sink.send(spans, deadline, keepOnDisk)))),
    // One after the other, each within what is left of the bound: the thread is blocked anyway.
    sendBlocking(spans, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      return combine(sinks.map((sink) => sink.sendBlocking(spans, Math.max(1, deadline - Date.now()))));
    },
  };
}

const DISCARD: SpanSink = { send: () => Promise.resolve({ ok: true }), sendBlocking: () => ({ ok: true }) };

export function destinationOf(config: Config): string {
  if (config.tracesExporters.length === 0) return 'nowhere';
  return config.tracesExporters.map((name) => (name === 'console' ? 'the console' : config.otlp.url)).join(' and ');
}
