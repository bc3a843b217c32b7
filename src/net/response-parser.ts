/**
 * An incremental HTTP/1.1 response parser: enough of RFC 9112 for the two servers the layer talks
 * to (Lambda's Extensions API and an OTLP receiver). Bodies are framed by Content-Length, by
 * chunked transfer coding, or by the end of the connection; 1xx interim responses are skipped.
 */
export interface HttpResponse {
  readonly status: number;
  /** Lower-cased names; repeated headers are joined with `, `. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
  /** The server will close the connection, or the body ran to its end: it cannot be reused. */
  readonly closes: boolean;
}

type Framing = { kind: 'length'; remaining: number } | { kind: 'chunked' } | { kind: 'close' };

interface Head {
  readonly status: number;
  readonly headers: Map<string, string>;
  readonly framing: Framing;
  readonly closes: boolean;
}

const CRLF = '\r\n';
const HEAD_END = '\r\n\r\n';
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})/;
/** Bounds on what a misbehaving server can make us buffer. */
const MAX_HEAD_BYTES = 64 * 1024;
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export class MalformedResponse extends Error {
  override readonly name = 'MalformedResponse';
}

export class ResponseParser {
  private buffer: Buffer = Buffer.alloc(0);
  private head: Head | undefined;
  private readonly body: Buffer[] = [];
  private bodyBytes = 0;
  private received = false;

  /** The status of the answer whose head arrived (1xx interim answers aside), even if its body did not. */
  get status(): number | undefined {
    return this.head?.status;
  }

  /** Whether any byte of a response arrived: a connection that fails before that may just be stale. */
  get started(): boolean {
    return this.received;
  }

  /** Takes the next bytes; returns the response once it is complete. Throws MalformedResponse. */
  push(chunk: Buffer): HttpResponse | undefined {
    if (chunk.length > 0) this.received = true;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.head === undefined && !this.readHead()) return undefined;
      const response = this.readBody();
      if (response === undefined) return undefined;
      if (response !== 'interim') {
        if (this.buffer.length > 0) throw new MalformedResponse('bytes after the end of the response');
        return response;
      }
    }
  }

  /** The connection ended: the response if its body ran to the end of the connection. */
  end(): HttpResponse | undefined {
    if (this.head?.framing.kind !== 'close') return undefined;
    this.take(this.buffer.length);
    return this.complete(true);
  }

  private readHead(): boolean {
    const end = this.buffer.indexOf(HEAD_END);
    if (end < 0) {
      if (this.buffer.length > MAX_HEAD_BYTES) throw new MalformedResponse('response head too large');
      return false;
    }
    const lines = this.buffer.subarray(0, end).toString('latin1').split(CRLF);
    this.buffer = this.buffer.subarray(end + HEAD_END.length);
    const statusLine = STATUS_LINE.exec(lines[0]);
    if (statusLine === null) throw new MalformedResponse(`not an HTTP/1.x status line: ${JSON.stringify(lines[0].slice(0, 40))}`);
    const status = Number(statusLine[2]);
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new MalformedResponse('malformed header line');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      const earlier = headers.get(name);
      headers.set(name, earlier === undefined ? value : `${earlier}, ${value}`);
    }
    const connection = headers.get('connection')?.toLowerCase() ?? '';
    const closes = connection.includes('close') || (statusLine[1] === '0' && !connection.includes('keep-alive'));
    this.head = { status, headers, framing: framingOf(status, headers), closes };
    return true;
  }

  /** The finished response, `interim` after a 1xx, or undefined while the body is incomplete. */
  private readBody(): HttpResponse | 'interim' | undefined {
    const head = this.head as Head;
    if (head.status >= 100 && head.status < 200) {
      this.head = undefined;
      return 'interim';
    }
    const { framing } = head;
    if (framing.kind === 'close') {
      this.take(this.buffer.length);
      return undefined;
    }
    if (framing.kind === 'length') {
      const taken = Math.min(framing.remaining, this.buffer.length);
      this.take(taken);
      framing.remaining -= taken;
      return framing.remaining === 0 ? this.complete(head.closes) : undefined;
    }
    return this.readChunks(head);
  }

  private readChunks(head: Head): HttpResponse | undefined {
    for (;;) {
      const lineEnd = this.buffer.indexOf(CRLF);
      if (lineEnd < 0) return undefined;
      const size = Number.parseInt(this.buffer.subarray(0, lineEnd).toString('latin1').split(';')[0].trim(), 16);
      if (!Number.isFinite(size) || size < 0) throw new MalformedResponse('malformed chunk size');
      if (size === 0) {
        // The last chunk, then optional trailer lines, then an empty line.
        const rest = this.buffer.subarray(lineEnd + CRLF.length);
        const trailerEnd = rest.subarray(0, CRLF.length).toString('latin1') === CRLF ? 0 : rest.indexOf(HEAD_END);
        if (trailerEnd < 0) return undefined;
        const consumed = trailerEnd === 0 ? CRLF.length : trailerEnd + HEAD_END.length;
        this.buffer = rest.subarray(consumed);
        return this.complete(head.closes);
      }
      const chunkEnd = lineEnd + CRLF.length + size;
      if (this.buffer.length < chunkEnd + CRLF.length) return undefined;
      this.buffer = this.buffer.subarray(lineEnd + CRLF.length);
      this.take(size);
      this.buffer = this.buffer.subarray(CRLF.length);
    }
  }

  private take(bytes: number): void {
    if (bytes === 0) return;
    this.bodyBytes += bytes;
    if (this.bodyBytes > MAX_BODY_BYTES) throw new MalformedResponse('response body too large');
    this.body.push(this.buffer.subarray(0, bytes));
    this.buffer = this.buffer.subarray(bytes);
  }

  private complete(closes: boolean): HttpResponse {
    const head = this.head as Head;
    return { status: head.status, headers: head.headers, body: Buffer.concat(this.body), closes };
  }
}

function framingOf(status: number, headers: ReadonlyMap<string, string>): Framing {
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return { kind: 'length', remaining: 0 };
  if (headers.get('transfer-encoding')?.toLowerCase().includes('chunked')) return { kind: 'chunked' };
  const length = headers.get('content-length');
  if (length === undefined) return { kind: 'close' };
  const remaining = Number(length);
  if (!Number.isSafeInteger(remaining) || remaining < 0) throw new MalformedResponse('malformed Content-Length');
  return { kind: 'length', remaining };
}
