import { arrayField, isObject, isObjectLike, objectField, stringField, stringValue } from '../../src/read';

describe('readers of values of unknown shape', () => {
  it.each([
    [{}, true, true],
    [[], false, true],
    [null, false, false],
    ['x', false, false],
    [() => {}, false, false],
  ])('%p: isObject %p, isObjectLike %p (arrays count for the runtime, not for JSON)', (value, object, objectLike) => {
    expect(isObject(value)).toBe(object);
    expect(isObjectLike(value)).toBe(objectLike);
  });

  it('reads a field only when source and field have the expected types', () => {
    const source = { name: 'orders', empty: '', count: 3, inner: { a: 1 }, list: [1], array: ['x'] };
    expect([stringField(source, 'name'), stringField(source, 'empty'), stringField(source, 'count'), stringField('x', 'length')]).toEqual([
      'orders',
      undefined,
      undefined,
      undefined,
    ]);
    expect([objectField(source, 'inner'), objectField(source, 'list'), objectField(null, 'inner')]).toEqual([{ a: 1 }, undefined, undefined]);
    expect([arrayField(source, 'array'), arrayField(source, 'inner'), arrayField([['x']], '0')]).toEqual([['x'], undefined, undefined]);
    expect([stringValue('a'), stringValue(''), stringValue(1)]).toEqual(['a', undefined, undefined]);
  });
});
