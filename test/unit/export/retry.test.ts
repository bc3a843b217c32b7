import { isRetryableStatus, parseRetryAfter, retryDelayMs } from '../../../src/export/retry';

describe('retry rules', () => {
  it('retries 408, 429, 500, 502, 503 and 504 only', () => {
    const statuses = [200, 204, 301, 400, 401, 403, 404, 408, 413, 429, 500, 501, 502, 503, 504, 505];
    expect(statuses.filter(isRetryableStatus)).toEqual([408, 429, 500, 502, 503, 504]);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('Tue, 01 Dec 2026 10:00:00 GMT');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Tue, 01 Dec 2026 10:00:02 GMT', now)).toBe(2000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 09:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });

  it('doubles the wait between attempts, within ±20 %', () => {
    expect([1, 2, 3].map((retry) => retryDelayMs(retry, () => 0.5))).toEqual([25, 50, 100]);
    expect(retryDelayMs(1, () => 0)).toBeCloseTo(20);
    expect(retryDelayMs(1, () => 1)).toBeCloseTo(30);
  });
});
