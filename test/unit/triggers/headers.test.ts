import { firstListValue, normaliseHeaders } from '../../../src/triggers/headers';

describe('normaliseHeaders', () => {
  it('lower-cases names and prefers the first multi-value entry', () => {
    expect(
      normaliseHeaders({ 'Content-Type': 'text/plain', TraceParent: 'last' }, { traceparent: ['first', 'last'] }),
    ).toEqual({ 'content-type': 'text/plain', traceparent: 'first' });
  });

  it('keeps the first spelling when a name appears in two cases', () => {
    expect(normaliseHeaders({ 'X-Test': 'a', 'x-test': 'b' })).toEqual({ 'x-test': 'a' });
  });

  it('skips values that are not strings and containers that are not objects', () => {
    expect(normaliseHeaders({ a: 1, b: null, c: ['x'] }, { d: 'x', e: [], f: [2] })).toEqual({});
    expect(normaliseHeaders(null, 'x')).toEqual({});
    expect(normaliseHeaders([], [])).toEqual({});
  });

  it('keeps a header named __proto__ as an ordinary entry', () => {
    const headers = normaliseHeaders(JSON.parse('{"__proto__": "x", "a": "b"}'));
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
    expect(Object.keys(headers).sort()).toEqual(['__proto__', 'a']);
  });
});

describe('firstListValue', () => {
  it.each([
    ['198.51.100.7, 130.176.1.2', '198.51.100.7'],
    ['  203.0.113.9 ', '203.0.113.9'],
    [',x', undefined],
    [undefined, undefined],
  ])('reads %p as %p', (value, first) => {
    expect(firstListValue(value)).toBe(first);
  });
});
