import { statusClass } from './status-class';

describe('statusClass', () => {
  it('should map each status code to its class', () => {
    expect([101, 200, 204, 304, 401, 422, 500, 503].map(statusClass)).toEqual([
      '1xx',
      '2xx',
      '2xx',
      '3xx',
      '4xx',
      '4xx',
      '5xx',
      '5xx',
    ]);
  });

  it('should lump anything outside 100-599 together', () => {
    expect([0, 99, 600].map(statusClass)).toEqual(['other', 'other', 'other']);
  });
});
