/** The local command's arguments: `npm run local -- <task-root> <module.handler> [options]`. */
import { basename, resolve } from 'node:path';
import type { RuntimeName } from '../test/helpers/sandbox/sandbox';
import { parseAssignment } from './environment';
import { eventKindFile, eventKinds } from './events';

export interface LocalArgs {
  readonly taskRoot: string;
  readonly handler: string;
  /** An event file, a sample event's kind, or neither (the event is `{}`). */
  readonly event: { readonly file: string; readonly kind?: string } | undefined;
  readonly runtime: RuntimeName;
  readonly invocations: number;
  readonly endpoint: string | undefined;
  readonly env: readonly (readonly [string, string])[];
  readonly functionName: string;
  readonly timeoutMs: number;
  /** Where the HTML page goes; undefined: a fresh file in the system's temporary folder. */
  readonly html: string | undefined;
}

export type Parsed = { readonly kind: 'run'; readonly args: LocalArgs } | { readonly kind: 'help' } | { readonly kind: 'error'; readonly message: string };

const RUNTIMES: readonly RuntimeName[] = ['nodejs22.x', 'nodejs24.x'];
const DEFAULT_TIMEOUT_S = 30;

export function usage(): string {
  return `Runs a Lambda function of yours locally with this layer, and shows its logs and its trace.

  npm run local -- <task-root> <module.handler> [options]

  <task-root>          the folder Lambda would unpack your function into (LAMBDA_TASK_ROOT)
  <module.handler>     the function's handler setting, e.g. index.handler or src/app.main

Options:
  --event <file.json>  the event to invoke it with (default: {})
  --event-kind <kind>  a sample event that ships with the layer, one of:
                       ${wrap(eventKinds().join(', '), 23)}
  --runtime <name>     nodejs22.x or nodejs24.x (default nodejs24.x)
  --invocations <n>    invoke it n times, the first one a cold start (default 1)
  --endpoint <url>     send the spans to this OTLP/HTTP endpoint instead of the embedded
                       receiver (then they are not shown here: look in that backend)
  --env <NAME=value>   a variable for the function; repeat for more
  --name <name>        the function's name (default: the task root's folder name)
  --timeout <seconds>  the function's timeout (default ${DEFAULT_TIMEOUT_S})
  --html <file>        where to write the HTML page of the traces (default: a new file in
                       the system's temporary folder)

Your OTEL_*, LAMBDA_OTEL_* and AWS_* variables reach the function as they would on Lambda
(AWS_REGION included; not the ones Lambda sets itself). Without AWS_ACCESS_KEY_ID the function
gets fake credentials.
Example: OTEL_LOG_LEVEL=debug npm run local -- ./my-fn index.handler --event-kind sqs`;
}

/** `argv` without node and the script; relative paths are taken from `cwd`. */
export function parseArgs(argv: readonly string[], cwd: string): Parsed {
  const positional: string[] = [];
  const env: (readonly [string, string])[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    if (!['event', 'event-kind', 'runtime', 'invocations', 'endpoint', 'env', 'name', 'timeout', 'html'].includes(name)) {
      return error(`unknown option ${arg}`);
    }
    const value = argv[++i];
    if (value === undefined) return error(`${arg} needs a value`);
    if (name === 'env') {
      const assignment = parseAssignment(value);
      if (assignment === undefined) return error(`--env takes NAME=value, not ${JSON.stringify(value)}`);
      env.push(assignment);
    } else {
      options.set(name, value);
    }
  }
  if (positional.length !== 2) return error('give the task root and the handler, e.g. npm run local -- ./my-fn index.handler');
  const [root, handler] = positional;
  if (!/^[^.]+\..+$/.test(handler.split('/').pop() ?? '')) return error(`the handler is module.function, e.g. index.handler, not ${JSON.stringify(handler)}`);

  const eventFile = options.get('event');
  const eventKind = options.get('event-kind');
  if (eventFile !== undefined && eventKind !== undefined) return error('give --event or --event-kind, not both');
  let event: LocalArgs['event'];
  if (eventKind !== undefined) {
    const file = eventKindFile(eventKind);
    if (file === undefined) return error(`no sample event ${JSON.stringify(eventKind)}; there are: ${eventKinds().join(', ')}`);
    event = { file, kind: eventKind };
  } else if (eventFile !== undefined) {
    event = { file: resolve(cwd, eventFile) };
  }

  const runtime = options.get('runtime') ?? 'nodejs24.x';
  if (!RUNTIMES.includes(runtime as RuntimeName)) return error(`--runtime is one of ${RUNTIMES.join(', ')}`);
  const invocations = wholeNumber(options.get('invocations') ?? '1');
  if (invocations === undefined) return error('--invocations takes a number from 1 up');
  const timeout = wholeNumber(options.get('timeout') ?? String(DEFAULT_TIMEOUT_S));
  if (timeout === undefined) return error('--timeout takes a number of seconds from 1 up');
  const endpoint = options.get('endpoint');
  if (endpoint !== undefined && !/^https?:\/\/[^/]/.test(endpoint)) return error(`--endpoint takes an http(s) URL, not ${JSON.stringify(endpoint)}`);

  const taskRoot = resolve(cwd, root);
  const html = options.get('html');
  return {
    kind: 'run',
    args: {
      taskRoot,
      handler,
      event,
      runtime: runtime as RuntimeName,
      invocations,
      endpoint,
      env,
      functionName: options.get('name') ?? (basename(taskRoot).replace(/[^A-Za-z0-9_-]/g, '-') || 'local-function'),
      timeoutMs: timeout * 1000,
      html: html === undefined ? undefined : resolve(cwd, html),
    },
  };
}

function error(message: string): Parsed {
  return { kind: 'error', message };
}

function wholeNumber(text: string): number | undefined {
  const value = Number(text);
  return Number.isInteger(value) && value >= 1 ? value : undefined;
}

function wrap(text: string, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + word.length + 1 > 92 - indent) {
      lines.push(line);
      line = '';
    }
    line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}
