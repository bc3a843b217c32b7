import type { Config } from '../config/load';
import {
  ATTR_AWS_LOG_GROUP_NAMES,
  ATTR_AWS_LOG_STREAM_NAMES,
  ATTR_CLOUD_PLATFORM,
  ATTR_CLOUD_PROVIDER,
  ATTR_CLOUD_REGION,
  ATTR_FAAS_INSTANCE,
  ATTR_FAAS_MAX_MEMORY,
  ATTR_FAAS_NAME,
  ATTR_FAAS_VERSION,
  ATTR_SERVICE_NAME,
  ATTR_TELEMETRY_DISTRO_NAME,
  ATTR_TELEMETRY_DISTRO_VERSION,
  ATTR_TELEMETRY_SDK_LANGUAGE,
  ATTR_TELEMETRY_SDK_NAME,
  ATTR_TELEMETRY_SDK_VERSION,
  CLOUD_PLATFORM_AWS_LAMBDA,
  CLOUD_PROVIDER_AWS,
  TELEMETRY_SDK_NAME_VALUE_OPENTELEMETRY,
} from '../semconv';
import { LAYER_NAME } from '../layer-files';

export type ResourceAttributes = Record<string, string | number | string[]>;

/**
 * Replaced by the build: `__LAYER_VERSION__` with package.json's version, `__OPENTELEMETRY_SDK_VERSION__`
 * with the version of @opentelemetry/sdk-trace-base it bundles.
 */
declare const __LAYER_VERSION__: string | undefined;
declare const __OPENTELEMETRY_SDK_VERSION__: string | undefined;
const LAYER_VERSION = typeof __LAYER_VERSION__ === 'string' ? __LAYER_VERSION__ : 'dev';
const OPENTELEMETRY_SDK_VERSION = typeof __OPENTELEMETRY_SDK_VERSION__ === 'string' ? __OPENTELEMETRY_SDK_VERSION__ : 'dev';

/**
 * The process-wide attributes: what stays the same for every invocation of this environment.
 * Precedence: Lambda's own facts, then OTEL_RESOURCE_ATTRIBUTES, then OTEL_SERVICE_NAME.
 */
export function resourceAttributes(config: Config): ResourceAttributes {
  const { lambda } = config;
  const attributes: ResourceAttributes = {
    // The spans come from OpenTelemetry's SDK; this layer is a distribution of it.
    [ATTR_TELEMETRY_SDK_NAME]: TELEMETRY_SDK_NAME_VALUE_OPENTELEMETRY,
    [ATTR_TELEMETRY_SDK_LANGUAGE]: 'nodejs',
    [ATTR_TELEMETRY_SDK_VERSION]: OPENTELEMETRY_SDK_VERSION,
    [ATTR_TELEMETRY_DISTRO_NAME]: LAYER_NAME,
    [ATTR_TELEMETRY_DISTRO_VERSION]: LAYER_VERSION,
    [ATTR_CLOUD_PROVIDER]: CLOUD_PROVIDER_AWS,
    [ATTR_CLOUD_PLATFORM]: CLOUD_PLATFORM_AWS_LAMBDA,
    [ATTR_FAAS_NAME]: lambda.functionName,
    [ATTR_FAAS_VERSION]: lambda.functionVersion,
  };
  if (lambda.region) attributes[ATTR_CLOUD_REGION] = lambda.region;
  if (lambda.logStreamName) {
    attributes[ATTR_FAAS_INSTANCE] = lambda.logStreamName;
    attributes[ATTR_AWS_LOG_STREAM_NAMES] = [lambda.logStreamName];
  }
  if (lambda.memoryMb !== undefined) attributes[ATTR_FAAS_MAX_MEMORY] = lambda.memoryMb * 1024 * 1024;
  if (lambda.logGroupName) attributes[ATTR_AWS_LOG_GROUP_NAMES] = [lambda.logGroupName];
  return { ...attributes, ...config.resourceAttributes, [ATTR_SERVICE_NAME]: config.serviceName };
}
