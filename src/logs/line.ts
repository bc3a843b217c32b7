/**
 * Where the ids go in a line the runtime's `console` wrote, in both of Lambda's log formats, as
 * the OpenTelemetry log data model names them (`trace_id`, `span_id`, `trace_flags`, in the
 * lower-case hex of the "trace context in non-OTLP log formats" spec):
 *
 *   JSON  {"timestamp":"…","level":"INFO","requestId":"…","message":"hi","trace_id":"…","span_id":"…","trace_flags":"01"}
 *   text  2026-01-01T00:00:00.000Z<TAB>request id<TAB>INFO<TAB>trace_id=… span_id=… trace_flags=01<TAB>hi
 *
 * JSON: three fields after the runtime's last one. Text: a field of its own right after the level,
 * so the three fields before it, and the message after it, are the runtime's bytes unchanged.
 * Nothing is added to a line of any other shape, so a line the hooks see by mistake stays intact.
 */
export interface LineIds {
  /** `,"trace_id":"…","span_id":"…","trace_flags":"01"`, inserted before the final `}`. */
  readonly json: string;
  /** `trace_id=… span_id=… trace_flags=01<TAB>`, inserted after the level's tab. */
  readonly text: string;
  readonly jsonBytes: Buffer;
  readonly textBytes: Buffer;
}

export function lineIds(traceId: string, spanId: string, traceFlags: number): LineIds {
  const flags = (traceFlags & 0xff).toString(16).padStart(2, '0');
  const json = `,"trace_id":"${traceId}","span_id":"${spanId}","trace_flags":"${flags}"`;
  const text = `trace_id=${traceId} span_id=${spanId} trace_flags=${flags}\t`;
  return { json, text, jsonBytes: Buffer.from(json, 'latin1'), textBytes: Buffer.from(text, 'latin1') };
}

/** How every JSON line of both runtime versions begins. */
const JSON_START = '{"timestamp":"';
const JSON_START_BYTES = Buffer.from(JSON_START, 'latin1');
const LEVELS: ReadonlySet<string> = new Set(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']);
/** An ISO timestamp, a request id (a UUID, or `-`/`undefined` outside an invocation) and a level fit well within this. */
const MAX_PREFIX = 160;
const TAB = 9;
const CLOSE_BRACE = 0x7d;
const NEWLINE = 0x0a;

/** The line with the ids added, or undefined when it is not a line of the runtime's shape. */
export function addIds(line: string, ids: LineIds): string | undefined {
  if (line.startsWith(JSON_START)) {
    const end = line.endsWith('}\n') ? line.length - 2 : line.endsWith('}') ? line.length - 1 : -1;
    return end < 0 ? undefined : line.slice(0, end) + ids.json + line.slice(end);
  }
  const at = afterLevel(line, line.charCodeAt(0), (from) => line.indexOf('\t', from), (from, to) => line.slice(from, to));
  return at < 0 ? undefined : line.slice(0, at) + ids.text + line.slice(at);
}

/** {@link addIds} for the bytes of a line (the runtime's telemetry frames carry UTF-8 bytes). */
export function addIdsToBytes(line: Uint8Array, ids: LineIds): Buffer | undefined {
  const bytes = Buffer.from(line.buffer, line.byteOffset, line.byteLength);
  if (startsWith(bytes, JSON_START_BYTES)) {
    const last = bytes.length - 1;
    const end = bytes[last] === CLOSE_BRACE ? last : bytes[last] === NEWLINE && bytes[last - 1] === CLOSE_BRACE ? last - 1 : -1;
    return end < 0 ? undefined : Buffer.concat([bytes.subarray(0, end), ids.jsonBytes, bytes.subarray(end)]);
  }
  const at = afterLevel(bytes, bytes[0], (from) => bytes.indexOf(TAB, from), (from, to) => bytes.toString('latin1', from, to));
  return at < 0 ? undefined : Buffer.concat([bytes.subarray(0, at), ids.textBytes, bytes.subarray(at)]);
}

/**
 * The offset after `timestamp<TAB>requestId<TAB>LEVEL<TAB>`, or -1 when the line does not start
 * that way (a digit, then three tabs within MAX_PREFIX, a known level between the last two).
 * Timestamps, request ids and levels are ASCII, so offsets are the same in bytes.
 */
function afterLevel(
  line: { readonly length: number },
  first: number | undefined,
  tabAfter: (from: number) => number,
  text: (from: number, to: number) => string,
): number {
  if (first === undefined || first < 0x30 || first > 0x39) return -1;
  const afterTime = tabAfter(0);
  const afterRequestId = afterTime < 0 ? -1 : tabAfter(afterTime + 1);
  const afterLevelTab = afterRequestId < 0 ? -1 : tabAfter(afterRequestId + 1);
  if (afterLevelTab < 0 || afterLevelTab >= Math.min(line.length, MAX_PREFIX)) return -1;
  return LEVELS.has(text(afterRequestId + 1, afterLevelTab)) ? afterLevelTab + 1 : -1;
}

function startsWith(bytes: Buffer, prefix: Buffer): boolean {
  return bytes.length >= prefix.length && bytes.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}
