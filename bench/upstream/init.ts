/**
 * The upstream reference layer's preload (bundled by ../upstream-layer.ts into init.cjs), set up
 * the way opentelemetry-lambda's Node layer (nodejs/packages/layer/src/wrapper.ts) sets up its SDK:
 * NodeTracerProvider + BatchSpanProcessor + OTLP/HTTP (protobuf) exporter, and the aws-lambda,
 * http and aws-sdk instrumentations. instrumentation-aws-lambda gets the provider through
 * registerInstrumentations(), so it force-flushes the provider at the end of every invocation
 * (its _endInvocationSpanAndFlush), before the response is handed back, as upstream does.
 *
 * Like upstream's loader.mjs, an ES-module handler gets the import-in-the-middle loader hook
 * (module.register): Lambda loads it with import(), which require hooks never see.
 */
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { context, propagation } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AwsLambdaInstrumentation } from '@opentelemetry/instrumentation-aws-lambda';
import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { envDetector, processDetector, detectResources, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

function handlerIsEsm(): boolean {
  const taskRoot = process.env.LAMBDA_TASK_ROOT ?? '';
  const handler = process.env._HANDLER ?? '';
  const file = resolve(taskRoot, handler.slice(0, handler.lastIndexOf('/') + 1), handler.split('/').pop()!.split('.')[0]);
  return existsSync(`${file}.mjs`);
}

const resource = detectResources({ detectors: [envDetector, processDetector] }).merge(
  resourceFromAttributes({
    'cloud.provider': 'aws',
    'cloud.platform': 'aws_lambda',
    'cloud.region': process.env.AWS_REGION,
    'faas.name': process.env.AWS_LAMBDA_FUNCTION_NAME,
    'faas.version': process.env.AWS_LAMBDA_FUNCTION_VERSION,
    'faas.max_memory': Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE) * 1024 * 1024,
  }),
);

const tracerProvider = new NodeTracerProvider({
  resource,
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
});
tracerProvider.register({
  propagator: new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator(), new AWSXRayPropagator()],
  }),
});

registerInstrumentations({
  tracerProvider,
  instrumentations: [new AwsLambdaInstrumentation(), new HttpInstrumentation(), new AwsInstrumentation()],
});

// The hook stays a package in the layer's node_modules (as upstream ships it): the modules it
// generates import its lib/register.js, which must be the instance the instrumentations use.
if (handlerIsEsm()) register('import-in-the-middle/hook.mjs', pathToFileURL(__filename).href);

// Keep the globals referenced so a bundler cannot drop the registration side effects.
void context;
void propagation;
