import type { Config } from '../config/load';
import type { SpanSink } from './sink';

/**
 * Loads the configured sink on first use. The OTLP serialiser and `zlib` live in a file of their
 * own (`exporters/otlp.mjs` in the layer), so a cold start never loads them before the first
 * flush. Loading is synchronous (`require` of an ES module without top-level await, Node >=
 * 20.19): a crash must be able to export from inside Node's synchronous fatal-exception path.
 */
export function sinkOpener(config: Config): () => SpanSink {
  return () => {
    if (config.tracesExporter === 'none') return DISCARD;
    if (config.tracesExporter === 'console') {
      const { ConsoleSink } = require('./console-sink') as typeof import('./console-sink');
      return new ConsoleSink();
    }
    const { OtlpHttpSink } = require('./otlp-sink') as typeof import('./otlp-sink');
    return new OtlpHttpSink(config.otlp);
  };
}

const DISCARD: SpanSink = { send: () => Promise.resolve({ ok: true }), sendBlocking: () => ({ ok: true }) };

export function destinationOf(config: Config): string {
  if (config.tracesExporter === 'none') return 'nowhere';
  return config.tracesExporter === 'console' ? 'the console' : config.otlp.url;
}
