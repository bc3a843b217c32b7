import { types } from 'node:util';
import type { SecretNameTest } from '../privacy/secret-keys';
import { REDACTED } from '../privacy/url';

/**
 * A bounded, redacting `JSON.stringify` for payloads of any shape, written for what a captured
 * event or result may be: huge (a 6 MB event), deep, circular, or a user's object with getters.
 * - It stops at a byte limit and at a deadline, and reads no more of the value than it writes:
 *   a 6 MB string is sliced before it is escaped, a million-item array is read item by item until
 *   the limit. (An object's key list is read whole: JavaScript offers no lazier way.)
 * - It never runs the function's code: in a value from code (a result), getters, `toJSON` methods
 *   (but Date's) and proxies are shown as placeholders, not invoked, so capture cannot throw, loop
 *   or change state. A value parsed from JSON (an event) has none of them, and is read directly.
 * - Values under secret-looking keys are replaced before anything is written, at any depth, and
 *   strings that hold JSON (an SQS body, an HTTP body) are parsed and redacted the same way.
 * Otherwise the output is what `JSON.stringify` would give: `undefined`, functions and symbols
 * are left out of objects and are `null` in arrays, non-finite numbers are `null`, BigInts are
 * written as their digits.
 */
export type CutReason = 'attribute' | 'span' | 'time';

export interface WriterLimits {
  /** Bytes (UTF-8) the output may take. */
  readonly maxBytes: number;
  /** Why the output is cut when it reaches `maxBytes`: the attribute's own limit or the span's. */
  readonly bytesReason: CutReason;
  /** The clock the deadline is on, in milliseconds (see capture.ts: the thread's CPU time). */
  readonly clock: () => number;
  /** The clock's reading after which writing stops. */
  readonly deadline: number;
}

export interface Written {
  readonly text: string;
  readonly bytes: number;
  readonly cut: CutReason | undefined;
}

/** Deeper values are written as a placeholder: no real payload nests this deep. */
export const MAX_DEPTH = 32;
/** Longer JSON texts inside strings are not parsed (parsing is what bounds the cost), nor written. */
export const MAX_EMBEDDED_JSON_CHARS = 64 * 1024;
/** The deadline is read once per this many values. */
const DEADLINE_STRIDE = 64;

export const PLACEHOLDER = {
  circular: '[circular]',
  tooDeep: '[nested too deep]',
  getter: '[getter: not called]',
  proxy: '[proxy: not read]',
  toJson: '[toJSON: not called]',
  unreadable: '[unreadable]',
  unparsableJson: '[text that looks like JSON but does not parse: not captured]',
  binary: (bytes: number) => `[binary: ${bytes} bytes]`,
  largeJson: (chars: number) => `[JSON text of ${chars} characters: too large to redact, not captured]`,
} as const;

const JSON_START = /^\s*[[{]/;
/** Anything but printable ASCII without `"` and `\`: a string without it is quoted as it is, one byte a character. */
const NOT_PLAIN_ASCII = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const SPACE = 0x20;

/**
 * Where a value comes from. `json`: it was parsed from JSON text (the runtime parses every event;
 * this module parses JSON inside strings), so it holds only plain data (no getters, proxies,
 * cycles, dates or binary), and is read directly, in a third less time. `code`: the function's
 * own values (its result), read as the module comment says.
 */
export type Source = 'json' | 'code';

/** Serialises `value` within `limits`; see the module comment. */
export function writeJson(value: unknown, limits: WriterLimits, isSecret: SecretNameTest, source: Source): Written {
  const writer = new JsonWriter(limits, isSecret, source === 'json');
  writer.value(value, 0);
  return writer.result();
}

/**
 * A text as it would be captured as a JSON string's content: JSON text is parsed, redacted and
 * written again (or replaced by a placeholder when too large or malformed), other text is kept.
 * Returns undefined for other text, which the caller writes as it is.
 */
export function redactJsonText(text: string, limits: WriterLimits, isSecret: SecretNameTest): Written | undefined {
  if (!looksLikeJson(text)) return undefined;
  if (text.length > MAX_EMBEDDED_JSON_CHARS) return writeRaw(PLACEHOLDER.largeJson(text.length), limits);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message quotes the text: it is never passed on.
    return writeRaw(PLACEHOLDER.unparsableJson, limits);
  }
  return writeJson(parsed, limits, isSecret, 'json');
}

/** `text` as it is, cut to the limits: for bodies that are neither JSON nor a form. */
export function writeRaw(text: string, limits: WriterLimits): Written {
  const writer = new JsonWriter(limits, () => false, true);
  writer.raw(text);
  return writer.result();
}

/** Cheap first: most strings start with neither brace nor blank. */
function looksLikeJson(text: string): boolean {
  const first = text.charCodeAt(0);
  return first === OPEN_BRACE || first === OPEN_BRACKET || (first <= SPACE && JSON_START.test(text));
}

class JsonWriter {
  /** Appended to, not joined from parts: V8 keeps the pieces as a rope until the string is read. */
  private text = '';
  private bytes = 0;
  private values = 0;
  private cut: CutReason | undefined;
  /** The objects being written, outermost first: a value among them is a cycle. */
  private readonly ancestors: object[] = [];
  /** Whether plain objects inherit a `toJSON` (read once per writer, not per object). */
  private readonly objectToJson = ownToJson(Object.prototype) ?? false;

  constructor(
    private readonly limits: WriterLimits,
    private readonly isSecret: SecretNameTest,
    /** Parsed from JSON: plain data, read directly (see {@link Source}). */
    private readonly plain: boolean,
  ) {}

  result(): Written {
    return { text: this.text, bytes: this.bytes, cut: this.cut };
  }

  /**
   * Appends text as it is, cut at the byte limit; false once the output is full. `ascii`: the
   * caller knows the text is ASCII, so its length is its size (measuring costs more than the rest).
   */
  raw(text: string, ascii = false): boolean {
    if (this.cut !== undefined) return false;
    const room = this.limits.maxBytes - this.bytes;
    if (ascii && text.length <= room) {
      this.text += text;
      this.bytes += text.length;
      return true;
    }
    // A UTF-16 unit takes at least one byte: a longer text cannot fit, and is sliced before it is measured.
    const fitted = text.length > room ? text.slice(0, room) : text;
    const size = Buffer.byteLength(fitted);
    if (size <= room && fitted.length === text.length) {
      this.text += text;
      this.bytes += size;
      return true;
    }
    const prefix = utf8Prefix(fitted, room);
    this.text += prefix;
    this.bytes += Buffer.byteLength(prefix);
    this.cut = this.limits.bytesReason;
    return false;
  }

  value(value: unknown, depth: number): void {
    if (!this.tick()) return;
    switch (typeof value) {
      case 'string':
        this.string(value);
        return;
      case 'number':
        this.raw(Number.isFinite(value) ? String(value) : 'null', true);
        return;
      case 'bigint':
        this.raw(value.toString(), true);
        return;
      case 'boolean':
        this.raw(value ? 'true' : 'false', true);
        return;
      case 'object':
        if (value === null) this.raw('null', true);
        else this.object(value, depth);
        return;
      default:
        // undefined, functions and symbols: JSON has none; in an array they read null.
        this.raw('null', true);
    }
  }

  /** Counts a value or a field; false once the output is cut, by size or, read now and then, by the deadline. */
  private tick(): boolean {
    if (this.cut === undefined && ++this.values % DEADLINE_STRIDE === 0 && this.limits.clock() > this.limits.deadline) this.cut = 'time';
    return this.cut === undefined;
  }

  private string(text: string): void {
    const embedded = looksLikeJson(text) ? redactJsonText(text, this.remaining(), this.isSecret) : undefined;
    if (embedded !== undefined) {
      this.quoted(embedded.text);
      if (embedded.cut !== undefined) this.cut ??= embedded.cut;
      return;
    }
    this.quoted(text);
  }

  /** A string literal, sliced to what can fit before it is escaped. */
  private quoted(text: string): void {
    const room = this.limits.maxBytes - this.bytes;
    const fitted = text.length > room ? text.slice(0, room) : text;
    // Keys and most values need no escaping: quoting them by hand is several times faster.
    if (NOT_PLAIN_ASCII.test(fitted)) this.raw(JSON.stringify(fitted));
    else this.raw(`"${fitted}"`, true);
  }

  private object(value: object, depth: number): void {
    if (depth >= MAX_DEPTH) return this.quoted(PLACEHOLDER.tooDeep);
    if (this.plain) {
      if (Array.isArray(value)) this.array(value, depth);
      else this.fields(value, depth);
      return;
    }
    if (this.ancestors.includes(value)) return this.quoted(PLACEHOLDER.circular);
    if (types.isProxy(value)) return this.quoted(PLACEHOLDER.proxy);
    if (types.isDate(value)) {
      // Date's own toJSON: an ISO string, or null for an invalid date.
      if (Number.isFinite(Date.prototype.getTime.call(value))) this.quoted(Date.prototype.toISOString.call(value));
      else this.raw('null', true);
      return;
    }
    if (ArrayBuffer.isView(value)) return this.quoted(PLACEHOLDER.binary(value.byteLength));
    if (types.isAnyArrayBuffer(value)) return this.quoted(PLACEHOLDER.binary(value.byteLength));
    this.ancestors.push(value);
    try {
      if (Array.isArray(value)) this.array(value, depth);
      else if (this.hasToJson(value)) this.quoted(PLACEHOLDER.toJson);
      else this.fields(value, depth);
    } finally {
      this.ancestors.pop();
    }
  }

  private array(items: readonly unknown[], depth: number): void {
    if (!this.raw('[', true)) return;
    for (let i = 0; i < items.length; i++) {
      if (i > 0 && !this.raw(',', true)) return;
      const read = this.plain ? readPlain(items, i) : readOwn(items, String(i));
      if (read.kind === 'value') this.value(read.value, depth + 1);
      else this.placeholder(read.kind, 'null');
      if (this.cut !== undefined) return;
    }
    this.raw(']', true);
  }

  private fields(object: object, depth: number): void {
    let keys: string[];
    try {
      keys = Object.keys(object);
    } catch {
      return this.quoted(PLACEHOLDER.unreadable);
    }
    if (!this.raw('{', true)) return;
    let first = true;
    for (const key of keys) {
      if (!this.tick()) return;
      const read = this.plain ? readPlain(object, key) : readOwn(object, key);
      if (read.kind === 'value' && isOmitted(read.value)) continue;
      if (!first && !this.raw(',', true)) return;
      first = false;
      this.quoted(key);
      if (!this.raw(':', true)) return;
      if (this.isSecret(key)) this.quoted(REDACTED);
      else if (read.kind === 'value') this.value(read.value, depth + 1);
      else this.placeholder(read.kind, undefined);
      if (this.cut !== undefined) return;
    }
    this.raw('}', true);
  }

  private placeholder(kind: Exclude<Read['kind'], 'value'>, hole: string | undefined): void {
    if (kind === 'missing') this.raw(hole ?? 'null', true);
    else this.quoted(kind === 'getter' ? PLACEHOLDER.getter : PLACEHOLDER.unreadable);
  }

  /** Whether `JSON.stringify` would call a `toJSON` of the object, found without calling a getter. */
  private hasToJson(object: object): boolean {
    try {
      for (let at: object | null = object, depth = 0; at !== null && depth < MAX_DEPTH; at = Object.getPrototypeOf(at), depth++) {
        if (at === Object.prototype) return this.objectToJson;
        if (types.isProxy(at)) return true;
        const found = ownToJson(at);
        if (found !== undefined) return found;
      }
    } catch {
      return true;
    }
    return false;
  }

  private remaining(): WriterLimits {
    return { ...this.limits, maxBytes: this.limits.maxBytes - this.bytes };
  }
}

type Read = { readonly kind: 'value'; readonly value: unknown } | { readonly kind: 'getter' | 'missing' | 'unreadable' };

/** A property of parsed JSON, which has no getters; should one be there anyway, it cannot throw out of here. */
function readPlain(object: object, key: string | number): Read {
  try {
    return { kind: 'value', value: (object as Record<string | number, unknown>)[key] };
  } catch {
    return { kind: 'unreadable' };
  }
}

/** An own property's value, without calling a getter (a proxy never gets here). */
function readOwn(object: object, key: string): Read {
  try {
    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    if (descriptor === undefined) return { kind: 'missing' };
    if (!('value' in descriptor)) return { kind: 'getter' };
    return { kind: 'value', value: descriptor.value };
  } catch {
    return { kind: 'unreadable' };
  }
}

/** Whether this very object has a `toJSON` JSON.stringify would call (a getter counts); undefined when it has none of its own. */
function ownToJson(object: object): boolean | undefined {
  const descriptor = Object.getOwnPropertyDescriptor(object, 'toJSON');
  if (descriptor === undefined) return undefined;
  return !('value' in descriptor) || typeof descriptor.value === 'function';
}

function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** The longest start of `text` that fits in `maxBytes` of UTF-8 without splitting a character. */
export function utf8Prefix(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  const bytes = Buffer.from(text.length > maxBytes ? text.slice(0, maxBytes) : text);
  if (bytes.length <= maxBytes) return bytes.toString('utf8');
  let end = maxBytes;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.toString('utf8', 0, end);
}
