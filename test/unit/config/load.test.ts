import { loadConfig, type Env } from '../../../src/config/load';

function load(env: Env) {
  const warnings: string[] = [];
  const config = loadConfig(env, (message) => warnings.push(message));
  return { config, warnings };
}

const LAMBDA: Env = {
  AWS_LAMBDA_FUNCTION_NAME: 'orders',
  AWS_LAMBDA_FUNCTION_VERSION: '7',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  AWS_REGION: 'eu-west-1',
  _HANDLER: 'index.handler',
  LAMBDA_TASK_ROOT: '/var/task',
};

describe('loadConfig defaults', () => {
  it('uses the documented defaults and warns about nothing', () => {
    const { config, warnings } = load(LAMBDA);
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      disabled: false,
      logLevel: 'info',
      serviceName: 'orders',
      tracesExporters: ['otlp'],
      otlp: {
        url: 'http://localhost:4318/v1/traces',
        headers: {},
        timeoutMs: 10000,
        compression: 'none',
        protocol: 'http/protobuf',
      },
      sampler: { name: 'parentbased_always_on', ratio: 1 },
      propagators: ['tracecontext', 'baggage'],
      flushTimeoutMs: 500,
      captureUrlQuery: false,
      logCorrelation: false,
      capturePayload: false,
      redactKeys: [],
      init: { spans: 'modules', moduleMinMs: 3, proactiveInitMs: 10_000 },
      lambda: { functionName: 'orders', functionVersion: '7', memoryMb: 256, region: 'eu-west-1', initializationType: 'on-demand' },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });
});

describe('loadConfig: each variable', () => {
  it.each([
    ['OTEL_SDK_DISABLED', 'TRUE', (c: ReturnType<typeof load>['config']) => c.disabled, true],
    ['OTEL_SERVICE_NAME', 'checkout', (c: ReturnType<typeof load>['config']) => c.serviceName, 'checkout'],
    ['OTEL_TRACES_EXPORTER', 'console', (c: ReturnType<typeof load>['config']) => c.tracesExporters, ['console']],
    ['OTEL_TRACES_EXPORTER', 'otlp,console', (c: ReturnType<typeof load>['config']) => c.tracesExporters, ['otlp', 'console']],
    ['OTEL_TRACES_EXPORTER', 'none', (c: ReturnType<typeof load>['config']) => c.tracesExporters, []],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'https://otlp.example.com:4318/', (c: ReturnType<typeof load>['config']) => c.otlp.url, 'https://otlp.example.com:4318/v1/traces'],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'http://collector:9999/custom', (c: ReturnType<typeof load>['config']) => c.otlp.url, 'http://collector:9999/custom'],
    ['OTEL_EXPORTER_OTLP_TIMEOUT', '2500', (c: ReturnType<typeof load>['config']) => c.otlp.timeoutMs, 2500],
    ['OTEL_EXPORTER_OTLP_COMPRESSION', 'gzip', (c: ReturnType<typeof load>['config']) => c.otlp.compression, 'gzip'],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'http/json', (c: ReturnType<typeof load>['config']) => c.otlp.protocol, 'http/json'],
    ['OTEL_TRACES_SAMPLER', 'traceidratio', (c: ReturnType<typeof load>['config']) => c.sampler.name, 'traceidratio'],
    ['OTEL_TRACES_SAMPLER_ARG', '0.25', (c: ReturnType<typeof load>['config']) => c.sampler.ratio, 0.25],
    ['OTEL_PROPAGATORS', 'baggage', (c: ReturnType<typeof load>['config']) => c.propagators, ['baggage']],
    ['OTEL_PROPAGATORS', 'none', (c: ReturnType<typeof load>['config']) => c.propagators, []],
    ['OTEL_LOG_LEVEL', 'DEBUG', (c: ReturnType<typeof load>['config']) => c.logLevel, 'debug'],
    ['LAMBDA_OTEL_FLUSH_TIMEOUT_MS', '120', (c: ReturnType<typeof load>['config']) => c.flushTimeoutMs, 120],
    ['LAMBDA_OTEL_LOG_CORRELATION', 'false', (c: ReturnType<typeof load>['config']) => c.logCorrelation, false],
    ['LAMBDA_OTEL_CAPTURE_PAYLOAD', 'true', (c: ReturnType<typeof load>['config']) => c.capturePayload, true],
    ['LAMBDA_OTEL_REDACT_KEYS', ' iban, card_holder ,,', (c: ReturnType<typeof load>['config']) => c.redactKeys, ['iban', 'card_holder']],
    ['LAMBDA_OTEL_INIT_SPANS', 'Phases', (c: ReturnType<typeof load>['config']) => c.init.spans, 'phases'],
    ['LAMBDA_OTEL_MODULE_MIN_MS', '0.5', (c: ReturnType<typeof load>['config']) => c.init.moduleMinMs, 0.5],
    ['LAMBDA_OTEL_PROACTIVE_INIT_MS', '300', (c: ReturnType<typeof load>['config']) => c.init.proactiveInitMs, 300],
  ])('%s=%s', (name, value, read, expected) => {
    const { config, warnings } = load({ ...LAMBDA, [name]: value });
    expect(read(config)).toEqual(expected);
    expect(warnings).toEqual([]);
  });

  it('merges headers, the traces variant winning, values percent-decoded', () => {
    const { config } = load({
      ...LAMBDA,
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=base,x-team=a%20b',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'api-key=traces',
    });
    expect(config.otlp.headers).toEqual({ 'api-key': 'traces', 'x-team': 'a b' });
  });

  it.each([
    ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT', '300', '900', (c: ReturnType<typeof load>['config']) => c.otlp.timeoutMs, 300],
    ['OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION', 'none', 'gzip', (c: ReturnType<typeof load>['config']) => c.otlp.compression, 'none'],
    ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'http/json', 'http/protobuf', (c: ReturnType<typeof load>['config']) => c.otlp.protocol, 'http/json'],
  ])('%s wins over %s', (specific, general, specificValue, generalValue, read, expected) => {
    const { config } = load({ ...LAMBDA, [specific]: specificValue, [general]: generalValue });
    expect(read(config)).toEqual(expected);
  });

  it('builds the resource attributes; OTEL_SERVICE_NAME beats service.name in them', () => {
    expect(load({ ...LAMBDA, OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs,team=pay' }).config).toMatchObject({
      serviceName: 'from-attrs',
      resourceAttributes: { 'service.name': 'from-attrs', team: 'pay' },
    });
    expect(
      load({ ...LAMBDA, OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs', OTEL_SERVICE_NAME: 'explicit' }).config
        .serviceName,
    ).toBe('explicit');
  });
});

describe('loadConfig: tail sampling', () => {
  it('is off by default; LAMBDA_OTEL_SAMPLING=tail turns it on with its documented defaults', () => {
    expect(load(LAMBDA).config.tailSampling).toBeUndefined();
    const { config, warnings } = load({ ...LAMBDA, LAMBDA_OTEL_SAMPLING: 'tail' });
    expect(warnings).toEqual([]);
    expect(config.tailSampling).toEqual({
      ratio: 0.1,
      keep: ['error', 'timeout', 'crash', 'coldstart', 'slow'],
      slow: { percentile: 99 },
      unsampledParent: 'follow',
    });
  });

  it('reads each of its settings', () => {
    const { config, warnings } = load({
      ...LAMBDA,
      LAMBDA_OTEL_SAMPLING: 'TAIL',
      LAMBDA_OTEL_SAMPLING_RATIO: '0.01',
      LAMBDA_OTEL_SAMPLING_KEEP: 'error,slow',
      LAMBDA_OTEL_SAMPLING_SLOW: '800',
      LAMBDA_OTEL_SAMPLING_UNSAMPLED_PARENT: 'keep-errors',
    });
    expect(warnings).toEqual([]);
    expect(config.tailSampling).toEqual({ ratio: 0.01, keep: ['error', 'slow'], slow: { ms: 800 }, unsampledParent: 'keep-errors' });
    expect(load({ ...LAMBDA, LAMBDA_OTEL_SAMPLING: 'tail', LAMBDA_OTEL_SAMPLING_SLOW: 'p99.9' }).config.tailSampling?.slow).toEqual({ percentile: 99.9 });
    expect(load({ ...LAMBDA, LAMBDA_OTEL_SAMPLING: 'tail', LAMBDA_OTEL_SAMPLING_KEEP: 'none' }).config.tailSampling?.keep).toEqual([]);
  });

  it('names each head sampling setting it does not use', () => {
    const { warnings } = load({ ...LAMBDA, LAMBDA_OTEL_SAMPLING: 'tail', OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.01' });
    expect(warnings).toEqual([
      'OTEL_TRACES_SAMPLER is not used with LAMBDA_OTEL_SAMPLING=tail; the share of other invocations kept is LAMBDA_OTEL_SAMPLING_RATIO',
      'OTEL_TRACES_SAMPLER_ARG is not used with LAMBDA_OTEL_SAMPLING=tail; the share of other invocations kept is LAMBDA_OTEL_SAMPLING_RATIO',
    ]);
  });
});

describe('loadConfig: malformed values warn once, naming the variable and the fallback', () => {
  it.each([
    ['OTEL_SDK_DISABLED', 'yes please', 'false'],
    ['OTEL_TRACES_EXPORTER', 'zipkin', 'otlp'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'not a url', 'http://localhost:4318'],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'ftp://x', 'http://localhost:4318/v1/traces'],
    ['OTEL_EXPORTER_OTLP_TIMEOUT', '-5', '10000 ms'],
    ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'soon', '10000 ms'],
    ['OTEL_EXPORTER_OTLP_COMPRESSION', 'brotli', 'none'],
    ['OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', 'zstd', 'none'],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc', 'http/protobuf'],
    ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'thrift', 'http/protobuf'],
    ['OTEL_TRACES_SAMPLER', 'sometimes', 'parentbased_always_on'],
    ['OTEL_TRACES_SAMPLER_ARG', '1.5', '1'],
    ['OTEL_LOG_LEVEL', 'loud', 'info'],
    ['LAMBDA_OTEL_FLUSH_TIMEOUT_MS', 'abc', '500 ms'],
    ['LAMBDA_OTEL_SAMPLING', 'later', 'head'],
    ['LAMBDA_OTEL_SAMPLING_SLOW', 'p100', 'p99'],
    ['LAMBDA_OTEL_SAMPLING_SLOW', '2s', 'p99'],
    ['LAMBDA_OTEL_SAMPLING_KEEP', 'errors', 'error,timeout,crash,coldstart,slow'],
    ['LAMBDA_OTEL_INIT_SPANS', 'all', 'modules'],
    ['LAMBDA_OTEL_MODULE_MIN_MS', '-1', '3 ms'],
    ['LAMBDA_OTEL_PROACTIVE_INIT_MS', '10s', '10000 ms'],
  ])('%s=%s', (name, value, fallback) => {
    const { warnings } = load({ ...LAMBDA, [name]: value });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(name);
    expect(warnings[0]).toContain(`using ${fallback}`);
  });

  it.each([
    ['OTEL_PROPAGATORS', 'tracecontext,b3', (c: ReturnType<typeof load>['config']) => c.propagators, ['tracecontext']],
    ['OTEL_RESOURCE_ATTRIBUTES', 'team=pay,broken,=x,k=%E0%A4%A', (c: ReturnType<typeof load>['config']) => c.resourceAttributes, { team: 'pay' }],
    ['OTEL_EXPORTER_OTLP_HEADERS', 'a=1,nonsense', (c: ReturnType<typeof load>['config']) => c.otlp.headers, { a: '1' }],
    ['OTEL_EXPORTER_OTLP_TRACES_HEADERS', '=nokey', (c: ReturnType<typeof load>['config']) => c.otlp.headers, {}],
  ])('%s=%s keeps the good entries', (name, value, read, expected) => {
    const { config, warnings } = load({ ...LAMBDA, [name]: value });
    expect(read(config)).toEqual(expected);
    expect(warnings.length).toBeGreaterThan(0);
    for (const warning of warnings) expect(warning).toContain(name);
  });
});

describe('loadConfig: export headers cannot break the request head', () => {
  it.each([
    ['a value with a percent-encoded CR LF', 'x-key=SECRET%0d%0aX-Injected: 1', '"x-key"'],
    ['a value beyond Latin-1 (U+010A is written as a line feed byte)', 'x-key=SECRET\u010a', '"x-key"'],
    ['a value with a percent-encoded NUL', 'x-key=SECRET%00', '"x-key"'],
    ['a name that is not an HTTP token', 'x key=SECRET', '"x key"'],
    ['a name with a colon', 'x-key:=SECRET', '"x-key:"'],
    ['a header the transport writes itself', 'Content-Length=SECRET', '"Content-Length"'],
    ['a malformed percent-encoding', 'x-key=SECRET%E0%A4%A', '"x-key"'],
  ])('%s is skipped, with one warning naming the header, never its value', (_, value, key) => {
    for (const name of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS']) {
      const { config, warnings } = load({ ...LAMBDA, [name]: `api-key=kept,${value}` });
      expect(config.otlp.headers).toEqual({ 'api-key': 'kept' });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(new RegExp(`^${name}: skipping `));
      expect(warnings[0]).toContain(key);
      expect(warnings[0]).toContain('using the headers api-key');
      expect(warnings[0]).not.toContain('SECRET');
      expect(warnings[0]).not.toContain('kept');
    }
  });

  it('a raw control character rejects the whole variable, without printing it', () => {
    const { config, warnings } = load({ ...LAMBDA, OTEL_EXPORTER_OTLP_HEADERS: 'api-key=SECRET\r\nX-Injected: 1' });
    expect(config.otlp.headers).toEqual({});
    expect(warnings).toEqual(['OTEL_EXPORTER_OTLP_HEADERS contains control characters; using no headers']);
  });

  it('keeps Latin-1 values and tabs, lower-cases names, and merges names case-insensitively', () => {
    const { config, warnings } = load({
      ...LAMBDA,
      OTEL_EXPORTER_OTLP_HEADERS: 'Api-Key=base,X-Name=caf%C3%A9,x-tab=a%09b',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'API-KEY=traces',
    });
    expect(warnings).toEqual([]);
    expect(config.otlp.headers).toEqual({ 'api-key': 'traces', 'x-name': 'café', 'x-tab': 'a\tb' });
  });
});

describe('loadConfig: values of the upstream OpenTelemetry Lambda layer', () => {
  it('OTEL_PROPAGATORS=tracecontext,xray-lambda: the X-Ray propagator and the Lambda header as parent', () => {
    const { config, warnings } = load({ ...LAMBDA, OTEL_PROPAGATORS: 'tracecontext,xray-lambda' });
    expect(warnings).toEqual([]);
    expect(config.propagators).toEqual(['tracecontext', 'xray']);
    expect(config.xrayContext).toBe('parent');
  });

  it('an explicit LAMBDA_OTEL_XRAY_CONTEXT wins over what xray-lambda implies', () => {
    const { config } = load({ ...LAMBDA, OTEL_PROPAGATORS: 'xray,xray-lambda', LAMBDA_OTEL_XRAY_CONTEXT: 'link' });
    expect(config.propagators).toEqual(['xray']);
    expect(config.xrayContext).toBe('link');
  });

  it('without xray-lambda the X-Ray header stays a link', () => {
    expect(load({ ...LAMBDA, OTEL_PROPAGATORS: 'tracecontext,xray' }).config.xrayContext).toBe('link');
  });

  it.each([
    ['OTEL_TRACES_EXPORTER', 'otlp,console', []],
    ['OTEL_TRACES_EXPORTER', 'otlp,none', ['"none" (meaningless beside other values)']],
    ['OTEL_TRACES_EXPORTER', 'logging', ['not supported: use console']],
    ['OTEL_TRACES_EXPORTER', 'zipkin', ['use otlp']],
    ['OTEL_PROPAGATORS', 'tracecontext,b3', ['no B3 propagator; use tracecontext']],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc', ['use http/protobuf']],
    ['OTEL_TRACES_SAMPLER', 'xray', ['LAMBDA_OTEL_XRAY_CONTEXT=parent']],
    ['OTEL_NODE_ENABLED_INSTRUMENTATIONS', 'aws-sdk,aws-lambda', ['traces every invocation itself']],
    ['OPENTELEMETRY_COLLECTOR_CONFIG_URI', '/opt/collector.yaml', ['runs no collector', 'OTEL_EXPORTER_OTLP_ENDPOINT']],
  ])('%s=%s: accepted, or one warning saying what to use instead', (name, value, advice) => {
    const { warnings } = load({ ...LAMBDA, [name]: value });
    expect(warnings).toHaveLength(advice.length === 0 ? 0 : 1);
    for (const words of advice) expect(warnings[0]).toContain(words);
  });

  it('several exporters: each, in order; none alone: none', () => {
    expect(load({ ...LAMBDA, OTEL_TRACES_EXPORTER: 'console, OTLP' }).config.tracesExporters).toEqual(['console', 'otlp']);
    expect(load({ ...LAMBDA, OTEL_TRACES_EXPORTER: 'none' }).config.tracesExporters).toEqual([]);
    expect(load({ ...LAMBDA, OTEL_TRACES_EXPORTER: 'console,none' }).config.tracesExporters).toEqual(['console']);
  });
});
