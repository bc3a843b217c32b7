/**
 * The sample events `--event-kind` picks from: test/fixtures/events/<kind>.json, the same files
 * the trigger tests check the layer against, so a sample here is one the layer is known to
 * recognise. `npm run local -- --help` lists them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_FIXTURES } from '../test/helpers/paths';

export function eventKinds(): string[] {
  return readdirSync(EVENT_FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

export function eventKindFile(kind: string): string | undefined {
  const file = join(EVENT_FIXTURES, `${kind}.json`);
  return eventKinds().includes(kind) && existsSync(file) ? file : undefined;
}

/** The parsed JSON of an event file; throws with the file's name when it is not JSON. */
export function readEventFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new Error(`cannot read the event ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
