import { detectTrigger } from '../../../src/triggers/detect';
import { responseAttributes } from '../../../src/triggers/response';
import { loadEvent, NO_QUERY } from '../../helpers/events';

const http = detectTrigger(loadEvent('api-gateway-v2'), NO_QUERY);
const sqs = detectTrigger(loadEvent('sqs'), NO_QUERY);

describe('responseAttributes', () => {
  it.each([
    [{ statusCode: 200 }, 200, false],
    [{ statusCode: 404, body: 'no' }, 404, false],
    [{ statusCode: 500 }, 500, true],
    [{ statusCode: 503 }, 503, true],
    [{ statusCode: '201' }, 201, false],
    [{ statusCode: '502' }, 502, true],
  ])('reads %p', (result, status, isError) => {
    expect(responseAttributes(http, result)).toEqual({
      attributes: { 'http.response.status_code': status },
      isError,
    });
  });

  it.each([
    ['no result', undefined],
    ['null', null],
    ['a string body', 'hello'],
    ['an array', [{ statusCode: 500 }]],
    ['no status', { body: '{}' }],
    ['a fractional status', { statusCode: 200.5 }],
    ['an out-of-range status', { statusCode: 999 }],
    ['a non-numeric string', { statusCode: '5xx' }],
    ['a padded string', { statusCode: ' 500' }],
    ['NaN', { statusCode: Number.NaN }],
  ])('gives nothing for %s', (_label, result) => {
    expect(responseAttributes(http, result)).toEqual({ attributes: {}, isError: false });
  });

  it('ignores results of triggers other than HTTP', () => {
    expect(responseAttributes(sqs, { statusCode: 500 })).toEqual({ attributes: {}, isError: false });
  });

  it('survives a result whose status getter throws', () => {
    const result = {
      get statusCode(): number {
        throw new Error('boom');
      },
    };
    expect(responseAttributes(http, result)).toEqual({ attributes: {}, isError: false });
  });
});
