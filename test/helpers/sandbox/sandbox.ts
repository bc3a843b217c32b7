import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { nowMs } from './clock';
import { parseErrorBody, RuntimeApi, type ErrorBody, type ExtensionRecord, type InitErrorRecord } from './runtime-api';
import { PROJECT_NODE_MODULES, WORK_DIR } from '../paths';
import { ric3RuntimeEntry, runtimeNodeModules } from './runtime-node-modules';

/**
 * A local Lambda execution environment: the real runtime interface client (aws-lambda-ric 3.x
 * for nodejs22.x, 4.x for nodejs24.x) on the Node version Lambda runs, started like Lambda's
 * bootstrap starts it, talking to a local Runtime API, frozen (SIGSTOP) between invocations.
 */

export type RuntimeName = 'nodejs22.x' | 'nodejs24.x';

export interface RuntimeConfig {
  readonly name: RuntimeName;
  /** The node binary Lambda uses for that runtime (22 or 24). */
  readonly nodeBin: string;
  /** The runtime entry Lambda keeps at /var/runtime/index.mjs. */
  readonly ricEntry: string;
  /** LAMBDA_RUNTIME_DIR. */
  readonly runtimeDir: string;
  /** AWS_EXECUTION_ENV. */
  readonly executionEnv: string;
}

export const runtimes: readonly RuntimeConfig[] = [
  {
    name: 'nodejs22.x',
    nodeBin: join(PROJECT_NODE_MODULES, 'node22', 'bin', 'node'),
    // aws-lambda-ric 3.x only exports run(); the entry is built from it on first use.
    ricEntry: join(WORK_DIR, 'ric3-runtime', 'index.mjs'),
    runtimeDir: join(PROJECT_NODE_MODULES, 'ric3'),
    executionEnv: 'AWS_Lambda_nodejs22.x',
  },
  {
    name: 'nodejs24.x',
    nodeBin: join(PROJECT_NODE_MODULES, 'node24', 'bin', 'node'),
    ricEntry: join(PROJECT_NODE_MODULES, 'ric4', 'index.mjs'),
    runtimeDir: join(PROJECT_NODE_MODULES, 'ric4'),
    executionEnv: 'AWS_Lambda_nodejs24.x',
  },
];

/**
 * What the sandbox itself decides, as Lambda does: a pass-through variable of one of these names
 * is ignored (see `passThrough`). AWS_REGION comes from the `region` option.
 */
export const SANDBOX_OWNED: readonly string[] = [
  'PATH',
  'HOME',
  'TMPDIR',
  'AWS_LAMBDA_RUNTIME_API',
  '_HANDLER',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_EXEC_WRAPPER',
  'AWS_LAMBDA_MAX_CONCURRENCY',
  'AWS_LAMBDA_NODEJS_WORKER_COUNT',
  'TZ',
  'LANG',
  'NODE_PATH',
];

/** Fake credentials, so that the SDK signs requests to loopback endpoints. */
const SANDBOX_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIAXXXXSANDBOXXXXXX',
  AWS_SECRET_ACCESS_KEY: 'sandbox-secret-access-key-not-real',
  AWS_SESSION_TOKEN: 'sandbox-session-token-not-real',
};

export function runtimeConfig(name: RuntimeName): RuntimeConfig {
  const found = runtimes.find((r) => r.name === name);
  if (found === undefined) throw new Error(`unknown runtime ${name}`);
  return found;
}

export interface SandboxOptions {
  readonly runtime: RuntimeName;
  /** LAMBDA_TASK_ROOT (also the process' working directory, as on Lambda). */
  readonly taskRoot: string;
  /** _HANDLER, e.g. "index.handler". */
  readonly handler: string;
  /** Absolute path of an exec wrapper (AWS_LAMBDA_EXEC_WRAPPER), put in front of the node command. */
  readonly wrapper?: string;
  /** Added last: overrides the defaults. */
  readonly env?: Record<string, string>;
  /**
   * Variables from the caller's own environment, as the local command passes the user's OTEL_*,
   * LAMBDA_OTEL_* and AWS_*: they replace the sandbox's defaults (its fake credentials, dropped
   * as a set when AWS_ACCESS_KEY_ID is given) but not what makes it this Lambda environment
   * (SANDBOX_OWNED: Runtime API, function identity, handler, wrapper). `env` still wins over both.
   */
  readonly passThrough?: Readonly<Record<string, string>>;
  /** Function timeout (default 3000 ms). */
  readonly timeoutMs?: number;
  /** Default 128. */
  readonly memoryMb?: number;
  /** Default "test-fn". */
  readonly functionName?: string;
  /** Default 10000 ms. */
  readonly initTimeoutMs?: number;
  /** AWS_LAMBDA_INITIALIZATION_TYPE, default "on-demand". */
  readonly initializationType?: 'on-demand' | 'provisioned-concurrency' | 'snap-start' | 'lambda-managed-instances';
  /** Default "us-east-1". */
  readonly region?: string;
  /**
   * Lambda Managed Instances (nodejs24.x only: aws-lambda-ric 3.3 has no multi-concurrency): sets
   * AWS_LAMBDA_MAX_CONCURRENCY, up to this many invocations run at once, in worker threads that
   * each run the preloads; no freeze between invocations.
   */
  readonly maxConcurrency?: number;
  /** AWS_LAMBDA_NODEJS_WORKER_COUNT with maxConcurrency (default 2: each worker loads the runtime anew). */
  readonly workerCount?: number;
  /**
   * Give the runtime a telemetry log fd, as Lambda does (`_LAMBDA_TELEMETRY_LOG_FD`): the
   * runtime's console then writes framed records there instead of to stdout; read them with
   * `telemetryFrames()`.
   */
  readonly telemetryLog?: boolean;
}

/** One record the runtime wrote to the telemetry log fd: a 16-byte header, then the message. */
export interface TelemetryFrame {
  /** 0xa55a0002 | level mask for JSON, 0xa55a0003 | level mask for text. */
  readonly type: number;
  /** Microseconds since the epoch. */
  readonly timestampUs: bigint;
  /** The message bytes as UTF-8; the header's length matched them. */
  readonly message: string;
}

/** The fd number the telemetry log gets in the runtime process (stdin, stdout, stderr come first). */
const TELEMETRY_FD = 3;
const FRAME_HEADER_BYTES = 16;

export interface InvokeOptions {
  /** Lambda-Runtime-Trace-Id; a fresh sampled X-Ray header by default. Pass null to send none. */
  readonly traceId?: string | null;
  readonly clientContext?: string;
  readonly cognitoIdentity?: string;
  readonly tenantId?: string;
  readonly requestId?: string;
}

/** Milliseconds on the nowMs() clock. */
export interface InvokeTiming {
  readonly invokeStart: number;
  /** When the event went to the runtime (after a re-init, if one was needed). */
  dispatchedAt?: number;
  /** Streaming: when the response headers arrived. Otherwise the same as responseAt. */
  firstByteAt?: number;
  /** When the response (or error) body fully arrived; the end of the stream when streaming. */
  responseAt?: number;
  /** When the environment was frozen after this invocation. */
  frozenAt?: number;
}

export interface ExitInfo {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
}

interface ResultBase {
  readonly requestId: string;
  /** The Lambda-Runtime-Trace-Id sent, if any. */
  readonly traceId: string | undefined;
  readonly timing: InvokeTiming;
  /** Set when the environment was reset after the response (deadline passed or process died before the freeze). */
  resetAfter?: 'timeout' | 'crash';
  /** This invocation started with a new runtime process (a cold start). */
  readonly coldStart: boolean;
}

export interface SuccessResult extends ResultBase {
  readonly kind: 'success';
  /** JSON-parsed body when it parses, otherwise its UTF-8 text. */
  readonly payload: unknown;
  readonly raw: Buffer;
  readonly streamed: boolean;
  /** Headers of the runtime's response POST (Content-Type, Lambda-Runtime-Function-Response-Mode...). */
  readonly headers: IncomingHttpHeaders;
}

export interface ErrorResult extends ResultBase, ErrorBody {
  readonly kind: 'error';
  readonly raw: Buffer;
  /** A stream that ended with error trailers. */
  readonly streamed: boolean;
  readonly headers: IncomingHttpHeaders;
}

export interface InitErrorResult extends ResultBase, ErrorBody {
  readonly kind: 'init-error';
  /** How the init process ended. */
  readonly exit: ExitInfo | undefined;
}

export interface TimeoutResult extends ResultBase {
  readonly kind: 'timeout';
}

export interface CrashResult extends ResultBase, ExitInfo {
  readonly kind: 'crash';
}

export type InvokeResult = SuccessResult | ErrorResult | InitErrorResult | TimeoutResult | CrashResult;

export interface InitRecord {
  readonly generation: number;
  readonly pid: number | undefined;
  readonly startedAt: number;
  endedAt: number | undefined;
  outcome: 'ready' | 'init-error' | 'exit' | 'timeout' | undefined;
}

export interface ShutdownResult extends ExitInfo {
  readonly sigtermSent: boolean;
  /** From the start of shutdown() to the process' exit. */
  readonly durationMs: number;
}

interface Proc {
  readonly child: ChildProcess;
  readonly pid: number | undefined;
  readonly generation: number;
  exit: ExitInfo | undefined;
  readonly exited: Promise<ExitInfo>;
  readonly closed: Promise<void>;
  frozen: boolean;
  invocations: number;
}

type InitOutcome = { ok: true } | { ok: false; error: ErrorBody; exit: ExitInfo | undefined };

const live = new Set<number>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort if a test forgot shutdown(): no runtime process outlives the test process.
  process.on('exit', () => {
    for (const pgid of live) killGroup(pgid, 'SIGKILL');
  });
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/** The state letter of /proc/<pid>/stat: 'R', 'S', 'T' (stopped), 'Z'... or undefined if gone. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

export function makeXRayTraceId(sampled = true): string {
  const epoch = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=${sampled ? 1 : 0}`;
}

export class Sandbox {
  /** Body of the last init's /init/error POST; undefined when the last init succeeded or posted none. */
  initError: InitErrorRecord | undefined;
  /** How the last runtime process ended (undefined while none has). */
  exit: ExitInfo | undefined;
  readonly inits: InitRecord[] = [];

  private proc: Proc | undefined;
  private output = '';
  private telemetry = Buffer.alloc(0);
  private readonly frames: TelemetryFrame[] = [];
  private readonly logMarks: { requestId: string; offset: number }[] = [];
  private inFlight = 0;
  private shutdownResult: ShutdownResult | undefined;
  /** A concurrent invocation's init in progress, which the others wait for. */
  private initializing: Promise<InitOutcome> | undefined;
  private readonly runtime: RuntimeConfig;
  private readonly timeoutMs: number;
  private readonly initTimeoutMs: number;
  private readonly functionName: string;
  private readonly region: string;
  /** This environment's /tmp (TMPDIR). */
  readonly tmpDir = mkdtempSync(join(tmpdir(), 'lambda-tmp-'));

  private constructor(
    readonly options: SandboxOptions,
    readonly api: RuntimeApi,
  ) {
    this.runtime = runtimeConfig(options.runtime);
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.initTimeoutMs = options.initTimeoutMs ?? 10000;
    this.functionName = options.functionName ?? 'test-fn';
    this.region = options.region ?? 'us-east-1';
  }

  /** Starts the runtime and waits for the end of init (its first /next, an init error or its exit). */
  static async start(options: SandboxOptions): Promise<Sandbox> {
    installExitHook();
    if (options.maxConcurrency !== undefined && options.runtime !== 'nodejs24.x') {
      throw new Error(`maxConcurrency needs nodejs24.x: the ${options.runtime} runtime client here has no multi-concurrency`);
    }
    const api = await RuntimeApi.start({
      functionName: options.functionName ?? 'test-fn',
      functionVersion: '$LATEST',
      handler: options.handler,
      multiConcurrency: options.maxConcurrency !== undefined,
    });
    const sandbox = new Sandbox(options, api);
    try {
      await sandbox.init();
    } catch (error) {
      await sandbox.shutdown();
      throw error;
    }
    return sandbox;
  }

  get functionArn(): string {
    return `arn:aws:lambda:${this.region}:123456789012:function:${this.functionName}`;
  }

  /** Pid of the current runtime process (its process group id too), if one is alive. */
  get pid(): number | undefined {
    return this.proc !== undefined && this.proc.exit === undefined ? this.proc.pid : undefined;
  }

  get frozen(): boolean {
    return this.proc?.frozen ?? false;
  }

  /** Extensions registered by the current runtime process. */
  get extensions(): ExtensionRecord[] {
    return this.api.extensions;
  }

  /** Everything the runtime process(es) wrote to stdout and stderr so far. */
  logs(): string {
    return this.output;
  }

  /** Every complete record the runtime wrote to the telemetry log fd (with `telemetryLog`). */
  telemetryFrames(): TelemetryFrame[] {
    return [...this.frames];
  }

  /** Output written from the start of that invocation to the start of the next one (or now). */
  logsFor(requestId: string): string {
    const i = this.logMarks.findIndex((m) => m.requestId === requestId);
    if (i < 0) return '';
    const end = i + 1 < this.logMarks.length ? this.logMarks[i + 1].offset : this.output.length;
    return this.output.slice(this.logMarks[i].offset, end);
  }

  /** The environment the runtime process gets (without AWS_LAMBDA_RUNTIME_API's port being special). */
  environment(): Record<string, string> {
    const memory = this.options.memoryMb ?? 128;
    const env: Record<string, string> = {
      PATH: `${dirname(this.runtime.nodeBin)}:${process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin'}`,
      HOME: process.env.HOME ?? '/tmp',
      AWS_LAMBDA_RUNTIME_API: this.api.address,
      _HANDLER: this.options.handler,
      LAMBDA_TASK_ROOT: this.options.taskRoot,
      LAMBDA_RUNTIME_DIR: this.runtime.runtimeDir,
      AWS_LAMBDA_FUNCTION_NAME: this.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memory),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${this.functionName}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `${new Date().toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${randomBytes(16).toString('hex')}`,
      AWS_REGION: this.region,
      AWS_DEFAULT_REGION: this.region,
      AWS_EXECUTION_ENV: this.runtime.executionEnv,
      AWS_LAMBDA_INITIALIZATION_TYPE:
        this.options.initializationType ?? (this.multiConcurrency ? 'lambda-managed-instances' : 'on-demand'),
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      // Lambda gives each environment a /tmp of its own, which outlives a crashed runtime process.
      TMPDIR: this.tmpDir,
      NODE_PATH: [runtimeNodeModules(), this.runtime.runtimeDir, this.options.taskRoot].join(':'),
    };
    if (this.options.wrapper !== undefined) env.AWS_LAMBDA_EXEC_WRAPPER = this.options.wrapper;
    if (this.options.telemetryLog === true) env._LAMBDA_TELEMETRY_LOG_FD = String(TELEMETRY_FD);
    if (this.options.maxConcurrency !== undefined) {
      env.AWS_LAMBDA_MAX_CONCURRENCY = String(this.options.maxConcurrency);
      env.AWS_LAMBDA_NODEJS_WORKER_COUNT = String(this.options.workerCount ?? 2);
    }
    const passThrough = Object.fromEntries(
      Object.entries(this.options.passThrough ?? {}).filter(([name]) => !SANDBOX_OWNED.includes(name)),
    );
    const credentials = passThrough.AWS_ACCESS_KEY_ID === undefined ? SANDBOX_CREDENTIALS : {};
    return { ...credentials, ...passThrough, ...env, ...this.options.env };
  }

  /** The command line, as Lambda's bootstrap builds it. */
  command(): string[] {
    if (this.runtime.name === 'nodejs22.x') ric3RuntimeEntry();
    const memory = this.options.memoryMb ?? 128;
    const newSpace = Math.floor(memory / 10);
    const args = [
      this.runtime.nodeBin,
      '--expose-gc',
      '--max-http-header-size',
      '81920',
      `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
      `--max-old-space-size=${memory - newSpace}`,
      this.runtime.ricEntry,
    ];
    return this.options.wrapper !== undefined ? [this.options.wrapper, ...args] : args;
  }

  get multiConcurrency(): boolean {
    return this.options.maxConcurrency !== undefined;
  }

  /** Invokes the function; concurrent calls are allowed up to `maxConcurrency` (one by default). */
  async invoke(event: unknown, options: InvokeOptions = {}): Promise<InvokeResult> {
    if (this.shutdownResult !== undefined) throw new Error('sandbox is shut down');
    if (this.inFlight >= (this.options.maxConcurrency ?? 1)) {
      throw new Error(this.multiConcurrency ? `more than ${this.options.maxConcurrency} invocations at once` : 'one invocation at a time');
    }
    this.inFlight++;
    try {
      return await (this.multiConcurrency ? this.runConcurrentInvocation(event, options) : this.runInvocation(event, options));
    } finally {
      this.inFlight--;
    }
  }

  /**
   * Ends the environment like Lambda's shutdown phase: with an extension registered, SIGTERM
   * then SIGKILL after 500 ms; otherwise SIGKILL at once.
   */
  async shutdown(): Promise<ShutdownResult> {
    if (this.shutdownResult !== undefined) return this.shutdownResult;
    const started = nowMs();
    const proc = this.proc;
    let sigtermSent = false;
    if (proc !== undefined && proc.pid !== undefined && proc.exit === undefined) {
      // Managed instances always get SIGTERM first.
      if (this.api.extensions.length > 0 || this.multiConcurrency) {
        killGroup(proc.pid, 'SIGCONT');
        proc.frozen = false;
        killGroup(proc.pid, 'SIGTERM');
        sigtermSent = true;
        // Only internal extensions exist here (external ones would get 2000 ms).
        const exitedInTime = await this.waitForExit(proc, 500);
        if (!exitedInTime) killGroup(proc.pid, 'SIGKILL');
      } else {
        killGroup(proc.pid, 'SIGKILL');
      }
      await proc.exited;
    }
    if (proc !== undefined) await Promise.race([proc.closed, delay(1000)]);
    const exit = proc?.exit ?? { exitCode: null, signal: null };
    const durationMs = nowMs() - started;
    await this.api.close();
    // The environment's /tmp goes with it, as on Lambda: hundreds of sandboxes per `npm test`.
    rmSync(this.tmpDir, { recursive: true, force: true });
    this.shutdownResult = { ...exit, sigtermSent, durationMs };
    return this.shutdownResult;
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  private spawnRuntime(): Proc {
    const [cmd, ...args] = this.command();
    const generation = this.api.generation;
    const child = spawn(cmd, args, {
      cwd: this.options.taskRoot,
      env: this.environment(),
      detached: true,
      stdio: this.options.telemetryLog === true ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
    });
    let resolveExit: (e: ExitInfo) => void = () => undefined;
    const exited = new Promise<ExitInfo>((resolve) => (resolveExit = resolve));
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const proc: Proc = { child, pid: child.pid, generation, exit: undefined, exited, closed, frozen: false, invocations: 0 };
    const onExit = (exit: ExitInfo): void => {
      if (proc.exit !== undefined) return;
      proc.exit = exit;
      this.exit = exit;
      if (proc.pid !== undefined) {
        // Whatever the runtime left in its group (a wrapper's children) goes with it.
        killGroup(proc.pid, 'SIGKILL');
        live.delete(proc.pid);
      }
      resolveExit(exit);
      this.api.changed();
    };
    child.on('exit', (code, signal) => onExit({ exitCode: code, signal }));
    child.on('error', (error: NodeJS.ErrnoException) => {
      // A shell bootstrap exec'ing a missing / non-executable wrapper exits 127 / 126.
      this.output += `[sandbox] spawn ${cmd} failed: ${error.message}\n`;
      onExit({ exitCode: error.code === 'ENOENT' ? 127 : 126, signal: null });
    });
    const append = (chunk: Buffer): void => {
      this.output += chunk.toString('utf8');
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    child.stdio[TELEMETRY_FD]?.on('data', (chunk: Buffer) => this.readFrames(chunk));
    if (child.pid !== undefined) live.add(child.pid);
    return proc;
  }

  /** Splits the telemetry stream into frames; a frame split across chunks waits for its rest. */
  private readFrames(chunk: Buffer): void {
    this.telemetry = Buffer.concat([this.telemetry, chunk]);
    while (this.telemetry.length >= FRAME_HEADER_BYTES) {
      const length = this.telemetry.readInt32BE(4);
      if (length < 0 || this.telemetry[0] !== 0xa5 || this.telemetry[1] !== 0x5a) {
        // Framing is lost: say so where a test looks, and drop the rest.
        this.frames.push({ type: 0, timestampUs: 0n, message: `[sandbox] corrupt telemetry frame header ${this.telemetry.subarray(0, FRAME_HEADER_BYTES).toString('hex')}` });
        this.telemetry = Buffer.alloc(0);
        return;
      }
      if (this.telemetry.length < FRAME_HEADER_BYTES + length) return;
      this.frames.push({
        type: this.telemetry.readUInt32BE(0),
        timestampUs: this.telemetry.readBigInt64BE(8),
        message: this.telemetry.toString('utf8', FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + length),
      });
      this.telemetry = this.telemetry.subarray(FRAME_HEADER_BYTES + length);
    }
  }

  private async init(): Promise<InitOutcome> {
    this.api.beginGeneration();
    const generation = this.api.generation;
    const proc = this.spawnRuntime();
    this.proc = proc;
    const record: InitRecord = { generation, pid: proc.pid, startedAt: nowMs(), endedAt: undefined, outcome: undefined };
    this.inits.push(record);
    const postedError = (): InitErrorRecord | undefined => this.api.initErrors.find((e) => e.generation === generation);
    const finish = (outcome: InitRecord['outcome']): void => {
      record.endedAt = nowMs();
      record.outcome = outcome;
    };
    try {
      await this.api.until(
        () => this.api.runtimeNextCount > 0 || postedError() !== undefined || proc.exit !== undefined,
        this.initTimeoutMs,
        'the end of init',
      );
    } catch {
      finish('timeout');
      await this.kill(proc);
      this.initError = undefined;
      return {
        ok: false,
        error: { errorType: 'Sandbox.InitTimeout', errorMessage: `init did not finish within ${this.initTimeoutMs} ms`, trace: [] },
        exit: proc.exit,
      };
    }
    const posted = postedError();
    if (posted !== undefined) {
      finish('init-error');
      this.initError = posted;
      // The runtime exits by itself after posting; Lambda resets the environment anyway.
      if (!(await this.waitForExit(proc, 1000))) await this.kill(proc);
      return { ok: false, error: posted, exit: proc.exit };
    }
    if (proc.exit !== undefined && this.api.runtimeNextCount === 0) {
      finish('exit');
      this.initError = undefined;
      const status = proc.exit.signal !== null ? `signal: ${proc.exit.signal}` : `exit status ${proc.exit.exitCode}`;
      return {
        ok: false,
        error: { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: ${status}`, trace: [] },
        exit: proc.exit,
      };
    }
    finish('ready');
    this.initError = undefined;
    return { ok: true };
  }

  private async runInvocation(event: unknown, options: InvokeOptions): Promise<InvokeResult> {
    const requestId = options.requestId ?? randomUUID();
    const traceId = options.traceId === null ? undefined : (options.traceId ?? makeXRayTraceId());
    const timing: InvokeTiming = { invokeStart: nowMs() };
    this.logMarks.push({ requestId, offset: this.output.length });

    if (this.proc === undefined || this.proc.exit !== undefined) {
      const init = await this.init();
      if (!init.ok) {
        return { kind: 'init-error', requestId, traceId, timing, coldStart: true, ...pickError(init.error), exit: init.exit };
      }
    }
    const proc = this.proc as Proc;
    const coldStart = proc.invocations === 0;
    proc.invocations += 1;
    const base = { requestId, traceId, timing, coldStart };
    const deadline = nowMs() + this.timeoutMs;
    const remaining = (): number => Math.max(1, deadline - nowMs());

    // The runtime and every INVOKE-subscribed extension must be waiting for the event.
    try {
      await this.api.until(
        () => (this.api.runtimeIsWaiting && this.api.extensionsAreWaiting) || proc.exit !== undefined,
        remaining(),
        'the runtime and extensions to be ready',
      );
    } catch {
      await this.kill(proc);
      return { kind: 'timeout', ...base };
    }
    if (proc.exit !== undefined) return { kind: 'crash', ...base, ...proc.exit };

    if (proc.frozen && proc.pid !== undefined) {
      killGroup(proc.pid, 'SIGCONT');
      proc.frozen = false;
    }
    this.dispatch(base, event, options, remaining());

    try {
      await this.api.until(() => this.api.outcome(requestId) !== undefined || proc.exit !== undefined, remaining(), 'the response');
    } catch {
      await this.kill(proc);
      return { kind: 'timeout', ...base };
    }
    if (this.api.outcome(requestId) === undefined) {
      // The process died; a POST it completed just before may still be in flight on our side.
      await this.api.until(() => this.api.outcome(requestId) !== undefined, 200, 'a late POST').catch(() => undefined);
    }
    const outcome = this.api.outcome(requestId);
    if (outcome === undefined) {
      const exit = proc.exit ?? { exitCode: null, signal: null };
      return { kind: 'crash', ...base, ...exit };
    }
    timing.firstByteAt = outcome.firstByteAt;
    timing.responseAt = outcome.at;
    const result = toResult(outcome, base);

    // Lambda freezes once the runtime asked for the next event and every extension did.
    try {
      await this.api.until(
        () => (this.api.runtimeIsWaiting && this.api.extensionsAreWaiting) || proc.exit !== undefined,
        remaining(),
        'the freeze',
      );
    } catch {
      await this.kill(proc);
      result.resetAfter = 'timeout';
      return result;
    }
    if (proc.exit !== undefined) {
      result.resetAfter = 'crash';
      return result;
    }
    if (proc.pid !== undefined) {
      killGroup(proc.pid, 'SIGSTOP');
      // Signal delivery is asynchronous: report the freeze once the kernel shows it.
      await waitForState(proc.pid, 'T', 1000);
    }
    proc.frozen = true;
    timing.frozenAt = nowMs();
    return result;
  }

  /**
   * Lambda Managed Instances: the event is queued for whichever worker asks next, and the
   * environment is never frozen. A timeout answers the caller but leaves the process running.
   */
  private async runConcurrentInvocation(event: unknown, options: InvokeOptions): Promise<InvokeResult> {
    const requestId = options.requestId ?? randomUUID();
    const traceId = options.traceId === null ? undefined : (options.traceId ?? makeXRayTraceId());
    const timing: InvokeTiming = { invokeStart: nowMs() };
    if (this.initializing !== undefined || this.proc === undefined || this.proc.exit !== undefined) {
      this.initializing ??= this.init().finally(() => (this.initializing = undefined));
      const init = await this.initializing;
      if (!init.ok) {
        return { kind: 'init-error', requestId, traceId, timing, coldStart: true, ...pickError(init.error), exit: init.exit };
      }
    }
    const proc = this.proc as Proc;
    const coldStart = proc.invocations === 0;
    proc.invocations += 1;
    const base = { requestId, traceId, timing, coldStart };
    const deadline = nowMs() + this.timeoutMs;
    this.dispatch(base, event, options, this.timeoutMs);
    try {
      await this.api.until(
        () => this.api.outcome(requestId) !== undefined || proc.exit !== undefined,
        Math.max(1, deadline - nowMs()),
        'the response',
      );
    } catch {
      return { kind: 'timeout', ...base };
    }
    const outcome = this.api.outcome(requestId);
    if (outcome === undefined) return { kind: 'crash', ...base, ...(proc.exit ?? { exitCode: null, signal: null }) };
    timing.firstByteAt = outcome.firstByteAt;
    timing.responseAt = outcome.at;
    return toResult(outcome, base);
  }

  /** Hands the event to the runtime (and the extensions), as Lambda does once it may. */
  private dispatch(base: Base, event: unknown, options: InvokeOptions, remainingMs: number): void {
    base.timing.dispatchedAt = nowMs();
    this.api.dispatch({
      requestId: base.requestId,
      event: Buffer.isBuffer(event) ? event : Buffer.from(JSON.stringify(event) ?? 'null'),
      deadlineMs: Date.now() + remainingMs,
      invokedFunctionArn: this.functionArn,
      traceId: base.traceId,
      clientContext: options.clientContext,
      cognitoIdentity: options.cognitoIdentity,
      tenantId: options.tenantId,
    });
  }

  private async kill(proc: Proc): Promise<void> {
    if (proc.exit !== undefined || proc.pid === undefined) return;
    killGroup(proc.pid, 'SIGKILL');
    await proc.exited;
  }

  private async waitForExit(proc: Proc, ms: number): Promise<boolean> {
    if (proc.exit !== undefined) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const done = await Promise.race([proc.exited.then(() => true as const), timedOut]);
    clearTimeout(timer);
    return done;
  }
}

/** Starts a sandbox, runs fn, and always shuts the sandbox down. */
export async function withSandbox<T>(options: SandboxOptions, fn: (sandbox: Sandbox) => Promise<T>): Promise<T> {
  const sandbox = await Sandbox.start(options);
  try {
    return await fn(sandbox);
  } finally {
    await sandbox.shutdown();
  }
}

// ---- helpers -------------------------------------------------------------------------------

type Base = Pick<ResultBase, 'requestId' | 'traceId' | 'timing' | 'coldStart'>;

function pickError(e: ErrorBody): ErrorBody {
  return { errorType: e.errorType, errorMessage: e.errorMessage, trace: e.trace };
}

function toResult(outcome: NonNullable<ReturnType<RuntimeApi['outcome']>>, base: Base): SuccessResult | ErrorResult {
  if (outcome.kind === 'error') {
    const parsed = parseErrorBody(outcome.body);
    const headerType = outcome.headers['lambda-runtime-function-error-type'];
    return {
      kind: 'error',
      ...base,
      ...parsed,
      errorType: parsed.errorType || (typeof headerType === 'string' ? headerType : ''),
      raw: outcome.body,
      streamed: false,
      headers: outcome.headers,
    };
  }
  const trailerType = outcome.trailers['lambda-runtime-function-error-type'];
  if (outcome.streamed && trailerType !== undefined && trailerType !== '') {
    const encoded = outcome.trailers['lambda-runtime-function-error-body'] ?? '';
    const parsed = parseErrorBody(Buffer.from(encoded, 'base64'));
    return {
      kind: 'error',
      ...base,
      ...parsed,
      errorType: parsed.errorType || trailerType,
      raw: outcome.body,
      streamed: true,
      headers: outcome.headers,
    };
  }
  return {
    kind: 'success',
    ...base,
    payload: parsePayload(outcome.body),
    raw: outcome.body,
    streamed: outcome.streamed,
    headers: outcome.headers,
  };
}

function parsePayload(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Polls /proc (the kernel offers no event for it) until the process is in `state` or gone. */
async function waitForState(pid: number, state: string, maxMs: number): Promise<void> {
  const until = nowMs() + maxMs;
  for (;;) {
    const current = processState(pid);
    if (current === state || current === undefined || nowMs() > until) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
