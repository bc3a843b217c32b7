/**
 * The kinds of setting. Each kind pairs one parser with how its values read in the README and in
 * warnings; `settings.ts` builds its table from them. A parser never throws: it returns the value
 * or says what it expected, and `readSetting` turns that into one warning line and the fallback.
 */
export type Warn = (message: string) => void;

export type Parsed<T> =
  /** `skipped`: entries of a list left out (each already phrased), reported in the one warning. */
  | { readonly ok: true; readonly value: T; readonly skipped?: readonly string[] }
  /** `problem` completes "NAME=value …", e.g. "is not a number from 0 to 1". */
  | { readonly ok: false; readonly problem: string };

export interface Setting<T> {
  /** Parses a value that is present: trimmed, not empty, within `maxLength`, no control characters. */
  parse(text: string): Parsed<T>;
  /** The value when the variable is unset, empty or malformed (`undefined`: derived in load.ts). */
  readonly default: T;
  /** The README's Default column. */
  readonly shownDefault: string;
  /** The words an enum or list setting accepts; the README test checks that `doc` names each. */
  readonly choices?: readonly string[];
  readonly doc: string;
  /** How a value reads in a warning's "using …". */
  show(value: T): string;
  /** Never printed: the value may be a credential (export headers). */
  readonly secret: boolean;
  readonly maxLength: number;
}

interface Spec<T> {
  readonly default: T;
  /** Only where `default` is not the literal value (derived ones): what the README shows. */
  readonly shownDefault?: string;
  readonly doc: string;
}

/** Values the upstream OpenTelemetry layer or SDKs accept and this layer does not: word → advice. */
type Unsupported = Readonly<Record<string, string>>;

/** Longer values are rejected whole: no legitimate setting comes near, and warnings stay short. */
const MAX_WORD_LENGTH = 1024;
const MAX_LIST_LENGTH = 16 * 1024;
/** Lambda's longest function timeout; beyond 2^31 ms a Node timer would fire after 1 ms. */
const MAX_MILLIS = 15 * 60 * 1000;
/** At most this many skipped entries are named in a warning; the rest are counted. */
const MAX_NAMED_SKIPS = 3;
/** C0 and C1 control characters and DEL: never part of a valid setting. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * Reads one variable: unset, empty or blank gives `fallback` silently; a malformed value gives
 * `fallback` and one warning line naming the variable, the problem and the fallback.
 */
export function readSetting<T>(name: string, setting: Setting<T>, raw: string | undefined, fallback: T, warn: Warn): T {
  const text = raw?.trim();
  if (text === undefined || text === '') return fallback;
  const parsed: Parsed<T> =
    text.length > setting.maxLength
      ? { ok: false, problem: `is longer than ${setting.maxLength} characters` }
      : CONTROL.test(text)
        ? { ok: false, problem: 'contains control characters' }
        : setting.parse(text);
  const subject = setting.secret ? name : `${name}=${quote(text)}`;
  if (!parsed.ok) {
    warn(`${subject} ${parsed.problem}; using ${setting.show(fallback)}`);
    return fallback;
  }
  const skipped = parsed.skipped ?? [];
  if (skipped.length > 0) warn(`${subject}: skipping ${listSkips(skipped)}; using ${setting.show(parsed.value)}`);
  return parsed.value;
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

function kind<T>(
  spec: Spec<T>,
  parts: Pick<Setting<T>, 'parse' | 'show'> & Partial<Pick<Setting<T>, 'secret' | 'maxLength'>>,
): Setting<T> {
  return {
    default: spec.default,
    shownDefault: spec.shownDefault ?? parts.show(spec.default),
    doc: spec.doc,
    secret: false,
    maxLength: MAX_WORD_LENGTH,
    ...parts,
  };
}

const orDefault =
  <T>(show: (value: NonNullable<T>) => string, shownDefault: string | undefined) =>
  (value: T): string =>
    value === undefined || value === null ? `the default ${shownDefault ?? ''}`.trim() : show(value);

/** `true` or `false`, case-insensitive: the only words the OpenTelemetry specification knows. */
export function flag(spec: Spec<boolean>): Setting<boolean> {
  return kind(spec, {
    show: String,
    parse(text) {
      const word = text.toLowerCase();
      if (word === 'true' || word === 'false') return { ok: true, value: word === 'true' };
      return { ok: false, problem: 'is not true or false' };
    },
  });
}

/** A positive number of milliseconds, up to Lambda's 15-minute limit. */
export function millis(spec: Spec<number>): Setting<number>;
export function millis(spec: Spec<undefined>): Setting<number | undefined>;
export function millis(spec: Spec<number | undefined>): Setting<number | undefined> {
  return kind<number | undefined>({ shownDefault: String(spec.default), ...spec }, {
    show: orDefault((value) => `${value} ms`, spec.shownDefault),
    parse(text) {
      const value = DECIMAL.test(text) ? Number(text) : NaN;
      if (value > 0 && value <= MAX_MILLIS) return { ok: true, value };
      return { ok: false, problem: `is not a number of milliseconds above 0 and up to ${MAX_MILLIS}` };
    },
  });
}

export function ratio(spec: Spec<number>): Setting<number> {
  return kind(spec, {
    show: String,
    parse(text) {
      const value = DECIMAL.test(text) ? Number(text) : NaN;
      if (value >= 0 && value <= 1) return { ok: true, value };
      return { ok: false, problem: 'is not a number from 0 to 1' };
    },
  });
}

/** Free text (a name): any printable value. */
export function text(spec: Spec<string>): Setting<string>;
export function text(spec: Spec<undefined>): Setting<string | undefined>;
export function text(spec: Spec<string | undefined>): Setting<string | undefined> {
  return kind<string | undefined>(spec, {
    show: orDefault((value) => quote(value), spec.shownDefault),
    parse: (value) => ({ ok: true, value }),
  });
}

export function httpUrl(spec: Spec<string>): Setting<string>;
export function httpUrl(spec: Spec<undefined>): Setting<string | undefined>;
export function httpUrl(spec: Spec<string | undefined>): Setting<string | undefined> {
  return kind<string | undefined>(spec, {
    show: orDefault((value) => value, spec.shownDefault),
    maxLength: 4096,
    parse(value) {
      try {
        const { protocol } = new URL(value);
        if (protocol === 'http:' || protocol === 'https:') return { ok: true, value };
      } catch {
        // reported below, like any other malformed value
      }
      return { ok: false, problem: 'is not an http(s) URL' };
    },
  });
}

/** One word of `choices`, case-insensitive. */
export function oneOf<const C extends readonly string[]>(choices: C, spec: ChoiceSpec<C[number]>): Choice<C, C[number]>;
export function oneOf<const C extends readonly string[]>(choices: C, spec: ChoiceSpec<undefined>): Choice<C, C[number] | undefined>;
export function oneOf<const C extends readonly string[]>(
  choices: C,
  spec: ChoiceSpec<C[number] | undefined>,
): Choice<C, C[number] | undefined> {
  const pick = matcher(choices, spec.unsupported);
  return {
    ...kind<C[number] | undefined>(spec, {
      show: orDefault(String, spec.shownDefault),
      parse(text) {
        const match = pick(text);
        return match.ok ? { ok: true, value: match.value } : { ok: false, problem: match.problem };
      },
    }),
    choices,
  };
}

type ChoiceSpec<T> = Spec<T> & { readonly unsupported?: Unsupported };
type Choice<C extends readonly string[], T> = Omit<Setting<T>, 'choices'> & { readonly choices: C };

/**
 * Comma-separated words of `choices`. Unknown words are skipped (one warning for all of them);
 * with no known word left, the fallback is used. `none` (where it is a choice) means an empty list
 * when it stands alone, and is skipped beside other words.
 */
export function listOf<const C extends readonly string[]>(
  choices: C,
  spec: ChoiceSpec<readonly C[number][]>,
): Choice<C, readonly C[number][]> {
  const pick = matcher(choices, spec.unsupported);
  return {
    ...kind<readonly C[number][]>(spec, {
      show: (value) => (value.length === 0 ? 'none' : value.join(',')),
      parse(text) {
        const picked: C[number][] = [];
        const skipped: string[] = [];
        for (const item of text.split(',')) {
          if (item.trim() === '') continue;
          const match = pick(item.trim());
          if (!match.ok) skipped.push(`${quote(item.trim())} (${match.problem.replace(/^is /, '')})`);
          else if (!picked.includes(match.value)) picked.push(match.value);
        }
        const none = picked.findIndex((word) => word === 'none');
        if (none >= 0 && picked.length > 1) {
          skipped.push('"none" (meaningless beside other values)');
          picked.splice(none, 1);
        }
        if (picked.length === 0) {
          return { ok: false, problem: skipped.length > 0 ? `has nothing usable: ${listSkips(skipped)}` : 'lists no value' };
        }
        return { ok: true, value: picked.length === 1 && picked[0] === 'none' ? [] : picked, skipped };
      },
    }),
    choices,
  };
}

function matcher<C extends readonly string[]>(choices: C, unsupported: Unsupported = {}) {
  return (text: string): { ok: true; value: C[number] } | { ok: false; problem: string } => {
    const word = text.toLowerCase();
    const value = choices.find((choice) => choice === word);
    if (value !== undefined) return { ok: true, value };
    const advice = Object.hasOwn(unsupported, word) ? unsupported[word] : undefined;
    return { ok: false, problem: advice ? `is not supported: ${advice}` : `is not one of ${choices.join(', ')}` };
  };
}

/**
 * `key1=value1,key2=value2`, values percent-decoded: the format of OTEL_RESOURCE_ATTRIBUTES.
 * A malformed entry is skipped; the others are kept.
 */
export function keyValues(spec: Omit<Spec<Readonly<Record<string, string>>>, 'default'>): Setting<Readonly<Record<string, string>>> {
  return kind({ shownDefault: '(none)', ...spec, default: {} }, {
    show: (value) => (Object.keys(value).length === 0 ? 'none' : Object.keys(value).join(',')),
    maxLength: MAX_LIST_LENGTH,
    parse(text) {
      const value: Record<string, string> = {};
      const skipped: string[] = [];
      for (const [index, entry] of entries(text)) {
        const pair = splitEntry(entry);
        if (pair === undefined) skipped.push(`entry ${index} ${quote(entry)} (not key=value)`);
        else if (pair.value === undefined) skipped.push(`${quote(pair.key)} (malformed percent-encoding)`);
        else value[pair.key] = pair.value;
      }
      return { ok: true, value, skipped };
    },
  });
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

/**
 * `name1=value1,name2=value2` for HTTP headers (OTEL_EXPORTER_OTLP_HEADERS). Names must be HTTP
 * tokens and are lower-cased; decoded values must be Latin-1 without control characters, so no
 * value can end a header line early or smuggle in another (our transport writes the head as
 * Latin-1 bytes: U+010A would become a line feed). Values are secrets: warnings name keys only.
 */
export function headers(spec: Omit<Spec<Readonly<Record<string, string>>>, 'default'>): Setting<Readonly<Record<string, string>>> {
  return kind({ shownDefault: '(none)', ...spec, default: {} }, {
    show: (value) => (Object.keys(value).length === 0 ? 'no headers' : `the headers ${Object.keys(value).join(', ')}`),
    secret: true,
    maxLength: MAX_LIST_LENGTH,
    parse(text) {
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
    },
  });
}

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
