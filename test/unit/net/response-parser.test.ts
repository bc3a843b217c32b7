import { MalformedResponse, ResponseParser, type HttpResponse } from '../../../src/net/response-parser';

/** Feeds a response in the given pieces; returns what the parser completed, if anything. */
function parse(...pieces: string[]): HttpResponse | undefined {
  const parser = new ResponseParser();
  let response: HttpResponse | undefined;
  for (const piece of pieces) {
    expect(response).toBeUndefined();
    response = parser.push(Buffer.from(piece, 'latin1'));
  }
  return response;
}

const bodyOf = (response: HttpResponse | undefined): string | undefined => response?.body.toString('utf8');

describe('ResponseParser', () => {
  const LENGTH = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"ok":"true"}';

  it('reads a Content-Length body, whole or split anywhere', () => {
    const whole = parse(LENGTH);
    expect(whole).toMatchObject({ status: 200, closes: false });
    expect(whole?.headers.get('content-type')).toBe('application/json');
    expect(bodyOf(whole)).toBe('{"ok":"true"}');
    for (let cut = 1; cut < LENGTH.length; cut++) {
      expect(bodyOf(parse(LENGTH.slice(0, cut), LENGTH.slice(cut)))).toBe('{"ok":"true"}');
    }
  });

  it('reads a chunked body with extensions and trailers, split anywhere', () => {
    const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nabcd\r\na\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n';
    for (let cut = 1; cut < chunked.length; cut++) {
      expect(bodyOf(parse(chunked.slice(0, cut), chunked.slice(cut)))).toBe('abcd0123456789');
    }
    expect(bodyOf(parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'))).toBe('');
  });

  it('reads a body framed by the end of the connection, and marks the connection spent', () => {
    const parser = new ResponseParser();
    expect(parser.push(Buffer.from('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\npart one, '))).toBeUndefined();
    expect(parser.push(Buffer.from('part two'))).toBeUndefined();
    const response = parser.end();
    expect(bodyOf(response)).toBe('part one, part two');
    expect(response?.closes).toBe(true);
  });

  it('gives nothing at the end of the connection when the body was framed otherwise', () => {
    const parser = new ResponseParser();
    parser.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort'));
    expect(parser.end()).toBeUndefined();
  });

  it('skips interim 1xx responses and knows 204 has no body', () => {
    expect(parse('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n')).toMatchObject({ status: 204 });
    expect(bodyOf(parse('HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi'))).toBe('hi');
  });

  it('knows when the server will close the connection', () => {
    expect(parse('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')?.closes).toBe(true);
    expect(parse('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n')?.closes).toBe(true);
    expect(parse('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n')?.closes).toBe(false);
  });

  it('joins repeated headers and lower-cases their names', () => {
    const response = parse('HTTP/1.1 200 OK\r\nX-A: 1\r\nx-a: 2\r\nLambda-Extension-Identifier: ext-7\r\nContent-Length: 0\r\n\r\n');
    expect(response?.headers.get('x-a')).toBe('1, 2');
    expect(response?.headers.get('lambda-extension-identifier')).toBe('ext-7');
  });

  it('says whether any byte arrived', () => {
    const parser = new ResponseParser();
    expect(parser.started).toBe(false);
    parser.push(Buffer.from('HTTP/1.1'));
    expect(parser.started).toBe(true);
  });

  it.each([
    ['a status line that is not HTTP', 'SSH-2.0-OpenSSH\r\n\r\n'],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nbroken\r\n\r\n'],
    ['a malformed Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n'],
    ['a malformed chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['bytes after the response', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nab'],
    ['a head that never ends', 'HTTP/1.1 200 OK\r\n' + 'X: y\r\n'.repeat(20000)],
  ])('rejects %s', (_what, bytes) => {
    expect(() => new ResponseParser().push(Buffer.from(bytes))).toThrow(MalformedResponse);
  });
});
