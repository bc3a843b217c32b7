import { MAX_DEPTH, MAX_EMBEDDED_JSON_CHARS, PLACEHOLDER, writeJson, type WriterLimits } from '../../../src/payload/json-writer';
import { secretNames } from '../../../src/privacy/secret-keys';

const isSecret = secretNames([]);
/** A clock that stands still: no test output depends on how busy the machine is. */
const still = (): number => 0;
const roomy = (maxBytes = 64 * 1024): WriterLimits => ({ maxBytes, bytesReason: 'attribute', clock: still, deadline: 1 });
const write = (value: unknown, limits = roomy()) => writeJson(value, limits, isSecret, 'code');
const parsed = (value: unknown): unknown => JSON.parse(write(value).text);

describe('writeJson: what JSON.stringify writes, for JSON-shaped values', () => {
  it.each([
    ['an event', { Records: [{ id: 1, ok: true, none: null, tags: ['a', 'é', '🌍'], nested: { n: -0.5, e: 1e21 } }] }],
    ['a string with quotes, newlines and controls', 'a "b"\n\tc\u0001'],
    ['a number', 42],
    ['null', null],
    ['an empty object and array', { a: {}, b: [] }],
  ])('%s', (_name, value) => {
    expect(write(value)).toEqual({ text: JSON.stringify(value), bytes: Buffer.byteLength(JSON.stringify(value)), cut: undefined });
  });

  it('follows JSON for what JSON has not: undefined, functions, symbols, NaN, Infinity, Maps, dates', () => {
    const value = { u: undefined, f: () => 1, s: Symbol('x'), list: [undefined, () => 1, Symbol('y'), NaN, Infinity], map: new Map([[1, 2]]), at: new Date(0), bad: new Date(NaN) };
    expect(write(value).text).toBe(JSON.stringify(value));
  });

  it('writes BigInts as their digits (JSON.stringify would throw)', () => {
    expect(write({ big: 12345678901234567890n, list: [1n] }).text).toBe('{"big":12345678901234567890,"list":[1]}');
  });
});

describe("writeJson: values parsed from JSON (every event) are read directly, to the same result", () => {
  it('writes what it writes for the same value from code, limits and redaction included', () => {
    const event = JSON.parse(JSON.stringify({ Records: [{ body: '{"password":"pw","n":1}', list: [1, 'é', null, { token: 't' }], deep: { a: { b: { c: [] } } } }] })) as unknown;
    for (const maxBytes of [64 * 1024, 100, 37]) {
      expect(writeJson(event, roomy(maxBytes), isSecret, 'json')).toEqual(writeJson(event, roomy(maxBytes), isSecret, 'code'));
    }
  });

  it('a getter, which JSON never has, cannot throw out of it either', () => {
    const odd = { get boom(): never { throw new Error('x'); } };
    expect(JSON.parse(writeJson(odd, roomy(), isSecret, 'json').text)).toEqual({ boom: PLACEHOLDER.unreadable });
  });
});

describe('writeJson: redaction before anything is written', () => {
  it('replaces values under secret-looking keys, at any depth and whatever they hold', () => {
    const value = {
      user: { name: 'ada', Password: 'pw-1', credentials: { key: 'k', nested: ['x'] } },
      list: [{ access_token: 'tok' }, { apiKey: 42 }],
      headers: { Authorization: 'Bearer abc', Cookie: 'sid=1', 'X-Api-Key': 'k2', accept: '*/*' },
    };
    expect(parsed(value)).toEqual({
      user: { name: 'ada', Password: 'REDACTED', credentials: 'REDACTED' },
      list: [{ access_token: 'REDACTED' }, { apiKey: 'REDACTED' }],
      headers: { Authorization: 'REDACTED', Cookie: 'REDACTED', 'X-Api-Key': 'REDACTED', accept: '*/*' },
    });
  });

  it('parses strings that hold JSON (an SQS body, an HTTP body) and redacts inside them', () => {
    const body = JSON.stringify({ order: 7, card: { number: '4111', cvv: '123' }, password: 'pw' });
    const text = write({ Records: [{ body }] }).text;
    expect(text).not.toMatch(/pw"|123/);
    const inner = JSON.parse((JSON.parse(text) as { Records: { body: string }[] }).Records[0].body) as unknown;
    expect(inner).toEqual({ order: 7, card: { number: '4111', cvv: 'REDACTED' }, password: 'REDACTED' });
  });

  it('does not write JSON-looking text it cannot redact: malformed, or too large to parse', () => {
    expect(parsed({ body: '{"password": "pw", cut' })).toEqual({ body: PLACEHOLDER.unparsableJson });
    const large = JSON.stringify({ password: 'pw', pad: 'x'.repeat(MAX_EMBEDDED_JSON_CHARS) });
    expect(parsed({ body: large })).toEqual({ body: PLACEHOLDER.largeJson(large.length) });
    // Text that is not JSON is kept.
    expect(parsed({ body: 'plain text {not json' })).toEqual({ body: 'plain text {not json' });
  });

  it('uses the words the user added', () => {
    expect(JSON.parse(writeJson({ iban: 'DE00', bank: 'x' }, roomy(), secretNames(['IBAN']), 'code').text)).toEqual({ iban: 'REDACTED', bank: 'x' });
  });
});

describe('writeJson: hostile values, without throwing and without running the function\'s code', () => {
  it('circular references', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    a.list = [a, { back: a }];
    expect(parsed(a)).toEqual({ name: 'a', self: PLACEHOLDER.circular, list: [PLACEHOLDER.circular, { back: PLACEHOLDER.circular }] });
    // The same object twice, not nested in itself, is written twice, as JSON does.
    const shared = { x: 1 };
    expect(parsed({ a: shared, b: shared })).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  it('getters, throwing or not, are not called', () => {
    let calls = 0;
    const value = {
      get throws(): never {
        calls++;
        throw new Error('secret in the message');
      },
      get counts(): number {
        return ++calls;
      },
      get token(): string {
        return String(++calls);
      },
    };
    const list: unknown[] = [1];
    Object.defineProperty(list, 1, { get: () => ++calls, enumerable: true });
    expect(parsed({ value, list })).toEqual({ value: { throws: PLACEHOLDER.getter, counts: PLACEHOLDER.getter, token: 'REDACTED' }, list: [1, PLACEHOLDER.getter] });
    expect(calls).toBe(0);
  });

  it('proxies and toJSON methods are not invoked', () => {
    let traps = 0;
    const proxy = new Proxy({ a: 1 }, { ownKeys: () => (traps++, []), get: () => traps++, getOwnPropertyDescriptor: () => (traps++, undefined) });
    class Money {
      toJSON(): never {
        throw new Error('toJSON ran');
      }
    }
    const inherited = Object.create(proxy) as object;
    expect(parsed({ proxy, money: new Money(), inherited })).toEqual({ proxy: PLACEHOLDER.proxy, money: PLACEHOLDER.toJson, inherited: PLACEHOLDER.toJson });
    expect(traps).toBe(0);
  });

  it('binary data is described, not dumped', () => {
    expect(parsed({ buf: Buffer.alloc(1000), view: new Uint16Array(4), raw: new ArrayBuffer(8) })).toEqual({
      buf: PLACEHOLDER.binary(1000),
      view: PLACEHOLDER.binary(8),
      raw: PLACEHOLDER.binary(8),
    });
  });

  it(`10 000 levels of nesting: written to depth ${MAX_DEPTH}, as an object or as JSON text`, () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    const out = write(deep);
    expect(out.text.match(/\{"d":/g)).toHaveLength(MAX_DEPTH);
    expect(out.text).toContain(JSON.stringify(PLACEHOLDER.tooDeep));
    const deepText = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    expect(write({ body: deepText }).text).toContain(PLACEHOLDER.tooDeep);
  });

  it('a 6 MB string, and a key as long: cut at the limit, sliced before they are escaped', () => {
    const huge = 'x'.repeat(6 * 1024 * 1024);
    const escaped: number[] = [];
    const stringify = JSON.stringify;
    const spy = jest.spyOn(JSON, 'stringify').mockImplementation((...args: Parameters<typeof JSON.stringify>) => {
      if (typeof args[0] === 'string') escaped.push(args[0].length);
      return stringify(...args);
    });
    try {
      for (const value of [huge, { [huge]: 1 }, [`é${huge}`]]) {
        const out = write(value, roomy(8192));
        expect(out.cut).toBe('attribute');
        expect(out.bytes).toBeLessThanOrEqual(8192);
        expect(out.bytes).toBeGreaterThan(8000);
      }
    } finally {
      spy.mockRestore();
    }
    expect(Math.max(0, ...escaped)).toBeLessThanOrEqual(8192);
  });

  it('ten million items: read only as far as the output goes', () => {
    let reads = 0;
    const items = new Proxy(new Array<number>(10_000_000).fill(7), {
      get: (target, key, receiver) => (typeof key === 'string' && /^\d+$/.test(key) && reads++, Reflect.get(target, key, receiver)),
    });
    // Read as parsed JSON is read (directly, which lets a proxy count the reads).
    const out = writeJson({ items }, roomy(8192), isSecret, 'json');
    expect(out.cut).toBe('attribute');
    expect(reads).toBeGreaterThan(1000);
    expect(reads).toBeLessThan(5000);
  });

  it('cuts at a byte limit without splitting a character', () => {
    const out = write('é🌍'.repeat(5000), roomy(1001));
    expect(out.bytes).toBeLessThanOrEqual(1001);
    expect(out.text).not.toContain('\ufffd');
    expect(Buffer.byteLength(out.text)).toBe(out.bytes);
  });

  it('stops at the deadline', () => {
    const out = writeJson({ items: Array.from({ length: 1000 }, (_, i) => ({ i })) }, { maxBytes: 1e6, bytesReason: 'attribute', clock: still, deadline: -1 }, isSecret, 'code');
    expect(out.cut).toBe('time');
    expect(out.bytes).toBeLessThan(1000);
  });

  it('the span\'s limit is named as the reason when it is the smaller one', () => {
    expect(writeJson('x'.repeat(100), { maxBytes: 10, bytesReason: 'span', clock: still, deadline: 1 }, isSecret, 'code').cut).toBe('span');
  });
});
