import { hookConsole } from '../../../src/logs/console-hooks';
import { lineIds, type LineIds } from '../../../src/logs/line';

const TIME = '2026-01-01T00:00:00.000Z';
const IDS = lineIds('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', 1);
const TEXT_IDS = 'trace_id=0af7651916cd43dd8448eb211c80319c span_id=b7ad6b7169203331 trace_flags=01\t';

type Sink = 'stdout' | 'frames' | 'socket';
type Format = 'text' | 'json';

/**
 * A stand-in for the runtime's console, writing each line the way aws-lambda-ric does on each
 * path: to process.stdout, as a telemetry frame (header, then message), or as a string to a fd.
 * Like the runtime, it looks its sinks up when it writes, so the hooks installed later apply.
 */
function fakeRuntime(sink: Sink, format: Format) {
  const written: { to: string; data: unknown }[] = [];
  const stdout = { write: (data: unknown): boolean => (written.push({ to: 'stdout', data }), true) };
  const fs = {
    writeSync: (fd: unknown, data: unknown, ...rest: unknown[]): number => {
      written.push({ to: `fd ${String(fd)}${rest.length > 0 ? ` ${rest.join(',')}` : ''}`, data: Buffer.isBuffer(data) ? Buffer.from(data) : data });
      return 0;
    },
  };
  const format1 = (level: string, message: string): string =>
    format === 'json' ? JSON.stringify({ timestamp: TIME, level, requestId: 'r-1', message }) : `${TIME}\tr-1\t${level}\t${message}`;
  const header = Buffer.alloc(16);
  const write = (level: string, message: string): void => {
    const line = format1(level, message);
    if (sink === 'stdout') stdout.write(`${line}\n`);
    else if (sink === 'socket') fs.writeSync(9, `${line}\n`);
    else {
      const bytes = Buffer.from(format === 'text' ? `${line}\n` : line, 'utf8');
      header.writeUInt32BE((0xa55a0003 | 12) >>> 0, 0);
      header.writeInt32BE(bytes.length, 4);
      header.writeBigInt64BE(1n, 8);
      fs.writeSync(3, header);
      fs.writeSync(3, bytes);
    }
  };
  const level = (name: string) => (message: string) => write(name, message);
  const info = level('INFO');
  const console: Record<string, unknown> = { trace: level('TRACE'), debug: () => undefined, info, log: info, warn: level('WARN'), error: level('ERROR'), fatal: level('FATAL') };
  return { console, stdout, fs, written };
}

function install(sink: Sink, format: Format, ids: () => LineIds | undefined = () => IDS) {
  const runtime = fakeRuntime(sink, format);
  const lookups = { count: 0 };
  const installed = hookConsole(runtime, () => (lookups.count++, ids()));
  const log = (name: string, message: string): void => (runtime.console[name] as (m: string) => void)(message);
  return { ...runtime, installed, lookups, log };
}

/** A frame's message and the length its header declares. */
function frame(header: unknown, message: unknown) {
  return { declared: (header as Buffer).readInt32BE(4), type: (header as Buffer).readUInt32BE(0), message: (message as Buffer).toString('utf8') };
}

describe('hookConsole', () => {
  it.each([['text'], ['json']] as [Format][])('stdout, %s: the line gets the ids, the rest of it is the runtime\'s', (format) => {
    const { log, written, installed } = install('stdout', format);
    expect(installed).toBe(true);
    log('info', 'hello');
    log('error', 'multi\rline');
    const lines = written.map((w) => w.data as string);
    if (format === 'text') {
      expect(lines).toEqual([`${TIME}\tr-1\tINFO\t${TEXT_IDS}hello\n`, `${TIME}\tr-1\tERROR\t${TEXT_IDS}multi\rline\n`]);
    } else {
      expect(lines.map((line) => JSON.parse(line))).toEqual([
        { timestamp: TIME, level: 'INFO', requestId: 'r-1', message: 'hello', trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331', trace_flags: '01' },
        { timestamp: TIME, level: 'ERROR', requestId: 'r-1', message: 'multi\rline', trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331', trace_flags: '01' },
      ]);
      expect(lines[0].endsWith('"trace_flags":"01"}\n')).toBe(true);
    }
  });

  it.each([['text'], ['json']] as [Format][])('telemetry frames, %s: the header declares the amended length; type and timestamp are kept', (format) => {
    const { log, written } = install('frames', format);
    log('warn', 'é 🌍');
    expect(written.map((w) => w.to)).toEqual(['fd 3', 'fd 3']);
    const { declared, message, type } = frame(written[0].data, written[1].data);
    expect(declared).toBe(Buffer.byteLength(message));
    expect(type).toBe((0xa55a0003 | 12) >>> 0);
    expect((written[0].data as Buffer).readBigInt64BE(8)).toBe(1n);
    expect(message).toContain(format === 'text' ? `WARN\t${TEXT_IDS}é 🌍` : '"message":"é 🌍","trace_id"');
  });

  it('managed instances: the JSON line written to the socket fd gets the ids', () => {
    const { log, written } = install('socket', 'json');
    log('log', 'x');
    expect(written).toEqual([{ to: 'fd 9', data: expect.stringMatching(/"message":"x","trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331","trace_flags":"01"}\n$/) }]);
  });

  it('without an active span the line, and a frame\'s header, are written as they are', () => {
    for (const sink of ['stdout', 'frames'] as Sink[]) {
      const plain = fakeRuntime(sink, 'text');
      (plain.console.info as (m: string) => void)('hello');
      const { log, written } = install(sink, 'text', () => undefined);
      log('info', 'hello');
      expect(written).toEqual(plain.written);
    }
  });

  it('a level the runtime filters out writes nothing and looks up no ids', () => {
    const { log, written, lookups } = install('stdout', 'json');
    log('debug', 'hidden');
    expect(written).toEqual([]);
    expect(lookups.count).toBe(0);
  });

  it('writes outside a console call are never touched: Powertools, pino, process.stdout.write', () => {
    const { stdout, fs, written, lookups } = install('frames', 'json');
    const shaped = `{"timestamp":"${TIME}","level":"INFO","requestId":"r","message":"pino-like"}\n`;
    stdout.write(shaped);
    fs.writeSync(1, shaped);
    const header = Buffer.alloc(16, 0xa5);
    header[1] = 0x5a;
    fs.writeSync(3, header);
    expect(written.map((w) => w.data)).toEqual([shaped, shaped, header]);
    expect(lookups.count).toBe(0);
  });

  it('a partial or positioned write inside a console call passes through', () => {
    const runtime = fakeRuntime('stdout', 'text');
    const fs = runtime.fs;
    runtime.console.info = (message: string) => fs.writeSync(4, Buffer.from(message), 0, 2);
    hookConsole(runtime, () => IDS);
    (runtime.console.info as (m: string) => void)('2026-01-01T00:00:00.000Z\tr\tINFO\tx');
    expect(runtime.written).toEqual([{ to: 'fd 4 0,2', data: Buffer.from('2026-01-01T00:00:00.000Z\tr\tINFO\tx') }]);
  });

  it('a failing id lookup leaves the line as the runtime wrote it, and throws nothing', () => {
    const { log, written } = install('stdout', 'text', () => {
      throw new Error('lookup failed');
    });
    expect(() => log('info', 'hello')).not.toThrow();
    expect(written.map((w) => w.data)).toEqual([`${TIME}\tr-1\tINFO\thello\n`]);
  });

  it('a console call made while the runtime formats another (an inspect hook) gets its ids, and so does the outer one', () => {
    const runtime = fakeRuntime('stdout', 'text');
    const inner = runtime.console.warn as (m: string) => void;
    const info = runtime.console.info as (m: string) => void;
    runtime.console.info = (message: string) => {
      (runtime.console.warn as (m: string) => void)('inner');
      info(message);
    };
    runtime.console.warn = inner;
    hookConsole(runtime, () => IDS);
    (runtime.console.info as (m: string) => void)('outer');
    expect(runtime.written.map((w) => w.data)).toEqual([`${TIME}\tr-1\tWARN\t${TEXT_IDS}inner\n`, `${TIME}\tr-1\tINFO\t${TEXT_IDS}outer\n`]);
  });

  it('keeps console.log and console.info one function, as the runtime made them', () => {
    const { console } = install('stdout', 'text');
    expect(console.log).toBe(console.info);
  });

  it('changes nothing when console is not the runtime\'s (no console.fatal)', () => {
    const runtime = fakeRuntime('stdout', 'text');
    delete runtime.console.fatal;
    const before = { ...runtime.console, write: runtime.stdout.write, writeSync: runtime.fs.writeSync };
    expect(hookConsole(runtime, () => IDS)).toBe(false);
    expect({ ...runtime.console, write: runtime.stdout.write, writeSync: runtime.fs.writeSync }).toEqual(before);
  });
});
