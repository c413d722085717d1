import { JwtService } from '@nestjs/jwt';
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { TestApp } from '../support/test-app';
import { describeRequest, refusedRequests, wellShapedRequests, type FuzzRequest } from './request-arbitraries';
import { Findings, problemsWith, Tally } from './response-checks';
import type { Fixture } from './routes';

// FUZZ_SEED replays a run (each run prints its seed); FUZZ_REQUESTS sizes it (about 1-2 minutes on 2 cores).
// By default every problem is collected and reported by kind; FUZZ_SHRINK=1 stops at the first one and
// lets fast-check shrink it to a smallest failing request.
const SHRINK = process.env.FUZZ_SHRINK === '1';
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_500);
const REFUSED_SHARE = 2 / 3;
const READS = new Set(['GET', 'HEAD']);

/**
 * Hostile requests against all 19 RealWorld routes, signed in and not (issue 10, item 8): bodies of
 * the wrong shape, nested too deep, with odd and huge strings and prototype keys; odd params, query
 * strings and headers. No answer is a 5xx, every error is in the envelope and shows no internals,
 * and no refused request changes a table (checked after each write, and over the whole first phase).
 */
describe('Fuzz: hostile requests to every route', () => {
  let sut: TestApp;
  let fixture: Fixture;
  let tables: string[];
  const tally = new Tally();
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

  /** Row count and checksum of every table in one round trip: equal means nothing changed, timestamps included. */
  const state = async (): Promise<string> => {
    const parts = tables.map(
      (
        t,
      ) => `SELECT '${t}' || ':' || count(*) || ':' || md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS s
        FROM "${t}" t`,
    );
    const rows = await sut.app.get(DataSource).query<{ s: string }[]>(parts.join(' UNION ALL '));
    return rows.map((r) => r.s).join(' ');
  };

  let current = '';
  /** Sends one request, checks its answer, and for a write compares the tables before and after. */
  const exchange = async (req: FuzzRequest, findings: Findings): Promise<void> => {
    const res = await sut.app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: req.method as 'GET', url: req.url, headers: req.headers, payload: req.payload });
    tally.add(req.route, res.statusCode);
    const problems = problemsWith(req, res);
    if (!READS.has(req.method)) {
      const after = await state();
      if (res.statusCode >= 400 && after !== current) problems.push(`refused (${res.statusCode}) but changed a table`);
      current = after;
    }
    if (problems.length === 0) return;
    if (SHRINK) throw new Error(`${problems.join('\n')}\nRequest: ${describeRequest(req)}`);
    findings.add(req.route, problems, describeRequest(req));
  };

  const run = async (title: string, requests: fc.Arbitrary<FuzzRequest>, numRuns: number): Promise<void> => {
    const findings = new Findings();
    const started = performance.now();
    const before = tally.total;
    try {
      await fc.assert(
        fc.asyncProperty(requests, (req) => exchange(req, findings)),
        { numRuns, seed: SEED },
      );
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const sent = tally.total - before;
      console.log(
        `${title}: ${sent} requests in ${seconds.toFixed(1)} s (${(sent / seconds).toFixed(0)}/s), seed ${SEED}`,
      );
    }
    expect(findings.report()).toBe('');
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  };

  beforeAll(async () => {
    sut = await TestApp.start();
    await sut.truncate();
    fixture = await seed(sut);
    const rows = await sut.app
      .get(DataSource)
      .query<{ name: string }[]>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
      );
    tables = rows.map((r) => r.name);
  });
  afterAll(async () => {
    console.log(tally.summary('Fuzz outcome (route, status:count)'));
    await sut?.close();
  });

  it('refuses every poisoned request without a 5xx or internals, and changes no table', async () => {
    const baseline = await state();
    current = baseline;
    await run('Refused-only phase', refusedRequests(fixture), Math.round(REQUESTS * REFUSED_SHARE));
    expect(await state()).toEqual(baseline);
  }, 600_000);

  it('answers well-shaped odd requests without a 5xx or internals; refused ones change no table', async () => {
    current = await state();
    await run('Well-shaped phase', wellShapedRequests(fixture), Math.round(REQUESTS * (1 - REFUSED_SHARE)));
  }, 600_000);

  it('sent the requested number of requests', () => {
    expect(tally.total).toBeGreaterThanOrEqual(REQUESTS);
  });
});

/** alice wrote an article and a comment; bob follows her and favorited it. */
async function seed(sut: TestApp): Promise<Fixture> {
  const alice = await sut.register('fuzzalice');
  const bob = await sut.register('fuzzbob');
  const article = { title: 'Fuzzing dragons', description: 'How', body: 'Carefully', tagList: ['fuzz'] };
  const created = await sut.call('post', '/api/articles', { token: alice.token, body: { article } });
  const slug = (created.body as { article: { slug: string } }).article.slug;
  const comment = await sut.call('post', `/api/articles/${slug}/comments`, {
    token: alice.token,
    body: { comment: { body: 'First' } },
  });
  await sut.call('post', `/api/profiles/${alice.username}/follow`, { token: bob.token });
  await sut.call('post', `/api/articles/${slug}/favorite`, { token: bob.token });
  return {
    alice,
    bob,
    slug,
    commentId: (comment.body as { comment: { id: number } }).comment.id,
    refusedTokens: refusedTokens(sut.app.get(JwtService), alice.token),
  };
}

/** Tokens signed with the app's own key that must still be refused, and some signed otherwise. */
function refusedTokens(jwt: JwtService, aliceToken: string): string[] {
  const { sub, username } = JSON.parse(Buffer.from(aliceToken.split('.')[1], 'base64url').toString()) as {
    sub: number;
    username: string;
  };
  const claims: object[] = [
    { sub: 2_000_000_000, username: 'ghost' }, // never existed
    { sub: 2 ** 31, username }, // past PostgreSQL's integer
    { sub: 2 ** 53 + 2, username },
    { sub: 1e300, username },
    { sub: -1, username },
    { sub: 0, username },
    { sub: String(sub), username },
    { sub, username: 42 },
    { sub },
    { sub: { $gt: 0 }, username },
  ];
  const other = new JwtService({ secret: 'not-the-secret-of-this-app-0123456789' });
  return [
    ...claims.map((payload) => jwt.sign(payload)),
    jwt.sign({ sub, username }, { expiresIn: -60 }),
    jwt.sign({ sub, username }, { algorithm: 'HS512' }),
    other.sign({ sub, username }),
    `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${aliceToken.split('.')[1]}.x`,
  ];
}
