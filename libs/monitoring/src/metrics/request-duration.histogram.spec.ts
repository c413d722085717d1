import { Histogram, Registry } from 'prom-client';
import { DURATION_BUCKETS, RequestDurationHistogram } from './request-duration.histogram';

const OBSERVATIONS: [string, string, number, number][] = [
  ['GET', '/api/articles/:slug', 200, 0.004],
  ['GET', '/api/articles/:slug', 200, 0.005],
  ['GET', '/api/articles/:slug', 304, 0.02],
  ['GET', '/api/articles/:slug', 404, 0.3],
  ['POST', '/api/articles', 201, 12],
  ['GET', '/api/articles/:slug', 200, 2.5],
  ['GET', '(unmatched)', 404, 0.001],
  ['GET', '/api/weird"route\\', 500, 0.07],
];

describe(RequestDurationHistogram.name, () => {
  describe('render', () => {
    it('should write exactly what a prom-client Histogram writes for the same observations', async () => {
      const registry = new Registry();
      const reference = new Histogram({
        name: 'http_request_duration_seconds',
        help: 'HTTP request duration by method, route template and status class',
        labelNames: ['method', 'route', 'status_class'],
        buckets: DURATION_BUCKETS,
        registers: [registry],
      });
      const sut = new RequestDurationHistogram();

      for (const [method, route, status, seconds] of OBSERVATIONS) {
        reference.observe({ method, route, status_class: `${Math.floor(status / 100)}xx` }, seconds);
        sut.observe(method, route, status, seconds);
      }

      const sortLines = (text: string) => text.trim().split('\n').sort();
      expect(sortLines(sut.render())).toEqual(sortLines(await registry.metrics()));
    });

    it('should write only the header before any request', () => {
      expect(new RequestDurationHistogram().render()).toBe(
        '# HELP http_request_duration_seconds HTTP request duration by method, route template and status class\n' +
          '# TYPE http_request_duration_seconds histogram',
      );
    });
  });
});
