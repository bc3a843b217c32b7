import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_FIXTURES as EVENTS_DIR } from './paths';

/** A fresh parse each time, so a test may alter its copy. */
export function loadEvent(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(EVENTS_DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

export function fixtureNames(): string[] {
  return readdirSync(EVENTS_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

export const CAPTURE_QUERY = { captureQuery: true } as const;
export const NO_QUERY = { captureQuery: false } as const;
