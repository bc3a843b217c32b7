/**
 * One parser per value type. A malformed value never throws: it is reported once through
 * `warn`, naming the variable and the fallback, and the fallback is used.
 */
export type Warn = (message: string) => void;


function invalid(warn: Warn, name: string, raw: string, fallback: string, expected: string): void {
  warn(`${name}=${JSON.stringify(raw)} is not ${expected}; using ${fallback}`);
}

function present(raw: string | undefined): raw is string {
  return raw !== undefined && raw.trim() !== '';
}

export function parseBoolean(name: string, raw: string | undefined, fallback: boolean, warn: Warn): boolean {
  if (!present(raw)) return fallback;
  // The OpenTelemetry specification knows only `true` and `false`, case-insensitive.
  const word = raw.trim().toLowerCase();
  if (word === 'true') return true;
  if (word === 'false') return false;
  invalid(warn, name, raw, String(fallback), 'true or false');
  return fallback;
}

export function parseMillis(name: string, raw: string | undefined, fallback: number, warn: Warn): number {
  if (!present(raw)) return fallback;
  const value = Number(raw.trim());
  if (Number.isFinite(value) && value > 0) return value;
  invalid(warn, name, raw, `${fallback} ms`, 'a positive number of milliseconds');
  return fallback;
}

export function parseRatio(name: string, raw: string | undefined, fallback: number, warn: Warn): number {
  if (!present(raw)) return fallback;
  const value = Number(raw.trim());
  if (Number.isFinite(value) && value >= 0 && value <= 1) return value;
  invalid(warn, name, raw, String(fallback), 'a number from 0 to 1');
  return fallback;
}

export function parseChoice<T extends string>(
  name: string,
  raw: string | undefined,
  choices: readonly T[],
  fallback: T,
  warn: Warn,
): T {
  if (!present(raw)) return fallback;
  const word = raw.trim().toLowerCase();
  const match = choices.find((choice) => choice === word);
  if (match !== undefined) return match;
  invalid(warn, name, raw, fallback, `one of ${choices.join(', ')}`);
  return fallback;
}

/** Comma-separated words, each checked; unknown words are dropped with a warning. */
export function parseList<T extends string>(
  name: string,
  raw: string | undefined,
  choices: readonly T[],
  fallback: readonly T[],
  warn: Warn,
): readonly T[] {
  if (!present(raw)) return fallback;
  const picked: T[] = [];
  for (const item of raw.split(',')) {
    const word = item.trim().toLowerCase();
    if (word === '') continue;
    const match = choices.find((choice) => choice === word);
    if (match === undefined) {
      warn(`${name} contains unknown value ${JSON.stringify(word)}; ignoring it (known: ${choices.join(', ')})`);
    } else if (!picked.includes(match)) {
      picked.push(match);
    }
  }
  return picked;
}

/**
 * The W3C-baggage-like `key=value,key=value` format of OTEL_RESOURCE_ATTRIBUTES and
 * OTEL_EXPORTER_OTLP_HEADERS. A malformed entry is skipped; the rest are kept.
 */
export function parseKeyValues(name: string, raw: string | undefined, warn: Warn): Record<string, string> {
  const out: Record<string, string> = {};
  if (!present(raw)) return out;
  for (const entry of raw.split(',')) {
    if (entry.trim() === '') continue;
    const eq = entry.indexOf('=');
    const key = eq > 0 ? entry.slice(0, eq).trim() : '';
    if (key === '') {
      warn(`${name} entry ${JSON.stringify(entry)} is not key=value; skipping it`);
      continue;
    }
    const value = decodePercent(entry.slice(eq + 1).trim());
    if (value === undefined) {
      warn(`${name} entry ${JSON.stringify(entry)} has a malformed percent-encoding; skipping it`);
      continue;
    }
    out[key] = value;
  }
  return out;
}

function decodePercent(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

export function parseUrl(name: string, raw: string | undefined, fallback: string, warn: Warn): string {
  if (!present(raw)) return fallback;
  const value = raw.trim();
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // reported below, like any other malformed value
  }
  invalid(warn, name, raw, fallback, 'an http(s) URL');
  return fallback;
}
