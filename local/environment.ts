/**
 * Which variables the local run gives the function: the user's own settings pass through, the
 * command's choices (where spans go) win over them, and the sandbox keeps what makes it Lambda.
 */
import { SANDBOX_OWNED } from '../test/helpers/sandbox/sandbox';

/** The layer's settings (OTEL_*, LAMBDA_OTEL_*) and the AWS SDK's (AWS_*): what a user tries out locally. */
const PASSED_THROUGH = /^(OTEL_|LAMBDA_OTEL_|AWS_)/;

/** Variables that choose where spans go; the command decides that (--endpoint or its own receiver). */
const DESTINATION = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'];

export interface FunctionEnvironment {
  /** From the user's environment, for the sandbox's `passThrough`. */
  readonly passThrough: Record<string, string>;
  /** --env and the destination, for the sandbox's `env` (they win). */
  readonly env: Record<string, string>;
  /** AWS_REGION as the user set it (--env or environment), for the sandbox's `region`. */
  readonly region: string | undefined;
  /** What the user set but this run does not use, and why: one line each. */
  readonly notes: readonly string[];
}

/** Owned by the sandbox, but taken from the user through its `region` option. */
const REGION = ['AWS_REGION', 'AWS_DEFAULT_REGION'];

export interface EnvironmentChoice {
  readonly userEnv: NodeJS.ProcessEnv;
  /** --env K=V, in order (a later one wins). */
  readonly overrides: readonly (readonly [string, string])[];
  /** The OTLP/HTTP base URL spans go to: --endpoint, or the embedded receiver's. */
  readonly endpoint: string;
  readonly endpointIsReceiver: boolean;
}

export function functionEnvironment(choice: EnvironmentChoice): FunctionEnvironment {
  const notes: string[] = [];
  const passThrough: Record<string, string> = {};
  const env: Record<string, string> = {};
  let region: string | undefined;
  const take = (name: string, value: string, from: string, into: Record<string, string>): void => {
    if (REGION.includes(name)) region = name === 'AWS_REGION' || region === undefined ? value : region;
    else if (SANDBOX_OWNED.includes(name)) notes.push(`${name} ${from} is not used: the local Lambda sets it`);
    else if (DESTINATION.includes(name)) notes.push(`${name} ${from} is not used: ${destinationNote(choice)}`);
    else into[name] = value;
  };
  for (const [name, value] of Object.entries(choice.userEnv)) {
    if (value !== undefined && PASSED_THROUGH.test(name)) take(name, value, 'from your environment', passThrough);
  }
  for (const [name, value] of choice.overrides) take(name, value, 'given with --env', env);
  env.OTEL_EXPORTER_OTLP_ENDPOINT = choice.endpoint;
  return { passThrough, env, region, notes };
}

function destinationNote(choice: EnvironmentChoice): string {
  return choice.endpointIsReceiver ? 'spans go to the embedded receiver (use --endpoint URL to send them to a backend)' : 'spans go to --endpoint';
}

/** `K=V` of --env; undefined when it is not one. */
export function parseAssignment(text: string): readonly [string, string] | undefined {
  const eq = text.indexOf('=');
  const name = text.slice(0, eq);
  return eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? [name, text.slice(eq + 1)] : undefined;
}
