import { addIds, addIdsToBytes, type LineIds } from './line';

/**
 * Adds trace ids to the lines the runtime's `console` writes. The runtime formats a line in
 * closures the layer cannot reach (aws-lambda-ric 3.x `LogPatch`, 4.x `StdoutLogger`,
 * `TelemetryLogger` and `SocketLogger`), so the line is amended on its way out instead: each
 * console method the runtime installed is wrapped to *arm* the hooks for the length of the call,
 * and the one line the runtime then writes gets the ids of the span active at the call. Every
 * byte of formatting (levels, level filtering, `util.format`, errors, multi-line messages) stays
 * the runtime's own. Where a line leaves, by runtime version and set-up:
 * - `process.stdout.write(line)`: text or JSON (3.x and 4.x without a telemetry fd; the sandbox);
 * - `fs.writeSync(fd, header)` then `fs.writeSync(fd, bytes)`: a telemetry frame (on Lambda, which
 *   passes `_LAMBDA_TELEMETRY_LOG_FD`); the 16-byte header holds the message's length, so it is
 *   held back until the message is amended, and rewritten to match;
 * - `fs.writeSync(fd, line)`: managed instances, always JSON (4.x `SocketLogger`).
 * Unarmed, the hooks pass every write through untouched: Powertools Logger, pino and the
 * function's own `process.stdout.write` calls never see an id. Filtered levels (the runtime's
 * no-op methods) write nothing, so they look up no ids either.
 */
export interface ConsoleTargets {
  readonly console: object;
  readonly stdout: { write: (...args: never[]) => unknown };
  readonly fs: { writeSync: (...args: never[]) => unknown };
}

/** The methods the runtime replaces (3.x and 4.x alike), `fatal` being its own addition. */
const METHODS = ['trace', 'debug', 'info', 'log', 'warn', 'error', 'fatal'] as const;
const FRAME_HEADER_BYTES = 16;
const FRAME_LENGTH_OFFSET = 4;

type Method = (this: unknown, ...args: unknown[]) => unknown;
type Write = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Installs the hooks; false when `console` is not the runtime's (no `console.fatal`): then a
 * line's shape could not be trusted, and nothing is changed.
 */
export function hookConsole(targets: ConsoleTargets, idsNow: () => LineIds | undefined): boolean {
  const methods = targets.console as Record<string, unknown>;
  if (typeof methods.fatal !== 'function') return false;
  const stdout = targets.stdout as unknown as { write: Write };
  const fs = targets.fs as unknown as { writeSync: Write };
  const write = stdout.write;
  const writeSync = fs.writeSync;
  /** True from the start of a console call to the write of its line. */
  let armed = false;
  let depth = 0;
  /** A telemetry frame's header, waiting for its message. */
  let held: { readonly fd: unknown; readonly header: Buffer } | undefined;

  const amend = (data: unknown): unknown => {
    try {
      const ids = idsNow();
      if (ids === undefined) return data;
      if (typeof data === 'string') return addIds(data, ids) ?? data;
      if (data instanceof Uint8Array) return addIdsToBytes(data, ids) ?? data;
    } catch {
      // A line is never lost or changed for the layer's sake: it goes out as the runtime wrote it.
    }
    return data;
  };

  /** Writes a held header, with the length of `message` when the message was amended. */
  const release = (self: unknown, frame: { readonly fd: unknown; readonly header: Buffer }, message?: unknown): void => {
    if (message !== undefined) frame.header.writeInt32BE(byteLength(message), FRAME_LENGTH_OFFSET);
    writeSync.call(self, frame.fd, frame.header);
  };

  stdout.write = function (this: unknown, chunk: unknown, ...rest: unknown[]): unknown {
    if (!armed) return write.call(this, chunk, ...rest);
    armed = false;
    return write.call(this, amend(chunk), ...rest);
  };

  fs.writeSync = function (this: unknown, fd: unknown, data: unknown, ...rest: unknown[]): unknown {
    // The runtime writes whole buffers and strings; a positioned or partial write is not its line.
    if (!armed || rest.length > 0) return writeSync.call(this, fd, data, ...rest);
    if (held === undefined && isFrameHeader(data)) {
      held = { fd, header: Buffer.from(data) };
      return data.length;
    }
    armed = false;
    const amended = amend(data);
    if (held !== undefined) {
      const header = held;
      held = undefined;
      release(this, header, header.fd === fd && amended !== data ? amended : undefined);
    }
    return writeSync.call(this, fd, amended);
  };

  const wrappers = new Map<unknown, Method>();
  for (const name of METHODS) {
    const original = methods[name];
    if (typeof original !== 'function') continue;
    let wrapper = wrappers.get(original);
    if (wrapper === undefined) {
      wrapper = function (this: unknown, ...args: unknown[]): unknown {
        const outer = armed;
        armed = true;
        depth++;
        try {
          return (original as Method).apply(this, args);
        } finally {
          armed = outer;
          if (--depth === 0 && held !== undefined) {
            // A header without its message: send it as it was.
            const header = held;
            held = undefined;
            release(fs, header);
          }
        }
      };
      wrappers.set(original, wrapper);
    }
    methods[name] = wrapper;
  }
  return true;
}

function isFrameHeader(data: unknown): data is Uint8Array {
  return data instanceof Uint8Array && data.length === FRAME_HEADER_BYTES && data[0] === 0xa5 && data[1] === 0x5a;
}

function byteLength(data: unknown): number {
  if (typeof data === 'string') return Buffer.byteLength(data);
  return data instanceof Uint8Array ? data.byteLength : 0;
}
