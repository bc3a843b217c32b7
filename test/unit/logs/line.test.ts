import { addIds, addIdsToBytes, lineIds } from '../../../src/logs/line';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';
const ids = lineIds(TRACE, SPAN, 1);
const FIELDS = `trace_id=${TRACE} span_id=${SPAN} trace_flags=01`;

describe('lineIds', () => {
  it('spells the flags as two hex digits', () => {
    expect(lineIds(TRACE, SPAN, 0).text).toBe(`trace_id=${TRACE} span_id=${SPAN} trace_flags=00\t`);
    expect(lineIds(TRACE, SPAN, 0x101).json).toBe(`,"trace_id":"${TRACE}","span_id":"${SPAN}","trace_flags":"01"`);
  });
});

describe('addIds', () => {
  it('JSON: three fields after the last, the rest byte for byte, with or without the newline', () => {
    const line = '{"timestamp":"2026-01-01T00:00:00.000Z","level":"INFO","requestId":"r-1","message":"a \\"}\\" b"}';
    const expected = `${line.slice(0, -1)},"trace_id":"${TRACE}","span_id":"${SPAN}","trace_flags":"01"}`;
    expect(addIds(line, ids)).toBe(expected);
    expect(addIds(`${line}\n`, ids)).toBe(`${expected}\n`);
    expect(JSON.parse(expected)).toEqual({ ...JSON.parse(line), trace_id: TRACE, span_id: SPAN, trace_flags: '01' });
  });

  it('text: a field of its own after the level, the message untouched (multi-line, tabs, carriage returns)', () => {
    const head = '2026-01-01T00:00:00.000Z\t8f5a6c1e-0000-4000-8000-000000000000\tERROR\t';
    const message = 'Error: boom\r    at handler (/var/task/index.js:3:9)\twith\ta tab\nand a second line\n';
    expect(addIds(head + message, ids)).toBe(`${head}${FIELDS}\t${message}`);
    expect(addIds('2026-01-01T00:00:00.000Z\tundefined\tINFO\t\n', ids)).toBe(`2026-01-01T00:00:00.000Z\tundefined\tINFO\t${FIELDS}\t\n`);
  });

  it.each([
    ['a user line', 'hello\n'],
    ['JSON of another shape', '{"message":"x"}\n'],
    ['a JSON start without its end', '{"timestamp":"2026", "message": "cut'],
    ['a made-up level', '2026-01-01T00:00:00.000Z\tr\tNOTICE\tx'],
    ['too few fields', '2026-01-01T00:00:00.000Z\tr\tINFO'],
    ['an empty line', ''],
  ])('leaves %s alone', (_name, line) => {
    expect(addIds(line, ids)).toBeUndefined();
  });
});

describe('addIdsToBytes (telemetry frames)', () => {
  it('gives the same bytes as addIds on the text, including multi-byte characters', () => {
    for (const line of [
      '{"timestamp":"2026-01-01T00:00:00.000Z","level":"INFO","requestId":"r","message":"héllo 🌍"}',
      '2026-01-01T00:00:00.000Z\tr\tWARN\tünïcødé\nsecond line 🌍\n',
    ]) {
      const bytes = Buffer.from(line, 'utf8');
      // A view into a larger buffer, as the runtime's may be.
      const whole = Buffer.concat([Buffer.from('xx'), bytes]);
      const view = new Uint8Array(whole.buffer, whole.byteOffset + 2, bytes.length);
      expect(addIdsToBytes(bytes, ids)?.toString('utf8')).toBe(addIds(line, ids));
      expect(addIdsToBytes(view, ids)?.toString('utf8')).toBe(addIds(line, ids));
    }
    expect(addIdsToBytes(Buffer.from('plain'), ids)).toBeUndefined();
  });
});
