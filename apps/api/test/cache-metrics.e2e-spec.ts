import request from 'supertest';
import { TestApp } from './support/test-app';

/** Samples of a Prometheus text exposition: `name{labels}` → value (comments and blank lines skipped). */
function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    samples.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return samples;
}

/** The cache's counters as `/metrics` serves them: what an operator's Prometheus would see. */
describe('Cache metrics at /metrics', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await TestApp.start();
  });
  beforeEach(async () => {
    await sut.truncate();
    const author = await sut.register('metrics-author');
    await sut.call('post', '/api/articles', {
      token: author.token,
      body: { article: { title: 'Counted', description: 'd', body: 'b', tagList: ['metrics'] } },
    });
  });
  afterAll(async () => {
    await sut.close();
  });

  const scrape = async (): Promise<Map<string, number>> => {
    // Plain text, outside the OpenAPI document's JSON schemas: read without the response validator.
    const res = await request(sut.server).get('/metrics');
    expect(res.status).toBe(200);
    return parseExposition(res.text);
  };
  const sample = (samples: Map<string, number>, name: string): number => {
    const value = samples.get(name);
    if (value === undefined) throw new Error(`/metrics has no sample ${name}`);
    return value;
  };

  it('should count a miss in every tier, then a whole-response hit, with exact deltas', async () => {
    const before = await scrape();

    const miss = await sut.call('get', '/api/tags');
    const hit = await sut.call('get', '/api/tags');
    const after = await scrape();

    expect(miss.status).toBe(200);
    expect(hit.text).toBe(miss.text);
    const delta = (name: string) => sample(after, name) - sample(before, name);
    expect({
      responseHits: delta('pn_cache_hits_total{tier="response"}'),
      responseMisses: delta('pn_cache_misses_total{tier="response"}'),
      l1Hits: delta('pn_cache_hits_total{tier="l1"}'),
      l1Misses: delta('pn_cache_misses_total{tier="l1"}'),
      l2Hits: delta('pn_cache_hits_total{tier="l2"}'),
      l2Misses: delta('pn_cache_misses_total{tier="l2"}'),
      l1Entries: delta('pn_cache_entries{tier="l1"}'),
      staleServes: delta('pn_cache_stale_serves_total'),
      redisBypasses: delta('pn_cache_redis_bypasses_total'),
    }).toEqual({
      responseHits: 1,
      responseMisses: 1,
      l1Hits: 0,
      l1Misses: 1,
      l2Hits: 0,
      l2Misses: 1,
      l1Entries: 1,
      staleServes: 0,
      redisBypasses: 0,
    });
    // The write before retired every whole response: the one held now is /api/tags.
    expect(sample(after, 'pn_cache_entries{tier="response"}')).toBe(1);
    expect(sample(after, 'pn_cache_bytes{tier="response"}')).toBeGreaterThan(Buffer.byteLength(miss.text));
    expect(sample(after, 'pn_cache_bytes{tier="l1"}')).toBeGreaterThan(sample(before, 'pn_cache_bytes{tier="l1"}'));
    expect(sample(after, 'pn_cache_redis_up')).toBe(1);
  });

  it('should declare each metric once, the cache metrics among them', async () => {
    const res = await request(sut.server).get('/metrics');

    const helps = res.text.split('\n').filter((line) => line.startsWith('# HELP '));
    const names = helps.map((line) => line.split(' ')[2]);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['pn_cache_hits_total', 'pn_cache_misses_total']));
  });
});
