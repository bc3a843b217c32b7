import type { Config } from '../config/load';
import type { SpanSink } from './sink';

/**
 * Loads the configured sink on first use. The OTLP serialiser and `zlib` live in a chunk of
 * their own, so a cold start never loads them before the first flush.
 */
export function sinkOpener(config: Config): () => Promise<SpanSink> {
  return async () => {
    if (config.tracesExporter === 'none') return DISCARD;
    if (config.tracesExporter === 'console') {
      const { ConsoleSink } = await import('./console-sink');
      return new ConsoleSink();
    }
    const { OtlpHttpSink } = await import('./otlp-sink');
    return new OtlpHttpSink(config.otlp);
  };
}

const DISCARD: SpanSink = { send: () => Promise.resolve({ ok: true }) };

export function destinationOf(config: Config): string {
  if (config.tracesExporter === 'none') return 'nowhere';
  return config.tracesExporter === 'console' ? 'the console' : config.otlp.url;
}
