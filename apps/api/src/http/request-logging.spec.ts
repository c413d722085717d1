import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { Writable } from 'node:stream';
import { FailedRequestSummary } from './failed-request-summary';
import { registerRequestLogging } from './request-logging';

type Line = { level: number; msg: string; [field: string]: unknown };
const WARN = 40;

/** A pino logger at `info` whose lines land in `lines` (synchronously). */
function capturedLogger() {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(text) as Line);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

describe(registerRequestLogging.name, () => {
  let fastify: FastifyInstance;
  let lines: Line[];
  let baseUrl: string;

  beforeEach(async () => {
    const captured = capturedLogger();
    lines = captured.lines;
    fastify = Fastify();
    registerRequestLogging(fastify, captured.logger, new FailedRequestSummary(captured.logger, 60_000));
    fastify.post('/api/articles/:slug/favorite', (_request, reply) => reply.code(503).send({ errors: {} }));
    fastify.post('/api/articles', (_request, reply) => reply.code(503).send({ errors: {} }));
    fastify.get('/api/tags', () => ({ tags: [] }));
    // Over real HTTP: fastify.inject's light-my-request needs an ESM-only package Jest cannot load here.
    baseUrl = await fastify.listen({ host: '127.0.0.1', port: 0 });
  });
  afterEach(async () => {
    await fastify.close();
  });

  const inject = async (method: 'GET' | 'POST', url: string) => (await fetch(baseUrl + url, { method })).text();

  it('should log N 503s as O(1) lines, all warn, the summary carrying counts by route and status', async () => {
    for (let i = 0; i < 600; i++) await inject('POST', `/api/articles/a-${i}/favorite`);
    for (let i = 0; i < 400; i++) await inject('POST', '/api/articles');
    await fastify.close(); // the last summary is written when the server closes

    expect(lines.length).toBeLessThanOrEqual(2);
    expect(lines.every((line) => line.level === WARN)).toBe(true);
    expect(lines.at(-1)).toEqual(
      expect.objectContaining({
        msg: 'requests failed with 503 (summary)',
        total: 1000,
        failed: { 'POST /api/articles/:slug/favorite': { 503: 600 }, 'POST /api/articles': { 503: 400 } },
      }),
    );
  });

  it('should still log other requests one line each', async () => {
    await inject('GET', '/api/tags');
    await inject('GET', '/api/tags');

    expect(lines).toEqual([
      expect.objectContaining({ msg: 'request completed', statusCode: 200, route: '/api/tags' }),
      expect.objectContaining({ msg: 'request completed', statusCode: 200, route: '/api/tags' }),
    ]);
  });
});

describe(FailedRequestSummary.name, () => {
  let lines: Line[];
  let sut: FailedRequestSummary;

  beforeEach(() => {
    jest.useFakeTimers();
    const captured = capturedLogger();
    lines = captured.lines;
    sut = new FailedRequestSummary(captured.logger, 10_000);
  });
  afterEach(() => {
    sut.close();
    jest.useRealTimers();
  });

  it('should say once that failures started, summarize every interval while they last, then say they stopped', () => {
    sut.record('POST /api/articles', 503);
    sut.record('POST /api/articles', 503);
    jest.advanceTimersByTime(10_000);
    sut.record('PUT /api/user', 503);
    jest.advanceTimersByTime(10_000);
    jest.advanceTimersByTime(10_000); // a quiet interval
    jest.advanceTimersByTime(60_000); // stopped: nothing more

    expect(lines.map((line) => [line.msg, line.total ?? null, line.failed ?? null])).toEqual([
      ['requests are failing with 503: counted, and summarized periodically instead of logged one by one', null, null],
      ['requests failed with 503 (summary)', 2, { 'POST /api/articles': { 503: 2 } }],
      ['requests failed with 503 (summary)', 1, { 'PUT /api/user': { 503: 1 } }],
      ['no more requests failing with 503', null, null],
    ]);
  });

  it('should start over with a new "failing" line for the next outage', () => {
    sut.record('POST /api/articles', 503);
    jest.advanceTimersByTime(20_000);
    sut.record('POST /api/articles', 503);

    expect(lines.filter((line) => line.msg.startsWith('requests are failing'))).toHaveLength(2);
  });
});
