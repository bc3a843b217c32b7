/**
 * The kinds of setting and their parsers. `settings.ts` declares each setting as plain data (a
 * `kind` plus its default, choices and text); the parser, the length bound and how values read
 * in warnings come from the kind, here. Data rather than a constructor call per setting because
 * the table is on the start-up path: importing it cost 0.63 ms of CPU built by 25 calls, 0.19 ms
 * as data (minified bundle, node 20, median of 41 processes on a busy 2-core machine).
 * A parser never throws: it returns the value or says what it expected instead, and
 * `readSetting` turns that into one warning line and the fallback.
 */
export type Warn = (message: string) => void;

export type Parsed<T> =
  /** `skipped`: entries of a list left out (each already phrased), reported in the one warning. */
  | { readonly ok: true; readonly value: T; readonly skipped?: readonly string[] }
  /** `problem` completes "NAME=value …", e.g. "is not a number from 0 to 1". */
  | { readonly ok: false; readonly problem: string };

interface Common {
  readonly doc: string;
  /** Only where the default is derived (`undefined`) or reads better in words: the README's Default column. */
  readonly shownDefault?: string;
}

/** Values the upstream OpenTelemetry layer or SDKs accept and this layer does not: word → advice. */
type Unsupported = Readonly<Record<string, string>>;

/** One setting, as `settings.ts` declares it. `default: undefined` means: derived in load.ts. */
export type SettingSpec = Common &
  (
    | { readonly kind: 'flag'; readonly default: boolean }
    /** A positive number of milliseconds, up to Lambda's 15-minute limit. */
    | { readonly kind: 'millis'; readonly default: number | undefined }
    /** A number from 0 to 1. */
    | { readonly kind: 'ratio'; readonly default: number }
    /** A whole number from 1 to a million. */
    | { readonly kind: 'count'; readonly default: number }
    /** A positive number of milliseconds (`800`), or a percentile of recent values (`p99`, from `p1` to `p99.9`). */
    | { readonly kind: 'millisOrPercentile'; readonly default: MillisOrPercentile }
    /** Free text (a name): any value without control characters. */
    | { readonly kind: 'text'; readonly default: string | undefined }
    | { readonly kind: 'httpUrl'; readonly default: string | undefined }
    /** One word of `choices`, case-insensitive. */
    | { readonly kind: 'oneOf'; readonly choices: readonly string[]; readonly default: string | undefined; readonly unsupported?: Unsupported }
    /**
     * Comma-separated words of `choices`. Unknown words are skipped (one warning for all of them);
     * with no known word left, the fallback is used. `none` (where it is a choice) alone means an
     * empty list, and is skipped beside other words.
     */
    | { readonly kind: 'listOf'; readonly choices: readonly string[]; readonly default: readonly string[]; readonly unsupported?: Unsupported }
    /** `key1=value1,key2=value2`, values percent-decoded (OTEL_RESOURCE_ATTRIBUTES); default: none. */
    | { readonly kind: 'keyValues' }
    /**
     * `name1=value1,…` for HTTP headers (OTEL_EXPORTER_OTLP_HEADERS); default: none. Names must
     * be HTTP tokens and are lower-cased; decoded values must be Latin-1 without control
     * characters, so no value can end a header line early or smuggle in another (the transport
     * writes the head as Latin-1 bytes: U+010A would become a line feed). Values are secrets:
     * warnings name keys only.
     */
    | { readonly kind: 'headers' }
  );

type StringMap = Readonly<Record<string, string>>;

export type MillisOrPercentile = { readonly ms: number } | { readonly percentile: number };

/** The parsed value of a setting declared as `S`. */
export type ValueOfSpec<S extends SettingSpec> =
  | (S extends { readonly kind: 'flag' }
      ? boolean
      : S extends { readonly kind: 'millis' | 'ratio' | 'count' }
        ? number
        : S extends { readonly kind: 'text' | 'httpUrl' }
          ? string
          : S extends { readonly kind: 'millisOrPercentile' }
            ? MillisOrPercentile
            : S extends { readonly kind: 'oneOf'; readonly choices: readonly (infer C)[] }
              ? C
              : S extends { readonly kind: 'listOf'; readonly choices: readonly (infer C)[] }
                ? readonly C[]
                : StringMap)
  | (S extends { readonly default: undefined } ? undefined : never);

/** Longer values are rejected whole: no legitimate setting comes near, and warnings stay short. */
const MAX_WORD_LENGTH = 1024;
const MAX_URL_LENGTH = 4096;
const MAX_LIST_LENGTH = 16 * 1024;
/** Lambda's longest function timeout; beyond 2^31 ms a Node timer would fire after 1 ms. */
const MAX_MILLIS = 15 * 60 * 1000;
const MAX_COUNT = 1_000_000;
/** At most this many skipped entries are named in a warning; the rest are counted. */
const MAX_NAMED_SKIPS = 3;
/** C0 and C1 control characters and DEL: never part of a valid setting. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/** The default of a setting as code sees it (key-value kinds: an empty map). */
export function defaultOf(spec: SettingSpec): unknown {
  return 'default' in spec ? spec.default : {};
}

/** The README's Default column for a setting. */
export function shownDefault(spec: SettingSpec): string {
  if (spec.shownDefault !== undefined) return spec.shownDefault;
  if (spec.kind === 'keyValues' || spec.kind === 'headers') return '(none)';
  if (spec.kind === 'listOf') return spec.default.length === 0 ? '(none)' : spec.default.join(',');
  if (spec.kind === 'millisOrPercentile') return showMillisOrPercentile(spec.default);
  return String(spec.default);
}

/**
 * Reads one variable: unset, empty or blank gives `fallback` silently; a malformed value gives
 * `fallback` and one warning line naming the variable, the problem and the fallback.
 */
export function readSetting(name: string, spec: SettingSpec, raw: string | undefined, fallback: unknown, warn: Warn): unknown {
  const text = raw?.trim();
  if (text === undefined || text === '') return fallback;
  const maxLength = spec.kind === 'httpUrl' ? MAX_URL_LENGTH : spec.kind === 'keyValues' || spec.kind === 'headers' ? MAX_LIST_LENGTH : MAX_WORD_LENGTH;
  const parsed: Parsed<unknown> =
    text.length > maxLength
      ? { ok: false, problem: `is longer than ${maxLength} characters` }
      : CONTROL.test(text)
        ? { ok: false, problem: 'contains control characters' }
        : parse(spec, text);
  // Header values are credentials: never printed, not even quoted.
  const subject = spec.kind === 'headers' ? name : `${name}=${quote(text)}`;
  if (!parsed.ok) {
    warn(`${subject} ${parsed.problem}; using ${show(spec, fallback)}`);
    return fallback;
  }
  const skipped = parsed.skipped ?? [];
  if (skipped.length > 0) warn(`${subject}: skipping ${listSkips(skipped)}; using ${show(spec, parsed.value)}`);
  return parsed.value;
}

function parse(spec: SettingSpec, text: string): Parsed<unknown> {
  switch (spec.kind) {
    case 'flag':
      return parseFlag(text);
    case 'millis':
      return parseNumber(text, (n) => n > 0 && n <= MAX_MILLIS, `is not a positive number of milliseconds (at most ${MAX_MILLIS})`);
    case 'ratio':
      return parseNumber(text, (n) => n >= 0 && n <= 1, 'is not a number from 0 to 1');
    case 'count':
      return parseNumber(text, (n) => Number.isInteger(n) && n >= 1 && n <= MAX_COUNT, `is not a whole number from 1 to ${MAX_COUNT}`);
    case 'millisOrPercentile':
      return parseMillisOrPercentile(text);
    case 'text':
      return { ok: true, value: text };
    case 'httpUrl':
      return parseHttpUrl(text);
    case 'oneOf':
      return pickChoice(text, spec.choices, spec.unsupported);
    case 'listOf':
      return parseList(text, spec.choices, spec.unsupported);
    case 'keyValues':
      return parseKeyValues(text);
    case 'headers':
      return parseHeaders(text);
  }
}

/** How a value reads after "using" in a warning. */
function show(spec: SettingSpec, value: unknown): string {
  if (value === undefined) return `the default ${shownDefault(spec)}`;
  switch (spec.kind) {
    case 'millis':
      return `${String(value)} ms`;
    case 'millisOrPercentile':
      return showMillisOrPercentile(value as MillisOrPercentile);
    case 'text':
      return quote(String(value));
    case 'listOf':
      return (value as readonly string[]).length === 0 ? 'none' : (value as readonly string[]).join(',');
    case 'keyValues':
      return Object.keys(value as StringMap).join(',') || 'none';
    case 'headers': {
      const names = Object.keys(value as StringMap);
      return names.length === 0 ? 'no headers' : `the headers ${names.join(', ')}`;
    }
    default:
      return String(value);
  }
}

function listSkips(skipped: readonly string[]): string {
  const more = skipped.length > MAX_NAMED_SKIPS ? ` and ${skipped.length - MAX_NAMED_SKIPS} more` : '';
  return skipped.slice(0, MAX_NAMED_SKIPS).join(', ') + more;
}

/**
 * A piece of a value as a warning shows it: quoted, cut to 60 characters, and everything outside
 * printable ASCII escaped, so a hostile value cannot break the log line or fake another one.
 */
export function quote(text: string): string {
  const cut = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  const escaped = cut.replace(/[^\x20-\x7e…]|["\\]/g, (c) =>
    c === '"' || c === '\\' ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${escaped}"`;
}

/** `true` or `false`, case-insensitive: the only words the OpenTelemetry specification knows. */
function parseFlag(text: string): Parsed<boolean> {
  const word = text.toLowerCase();
  if (word === 'true' || word === 'false') return { ok: true, value: word === 'true' };
  return { ok: false, problem: 'is not true or false' };
}

function parseNumber(text: string, inRange: (value: number) => boolean, problem: string): Parsed<number> {
  const value = DECIMAL.test(text) ? Number(text) : NaN;
  return inRange(value) ? { ok: true, value } : { ok: false, problem };
}

/** Percentiles need at least 1 / (1 - p) recent values; past p99.9 that is more than are kept. */
const MAX_PERCENTILE = 99.9;

function parseMillisOrPercentile(text: string): Parsed<MillisOrPercentile> {
  const problem = `is neither a positive number of milliseconds (at most ${MAX_MILLIS}) nor a percentile from p1 to p${MAX_PERCENTILE}`;
  if (text[0] === 'p' || text[0] === 'P') {
    const percentile = parseNumber(text.slice(1), (n) => n >= 1 && n <= MAX_PERCENTILE, problem);
    return percentile.ok ? { ok: true, value: { percentile: percentile.value } } : percentile;
  }
  const ms = parseNumber(text, (n) => n > 0 && n <= MAX_MILLIS, problem);
  return ms.ok ? { ok: true, value: { ms: ms.value } } : ms;
}

function showMillisOrPercentile(value: MillisOrPercentile): string {
  return 'ms' in value ? `${value.ms} ms` : `p${value.percentile}`;
}

function parseHttpUrl(value: string): Parsed<string> {
  try {
    const { protocol } = new URL(value);
    if (protocol === 'http:' || protocol === 'https:') return { ok: true, value };
  } catch {
    // reported below, like any other malformed value
  }
  return { ok: false, problem: 'is not an http(s) URL' };
}

function pickChoice(text: string, choices: readonly string[], unsupported: Unsupported = {}): Parsed<string> {
  const word = text.toLowerCase();
  const value = choices.find((choice) => choice === word);
  if (value !== undefined) return { ok: true, value };
  const advice = Object.hasOwn(unsupported, word) ? unsupported[word] : undefined;
  return { ok: false, problem: advice ? `is not supported: ${advice}` : `is not one of ${choices.join(', ')}` };
}

function parseList(text: string, choices: readonly string[], unsupported?: Unsupported): Parsed<readonly string[]> {
  const picked: string[] = [];
  const skipped: string[] = [];
  for (const item of text.split(',')) {
    if (item.trim() === '') continue;
    const match = pickChoice(item.trim(), choices, unsupported);
    if (!match.ok) skipped.push(`${quote(item.trim())} (${match.problem.replace(/^is /, '')})`);
    else if (!picked.includes(match.value)) picked.push(match.value);
  }
  const none = picked.indexOf('none');
  if (none >= 0 && picked.length > 1) {
    skipped.push('"none" (meaningless beside other values)');
    picked.splice(none, 1);
  }
  if (picked.length === 0) {
    return { ok: false, problem: skipped.length > 0 ? `has nothing usable: ${listSkips(skipped)}` : 'lists no value' };
  }
  return { ok: true, value: picked.length === 1 && picked[0] === 'none' ? [] : picked, skipped };
}

/** A malformed entry is skipped; the others are kept. */
function parseKeyValues(text: string): Parsed<StringMap> {
  const value: Record<string, string> = {};
  const skipped: string[] = [];
  for (const [index, entry] of entries(text)) {
    const pair = splitEntry(entry);
    if (pair === undefined) skipped.push(`entry ${index} ${quote(entry)} (not key=value)`);
    else if (pair.value === undefined) skipped.push(`${quote(pair.key)} (malformed percent-encoding)`);
    else value[pair.key] = pair.value;
  }
  return { ok: true, value, skipped };
}

function parseHeaders(text: string): Parsed<StringMap> {
  const value: Record<string, string> = {};
  const skipped: string[] = [];
  for (const [index, entry] of entries(text)) {
    const pair = splitEntry(entry);
    if (pair === undefined) skipped.push(`entry ${index} (not name=value)`);
    else if (!TOKEN.test(pair.key)) skipped.push(`${quote(pair.key)} (not an HTTP header name)`);
    else if (RESERVED_HEADERS.has(pair.key.toLowerCase())) skipped.push(`${quote(pair.key)} (set by the layer itself)`);
    else if (pair.value === undefined) skipped.push(`${quote(pair.key)} (malformed percent-encoding in its value)`);
    else if (!FIELD_VALUE.test(pair.value)) {
      skipped.push(`${quote(pair.key)} (its value has control characters or characters beyond Latin-1)`);
    } else value[pair.key.toLowerCase()] = pair.value;
  }
  return { ok: true, value, skipped };
}

/** An HTTP token (RFC 9110): the only valid header names. */
// No `i` flag: a case-insensitive regular expression costs ~0.2 ms to compile on first use.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A header value: tab, printable ASCII and the rest of Latin-1 save its controls (RFC 9110 field-value). */
const FIELD_VALUE = /^[\t\x20-\x7e\u00a0-\u00ff]*$/;
/** Headers the transport writes itself; a second copy would change how the request is framed. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'content-encoding',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'upgrade',
  'expect',
]);

/** The non-blank entries of a comma-separated list, with their 1-based positions. */
function entries(text: string): [number, string][] {
  const found: [number, string][] = [];
  text.split(',').forEach((entry, i) => {
    if (entry.trim() !== '') found.push([i + 1, entry]);
  });
  return found;
}

function splitEntry(entry: string): { key: string; value: string | undefined } | undefined {
  const eq = entry.indexOf('=');
  const key = eq > 0 ? entry.slice(0, eq).trim() : '';
  if (key === '') return undefined;
  try {
    return { key, value: decodeURIComponent(entry.slice(eq + 1).trim()) };
  } catch {
    return { key, value: undefined };
  }
}
