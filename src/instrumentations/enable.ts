import type { TracerProvider } from '@opentelemetry/api';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import type { Config, InstrumentationName } from '../config/load';
import { ignoredHosts } from './ignore';

/**
 * Loads only the instrumentations the configuration names (each is a chunk of its own, so an
 * unused one costs nothing at start-up) and enables them before any user code is loaded.
 */
export async function enableInstrumentations(config: Config, tracerProvider: TracerProvider): Promise<void> {
  if (config.instrumentations.length === 0) return;
  const ignored = ignoredHosts(config.otlp.url, config.lambda.runtimeApi);
  const instrumentations = await Promise.all(config.instrumentations.map((name) => create(name, ignored)));
  registerInstrumentations({ instrumentations, tracerProvider });
}

async function create(name: InstrumentationName, ignored: ReadonlySet<string>): Promise<Instrumentation> {
  switch (name) {
    case 'http':
      return (await import('./http')).createHttpInstrumentation(ignored);
    case 'undici':
      return (await import('./undici')).createUndiciInstrumentation(ignored);
    case 'aws-sdk':
      return (await import('./aws-sdk')).createAwsSdkInstrumentation();
  }
}
