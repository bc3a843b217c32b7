/**
 * `npm run local -- <task-root> <module.handler> [options]`: a user's own function, run locally
 * with the layer, its logs and its trace shown (see args.ts for the options).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { OtlpReceiver } from '../test/helpers/sandbox/otlp-receiver';
import { parseArgs, usage, type LocalArgs } from './args';
import { functionEnvironment } from './environment';
import { readEventFile } from './events';
import { renderHtmlPage } from './html-page';
import { ensureLayerBuilt } from './layer';
import { runFunction } from './run-function';
import { paintFor, renderWaterfall, type Paint } from './waterfall';

async function main(): Promise<number> {
  const paint = paintFor(process.stdout, process.env);
  // npm runs scripts from the project's folder; INIT_CWD is where the user typed the command.
  const parsed = parseArgs(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd());
  if (parsed.kind === 'help') {
    console.log(usage());
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`npm run local: ${parsed.message}\n\n${usage()}`);
    return 2;
  }
  return runLocal(parsed.args, paint);
}

async function runLocal(args: LocalArgs, paint: Paint): Promise<number> {
  const print = (line: string): void => console.log(line);
  const event = args.event === undefined ? {} : readEventFile(args.event.file);
  const eventLabel = args.event === undefined ? 'event {}' : args.event.kind !== undefined ? `sample event ${args.event.kind}` : `event ${args.event.file}`;
  if (ensureLayerBuilt() === 'built') print('');

  const receiver = args.endpoint === undefined ? await OtlpReceiver.start() : undefined;
  try {
    const environment = functionEnvironment({
      userEnv: process.env,
      overrides: args.env,
      endpoint: args.endpoint ?? (receiver as OtlpReceiver).url,
      endpointIsReceiver: receiver !== undefined,
    });
    print(paint.dim(`spans go to ${receiver === undefined ? args.endpoint : `the embedded OTLP receiver at ${receiver.url}`}`));
    const settings = [...Object.keys(environment.passThrough), ...args.env.map(([name]) => name)];
    if (settings.length > 0) print(paint.dim(`settings for the function: ${[...new Set(settings)].join(', ')}`));
    for (const note of environment.notes) print(paint.yellow(`note: ${note}`));

    const results = await runFunction(
      {
        taskRoot: args.taskRoot,
        handler: args.handler,
        functionName: args.functionName,
        runtime: args.runtime,
        timeoutMs: args.timeoutMs,
        region: environment.region,
        passThrough: environment.passThrough,
        env: environment.env,
        events: Array.from({ length: args.invocations }, () => ({ label: eventLabel, event })),
      },
      print,
      paint,
    );

    print('');
    if (receiver === undefined) {
      print(`The spans went to ${args.endpoint}: look for service.name ${args.functionName} (or your OTEL_SERVICE_NAME) there.`);
      print('This command cannot show them: it sees them only with its embedded receiver (run it without --endpoint).');
    } else {
      showTraces(receiver, args, environment.passThrough, print, paint);
    }
    const failed = results.filter((result) => result.kind !== 'success').length;
    if (failed > 0) print(paint.red(`${failed} of ${results.length} invocations did not succeed.`));
    return failed > 0 ? 1 : 0;
  } finally {
    await receiver?.close();
  }
}

function showTraces(receiver: OtlpReceiver, args: LocalArgs, settings: Record<string, string>, print: (line: string) => void, paint: Paint): void {
  const spans = receiver.spans();
  if (spans.length === 0) {
    print(paint.yellow('No spans reached the receiver.'));
    const exporter = args.env.find(([name]) => name === 'OTEL_TRACES_EXPORTER')?.[1] ?? settings.OTEL_TRACES_EXPORTER;
    if (exporter !== undefined && exporter.trim().toLowerCase() !== 'otlp') print(`OTEL_TRACES_EXPORTER is ${exporter}: only otlp sends them here.`);
    print('The lines marked [lambda-otel-preload] above say why; OTEL_LOG_LEVEL=debug shows more.');
    return;
  }
  print(renderWaterfall(spans, paint));
  const file = args.html ?? join(mkdtempSync(join(tmpdir(), 'lambda-otel-local-')), `${args.functionName}-traces.html`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    renderHtmlPage(spans, {
      title: `Traces of ${args.functionName}`,
      subtitle: `npm run local, ${args.handler} on ${args.runtime}, ${new Date().toISOString()}`,
    }),
  );
  print('');
  print(`HTML page of these traces: ${file}`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`npm run local: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
