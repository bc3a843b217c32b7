import {
  parseBoolean,
  parseChoice,
  parseKeyValues,
  parseList,
  parseMillis,
  parseRatio,
  parseUrl,
  type Warn,
} from './parse';
import { SAVED_HANDLER_ENV, type LambdaEnvName, type SettingName } from './settings';

export const TRACES_EXPORTERS = ['otlp', 'console', 'none'] as const;
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export const COMPRESSIONS = ['gzip', 'none'] as const;
export const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export const PROPAGATORS = ['tracecontext', 'baggage', 'xray', 'none'] as const;
export const XRAY_CONTEXTS = ['parent', 'link', 'off'] as const;
export const EXPORT_MODES = ['auto', 'after-response', 'sync', 'batch'] as const;
export const INSTRUMENTATIONS = ['aws-sdk', 'http', 'undici'] as const;
export const LOG_LEVELS = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'] as const;

export type TracesExporter = (typeof TRACES_EXPORTERS)[number];
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];
export type Compression = (typeof COMPRESSIONS)[number];
export type SamplerName = (typeof SAMPLERS)[number];
export type PropagatorName = (typeof PROPAGATORS)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];
export type ExportMode = (typeof EXPORT_MODES)[number];
export type XrayContext = (typeof XRAY_CONTEXTS)[number];
export type InstrumentationName = (typeof INSTRUMENTATIONS)[number];

export interface OtlpConfig {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly compression: Compression;
  readonly protocol: OtlpProtocol;
}

/** What Lambda tells the process about the function through its environment. */
export interface LambdaInfo {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly memoryMb: number | undefined;
  readonly logGroupName: string | undefined;
  readonly logStreamName: string | undefined;
  readonly initializationType: string;
  readonly region: string | undefined;
  readonly taskRoot: string | undefined;
  readonly handler: string | undefined;
  /** The function's own `_HANDLER` as a main thread's preload saved it (see SAVED_HANDLER_ENV). */
  readonly savedHandler: string | undefined;
  readonly runtimeApi: string | undefined;
  /** Set on Lambda Managed Instances, where one process serves many invocations at once. */
  readonly maxConcurrency: number | undefined;
}

export interface Config {
  readonly disabled: boolean;
  readonly logLevel: LogLevel;
  readonly serviceName: string;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly tracesExporter: TracesExporter;
  readonly otlp: OtlpConfig;
  readonly sampler: { readonly name: SamplerName; readonly ratio: number };
  readonly propagators: readonly PropagatorName[];
  readonly xrayContext: XrayContext;
  readonly captureUrlQuery: boolean;
  readonly flushTimeoutMs: number;
  readonly exportMode: ExportMode;
  readonly instrumentations: readonly InstrumentationName[];
  readonly batchIntervalMs: number;
  readonly lambda: LambdaInfo;
}

export type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_OTLP_BASE = 'http://localhost:4318';
const TRACES_PATH = '/v1/traces';
const DEFAULT_EXPORT_TIMEOUT_MS = 10_000;
const DEFAULT_FLUSH_TIMEOUT_MS = 500;
const DEFAULT_BATCH_INTERVAL_MS = 5000;

/**
 * Reads every setting once into a frozen object. Pure: the environment comes in as an argument,
 * and malformed values are reported through `warn` and replaced by their documented fallback.
 */
export function loadConfig(env: Env, warn: Warn): Readonly<Config> {
  const setting = (name: SettingName): string | undefined => env[name];
  const lambdaVar = (name: LambdaEnvName): string | undefined => env[name] || undefined;

  const lambda: LambdaInfo = {
    functionName: lambdaVar('AWS_LAMBDA_FUNCTION_NAME') ?? 'unknown_function',
    functionVersion: lambdaVar('AWS_LAMBDA_FUNCTION_VERSION') ?? '$LATEST',
    memoryMb: positiveInt(lambdaVar('AWS_LAMBDA_FUNCTION_MEMORY_SIZE')),
    logGroupName: lambdaVar('AWS_LAMBDA_LOG_GROUP_NAME'),
    logStreamName: lambdaVar('AWS_LAMBDA_LOG_STREAM_NAME'),
    initializationType: lambdaVar('AWS_LAMBDA_INITIALIZATION_TYPE') ?? 'on-demand',
    region: lambdaVar('AWS_REGION'),
    taskRoot: lambdaVar('LAMBDA_TASK_ROOT'),
    handler: lambdaVar('_HANDLER'),
    savedHandler: env[SAVED_HANDLER_ENV] || undefined,
    runtimeApi: lambdaVar('AWS_LAMBDA_RUNTIME_API'),
    maxConcurrency: positiveInt(lambdaVar('AWS_LAMBDA_MAX_CONCURRENCY')),
  };

  const protocolName = setting('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL')
    ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const compressionName = setting('OTEL_EXPORTER_OTLP_TRACES_COMPRESSION')
    ? 'OTEL_EXPORTER_OTLP_TRACES_COMPRESSION'
    : 'OTEL_EXPORTER_OTLP_COMPRESSION';
  const timeoutName = setting('OTEL_EXPORTER_OTLP_TRACES_TIMEOUT')
    ? 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT'
    : 'OTEL_EXPORTER_OTLP_TIMEOUT';

  const otlp: OtlpConfig = {
    url: tracesUrl(setting, warn),
    headers: {
      ...parseKeyValues('OTEL_EXPORTER_OTLP_HEADERS', setting('OTEL_EXPORTER_OTLP_HEADERS'), warn),
      ...parseKeyValues('OTEL_EXPORTER_OTLP_TRACES_HEADERS', setting('OTEL_EXPORTER_OTLP_TRACES_HEADERS'), warn),
    },
    timeoutMs: parseMillis(timeoutName, setting(timeoutName), DEFAULT_EXPORT_TIMEOUT_MS, warn),
    compression: parseChoice(compressionName, setting(compressionName), COMPRESSIONS, 'none', warn),
    protocol: parseChoice(protocolName, setting(protocolName), OTLP_PROTOCOLS, 'http/protobuf', warn),
  };

  const resourceAttributes = parseKeyValues('OTEL_RESOURCE_ATTRIBUTES', setting('OTEL_RESOURCE_ATTRIBUTES'), warn);
  const serviceName =
    setting('OTEL_SERVICE_NAME')?.trim() || resourceAttributes['service.name'] || lambda.functionName;

  const propagators = parseList(
    'OTEL_PROPAGATORS',
    setting('OTEL_PROPAGATORS'),
    PROPAGATORS,
    ['tracecontext', 'baggage'],
    warn,
  );

  return Object.freeze({
    disabled: parseBoolean('OTEL_SDK_DISABLED', setting('OTEL_SDK_DISABLED'), false, warn),
    logLevel: parseChoice('OTEL_LOG_LEVEL', setting('OTEL_LOG_LEVEL'), LOG_LEVELS, 'info', warn),
    serviceName,
    resourceAttributes,
    tracesExporter: parseChoice(
      'OTEL_TRACES_EXPORTER',
      setting('OTEL_TRACES_EXPORTER'),
      TRACES_EXPORTERS,
      'otlp',
      warn,
    ),
    otlp,
    sampler: {
      name: parseChoice(
        'OTEL_TRACES_SAMPLER',
        setting('OTEL_TRACES_SAMPLER'),
        SAMPLERS,
        'parentbased_always_on',
        warn,
      ),
      ratio: parseRatio('OTEL_TRACES_SAMPLER_ARG', setting('OTEL_TRACES_SAMPLER_ARG'), 1, warn),
    },
    propagators: propagators.includes('none') ? [] : propagators,
    xrayContext: parseChoice('LAMBDA_OTEL_XRAY_CONTEXT', setting('LAMBDA_OTEL_XRAY_CONTEXT'), XRAY_CONTEXTS, 'link', warn),
    captureUrlQuery: parseBoolean(
      'LAMBDA_OTEL_CAPTURE_URL_QUERY',
      setting('LAMBDA_OTEL_CAPTURE_URL_QUERY'),
      false,
      warn,
    ),
    flushTimeoutMs: parseMillis(
      'LAMBDA_OTEL_FLUSH_TIMEOUT_MS',
      setting('LAMBDA_OTEL_FLUSH_TIMEOUT_MS'),
      DEFAULT_FLUSH_TIMEOUT_MS,
      warn,
    ),
    instrumentations: chooseInstrumentations(setting, warn),
    exportMode: parseChoice('LAMBDA_OTEL_EXPORT_MODE', setting('LAMBDA_OTEL_EXPORT_MODE'), EXPORT_MODES, 'auto', warn),
    batchIntervalMs: parseMillis(
      'OTEL_BSP_SCHEDULE_DELAY',
      setting('OTEL_BSP_SCHEDULE_DELAY'),
      DEFAULT_BATCH_INTERVAL_MS,
      warn,
    ),
    lambda,
  });
}

function tracesUrl(setting: (name: SettingName) => string | undefined, warn: Warn): string {
  const signalUrl = setting('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  if (signalUrl?.trim()) {
    const fallback = baseUrl(setting, warn);
    return parseUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', signalUrl, fallback, warn);
  }
  return baseUrl(setting, warn);
}

function baseUrl(setting: (name: SettingName) => string | undefined, warn: Warn): string {
  const base = parseUrl(
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    setting('OTEL_EXPORTER_OTLP_ENDPOINT'),
    DEFAULT_OTLP_BASE,
    warn,
  );
  return base.replace(/\/+$/, '') + TRACES_PATH;
}

function chooseInstrumentations(
  setting: (name: SettingName) => string | undefined,
  warn: Warn,
): readonly InstrumentationName[] {
  const enabled = parseList(
    'OTEL_NODE_ENABLED_INSTRUMENTATIONS',
    setting('OTEL_NODE_ENABLED_INSTRUMENTATIONS'),
    INSTRUMENTATIONS,
    INSTRUMENTATIONS,
    warn,
  );
  const disabled = parseList(
    'OTEL_NODE_DISABLED_INSTRUMENTATIONS',
    setting('OTEL_NODE_DISABLED_INSTRUMENTATIONS'),
    INSTRUMENTATIONS,
    [],
    warn,
  );
  return enabled.filter((name) => !disabled.includes(name));
}

function positiveInt(raw: string | undefined): number | undefined {
  const value = raw === undefined ? NaN : Number.parseInt(raw, 10);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}
